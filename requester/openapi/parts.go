package openapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// body sets req's body from the first media type Hooklab can send, in
// this order: JSON, form, multipart, XML, text.
func (r *reader) body(req *requester.Request, content openapi3.Content, where string) {
	if len(content) == 0 {
		return
	}
	types := sortedKeys(content)
	pick := func(match func(string) bool) (string, *openapi3.MediaType) {
		for _, t := range types {
			if match(strings.ToLower(t)) && content[t] != nil {
				return t, content[t]
			}
		}
		return "", nil
	}
	isJSON := func(t string) bool { return t == "application/json" || strings.HasSuffix(t, "+json") }
	if t, mt := pick(isJSON); mt != nil {
		req.Body = requester.Body{Kind: requester.BodyJSON, Text: jsonText(r.order.media(mt))}
		if t != "application/json" {
			req.Headers = append(req.Headers, requester.Header{Name: "Content-Type", Value: t})
		}
		return
	}
	if _, mt := pick(func(t string) bool { return t == "application/x-www-form-urlencoded" }); mt != nil {
		req.Body = requester.Body{Kind: requester.BodyForm}
		for _, f := range fields(r.order.media(mt)) {
			req.Body.Form = append(req.Body.Form, requester.Param{Name: f.name, Value: f.value})
		}
		return
	}
	if _, mt := pick(func(t string) bool { return t == "multipart/form-data" }); mt != nil {
		req.Body = requester.Body{Kind: requester.BodyMultipart}
		binary := binaryProps(mt.Schema)
		for _, f := range fields(r.order.media(mt)) {
			if binary[f.name] {
				req.Body.Parts = append(req.Body.Parts, requester.Part{Name: f.name, Disabled: true})
				r.warn(where, "the file part %q has no file: choose one before sending", f.name)
				continue
			}
			req.Body.Parts = append(req.Body.Parts, requester.Part{Name: f.name, Value: f.value})
		}
		return
	}
	if t, mt := pick(func(t string) bool { return strings.HasSuffix(t, "/xml") || strings.HasSuffix(t, "+xml") }); mt != nil {
		req.Body = requester.Body{Kind: requester.BodyXML, Text: textOf(r.order.media(mt))}
		if t != "application/xml" {
			req.Headers = append(req.Headers, requester.Header{Name: "Content-Type", Value: t})
		}
		return
	}
	if t, mt := pick(func(t string) bool { return strings.HasPrefix(t, "text/") }); mt != nil {
		req.Body = requester.Body{Kind: requester.BodyText, Text: textOf(r.order.media(mt))}
		req.Headers = append(req.Headers, requester.Header{Name: "Content-Type", Value: t})
		return
	}
	r.warn(where, "its body (%s) is not a kind Hooklab writes an example for; it was left empty", strings.Join(types, ", "))
}

// mediaExample is a media type's example, the first of its examples,
// else one made from its schema.
func (o propOrder) media(mt *openapi3.MediaType) any {
	if mt.Example != nil {
		return mt.Example
	}
	for _, name := range sortedKeys(mt.Examples) {
		if ex := mt.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value
		}
	}
	if mt.Schema != nil {
		return o.example(mt.Schema, 0, nil)
	}
	return nil
}

func jsonText(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

func textOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonText(v)
}

type field struct{ name, value string }

// fields are an object example's members as form fields: a schema's in
// the document's order, an example's in name order.
func fields(v any) []field {
	var out []field
	switch m := v.(type) {
	case *object:
		for _, k := range m.keys {
			out = append(out, field{k, scalar(m.vals[k])})
		}
	case map[string]any:
		for _, k := range sortedKeys(m) {
			out = append(out, field{k, scalar(m[k])})
		}
	}
	return out
}

// binaryProps names the properties of an object schema that are files.
func binaryProps(ref *openapi3.SchemaRef) map[string]bool {
	out := map[string]bool{}
	if ref == nil || ref.Value == nil {
		return out
	}
	for name, p := range ref.Value.Properties {
		if p != nil && p.Value != nil && (p.Value.Format == "binary" || p.Value.ContentMediaType != "" && p.Value.ContentMediaType != "application/json") {
			out[name] = true
		}
	}
	return out
}

