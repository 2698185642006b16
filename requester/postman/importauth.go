package postman

import (
	"bytes"
	"encoding/json"
	"slices"

	"hooklab/requester"
)

// Reading auth in the two forms Postman writes it.

// auth reads an auth object in either form: v2.1's lists of {key, value}
// or v2.0's objects. Absent auth is "inherit" for a request (Postman's
// "inherit auth from parent") and "" for a folder or the collection.
func (im *importer) auth(raw json.RawMessage, p string, request bool) (requester.Auth, string, []requester.Param) {
	a, t := im.authOf(raw, p, request)
	if t == "" || t == "none" || t == "inherit" || a.Kind != requester.AuthNone {
		return a, t, nil
	}
	// A type Hooklab cannot send (awsv4, oauth2, …): its settings as
	// written, so writing the collection back loses none of them.
	var m map[string]json.RawMessage
	_ = json.Unmarshal(bytes.TrimSpace(raw), &m)
	var fields []requester.Param
	var list []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	var obj map[string]json.RawMessage
	switch {
	case json.Unmarshal(m[t], &list) == nil:
		for _, kv := range list {
			if s, ok := textOf(kv.Value); ok && kv.Key != "" {
				fields = append(fields, requester.Param{Name: kv.Key, Value: s})
			}
		}
	case json.Unmarshal(m[t], &obj) == nil:
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if s, ok := textOf(obj[k]); ok {
				fields = append(fields, requester.Param{Name: k, Value: s})
			}
		}
	}
	return a, t, fields
}

func (im *importer) authOf(raw json.RawMessage, p string, request bool) (requester.Auth, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		if request {
			return requester.Auth{}, "inherit"
		}
		return requester.Auth{}, ""
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		im.warn(p, "auth is not an object: not imported")
		return requester.Auth{}, "none"
	}
	t, _ := textOf(m["type"])
	params := authParams(m[t])
	get := func(k string) string { return params[k] }
	var a requester.Auth
	switch t {
	case "noauth", "":
		return a, "none"
	case "inherit":
		return a, "inherit"
	case "bearer":
		a = requester.Auth{Kind: requester.AuthBearer, Token: get("token")}
	case "basic":
		a = requester.Auth{Kind: requester.AuthBasic, Username: get("username"), Password: get("password")}
	case "digest":
		a = requester.Auth{Kind: requester.AuthDigest, Username: get("username"), Password: get("password")}
	case "apikey":
		a = requester.Auth{Kind: requester.AuthAPIKey, Key: get("key"), Value: get("value"), InQuery: get("in") == "query"}
	default:
		im.warn(p, "auth type %q is not supported by Hooklab: kept with its settings, and requests using it are not sent", t)
		return a, t
	}
	return a, t
}

// authParams reads the parameters of an auth type: a list of {key, value}
// (v2.1) or an object (v2.0).
func authParams(raw json.RawMessage) map[string]string {
	out := map[string]string{}
	var list []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(raw, &list) == nil {
		for _, kv := range list {
			if s, ok := textOf(kv.Value); ok {
				out[kv.Key] = s
			}
		}
		return out
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for k, v := range obj {
			if s, ok := textOf(v); ok {
				out[k] = s
			}
		}
	}
	return out
}
