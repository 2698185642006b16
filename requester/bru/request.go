package bru

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hooklab/requester"
)

// Script is a script or tests block kept as text; Hooklab does not run it.
// Type is before-request, after-response or tests, as OpenCollection names
// them.
type Script struct {
	Type, Code string
}

// Request is a request file: the request as Hooklab sends it, and what the
// file holds beyond the request model.
type Request struct {
	Request  requester.Request
	Seq      int
	AuthType string // as written in the method block: "", "inherit", "none", "bearer", "oauth2", …
	// AuthFields are the auth:MODE block of an auth type Hooklab cannot
	// send (awsv4's accessKeyId, region, …), kept as written so an
	// import or export does not lose them.
	AuthFields []Pair
	PathParams []requester.Param // params:path
	Vars       []requester.Var   // vars:pre-request
	Scripts    []Script
	Warnings   []string // what was not imported
	// BodyMode is a body mode Hooklab cannot send (sparql, …), as
	// written; Request.Body is then none. "" for every other.
	BodyMode string
	BodyData string // the text of its body:MODE block
}

// Defaults are what collection.bru or folder.bru gives the requests under
// it.
type Defaults struct {
	Name     string // folder.bru's meta name
	Seq      int
	Headers  []requester.Header
	Auth     requester.Auth
	AuthType string // auth { mode } as written; "" when absent
	// AuthFields are the auth:MODE block of an auth type Hooklab cannot
	// send, kept as written.
	AuthFields []Pair
	Vars       []requester.Var
	Warnings   []string
}

var methods = map[string]bool{
	"get": true, "post": true, "put": true, "delete": true, "patch": true,
	"options": true, "head": true, "connect": true, "trace": true,
}

// scriptBlocks maps bru's script blocks to OpenCollection's script types.
var scriptBlocks = map[string]string{
	"script:pre-request": "before-request", "script:post-response": "after-response", "tests": "tests",
}

// known lists the blocks ParseRequest reads; others are reported.
var known = map[string]bool{
	"meta": true, "params:query": true, "params:path": true, "query": true, "headers": true,
	"vars:pre-request": true, "settings": true, "body:graphql:vars": true,
}

// ParseRequest reads a request .bru file. Blocks Hooklab cannot use
// (assertions, post-response vars, docs, auth types it cannot send) are
// listed in Warnings; scripts and tests are kept as text and listed too.
func ParseRequest(data []byte) (*Request, error) {
	f, err := Parse(data)
	if err != nil {
		return nil, err
	}
	out := &Request{}
	r := &out.Request
	meta, err := f.Block("meta").Pairs()
	if err != nil {
		return nil, err
	}
	typ := "http"
	for _, p := range meta {
		switch p.Key {
		case "name":
			r.Name = p.Value
		case "seq":
			out.Seq, _ = strconv.Atoi(p.Value)
		case "type":
			typ = p.Value
		}
	}
	if typ != "http" && typ != "graphql" {
		return nil, &SyntaxError{Line: f.Block("meta").Line, Msg: fmt.Sprintf("request type %q is not supported (only http and graphql)", typ)}
	}
	var method *Block
	for _, b := range f.Blocks {
		if methods[b.Name] || b.Name == "http" {
			method = b
			break
		}
	}
	if method == nil {
		return nil, &SyntaxError{Msg: "no method block (get, post, put, ...)"}
	}
	mp, err := method.Pairs()
	if err != nil {
		return nil, err
	}
	r.Method = strings.ToUpper(method.Name)
	bodyMode := "none"
	for _, p := range mp {
		switch p.Key {
		case "url":
			r.URL = p.Value
		case "body":
			bodyMode = p.Value
		case "auth":
			out.AuthType = p.Value
		case "method": // http { method: PROPFIND }
			r.Method = p.Value
		}
	}
	for _, b := range f.Blocks {
		name := b.Name
		switch {
		case b == method || known[name]:
		case strings.HasPrefix(name, "body:") || strings.HasPrefix(name, "auth:"):
		case scriptBlocks[name] != "":
			if code := strings.TrimSpace(b.Text); code != "" {
				out.Scripts = append(out.Scripts, Script{Type: scriptBlocks[name], Code: b.Text})
				out.Warnings = append(out.Warnings, name+" kept as text, not run")
			}
		case name == "vars:post-response":
			out.Warnings = append(out.Warnings, "vars:post-response ignored: Hooklab does not set variables from responses")
		case name == "assert":
			out.Warnings = append(out.Warnings, "assertions ignored: Hooklab does not run them")
		case name == "docs":
			out.Warnings = append(out.Warnings, "docs ignored")
		default:
			out.Warnings = append(out.Warnings, fmt.Sprintf("block %q ignored: Hooklab does not know it", name))
		}
	}
	if err := readRows(f, r, out); err != nil {
		return nil, err
	}
	if err := readBody(f, bodyMode, r, out); err != nil {
		return nil, err
	}
	if a, ok, err := readAuth(f, out.AuthType); err != nil {
		return nil, err
	} else if ok {
		r.Auth = a
	} else if kinds[out.AuthType] {
		// auth: bearer without an auth:bearer block sends an empty one.
		r.Auth = requester.Auth{Kind: requester.AuthKind(out.AuthType)}
	}
	if out.AuthFields, err = unsentAuth(f, out.AuthType); err != nil {
		return nil, err
	}
	if !supported(out.AuthType) {
		out.Warnings = append(out.Warnings, fmt.Sprintf("auth type %q is not supported by Hooklab: the request is not sent", out.AuthType))
	}
	return out, readSettings(f, r)
}

