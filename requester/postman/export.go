package postman

import (
	"encoding/json"
	"strings"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// Export writes c as a Postman Collection v2.1 file. Auth keeps its
// inheritance (a request or folder that inherits has no auth object);
// Postman has no folder or collection headers, so those are written onto
// each request under them, as they would be sent. Scripts go back as
// events; environments are exported on their own (ExportEnvironment).
// Warnings list what Postman cannot hold.
func Export(c *collection.Collection) ([]byte, []collection.Problem, error) {
	ex := &importer{}
	pc := pmCollection{
		Info: pmInfo{Name: c.Name, Schema: SchemaV21},
		Item: []pmItem{},
	}
	pc.Variable = exportVars(c.Vars)
	pc.Auth = exportAuth(c.Defaults.Auth, c.Defaults.AuthType, c.Defaults.AuthFields, false)
	pc.Item = ex.exportItems(c.Items, c.Defaults.Headers)
	data, err := json.MarshalIndent(pc, "", "\t")
	return data, ex.warnings, err
}

func (ex *importer) exportItems(items []*collection.Item, inherited []requester.Header) []pmItem {
	out := []pmItem{}
	for _, it := range items {
		if it.Folder {
			headers := append(append([]requester.Header(nil), inherited...), it.Defaults.Headers...)
			children, _ := json.Marshal(ex.exportItems(it.Children, headers))
			out = append(out, pmItem{
				Name: it.Name, Item: children,
				Auth:     exportAuth(it.Defaults.Auth, it.Defaults.AuthType, it.Defaults.AuthFields, false),
				Variable: exportVars(it.Defaults.Vars),
			})
			continue
		}
		if it.Request == nil {
			continue
		}
		out = append(out, ex.exportRequest(it, inherited))
	}
	return out
}

func (ex *importer) exportRequest(it *collection.Item, inherited []requester.Header) pmItem {
	r := it.Request
	pr := pmRequest{Method: r.Method}
	if pr.Method == "" {
		pr.Method = "GET"
	}
	headers := []pmKV{}
	for _, h := range overlay(inherited, r.Headers) {
		headers = append(headers, pmKV{Key: ptr(h.Name), Value: ptr(h.Value), Disabled: h.Disabled})
	}
	pr.Header, _ = json.Marshal(headers)
	pr.URL, _ = json.Marshal(exportURL(r.URL, r.Params, it.PathParams))
	pr.Body = ex.exportBody(r.Body, it.Path)
	if it.BodyType != "" && r.Body.Kind == requester.BodyNone {
		// A body Hooklab kept but cannot send (sparql): its text, raw.
		text := it.BodyData
		pr.Body = &pmBody{Mode: "raw", Raw: &text}
		ex.warn(it.Path, "body type %q written as raw text: Postman has no such body", it.BodyType)
	}
	authType := it.AuthType
	if authType == "" {
		authType = "none" // a request file without auth sends none
	}
	pr.Auth = exportAuth(r.Auth, authType, it.AuthFields, true)
	req, _ := json.Marshal(pr)
	pi := pmItem{Name: it.Name, Request: req, Response: json.RawMessage("[]"), Variable: exportVars(it.RuntimeVars)}
	for _, s := range it.Scripts {
		listen := s.Type
		for k, v := range scriptTypes {
			if v == s.Type {
				listen = k
			}
		}
		exec, _ := json.Marshal(strings.Split(s.Code, "\n"))
		pi.Event = append(pi.Event, pmEvent{Listen: listen, Script: pmScript{Type: "text/javascript", Exec: exec}})
	}
	pi.Behavior = ex.exportBehavior(r.Options, it.Path)
	return pi
}

// overlay is collection.Sendable's rule for headers: an enabled inner row
// replaces the enabled outer rows of its name.
func overlay(outer, inner []requester.Header) []requester.Header {
	named := map[string]bool{}
	for _, h := range inner {
		if !h.Disabled {
			named[strings.ToLower(strings.TrimSpace(h.Name))] = true
		}
	}
	var out []requester.Header
	for _, h := range outer {
		if !h.Disabled && !named[strings.ToLower(strings.TrimSpace(h.Name))] {
			out = append(out, h)
		}
	}
	return append(out, inner...)
}

func ptr(s string) *string { return &s }

// exportURL writes a URL object: raw as sent, its parts, every query param
// (disabled ones too) and the path variables.
func exportURL(rawURL string, params, pathParams []requester.Param) pmURL {
	u := pmURL{Raw: rawURL}
	rest := rawURL
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	if scheme, after, ok := strings.Cut(rest, "://"); ok && !strings.Contains(scheme, "/") {
		u.Protocol, rest = scheme, after
	}
	host, path, _ := strings.Cut(rest, "/")
	if h, port, ok := strings.Cut(host, ":"); ok && port != "" && strings.Trim(port, "0123456789") == "" {
		host, u.Port = h, port
	}
	if host != "" {
		u.Host, _ = json.Marshal(strings.Split(host, "."))
	}
	if path != "" {
		u.Path, _ = json.Marshal(strings.Split(path, "/"))
	}
	if _, frag, ok := strings.Cut(rawURL, "#"); ok {
		u.Hash = frag
	}
	for _, p := range params {
		u.Query = append(u.Query, pmKV{Key: ptr(p.Name), Value: ptr(p.Value), Disabled: p.Disabled})
	}
	for _, p := range pathParams {
		v, _ := json.Marshal(p.Value)
		u.Variable = append(u.Variable, pmVariable{Key: p.Name, Value: v, Disabled: p.Disabled})
	}
	return u
}

var bodyLanguages = map[requester.BodyKind]string{
	requester.BodyJSON: "json", requester.BodyXML: "xml", requester.BodyText: "text",
}

func (ex *importer) exportBody(b requester.Body, p string) *pmBody {
	switch b.Kind {
	case requester.BodyJSON, requester.BodyXML, requester.BodyText:
		text := b.Text
		pb := &pmBody{Mode: "raw", Raw: &text, Options: &pmBodyOptions{}}
		pb.Options.Raw = &struct {
			Language string `json:"language,omitempty"`
		}{bodyLanguages[b.Kind]}
		return pb
	case requester.BodyForm:
		pb := &pmBody{Mode: "urlencoded", URLEncoded: []pmKV{}}
		for _, f := range b.Form {
			pb.URLEncoded = append(pb.URLEncoded, pmKV{Key: ptr(f.Name), Value: ptr(f.Value), Disabled: f.Disabled})
		}
		return pb
	case requester.BodyMultipart:
		pb := &pmBody{Mode: "formdata", FormData: []pmFormField{}}
		for _, part := range b.Parts {
			f := pmFormField{Key: part.Name, ContentType: part.ContentType, Disabled: part.Disabled, Type: "text"}
			if part.File != "" {
				f.Type = "file"
				f.Src, _ = json.Marshal(part.File)
			} else {
				f.Value = ptr(part.Value)
			}
			pb.FormData = append(pb.FormData, f)
		}
		return pb
	case requester.BodyFile:
		return &pmBody{Mode: "file", File: &pmFile{Src: ptr(b.File)}}
	case requester.BodyGraphQL:
		g, _ := json.Marshal(map[string]string{"query": b.GraphQL.Query, "variables": b.GraphQL.Variables})
		return &pmBody{Mode: "graphql", GraphQL: g}
	case requester.BodyNone:
		return nil
	}
	ex.warn(p, "body kind %q not written to Postman", b.Kind)
	return nil
}

// exportAuth writes an auth object in v2.1's form. Inheriting (and, for a
// folder, no auth of its own) writes none, which Postman reads as inherit.
func exportAuth(a requester.Auth, authType string, kept []requester.Param, request bool) json.RawMessage {
	kv := func(pairs ...string) []map[string]string {
		out := []map[string]string{}
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, map[string]string{"key": pairs[i], "value": pairs[i+1], "type": "string"})
		}
		return out
	}
	m := map[string]any{}
	switch {
	case authType == "inherit" || authType == "" && !request:
		return nil
	case authType == "none" || authType == "":
		m["type"] = "noauth"
	case a.Kind == requester.AuthBearer:
		m["type"], m["bearer"] = "bearer", kv("token", a.Token)
	case a.Kind == requester.AuthBasic:
		m["type"], m["basic"] = "basic", kv("username", a.Username, "password", a.Password)
	case a.Kind == requester.AuthDigest:
		m["type"], m["digest"] = "digest", kv("username", a.Username, "password", a.Password)
	case a.Kind == requester.AuthAPIKey:
		in := "header"
		if a.InQuery {
			in = "query"
		}
		m["type"], m["apikey"] = "apikey", kv("key", a.Key, "value", a.Value, "in", in)
	default:
		m["type"] = authType // one Hooklab cannot send, with the settings kept
		if len(kept) > 0 {
			var pairs []string
			for _, f := range kept {
				pairs = append(pairs, f.Name, f.Value)
			}
			m[authType] = kv(pairs...)
		}
	}
	data, _ := json.Marshal(m)
	return data
}

func exportVars(vars []requester.Var) []pmVariable {
	var out []pmVariable
	for _, v := range vars {
		val, _ := json.Marshal(v.Value)
		out = append(out, pmVariable{Key: v.Name, Value: val, Type: "string", Disabled: v.Disabled})
	}
	return out
}

// exportBehavior writes the options Postman has a setting for; the
// others are reported.
func (ex *importer) exportBehavior(o requester.Options, p string) map[string]json.RawMessage {
	b := map[string]json.RawMessage{}
	if o.NoRedirects {
		b["followRedirects"] = json.RawMessage("false")
	}
	if o.MaxRedirects > 0 {
		b["maxRedirects"], _ = json.Marshal(o.MaxRedirects)
	}
	if o.Insecure {
		b["strictSSL"] = json.RawMessage("false")
	}
	rest := o
	rest.NoRedirects, rest.MaxRedirects, rest.Insecure = false, 0, false
	if rest != (requester.Options{}) {
		ex.warn(p, "request options Postman has no setting for (timeout, certificates, proxy) are not written")
	}
	if len(b) == 0 {
		return nil
	}
	return b
}