// maxDepth bounds how deep an example made from a schema goes; cycles
// ($ref to an ancestor) stop earlier.
const maxDepth = 8

// exampleOf makes an example value from a schema: its example, default
// or first enum value when it has one, else a value of its type
// (objects with every property, arrays of one item). Cyclic schemas and
// depth are bounded.
func (o propOrder) example(ref *openapi3.SchemaRef, depth int, stack []*openapi3.Schema) any {
	if ref == nil || ref.Value == nil || depth > maxDepth {
		return nil
	}
	s := ref.Value
	if slices.Contains(stack, s) {
		return nil
	}
	stack = append(stack, s)
	switch {
	case s.Example != nil:
		return s.Example
	case len(s.Examples) > 0:
		return s.Examples[0]
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Const != nil:
		return s.Const
	}
	if len(s.AllOf) > 0 {
		merged := &object{}
		for _, sub := range s.AllOf {
			switch m := o.example(sub, depth+1, stack).(type) {
			case *object:
				for _, k := range m.keys {
					merged.set(k, m.vals[k])
				}
			case map[string]any: // an example written in the spec
				for _, k := range sortedKeys(m) {
					merged.set(k, m[k])
				}
			}
		}
		if len(merged.keys) > 0 || s.Properties == nil {
			own := o.object(s, depth, stack)
			for _, k := range own.keys {
				merged.set(k, own.vals[k])
			}
			return merged
		}
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			return o.example(alts[0], depth+1, stack)
		}
	}
	t := s.Type
	switch {
	case t.Is("object") || t == nil && len(s.Properties) > 0:
		return o.object(s, depth, stack)
	case t.Includes("array"):
		if v := o.example(s.Items, depth+1, stack); v != nil {
			return []any{v}
		}
		return []any{}
	case t.Includes("string"):
		return stringOf(s.Format)
	case t.Includes("integer"):
		return 0
	case t.Includes("number"):
		return 0.0
	case t.Includes("boolean"):
		return true
	case t.Includes("null"):
		return nil
	}
	return nil
}

// object is the example of an object schema: its properties in the
// document's order.
func (o propOrder) object(s *openapi3.Schema, depth int, stack []*openapi3.Schema) *object {
	m := &object{}
	for _, name := range o.names(sortedKeys(s.Properties)) {
		p := s.Properties[name]
		if p != nil && p.Value != nil && p.Value.ReadOnly {
			continue // the server fills it in
		}
		if v := o.example(p, depth+1, stack); v != nil || p != nil && p.Value != nil && p.Value.Type.Includes("null") {
			m.set(name, v)
		}
	}
	return m
}

// stringOf is a sample string of a format.
func stringOf(format string) string {
	switch format {
	case "date-time":
		return "2024-01-01T00:00:00Z"
	case "date":
		return "2024-01-01"
	case "time":
		return "00:00:00Z"
	case "email":
		return "user@example.com"
	case "uuid":
		return "00000000-0000-4000-8000-000000000000"
	case "uri", "url":
		return "https://example.com/"
	case "hostname":
		return "example.com"
	case "ipv4":
		return "192.0.2.1"
	case "ipv6":
		return "2001:db8::1"
	case "byte":
		return "aGVsbG8="
	case "password":
		return ""
	}
	return "string"
}

// security turns a security requirement list into auth: the first
// requirement whose schemes Hooklab sends. Secrets become collection
// variables, secret, empty until set. An empty list means no auth.
func (r *reader) security(reqs openapi3.SecurityRequirements, where string) (requester.Auth, string) {
	if reqs == nil {
		return requester.Auth{}, ""
	}
	if len(reqs) == 0 {
		return requester.Auth{}, "none"
	}
	var schemes openapi3.SecuritySchemes
	if r.doc.Components != nil {
		schemes = r.doc.Components.SecuritySchemes
	}
	var unsupported []string
	for _, req := range reqs {
		if len(req) == 0 {
			return requester.Auth{}, "none" // {} : anonymous access is allowed
		}
		for _, name := range sortedKeys(req) {
			ref := schemes[name]
			if ref == nil || ref.Value == nil {
				unsupported = append(unsupported, name+" (not defined)")
				continue
			}
			if a, kind, ok := r.authOf(ref.Value); ok {
				if len(req) > 1 {
					r.warn(where, "it asks for %d security schemes together; only %s is sent", len(req), name)
				}
				return a, kind
			}
			unsupported = append(unsupported, name+" ("+ref.Value.Type+")")
		}
	}
	r.warn(where, "its security schemes are not ones Hooklab sends: %s; sent without auth", strings.Join(unsupported, ", "))
	return requester.Auth{}, "none"
}