// kinds are the auth modes that are kinds of requester.Auth.
var kinds = map[string]bool{"basic": true, "bearer": true, "apikey": true, "digest": true}

// supported reports an auth mode Hooklab can send, or none at all.
func supported(mode string) bool {
	switch mode {
	case "", "none", "inherit", "basic", "bearer", "apikey", "digest":
		return true
	}
	return false
}

func readRows(f *File, r *requester.Request, out *Request) error {
	query := f.Block("params:query")
	if query == nil {
		query = f.Block("query") // older files
	}
	qp, err := query.Pairs()
	if err != nil {
		return err
	}
	for _, p := range qp {
		r.Params = append(r.Params, requester.Param{Name: p.Key, Value: p.Value, Disabled: p.Disabled})
	}
	pp, err := f.Block("params:path").Pairs()
	if err != nil {
		return err
	}
	for _, p := range pp {
		out.PathParams = append(out.PathParams, requester.Param{Name: p.Key, Value: p.Value, Disabled: p.Disabled})
	}
	if r.Headers, err = headers(f); err != nil {
		return err
	}
	out.Vars, err = vars(f.Block("vars:pre-request"))
	return err
}

func headers(f *File) ([]requester.Header, error) {
	hp, err := f.Block("headers").Pairs()
	var out []requester.Header
	for _, p := range hp {
		out = append(out, requester.Header{Name: p.Key, Value: p.Value, Disabled: p.Disabled})
	}
	return out, err
}

func vars(b *Block) ([]requester.Var, error) {
	vp, err := b.Pairs()
	var out []requester.Var
	for _, p := range vp {
		out = append(out, requester.Var{Name: p.Key, Value: p.Value, Disabled: p.Disabled})
	}
	return out, err
}

