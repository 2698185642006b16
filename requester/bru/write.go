package bru

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"hooklab/requester"
)

// This file writes the bru language: the inverse of ParseRequest,
// ParseDefaults and ParseEnvironment. Whatever a file cannot hold as
// written is returned as a warning, never dropped silently.

// writer builds one .bru file block by block, collecting warnings.
type writer struct {
	b        strings.Builder
	warnings []string
}

func (w *writer) warn(format string, args ...any) {
	w.warnings = append(w.warnings, fmt.Sprintf(format, args...))
}

// dict writes a dictionary block; pairs without a key and value are left
// out. Nothing is written for an empty block unless always.
func (w *writer) dict(name string, pairs []Pair, always bool) {
	var lines []string
	for _, p := range pairs {
		if line, ok := w.pairLine(name, p); ok {
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 && !always {
		return
	}
	w.open(name, "{")
	for _, l := range lines {
		w.b.WriteString(l)
		w.b.WriteByte('\n')
	}
	w.b.WriteString("}\n")
}

func (w *writer) open(name, bracket string) {
	if w.b.Len() > 0 {
		w.b.WriteByte('\n')
	}
	w.b.WriteString(name + " " + bracket + "\n")
}

// pairLine writes "  key: value", "~" when disabled. A key with a colon or
// a leading ~ is quoted; a value of several lines, or with spaces at
// either end (which a plain line loses), goes between ”' lines.
func (w *writer) pairLine(block string, p Pair) (string, bool) {
	key := p.Key
	if key == "" && p.Value == "" {
		return "", false
	}
	switch {
	case key == "" || strings.TrimSpace(key) != key || strings.ContainsAny(key, "\r\n"):
		w.warn("%s: %q not written: Bruno has no name of that form", block, key)
		return "", false
	case strings.HasPrefix(key, `"`):
		w.warn("%s: %q not written: a name starting with a quote cannot be written in bru", block, key)
		return "", false
	case strings.Contains(key, ":") || strings.HasPrefix(key, "~"):
		if strings.Contains(key, `"`) {
			w.warn("%s: %q not written: a name with both a colon and a quote cannot be written in bru", block, key)
			return "", false
		}
		key = `"` + key + `"`
	}
	prefix := "  "
	if p.Disabled {
		prefix += "~"
	}
	v := p.Value
	multi := strings.Contains(v, "\n") || strings.TrimSpace(v) != v || v == "'''"
	if !multi {
		return prefix + key + ": " + v, true
	}
	v = strings.ReplaceAll(v, "\r\n", "\n")
	if strings.Contains(v, "\r") {
		w.warn("%s: carriage returns in %s not kept", block, p.Key)
		v = strings.ReplaceAll(v, "\r", "")
	}
	lines := strings.Split(v, "\n")
	for _, l := range lines {
		if strings.TrimSpace(l) == "'''" {
			w.warn("%s: %s not written: a line of its value is ''', which ends a value in bru", block, p.Key)
			return "", false
		}
	}
	var b strings.Builder
	b.WriteString(prefix + key + ": '''\n")
	for _, l := range lines {
		b.WriteString("    " + l + "\n")
	}
	b.WriteString("  '''")
	return b.String(), true
}

// text writes a text block (body, script, docs): every line indented by
// two spaces, empty lines left empty.
func (w *writer) text(name, text string) {
	w.open(name, "{")
	if strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		if strings.Contains(text, "\r") {
			w.warn("%s: carriage returns not kept", name)
			text = strings.ReplaceAll(text, "\r", "")
		}
	}
	for l := range strings.SplitSeq(text, "\n") {
		if l != "" {
			w.b.WriteString("  ")
		}
		w.b.WriteString(l + "\n")
	}
	w.b.WriteString("}\n")
}

// list writes a list block ("vars:secret [ a, ~b ]"), one name a line.
func (w *writer) list(name string, items []Pair) {
	var lines []string
	for _, it := range items {
		switch {
		case it.Key == "" || strings.TrimSpace(it.Key) != it.Key || strings.ContainsAny(it.Key, ",\r\n") || strings.HasPrefix(it.Key, "~"):
			w.warn("%s: %q not written: a name with a comma, a leading ~ or spaces at either end cannot be listed in bru", name, it.Key)
		case it.Disabled:
			lines = append(lines, "  ~"+it.Key)
		default:
			lines = append(lines, "  "+it.Key)
		}
	}
	if len(lines) == 0 {
		return
	}
	w.open(name, "[")
	w.b.WriteString(strings.Join(lines, ",\n") + "\n]\n")
}

func params(ps []requester.Param) []Pair {
	out := make([]Pair, 0, len(ps))
	for _, p := range ps {
		out = append(out, Pair{Key: p.Name, Value: p.Value, Disabled: p.Disabled})
	}
	return out
}

func headerPairs(hs []requester.Header) []Pair {
	out := make([]Pair, 0, len(hs))
	for _, h := range hs {
		out = append(out, Pair{Key: h.Name, Value: h.Value, Disabled: h.Disabled})
	}
	return out
}

func varPairs(vs []requester.Var) []Pair {
	out := make([]Pair, 0, len(vs))
	for _, v := range vs {
		out = append(out, Pair{Key: v.Name, Value: v.Value, Disabled: v.Disabled})
	}
	return out
}

// blockName reports whether "body:"+mode can head a bru block (the
// parser refuses names with blanks or brackets).
func blockName(mode string) bool {
	return !strings.ContainsAny(mode, " \t{}[]\r\n")
}

// bodyModes are the method block's body: values Bruno writes.
var bodyModes = map[requester.BodyKind]string{
	requester.BodyNone: "none", requester.BodyJSON: "json", requester.BodyXML: "xml",
	requester.BodyText: "text", requester.BodyForm: "formUrlEncoded",
	requester.BodyMultipart: "multipartForm", requester.BodyFile: "file",
	requester.BodyGraphQL: "graphql",
}

// scriptNames maps OpenCollection's script types back to bru's blocks.
var scriptNames = map[string]string{
	"before-request": "script:pre-request", "after-response": "script:post-response", "tests": "tests",
}

// authMode is the auth mode a request or defaults write: the type as
// written, or the kind Auth holds when no type is written.
func authMode(authType string, a requester.Auth) string {
	switch {
	case authType == "" && a.Kind != requester.AuthNone:
		return string(a.Kind)
	case kinds[authType] && a.Kind != requester.AuthNone:
		return string(a.Kind)
	}
	return authType
}

// FormatRequest writes r as a request .bru file, with what the file
// cannot hold (request options Bruno has no setting for, unsupported body
// kinds, names the language cannot write).
func FormatRequest(r *Request) ([]byte, []string) {
	w := &writer{}
	req := &r.Request
	typ := "http"
	if req.Body.Kind == requester.BodyGraphQL {
		typ = "graphql"
	}
	meta := []Pair{{Key: "name", Value: req.Name}, {Key: "type", Value: typ}}
	if r.Seq > 0 {
		meta = append(meta, Pair{Key: "seq", Value: strconv.Itoa(r.Seq)})
	}
	w.dict("meta", meta, true)

	method := req.Method
	if method == "" {
		method = "GET"
	}
	block := strings.ToLower(method)
	var mp []Pair
	if !methods[block] || strings.ToUpper(method) != method {
		block = "http"
		mp = append(mp, Pair{Key: "method", Value: method})
	}
	mp = append(mp, Pair{Key: "url", Value: req.URL})
	mode, ok := bodyModes[req.Body.Kind]
	if !ok {
		w.warn("body kind %q not written: Bruno has no such body", req.Body.Kind)
		mode = "none"
	}
	if r.BodyMode != "" && req.Body.Kind == requester.BodyNone {
		if blockName(r.BodyMode) {
			mode = r.BodyMode // a body Hooklab kept but cannot send (sparql)
		} else {
			w.warn("body mode %q not written: it cannot be the name of a bru block", r.BodyMode)
		}
	}
	mp = append(mp, Pair{Key: "body", Value: mode})
	auth := authMode(r.AuthType, req.Auth)
	if auth != "" {
		mp = append(mp, Pair{Key: "auth", Value: auth})
	}
	w.dict(block, mp, true)

	w.dict("params:query", params(req.Params), false)
	w.dict("params:path", params(r.PathParams), false)
	w.dict("headers", headerPairs(req.Headers), false)
	w.auth(auth, req.Auth, r.AuthFields)
	w.body(req)
	if mode == r.BodyMode && r.BodyMode != "" {
		w.text("body:"+r.BodyMode, r.BodyData)
	}
	w.dict("vars:pre-request", varPairs(r.Vars), false)
	w.settings(req.Options)
	for _, s := range r.Scripts {
		name := scriptNames[s.Type]
		if name == "" {
			w.warn("script of type %q not written: Bruno has no such script", s.Type)
			continue
		}
		w.text(name, s.Code)
	}
	return []byte(w.b.String()), w.warnings
}

// auth writes the auth:MODE block of a mode Hooklab holds the settings
// of; none when the settings are not of that mode (a mode written without
// its block, read back the same).
func (w *writer) auth(mode string, a requester.Auth, kept []Pair) {
	if kinds[mode] && string(a.Kind) != mode {
		return
	}
	switch requester.AuthKind(mode) {
	case requester.AuthBasic, requester.AuthDigest:
		w.dict("auth:"+mode, []Pair{{Key: "username", Value: a.Username}, {Key: "password", Value: a.Password}}, true)
	case requester.AuthBearer:
		w.dict("auth:bearer", []Pair{{Key: "token", Value: a.Token}}, true)
	case requester.AuthAPIKey:
		placement := "header"
		if a.InQuery {
			placement = "queryparams"
		}
		w.dict("auth:apikey", []Pair{{Key: "key", Value: a.Key}, {Key: "value", Value: a.Value}, {Key: "placement", Value: placement}}, true)
	default:
		switch {
		case len(kept) > 0:
			w.dict("auth:"+mode, kept, true) // a type Hooklab cannot send, as it was read
		case !supported(mode):
			w.warn("auth type %q written without its settings: Hooklab does not keep them", mode)
		}
	}
}

// body writes the body block of the request's body kind. The other kinds'
// content (kept by the editor when switching) is not written.
func (w *writer) body(req *requester.Request) {
	b := req.Body
	switch b.Kind {
	case requester.BodyJSON, requester.BodyXML, requester.BodyText:
		w.text("body:"+string(b.Kind), b.Text)
	case requester.BodyForm:
		w.dict("body:form-urlencoded", params(b.Form), true)
	case requester.BodyMultipart:
		var ps []Pair
		for _, p := range b.Parts {
			v := p.Value
			if p.File != "" {
				if strings.ContainsAny(p.File, "|)") {
					w.warn("body:multipart-form: file %q not written: bru cannot hold a path with | or )", p.File)
					continue
				}
				v = "@file(" + p.File + ")"
			} else if strings.HasPrefix(v, "@file(") && strings.HasSuffix(v, ")") {
				w.warn("body:multipart-form: the value of %s reads as a file in bru", p.Name)
			}
			if p.ContentType != "" {
				v += " @contentType(" + p.ContentType + ")"
			}
			ps = append(ps, Pair{Key: p.Name, Value: v, Disabled: p.Disabled})
		}
		w.dict("body:multipart-form", ps, true)
	case requester.BodyFile:
		if b.File == "" {
			w.dict("body:file", nil, true)
			return
		}
		if strings.ContainsAny(b.File, "|)") {
			w.warn("body:file: file %q not written: bru cannot hold a path with | or )", b.File)
			return
		}
		w.dict("body:file", []Pair{{Key: "file", Value: "@file(" + b.File + ")"}}, true)
	case requester.BodyGraphQL:
		w.text("body:graphql", b.GraphQL.Query)
		if strings.TrimSpace(b.GraphQL.Variables) != "" {
			if b.GraphQL.Variables != strings.TrimSpace(b.GraphQL.Variables) {
				w.warn("body:graphql:vars: spaces around the variables not kept")
			}
			w.text("body:graphql:vars", strings.TrimSpace(b.GraphQL.Variables))
		}
	}
}

// settings writes the options bru's settings block has; the others are
// reported.
func (w *writer) settings(o requester.Options) {
	var ps []Pair
	if o.Timeout > 0 {
		ms := o.Timeout.Milliseconds()
		if ms < 1 {
			ms = 1
		}
		if o.Timeout%1e6 != 0 {
			w.warn("settings: timeout %v rounded to %d ms", o.Timeout, ms)
		}
		ps = append(ps, Pair{Key: "timeout", Value: strconv.FormatInt(ms, 10)})
	}
	if o.NoRedirects {
		ps = append(ps, Pair{Key: "followRedirects", Value: "false"})
	}
	if o.MaxRedirects > 0 {
		ps = append(ps, Pair{Key: "maxRedirects", Value: strconv.Itoa(o.MaxRedirects)})
	}
	w.dict("settings", ps, false)
	var lost []string
	if o.Insecure {
		lost = append(lost, "TLS verification off")
	}
	if o.CACert != "" {
		lost = append(lost, "CA certificate")
	}
	if o.ClientCert != "" || o.ClientKey != "" {
		lost = append(lost, "client certificate")
	}
	if o.Proxy != "" {
		lost = append(lost, "proxy")
	}
	if len(lost) > 0 {
		w.warn("request options Bruno has no per-request setting for are not written: %s", strings.Join(lost, ", "))
	}
}

// FormatDefaults writes collection.bru, or folder.bru when folder: meta
// (a folder's name and seq), headers, auth { mode } with its auth:MODE
// block, and vars:pre-request.
func FormatDefaults(d *Defaults, folder bool) ([]byte, []string) {
	w := &writer{}
	if folder {
		meta := []Pair{{Key: "name", Value: d.Name}}
		if d.Seq > 0 {
			meta = append(meta, Pair{Key: "seq", Value: strconv.Itoa(d.Seq)})
		}
		w.dict("meta", meta, true)
	}
	w.dict("headers", headerPairs(d.Headers), false)
	mode := authMode(d.AuthType, d.Auth)
	if mode != "" {
		w.dict("auth", []Pair{{Key: "mode", Value: mode}}, true)
		w.auth(mode, d.Auth, d.AuthFields)
	}
	w.dict("vars:pre-request", varPairs(d.Vars), false)
	return []byte(w.b.String()), w.warnings
}

// FormatEnvironment writes environments/NAME.bru: vars { } and the names
// of secret variables in vars:secret [ ], whose values Bruno keeps outside
// the file. With includeSecrets a secret with a value is written in vars
// { } instead, with its value (and a warning: it is no longer secret
// there).
func FormatEnvironment(env requester.Environment, includeSecrets bool) ([]byte, []string) {
	w := &writer{}
	var plain []requester.Var
	var secret []Pair
	for _, v := range env.Vars {
		switch {
		case !v.Secret:
			plain = append(plain, v)
		case includeSecrets && v.Value != "":
			plain = append(plain, v)
			w.warn("secret %s written with its value in vars: Bruno keeps secret values outside the file", v.Name)
		default:
			secret = append(secret, Pair{Key: v.Name, Disabled: v.Disabled})
		}
	}
	w.dict("vars", varPairs(plain), true)
	w.list("vars:secret", secret)
	return []byte(w.b.String()), w.warnings
}

// FormatConfig writes bruno.json for a collection named name.
func FormatConfig(name string) []byte {
	c := struct {
		Version string   `json:"version"`
		Name    string   `json:"name"`
		Type    string   `json:"type"`
		Ignore  []string `json:"ignore"`
	}{"1", name, "collection", []string{"node_modules", ".git"}}
	data, _ := json.MarshalIndent(c, "", "  ")
	return append(data, '\n')
}
