package postman

import (
	"encoding/json"
	"fmt"
	"strings"

	"hooklab/requester"
)

type pmEnvironment struct {
	ID     string       `json:"id,omitempty"`
	Name   string       `json:"name"`
	Values []pmEnvValue `json:"values"`
	Scope  string       `json:"_postman_variable_scope,omitempty"`
}

type pmEnvValue struct {
	Key     string          `json:"key"`
	Value   json.RawMessage `json:"value"`
	Type    string          `json:"type,omitempty"`
	Enabled *bool           `json:"enabled,omitempty"`
}

// IsEnvironment reports whether data is a Postman environment (or globals)
// file: an object with a values list and no item list.
func IsEnvironment(data []byte) bool {
	var probe struct {
		Values *[]json.RawMessage `json:"values"`
		Item   json.RawMessage    `json:"item"`
		Scope  string             `json:"_postman_variable_scope"`
	}
	if json.Unmarshal(data, &probe) != nil {
		return false
	}
	return probe.Values != nil && probe.Item == nil
}

// ImportEnvironment reads a Postman environment file. Variables of type
// secret stay secret; disabled ones (enabled: false) stay disabled.
func ImportEnvironment(data []byte) (requester.Environment, error) {
	var env requester.Environment
	if len(data) > MaxSize {
		return env, fmt.Errorf("the file is %d MiB; Postman environments of more than %d MiB are not read", len(data)>>20, MaxSize>>20)
	}
	if !json.Valid(data) {
		var v any
		return env, describe(data, json.Unmarshal(data, &v))
	}
	if !IsEnvironment(data) {
		return env, fmt.Errorf("%w environment: no values list", ErrNotPostman)
	}
	var pe pmEnvironment
	if err := json.Unmarshal(data, &pe); err != nil {
		return env, describe(data, err)
	}
	env.Name = strings.TrimSpace(pe.Name)
	if env.Name == "" {
		env.Name = "Postman environment"
	}
	for _, v := range pe.Values {
		if v.Key == "" {
			continue
		}
		val, ok := textOf(v.Value)
		if !ok {
			val = string(v.Value)
		}
		env.Vars = append(env.Vars, requester.Var{
			Name: v.Key, Value: val, Secret: v.Type == "secret",
			Disabled: v.Enabled != nil && !*v.Enabled,
		})
	}
	return env, nil
}

// ExportEnvironment writes env as a Postman environment file. Secret values
// are left out (empty) unless includeSecrets.
func ExportEnvironment(env requester.Environment, includeSecrets bool) ([]byte, error) {
	pe := pmEnvironment{Name: env.Name, Scope: "environment", Values: []pmEnvValue{}}
	for _, v := range env.Vars {
		val := v.Value
		typ := "default"
		if v.Secret {
			typ = "secret"
			if !includeSecrets {
				val = ""
			}
		}
		enabled := !v.Disabled
		raw, _ := json.Marshal(val)
		pe.Values = append(pe.Values, pmEnvValue{Key: v.Name, Value: raw, Type: typ, Enabled: &enabled})
	}
	return json.MarshalIndent(pe, "", "  ")
}
