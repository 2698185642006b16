package collection

import (
	"math"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
)

// Body types as the format spells them.
var bodyTypes = map[requester.BodyKind]string{
	requester.BodyJSON:      "json",
	requester.BodyXML:       "xml",
	requester.BodyText:      "text",
	requester.BodyForm:      "form-urlencoded",
	requester.BodyMultipart: "multipart-form",
	requester.BodyFile:      "file",
}

var authTypes = map[requester.AuthKind]bool{
	requester.AuthBasic: true, requester.AuthBearer: true, requester.AuthAPIKey: true, requester.AuthDigest: true,
}

// requestRule lists the keys of a request file that Hooklab writes; the rest
// (runtime, docs, examples, info.tags, settings.encodeUrl, ...) is Bruno's
// and kept as it was.
var requestRule = func() *mergeRule {
	section := &mergeRule{
		owned: []string{"method", "url", "params", "headers", "body", "auth"},
		keep: func(key string, old *yaml.Node) bool {
			switch key {
			case "body":
				return !knownBody(old)
			case "auth":
				return !knownAuth(old)
			}
			return false
		},
	}
	return &mergeRule{
		owned: []string{"info", "http", "graphql", "settings"},
		nested: map[string]*mergeRule{
			"info":    {owned: []string{"name", "type", "seq"}},
			"http":    section,
			"graphql": section,
			"settings": {
				owned: []string{"timeout", "followRedirects", "maxRedirects", "insecure", "proxy",
					"caCertificateFilePath", "certificateFilePath", "privateKeyFilePath"},
				// Bruno spells out its defaults; keep them rather than churn.
				keep: func(key string, old *yaml.Node) bool {
					return key == "timeout" && old.Value == "0" || key == "followRedirects" && old.Value == "true"
				},
			},
		},
	}
}()

func knownBody(n *yaml.Node) bool {
	t, _ := strField(n, "type", "")
	if t == "" {
		return true
	}
	for _, v := range bodyTypes {
		if v == t {
			return true
		}
	}
	return false
}

func knownAuth(n *yaml.Node) bool {
	if n.Kind == yaml.ScalarNode {
		return n.Value == "none"
	}
	t, _ := strField(n, "type", "")
	return t == "none" || authTypes[requester.AuthKind(t)]
}

// requestNode builds the document of r. seq 0 is left out.
func requestNode(r requester.Request, seq int) *yaml.Node {
	doc := newMap()
	kind := "http"
	if r.Body.Kind == requester.BodyGraphQL {
		kind = "graphql"
	}
	info := newMap()
	name := r.Name
	if name == "" {
		name = "Untitled"
	}
	add(info, "name", str(name))
	add(info, "type", str(kind))
	if seq > 0 {
		add(info, "seq", integer(int64(seq)))
	}
	add(doc, "info", info)

	h := newMap()
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	add(h, "method", str(method))
	add(h, "url", str(r.URL))
	if len(r.Params) > 0 {
		add(h, "params", rowsNode(r.Params, "query"))
	}
	if len(r.Headers) > 0 {
		headers := make([]requester.Param, len(r.Headers))
		for i, hd := range r.Headers {
			headers[i] = requester.Param(hd)
		}
		add(h, "headers", rowsNode(headers, ""))
	}
	if b := bodyNode(r.Body, r.Headers); b != nil {
		add(h, "body", b)
	}
	if a := authNode(r.Auth); a != nil {
		add(h, "auth", a)
	}
	add(doc, kind, h)

	if s := settingsNode(r.Options); len(s.Content) > 0 {
		add(doc, "settings", s)
	}
	return doc
}

// rowsNode lists name/value rows (params, headers, form fields); typ,
// when set, is written after the value as Bruno does for params.
func rowsNode(rows []requester.Param, typ string) *yaml.Node {
	list := newSeq()
	for _, p := range rows {
		m := newMap()
		add(m, "name", str(p.Name))
		add(m, "value", str(p.Value))
		if typ != "" {
			add(m, "type", str(typ))
		}
		addTrue(m, "disabled", p.Disabled)
		list.Content = append(list.Content, m)
	}
	return list
}

