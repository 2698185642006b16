// Package openapi reads an OpenAPI 3.0 or 3.1 description (JSON or
// YAML, through github.com/getkin/kin-openapi) into a collection: one
// request per operation, grouped in a folder per first tag; path
// parameters as the collection's :params, query and header parameters as
// rows (optional ones switched off); a body from the example, else made
// from the schema; servers as environments holding baseUrl; the security
// scheme as the collection's auth, its secrets as secret variables. The
// webhooks section (3.1) becomes a folder of requests that send each
// event's sample payload to {{webhook_url}}, one endpoint per event, so
// the catcher (or your own app, with another URL) receives them.
//
// Nothing outside the document is read: a $ref to another file or a URL
// is refused with a message.
package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// MaxOperations bounds the requests one document makes.
const MaxOperations = 5000

// MaxSize bounds the documents read: kin-openapi holds a document in
// memory many times over while it reads it (a 21 MB JSON one: 1.3 GB
// through encoding/json, 3.7 GB through its YAML path).
const MaxSize = 16 << 20

// load reads data with kin-openapi, refusing $refs to other files or
// URLs. A JSON document is decoded with encoding/json, which needs a
// third of the memory of kin-openapi's YAML path that LoadFromData
// takes for every document; YAML, and JSON encoding/json refuses, go
// that way.
func load(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		doc := &openapi3.T{}
		if json.Unmarshal(trimmed, doc) == nil {
			return doc, loader.ResolveRefsIn(doc, nil)
		}
	}
	return loader.LoadFromData(data)
}

// Is reports whether data looks like an OpenAPI 3 document: a JSON or
// YAML mapping with an "openapi: 3.x" field near its start.
func Is(data []byte) bool {
	head := data[:min(len(data), 4096)]
	return openapiField.Match(head)
}

var openapiField = regexp.MustCompile(`(?m)(^|[{,\s])"?openapi"?\s*:\s*["']?3\.`)

// Read reads the document. The problems say what was not imported and
// why, by item; the error is for a document that cannot be read at all.
func Read(data []byte) (c *collection.Collection, problems []collection.Problem, err error) {
	defer func() {
		// kin-openapi is not meant for hostile input everywhere; a panic
		// on a malformed document is a document that cannot be read.
		if r := recover(); r != nil {
			c, problems, err = nil, nil, fmt.Errorf("the OpenAPI document cannot be read: %v", r)
		}
	}()
	if !Is(data) {
		return nil, nil, errors.New("not an OpenAPI 3 document (no openapi: 3.x field); Swagger 2.0 is not imported")
	}
	if len(data) > MaxSize {
		return nil, nil, fmt.Errorf("the OpenAPI document is %d MiB; documents of more than %d MiB are not imported (reading one takes about 100 times its size in memory)", len(data)>>20, MaxSize>>20)
	}
	doc, err := load(data)
	if err != nil {
		return nil, nil, fmt.Errorf("the OpenAPI document cannot be read: %w", err)
	}
	r := &reader{doc: doc, c: &collection.Collection{}, order: readOrder(data)}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		r.warn("document", "it does not validate (%v); imported what could be read", err)
	}
	r.read()
	return r.c, r.problems, nil
}

type reader struct {
	doc      *openapi3.T
	c        *collection.Collection
	problems []collection.Problem
	ops      int
	secrets  []string // names of secret variables the auth uses
	order    propOrder
}

