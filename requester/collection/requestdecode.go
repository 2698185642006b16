package collection

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
)

// requestInfo is the info section of a request or folder file.
type requestInfo struct {
	Name, Type string
	Seq        int
}

func readInfo(doc *yaml.Node) (requestInfo, error) {
	var ri requestInfo
	info, err := mapField(doc, "info", "info")
	if err != nil {
		return ri, err
	}
	if ri.Name, err = strField(info, "name", "info.name"); err != nil {
		return ri, err
	}
	if ri.Type, err = strField(info, "type", "info.type"); err != nil {
		return ri, err
	}
	ri.Seq, err = intField(info, "seq", "info.seq")
	return ri, err
}

// decodeRequest reads a request document. Auth and body types Hooklab does
// not know load as none (and are kept in the file when it is saved); the
// auth type as written is in the fileExtras of decodeRequestFile.
func decodeRequest(doc *yaml.Node) (requester.Request, int, error) {
	r, x, err := decodeRequestFile(doc)
	return r, x.seq, err
}

// fileExtras is what a request file holds beyond the request model.
type fileExtras struct {
	seq         int
	authType    string            // as written: "" when absent, "inherit", "none", "bearer", "oauth2", ...
	authFields  []requester.Param // the settings of an auth type Hooklab cannot send
	pathParams  []requester.Param // params of type path
	runtimeVars []requester.Var   // runtime.variables
	scripts     []Script          // runtime.scripts
	notRun      []string          // warnings for what runtime holds that Hooklab does not run
	bodyType    string            // a body type Hooklab cannot send (sparql, ...), as written
	bodyData    string            // its data, when it is text
}

func decodeRequestFile(doc *yaml.Node) (requester.Request, fileExtras, error) {
	var r requester.Request
	var x fileExtras
	ri, err := readInfo(doc)
	if err != nil {
		return r, x, err
	}
	x.seq = ri.Seq
	kind := ri.Type
	if kind == "" {
		kind = "http"
		if field(doc, "http") == nil && field(doc, "graphql") != nil {
			kind = "graphql"
		}
	}
	if kind != "http" && kind != "graphql" {
		return r, x, bad(field(field(doc, "info"), "type"), "request type %q is not supported (only http and graphql)", kind)
	}
	sec, err := mapField(doc, kind, kind)
	if err != nil {
		return r, x, err
	}
	if sec == nil {
		return r, x, bad(doc, "no %s section", kind)
	}
	r.Name = ri.Name
	if r.Method, err = strField(sec, "method", kind+".method"); err != nil {
		return r, x, err
	}
	if up := strings.ToUpper(r.Method); isStandardMethod(up) {
		r.Method = up
	}
	if r.URL, err = strField(sec, "url", kind+".url"); err != nil {
		return r, x, err
	}
	if x.pathParams, err = decodeParams(sec, kind, &r); err != nil {
		return r, x, err
	}
	if err := decodeHeaders(sec, kind, &r); err != nil {
		return r, x, err
	}
	if kind == "graphql" {
		err = decodeGraphQL(sec, &r.Body)
	} else {
		x.bodyType, x.bodyData, err = decodeBody(sec, &r.Body)
	}
	if err != nil {
		return r, x, err
	}
	auth := field(sec, "auth")
	if auth == nil { // files from before auth moved into the http section
		auth = field(field(doc, "runtime"), "auth")
	}
	if r.Auth, x.authType, err = decodeAuth(auth, kind+".auth"); err != nil {
		return r, x, err
	}
	x.authFields = unsentAuthFields(auth, x.authType)
	if x.runtimeVars, err = decodeVars(field(doc, "runtime"), "runtime.variables"); err != nil {
		return r, x, err
	}
	x.scripts = decodeScripts(field(doc, "runtime"))
	x.notRun = notRun(field(doc, "runtime"), "runtime")
	if r.Options, err = decodeSettings(doc); err != nil {
		return r, x, err
	}
	return r, x, nil
}

func isStandardMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// rows reads a list of {name, value, disabled} entries.
func rows(m *yaml.Node, key, where string, each func(e *yaml.Node, name, value string, disabled bool) error) error {
	items, err := seqField(m, key, where)
	if err != nil {
		return err
	}
	for _, e := range items {
		if e.Kind != yaml.MappingNode {
			return bad(e, "each entry of %s must be a mapping", where)
		}
		name, err := strField(e, "name", where+" name")
		if err != nil {
			return err
		}
		var value string
		if v := field(e, "value"); v == nil || v.Kind == yaml.ScalarNode {
			value, _ = strField(e, "value", "")
		}
		disabled, err := boolField(e, "disabled", where+" disabled")
		if err != nil {
			return err
		}
		// Bruno's own request model (the {mode: …} body form comes from
		// it) says enabled: false instead.
		if field(e, "enabled") != nil {
			enabled, err := boolField(e, "enabled", where+" enabled")
			if err != nil {
				return err
			}
			disabled = disabled || !enabled
		}
		if err := each(e, name, value, disabled); err != nil {
			return err
		}
	}
	return nil
}

