package postman

import (
	"regexp"
	"slices"
	"strings"

	"hooklab/requester"
)

// dynamicVar is a Postman dynamic variable: {{$guid}}, {{$randomEmail}}, …
var dynamicVar = regexp.MustCompile(`\{\{\s*\$[A-Za-z0-9_]+\s*\}\}`)

// aliases are Postman's names of built-ins Hooklab has under another name.
var aliases = map[string]string{"$guid": "$uuid"}

// dynamicVars renames the dynamic variables of r Hooklab has under
// another name and returns those it does not generate, in order.
func dynamicVars(r *requester.Request) []string {
	var unknown []string
	fix := func(s *string) {
		if !strings.Contains(*s, "{{") {
			return
		}
		*s = dynamicVar.ReplaceAllStringFunc(*s, func(m string) string {
			name := requester.VarName(m)
			if to, ok := aliases[name]; ok {
				return "{{" + to + "}}"
			}
			if !requester.IsBuiltin(name) && !slices.Contains(unknown, name) {
				unknown = append(unknown, name)
			}
			return m
		})
	}
	fix(&r.URL)
	for i := range r.Params {
		fix(&r.Params[i].Value)
	}
	for i := range r.Headers {
		fix(&r.Headers[i].Value)
	}
	fix(&r.Body.Text)
	fix(&r.Body.GraphQL.Query)
	fix(&r.Body.GraphQL.Variables)
	for i := range r.Body.Form {
		fix(&r.Body.Form[i].Value)
	}
	for i := range r.Body.Parts {
		fix(&r.Body.Parts[i].Value)
	}
	for _, s := range []*string{&r.Auth.Username, &r.Auth.Password, &r.Auth.Token, &r.Auth.Value} {
		fix(s)
	}
	return unknown
}