func readBody(f *File, mode string, r *requester.Request, out *Request) error {
	switch mode {
	case "none", "":
		return nil
	case "json", "xml", "text":
		if b := f.Block("body:" + mode); b != nil {
			r.Body = requester.Body{Kind: requester.BodyKind(mode), Text: b.Text}
		}
	case "formUrlEncoded", "form-urlencoded":
		b := f.Block("body:form-urlencoded")
		ps, err := b.Pairs()
		if err != nil {
			return err
		}
		r.Body.Kind = requester.BodyForm
		for _, p := range ps {
			r.Body.Form = append(r.Body.Form, requester.Param{Name: p.Key, Value: p.Value, Disabled: p.Disabled})
		}
	case "multipartForm", "multipart-form":
		ps, err := f.Block("body:multipart-form").Pairs()
		if err != nil {
			return err
		}
		r.Body.Kind = requester.BodyMultipart
		for _, p := range ps {
			value, ctype := annotation(p.Value, "@contentType(")
			if files, ok := fileRef(value); ok {
				for _, file := range files {
					r.Body.Parts = append(r.Body.Parts, requester.Part{Name: p.Key, File: file, ContentType: ctype, Disabled: p.Disabled})
				}
				continue
			}
			r.Body.Parts = append(r.Body.Parts, requester.Part{Name: p.Key, Value: value, ContentType: ctype, Disabled: p.Disabled})
		}
	case "file":
		ps, err := f.Block("body:file").Pairs()
		if err != nil {
			return err
		}
		r.Body.Kind = requester.BodyFile
		for _, p := range ps {
			value, ctype := annotation(p.Value, "@contentType(")
			files, ok := fileRef(value)
			if !ok || len(files) == 0 || p.Disabled {
				continue
			}
			r.Body.File = files[0]
			if ctype != "" {
				r.Headers = append(r.Headers, requester.Header{Name: "Content-Type", Value: ctype})
			}
			break
		}
	case "graphql":
		r.Body.Kind = requester.BodyGraphQL
		if b := f.Block("body:graphql"); b != nil {
			r.Body.GraphQL.Query = b.Text
		}
		if b := f.Block("body:graphql:vars"); b != nil {
			r.Body.GraphQL.Variables = strings.TrimSpace(b.Text)
			if r.Body.GraphQL.Variables != "" && !json.Valid([]byte(r.Body.GraphQL.Variables)) {
				out.Warnings = append(out.Warnings, "body:graphql:vars is not valid JSON")
			}
		}
	default:
		out.BodyMode = mode
		if b := f.Block("body:" + mode); b != nil {
			out.BodyData = b.Text
		}
		out.Warnings = append(out.Warnings, fmt.Sprintf("body mode %q is not supported: the request is not sent", mode))
	}
	return nil
}

// annotation cuts a trailing "@name(value)" off s.
func annotation(s, prefix string) (rest, value string) {
	i := strings.LastIndex(s, prefix)
	if i < 0 || !strings.HasSuffix(s, ")") {
		return s, ""
	}
	return strings.TrimSpace(s[:i]), s[i+len(prefix) : len(s)-1]
}