// decodeParams reads the query params into r and returns the path params,
// which are not part of the model (the file keeps them; sending puts them
// into the URL).
func decodeParams(sec *yaml.Node, kind string, r *requester.Request) ([]requester.Param, error) {
	var path []requester.Param
	err := rows(sec, "params", kind+".params", func(e *yaml.Node, name, value string, disabled bool) error {
		p := requester.Param{Name: name, Value: value, Disabled: disabled}
		if t, _ := strField(e, "type", ""); t == "path" {
			path = append(path, p)
			return nil
		}
		r.Params = append(r.Params, p)
		return nil
	})
	return path, err
}

func decodeHeaders(sec *yaml.Node, kind string, r *requester.Request) error {
	return rows(sec, "headers", kind+".headers", func(_ *yaml.Node, name, value string, disabled bool) error {
		r.Headers = append(r.Headers, requester.Header{Name: name, Value: value, Disabled: disabled})
		return nil
	})
}

// decodeBody reads the body of sec into b; unsupported is a body type it
// cannot hold (sparql, or one it does not know), which loads as none,
// and data its text (kept for writing the file again).
func decodeBody(sec *yaml.Node, b *requester.Body) (unsupported, data string, err error) {
	body, err := mapField(sec, "body", "http.body")
	if body == nil || err != nil {
		return "", "", err
	}
	t, err := strField(body, "type", "http.body.type")
	if err != nil {
		return "", "", err
	}
	if t == "" {
		// The older form Bruno's own fixtures use: {mode: json, json: "…"}.
		if t, err = strField(body, "mode", "http.body.mode"); err != nil {
			return "", "", err
		}
		if alt, ok := bodyModes[t]; ok {
			body = withData(body, t)
			t = alt
		}
	}
	switch t {
	case "json", "xml", "text":
		b.Kind = requester.BodyKind(t)
		b.Text, err = strField(body, "data", "http.body.data")
	case "form-urlencoded":
		b.Kind = requester.BodyForm
		err = rows(body, "data", "http.body.data", func(_ *yaml.Node, name, value string, disabled bool) error {
			b.Form = append(b.Form, requester.Param{Name: name, Value: value, Disabled: disabled})
			return nil
		})
	case "multipart-form":
		b.Kind = requester.BodyMultipart
		err = rows(body, "data", "http.body.data", func(e *yaml.Node, name, value string, disabled bool) error {
			ct, err := strField(e, "contentType", "http.body.data contentType")
			if err != nil {
				return err
			}
			if pt, _ := strField(e, "type", ""); pt != "file" {
				b.Parts = append(b.Parts, requester.Part{Name: name, Value: value, ContentType: ct, Disabled: disabled})
				return nil
			}
			// Bruno lists the files of one field; the model has a part per file.
			files := []string{value}
			if v := field(e, "value"); v != nil && v.Kind == yaml.SequenceNode {
				files = files[:0]
				for _, f := range v.Content {
					files = append(files, deref(f).Value)
				}
			}
			for _, f := range files {
				b.Parts = append(b.Parts, requester.Part{Name: name, File: f, ContentType: ct, Disabled: disabled})
			}
			return nil
		})
	case "file":
		b.Kind = requester.BodyFile
		err = rowsOfFiles(body, b)
	case "", "none":
	default:
		data, _ := strField(body, "data", "")
		return t, data, nil
	}
	return "", "", err
}

// bodyModes maps the modes of the {mode, <mode>: data} body form to the
// body types of the format.
var bodyModes = map[string]string{
	"json": "json", "xml": "xml", "text": "text", "sparql": "sparql",
	"formUrlEncoded": "form-urlencoded", "form-urlencoded": "form-urlencoded",
	"multipartForm": "multipart-form", "multipart-form": "multipart-form",
	"file": "file",
}

// withData returns body with the value under key also under data, unless
// data is there already.
func withData(body *yaml.Node, key string) *yaml.Node {
	v := field(body, key)
	if v == nil || field(body, "data") != nil {
		return body
	}
	cp := *body
	cp.Content = append(append([]*yaml.Node(nil), body.Content...), str("data"), v)
	return &cp
}

// rowsOfFiles takes the selected file of a file body, or the first.
func rowsOfFiles(body *yaml.Node, b *requester.Body) error {
	items, err := seqField(body, "data", "http.body.data")
	if err != nil {
		return err
	}
	for i, e := range items {
		sel, _ := boolField(e, "selected", "")
		if i > 0 && !sel {
			continue
		}
		if b.File, err = strField(e, "filePath", "http.body.data filePath"); err != nil || sel {
			return err
		}
	}
	return nil
}