// fileContentType is the type a file body is sent with: a Content-Type
// header row's, else the one its extension gives.
func fileContentType(file string, headers []requester.Header) string {
	for _, h := range headers {
		if !h.Disabled && strings.EqualFold(strings.TrimSpace(h.Name), "Content-Type") && h.Value != "" {
			return h.Value
		}
	}
	if t := mime.TypeByExtension(filepath.Ext(file)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// bodyNode is the body section of b; headers are the request's rows, for a
// file body's contentType.
func bodyNode(b requester.Body, headers []requester.Header) *yaml.Node {
	m := newMap()
	switch b.Kind {
	case requester.BodyJSON, requester.BodyXML, requester.BodyText:
		add(m, "type", str(bodyTypes[b.Kind]))
		add(m, "data", block(b.Text))
	case requester.BodyForm:
		add(m, "type", str(bodyTypes[b.Kind]))
		add(m, "data", rowsNode(b.Form, "")) // required, even empty
	case requester.BodyMultipart:
		add(m, "type", str(bodyTypes[b.Kind]))
		{
			data := newSeq()
			for _, p := range b.Parts {
				e := newMap()
				add(e, "name", str(p.Name))
				if p.File != "" {
					add(e, "type", str("file"))
					files := newSeq()
					files.Content = append(files.Content, str(p.File))
					add(e, "value", files)
				} else {
					add(e, "type", str("text"))
					add(e, "value", str(p.Value))
				}
				addStr(e, "contentType", p.ContentType)
				addTrue(e, "disabled", p.Disabled)
				data.Content = append(data.Content, e)
			}
			add(m, "data", data)
		}
	case requester.BodyFile:
		add(m, "type", str(bodyTypes[b.Kind]))
		data := newSeq()
		if b.File != "" {
			e := newMap()
			add(e, "filePath", str(b.File))
			add(e, "contentType", str(fileContentType(b.File, headers)))
			add(e, "selected", boolean(true))
			data.Content = append(data.Content, e)
		}
		add(m, "data", data)
	case requester.BodyGraphQL:
		if b.GraphQL.Query != "" {
			add(m, "query", block(b.GraphQL.Query))
		}
		if b.GraphQL.Variables != "" {
			add(m, "variables", block(b.GraphQL.Variables))
		}
	}
	if len(m.Content) == 0 {
		return nil
	}
	return m
}

func authNode(a requester.Auth) *yaml.Node {
	if !authTypes[a.Kind] {
		return nil
	}
	m := newMap()
	add(m, "type", str(string(a.Kind)))
	switch a.Kind {
	case requester.AuthBasic, requester.AuthDigest:
		add(m, "username", str(a.Username))
		add(m, "password", str(a.Password))
	case requester.AuthBearer:
		add(m, "token", str(a.Token))
	case requester.AuthAPIKey:
		add(m, "key", str(a.Key))
		add(m, "value", str(a.Value))
		placement := "header"
		if a.InQuery {
			placement = "query"
		}
		add(m, "placement", str(placement))
	}
	return m
}

func settingsNode(o requester.Options) *yaml.Node {
	m := newMap()
	if o.Timeout > 0 {
		add(m, "timeout", integer(o.Timeout.Milliseconds()))
	}
	if o.NoRedirects {
		add(m, "followRedirects", boolean(false))
	}
	if o.MaxRedirects != 0 {
		add(m, "maxRedirects", integer(int64(o.MaxRedirects)))
	}
	return m // the Hooklab-only options go to opencollection.yml (extensions.go)
}

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
	pathParams  []requester.Param // params of type path
	runtimeVars []requester.Var   // runtime.variables
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
		err = decodeBody(sec, &r.Body)
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
	if x.runtimeVars, err = decodeVars(field(doc, "runtime"), "runtime.variables"); err != nil {
		return r, x, err
	}
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

func decodeBody(sec *yaml.Node, b *requester.Body) error {
	body, err := mapField(sec, "body", "http.body")
	if body == nil || err != nil {
		return err
	}
	t, err := strField(body, "type", "http.body.type")
	if err != nil {
		return err
	}
	if t == "" {
		// The older form Bruno's own fixtures use: {mode: json, json: "…"}.
		if t, err = strField(body, "mode", "http.body.mode"); err != nil {
			return err
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
	}
	return err
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

// encodeRequest returns the bytes of r's file. old, when not nil, is the
// current content: what Hooklab does not own is kept from it, and path
// params it lists are carried over.
func encodeRequest(r requester.Request, seq int, old *yaml.Node) ([]byte, error) {
	doc := requestNode(r, seq)
	if old != nil {
		// A request that changed between http and graphql drops the other
		// section whole.
		other := "graphql"
		if field(doc, "graphql") != nil {
			other = "http"
		}
		if i := keyIndex(old, other); i >= 0 {
			cp := *old
			cp.Content = append(append([]*yaml.Node(nil), old.Content[:i]...), old.Content[i+2:]...)
			old = &cp
		}
		keepStyle(doc, old)
		keepPathParams(doc, old)
		doc = merge(doc, old, requestRule)
	}
	return encodeDoc(doc, true)
}

func keepPathParams(doc, old *yaml.Node) {
	var path []*yaml.Node
	for _, sec := range []string{"http", "graphql"} {
		if ps := field(field(old, sec), "params"); ps != nil && ps.Kind == yaml.SequenceNode {
			for _, p := range ps.Content {
				if t, _ := strField(deref(p), "type", ""); t == "path" {
					path = append(path, p)
				}
			}
		}
	}
	if len(path) == 0 {
		return
	}
	sec := field(doc, "http")
	if sec == nil {
		sec = field(doc, "graphql")
	}
	ps := field(sec, "params")
	if ps == nil {
		ps = newSeq()
		at := keyIndex(sec, "url") + 2
		sec.Content = append(sec.Content[:at], append([]*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: "params"}, ps}, sec.Content[at:]...)...)
	}
	ps.Content = append(ps.Content, path...)
}