// fileRef reads "@file(a|b)" as its paths.
func fileRef(s string) ([]string, bool) {
	if !strings.HasPrefix(s, "@file(") || !strings.HasSuffix(s, ")") {
		return nil, false
	}
	var out []string
	for p := range strings.SplitSeq(s[len("@file("):len(s)-1], "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, true
}

// readAuth reads the auth:MODE block of a supported mode.
func readAuth(f *File, mode string) (requester.Auth, bool, error) {
	var a requester.Auth
	b := f.Block("auth:" + mode)
	if b == nil || !supported(mode) || mode == "none" || mode == "inherit" {
		return a, false, nil
	}
	ps, err := b.Pairs()
	if err != nil {
		return a, false, err
	}
	get := func(k string) string {
		for _, p := range ps {
			if p.Key == k && !p.Disabled {
				return p.Value
			}
		}
		return ""
	}
	a.Kind = requester.AuthKind(mode)
	switch a.Kind {
	case requester.AuthBasic, requester.AuthDigest:
		a.Username, a.Password = get("username"), get("password")
	case requester.AuthBearer:
		a.Token = get("token")
	case requester.AuthAPIKey:
		a.Key, a.Value = get("key"), get("value")
		a.InQuery = get("placement") == "queryparams" || get("placement") == "query"
	}
	return a, true, nil
}

// unsentAuth is the auth:MODE block of a mode Hooklab cannot send, as
// written; nil for every other mode.
func unsentAuth(f *File, mode string) ([]Pair, error) {
	if mode == "" || supported(mode) {
		return nil, nil
	}
	return f.Block("auth:" + mode).Pairs()
}

func readSettings(f *File, r *requester.Request) error {
	ps, err := f.Block("settings").Pairs()
	for _, p := range ps {
		switch p.Key {
		case "timeout":
			if ms, err := strconv.Atoi(p.Value); err == nil && ms > 0 && ms < 1<<31 {
				r.Options.Timeout = time.Duration(ms) * time.Millisecond
			}
		case "followRedirects":
			r.Options.NoRedirects = p.Value == "false"
		case "maxRedirects":
			if n, err := strconv.Atoi(p.Value); err == nil && n >= 0 && n < 1000 {
				r.Options.MaxRedirects = n
			}
		}
	}
	return err
}

// ParseDefaults reads collection.bru or folder.bru: meta (a folder's name
// and seq), headers, auth { mode } with its auth:MODE block, and
// vars:pre-request. Scripts and tests there are reported, not imported.
func ParseDefaults(data []byte) (*Defaults, error) {
	f, err := Parse(data)
	if err != nil {
		return nil, err
	}
	d := &Defaults{}
	meta, err := f.Block("meta").Pairs()
	if err != nil {
		return nil, err
	}
	for _, p := range meta {
		switch p.Key {
		case "name":
			d.Name = p.Value
		case "seq":
			d.Seq, _ = strconv.Atoi(p.Value)
		}
	}
	if d.Headers, err = headers(f); err != nil {
		return nil, err
	}
	if d.Vars, err = vars(f.Block("vars:pre-request")); err != nil {
		return nil, err
	}
	ap, err := f.Block("auth").Pairs()
	if err != nil {
		return nil, err
	}
	for _, p := range ap {
		if p.Key == "mode" {
			d.AuthType = p.Value
		}
	}
	if a, ok, err := readAuth(f, d.AuthType); err != nil {
		return nil, err
	} else if ok {
		d.Auth = a
	}
	if d.AuthFields, err = unsentAuth(f, d.AuthType); err != nil {
		return nil, err
	}
	if !supported(d.AuthType) {
		d.Warnings = append(d.Warnings, fmt.Sprintf("auth type %q is not supported by Hooklab: requests using it are not sent", d.AuthType))
	}
	for _, b := range f.Blocks {
		switch {
		case scriptBlocks[b.Name] != "" && strings.TrimSpace(b.Text) != "":
			d.Warnings = append(d.Warnings, b.Name+" ignored: Hooklab does not run scripts")
		case b.Name == "vars:post-response", b.Name == "assert":
			d.Warnings = append(d.Warnings, b.Name+" ignored")
		}
	}
	return d, nil
}

// ParseEnvironment reads environments/NAME.bru: vars { } and the names of
// vars:secret [ ], whose values Bruno keeps outside the file (they load
// empty, secret).
func ParseEnvironment(data []byte, name string) (requester.Environment, error) {
	env := requester.Environment{Name: name}
	f, err := Parse(data)
	if err != nil {
		return env, err
	}
	vs, err := vars(f.Block("vars"))
	if err != nil {
		return env, err
	}
	env.Vars = vs
	for _, p := range f.Block("vars:secret").Items() {
		env.Vars = append(env.Vars, requester.Var{Name: p.Key, Secret: true, Disabled: p.Disabled})
	}
	return env, nil
}

// Config is what Hooklab reads of bruno.json.
type Config struct {
	Name   string   `json:"name"`
	Type   string   `json:"type"`
	Ignore []string `json:"ignore"`
}

// ParseConfig reads bruno.json.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	if len(data) > MaxSize {
		return c, fmt.Errorf("bruno.json is larger than %d MiB", MaxSize>>20)
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("bruno.json: %v", err)
	}
	return c, nil
}