func (r *reader) warn(path, format string, args ...any) {
	r.problems = append(r.problems, collection.Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (r *reader) read() {
	if info := r.doc.Info; info != nil {
		r.c.Name = strings.TrimSpace(info.Title)
	}
	r.servers()
	r.c.Defaults.Auth, r.c.Defaults.AuthType = r.security(r.doc.Security, "document")

	folders := map[string]*collection.Item{}
	var top []*collection.Item
	if r.doc.Paths != nil {
		paths := r.doc.Paths.Map()
		keys := make([]string, 0, len(paths))
		for k := range paths {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, path := range keys {
			item := paths[path]
			if item == nil {
				continue
			}
			for _, method := range methodsOf(item) {
				op := item.GetOperation(method)
				it := r.operation(path, method, item, op)
				if it == nil {
					continue
				}
				if len(op.Tags) == 0 {
					top = append(top, it)
					continue
				}
				tag := op.Tags[0]
				f := folders[tag]
				if f == nil {
					f = &collection.Item{Name: tag, Folder: true}
					folders[tag] = f
					top = append(top, f)
				}
				f.Children = append(f.Children, it)
			}
		}
	}
	if hooks := r.webhooks(); hooks != nil {
		top = append(top, hooks)
	}
	r.c.Items = top
	r.secretVars()
}

// secretVars puts the auth's secrets, empty and secret, in every
// environment (a collection keeps no secrets in its files), making one
// named Default when the document names no server.
func (r *reader) secretVars() {
	if len(r.secrets) == 0 {
		return
	}
	if len(r.c.Environments) == 0 {
		r.c.Environments = []requester.Environment{{Name: "Default"}}
	}
	for i := range r.c.Environments {
		for _, name := range r.secrets {
			r.c.Environments[i].Vars = append(r.c.Environments[i].Vars, requester.Var{Name: name, Secret: true})
		}
	}
	r.warn("environments", "set %s in an environment before sending (kept on this computer, not in the collection)", strings.Join(r.secrets, ", "))
}

// methodsOf lists an item's methods in a fixed, readable order.
func methodsOf(item *openapi3.PathItem) []string {
	ops := item.Operations()
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead, http.MethodOptions, http.MethodTrace} {
		if ops[m] != nil {
			out = append(out, m)
			delete(ops, m)
		}
	}
	rest := make([]string, 0, len(ops))
	for m := range ops {
		rest = append(rest, m)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// servers makes an environment per server, each with baseUrl, and the
// first one the collection's baseUrl.
func (r *reader) servers() {
	var urls, descs []string
	for _, s := range r.doc.Servers {
		if s == nil {
			continue
		}
		u := s.URL
		for name, v := range s.Variables {
			if v != nil {
				u = strings.ReplaceAll(u, "{"+name+"}", v.Default)
			}
		}
		urls = append(urls, strings.TrimSuffix(u, "/"))
		descs = append(descs, s.Description)
	}
	for i, name := range serverNames(urls, descs) {
		if i == 0 {
			r.c.Vars = append(r.c.Vars, requester.Var{Name: "baseUrl", Value: urls[i]})
		}
		r.c.Environments = append(r.c.Environments, requester.Environment{Name: name, Vars: []requester.Var{{Name: "baseUrl", Value: urls[i]}}})
	}
	if len(urls) == 0 {
		r.c.Vars = append(r.c.Vars, requester.Var{Name: "baseUrl", Value: "http://localhost"})
		r.warn("servers", "the document names no server; baseUrl is http://localhost until you set it")
	}
}

// serverNames names the environment of each server as a person would:
// its description, else its host ("api.pets.test"), with the path when
// another server has the same host ("api.pets.test/v2"), else "Server N";
// a name taken already gets " 2", " 3", …. The collection makes the names
// file-safe when it writes them.
func serverNames(urls, descs []string) []string {
	type hp struct{ host, path string }
	parts := make([]hp, len(urls))
	hosts := map[string]int{}
	for i, raw := range urls {
		if u, err := url.Parse(raw); err == nil {
			parts[i] = hp{u.Host, strings.TrimSuffix(u.Path, "/")}
		} else {
			parts[i] = hp{path: raw}
		}
		hosts[parts[i].host]++
	}
	names := make([]string, len(urls))
	taken := map[string]bool{}
	for i := range urls {
		name := strings.Join(strings.Fields(descs[i]), " ")
		if name == "" {
			name = parts[i].host
			if name == "" || hosts[name] > 1 {
				name += parts[i].path
			}
		}
		if len(name) > 60 {
			name = strings.TrimSpace(strings.ToValidUTF8(name[:60], ""))
		}
		if strings.Trim(name, "/. ") == "" {
			name = fmt.Sprintf("Server %d", i+1)
		}
		base := name
		for n := 2; taken[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s %d", base, n)
		}
		taken[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

var pathParam = regexp.MustCompile(`\{([^{}/]+)\}`)

// operation makes the request of one operation; nil past MaxOperations.
func (r *reader) operation(path, method string, item *openapi3.PathItem, op *openapi3.Operation) *collection.Item {
	where := method + " " + path
	if r.ops++; r.ops > MaxOperations {
		if r.ops == MaxOperations+1 {
			r.warn(where, "more than %d operations: the rest were not imported", MaxOperations)
		}
		return nil
	}
	name := strings.TrimSpace(op.Summary)
	if name == "" {
		name = op.OperationID
	}
	if name == "" {
		name = where
	}
	req := requester.Request{Name: name, Method: method}
	it := &collection.Item{Name: name, Request: &req}

	// Parameters of the path item, overridden by the operation's.
	params := map[string]*openapi3.Parameter{}
	var order []string
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			key := p.In + ":" + p.Name
			if _, ok := params[key]; !ok {
				order = append(order, key)
			}
			params[key] = p
		}
	}
	var query []requester.Param
	for _, key := range order {
		p := params[key]
		value := r.paramExample(p)
		switch p.In {
		case openapi3.ParameterInPath:
			it.PathParams = append(it.PathParams, requester.Param{Name: p.Name, Value: value})
		case openapi3.ParameterInQuery:
			query = append(query, requester.Param{Name: p.Name, Value: value, Disabled: !p.Required})
		case openapi3.ParameterInHeader:
			req.Headers = append(req.Headers, requester.Header{Name: p.Name, Value: value, Disabled: !p.Required})
		case openapi3.ParameterInCookie:
			req.Headers = append(req.Headers, requester.Header{Name: "Cookie", Value: p.Name + "=" + value, Disabled: !p.Required})
		}
	}
	req.URL = "{{baseUrl}}" + pathParam.ReplaceAllString(path, ":$1")
	req.Params = query
	req.URL = requester.URLWithParams(req.URL, query)
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		r.body(&req, op.RequestBody.Value.Content, where)
	}
	if op.Security != nil {
		req.Auth, it.AuthType = r.security(*op.Security, where)
	} else {
		it.AuthType = "inherit"
	}
	if len(op.Callbacks) > 0 {
		r.warn(where, "its callbacks are not imported (the webhooks section is)")
	}
	return it
}

// paramExample is a parameter's example, else one made from its schema.
func (r *reader) paramExample(p *openapi3.Parameter) string {
	if p.Example != nil {
		return scalar(p.Example)
	}
	for _, name := range sortedKeys(p.Examples) {
		if ex := p.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return scalar(ex.Value.Value)
		}
	}
	if p.Schema != nil {
		if v := r.order.example(p.Schema, 0, nil); v != nil {
			return scalar(v)
		}
	}
	return ""
}

// scalar writes a value for a URL or header: strings as they are,
// anything else as JSON.
func scalar(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