// authOf maps one security scheme; ok is false for schemes Hooklab
// does not send (OAuth 2 flows become a bearer token to paste).
func (r *reader) authOf(s *openapi3.SecurityScheme) (requester.Auth, string, bool) {
	secret := func(name string) string {
		if !slices.Contains(r.secrets, name) {
			r.secrets = append(r.secrets, name)
		}
		return "{{" + name + "}}"
	}
	switch strings.ToLower(s.Type) {
	case "http":
		switch strings.ToLower(s.Scheme) {
		case "bearer":
			return requester.Auth{Kind: requester.AuthBearer, Token: secret("bearerToken")}, string(requester.AuthBearer), true
		case "basic":
			user := "{{username}}"
			if !slices.ContainsFunc(r.c.Vars, func(v requester.Var) bool { return v.Name == "username" }) {
				r.c.Vars = append(r.c.Vars, requester.Var{Name: "username"})
			}
			return requester.Auth{Kind: requester.AuthBasic, Username: user, Password: secret("password")}, string(requester.AuthBasic), true
		case "digest":
			return requester.Auth{Kind: requester.AuthDigest, Username: "{{username}}", Password: secret("password")}, string(requester.AuthDigest), true
		}
	case "apikey":
		switch s.In {
		case "header":
			return requester.Auth{Kind: requester.AuthAPIKey, Key: s.Name, Value: secret("apiKey")}, string(requester.AuthAPIKey), true
		case "query":
			return requester.Auth{Kind: requester.AuthAPIKey, Key: s.Name, Value: secret("apiKey"), InQuery: true}, string(requester.AuthAPIKey), true
		}
	case "oauth2", "openidconnect":
		r.warnOnce("security", "OAuth 2 / OpenID Connect flows are not run: paste an access token into the secret variable accessToken")
		return requester.Auth{Kind: requester.AuthBearer, Token: secret("accessToken")}, string(requester.AuthBearer), true
	}
	return requester.Auth{}, "", false
}

func (r *reader) warnOnce(path, msg string) {
	for _, p := range r.problems {
		if p.Path == path && p.Msg == msg {
			return
		}
	}
	r.warn(path, "%s", msg)
}

// webhooks makes the folder of webhook presets: for each event in the
// webhooks section, a request that sends its sample payload to the
// catcher at {{webhook_url}}EVENT.
func (r *reader) webhooks() *collection.Item {
	if len(r.doc.Webhooks) == 0 {
		return nil
	}
	folder := &collection.Item{Name: "Webhooks", Folder: true, Defaults: collection.Defaults{AuthType: "none"}}
	for _, event := range sortedKeys(r.doc.Webhooks) {
		item := r.doc.Webhooks[event]
		if item == nil {
			continue
		}
		for _, method := range methodsOf(item) {
			op := item.GetOperation(method)
			name := strings.TrimSpace(op.Summary)
			if name == "" {
				name = event
			}
			req := requester.Request{Name: name, Method: method, URL: "{{webhook_url}}" + endpointOf(event)}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				r.body(&req, op.RequestBody.Value.Content, "webhook "+event)
			}
			folder.Children = append(folder.Children, &collection.Item{Name: name, Request: &req, AuthType: "none"})
		}
	}
	return folder
}

var notEndpoint = regexp.MustCompile(`[^A-Za-z0-9._~-]+`)

// endpointOf makes an event name one path segment: "payment.succeeded"
// stays, "new pet" becomes "new-pet".
func endpointOf(event string) string {
	s := strings.Trim(notEndpoint.ReplaceAllString(event, "-"), "-")
	if s == "" {
		return fmt.Sprintf("event-%x", len(event))
	}
	return s
}