func decodeGraphQL(sec *yaml.Node, b *requester.Body) error {
	b.Kind = requester.BodyGraphQL
	body, err := mapField(sec, "body", "graphql.body")
	if body == nil || err != nil {
		return err
	}
	if b.GraphQL.Query, err = strField(body, "query", "graphql.body.query"); err != nil {
		return err
	}
	b.GraphQL.Variables, err = strField(body, "variables", "graphql.body.variables")
	return err
}

// decodeAuth reads an auth section and returns the type as written ("" when
// absent, "inherit", "none", or a type Hooklab may not know, which loads as
// none).
func decodeAuth(n *yaml.Node, where string) (requester.Auth, string, error) {
	var a requester.Auth
	n = deref(n)
	if isNull(n) {
		return a, "", nil
	}
	if n.Kind == yaml.ScalarNode {
		return a, n.Value, nil // "inherit" or "none"
	}
	if n.Kind != yaml.MappingNode {
		return a, "", bad(n, "%s must be inherit, none or a mapping", where)
	}
	t, err := strField(n, "type", where+".type")
	if err != nil || !authTypes[requester.AuthKind(t)] {
		if t == "" && err == nil {
			t = "none"
		}
		return a, t, err
	}
	a.Kind = requester.AuthKind(t)
	for _, f := range []struct {
		key string
		dst *string
	}{{"username", &a.Username}, {"password", &a.Password}, {"token", &a.Token}, {"key", &a.Key}, {"value", &a.Value}} {
		if *f.dst, err = strField(n, f.key, where+"."+f.key); err != nil {
			return a, t, err
		}
	}
	p, err := strField(n, "placement", where+".placement")
	a.InQuery = p == "query" || p == "queryparams"
	return a, t, err
}

// unsentAuthFields are the settings of an auth of type t that Hooklab
// cannot send (awsv4: accessKeyId, secretAccessKey, region, …): the
// scalar fields of n besides type, in the file's order. nil for a type
// Hooklab sends.
func unsentAuthFields(n *yaml.Node, t string) []requester.Param {
	n = deref(n)
	if sendable(t) || n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out []requester.Param
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, deref(n.Content[i+1])
		if k != "type" && v != nil && v.Kind == yaml.ScalarNode {
			out = append(out, requester.Param{Name: k, Value: v.Value})
		}
	}
	return out
}

func decodeSettings(doc *yaml.Node) (requester.Options, error) {
	var o requester.Options
	s, err := mapField(doc, "settings", "settings")
	if s == nil || err != nil {
		return o, err
	}
	if t := field(s, "timeout"); t != nil && t.Value != "inherit" {
		ms, err := intField(s, "timeout", "settings.timeout (milliseconds)")
		if err != nil {
			return o, err
		}
		if ms < 0 || ms > math.MaxInt64/int(time.Millisecond) {
			return o, bad(t, "settings.timeout must be between 0 and %d milliseconds", math.MaxInt64/int(time.Millisecond))
		}
		o.Timeout = time.Duration(ms) * time.Millisecond
	}
	if f := field(s, "followRedirects"); !isNull(f) {
		follow, err := boolField(s, "followRedirects", "settings.followRedirects")
		if err != nil {
			return o, err
		}
		o.NoRedirects = !follow
	}
	if o.MaxRedirects, err = intField(s, "maxRedirects", "settings.maxRedirects"); err != nil {
		return o, err
	}
	// Where earlier versions wrote the Hooklab-only options.
	return o, decodeHooklabOptions(s, "settings", &o)
}

// notRun lists, as load warnings, the scripts, assertions and actions of
// sec (a request's runtime, or the request: section of opencollection.yml
// or a folder.yml): Hooklab keeps them in the file but does not run them.
func notRun(sec *yaml.Node, where string) []string {
	var out []string
	if items, err := seqField(sec, "scripts", ""); err == nil && len(items) > 0 {
		var types []string
		for _, e := range items {
			if t, err := strField(e, "type", ""); err == nil && t != "" && !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
		w := where + ".scripts"
		if len(types) > 0 {
			w += " (" + strings.Join(types, ", ") + ")"
		}
		out = append(out, w+" kept as text, not run")
	}
	for _, k := range []string{"assertions", "actions"} {
		if items, err := seqField(sec, k, ""); err == nil && len(items) > 0 {
			out = append(out, fmt.Sprintf("%s.%s ignored: Hooklab does not run them", where, k))
		}
	}
	return out
}

// decodeScripts reads runtime.scripts ({type, code} entries), kept as text;
// entries of another shape are skipped.
func decodeScripts(runtime *yaml.Node) []Script {
	items, err := seqField(runtime, "scripts", "")
	if err != nil {
		return nil
	}
	var out []Script
	for _, e := range items {
		t, err1 := strField(e, "type", "")
		code, err2 := strField(e, "code", "")
		if err1 == nil && err2 == nil && code != "" {
			out = append(out, Script{Type: t, Code: code})
		}
	}
	return out
}
