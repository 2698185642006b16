package postman

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// maxDepth bounds folder nesting; deeper folders are reported, not read.
const maxDepth = 64

// importer holds the warnings of one import.
type importer struct {
	warnings []collection.Problem
}

func (im *importer) warn(path, format string, a ...any) {
	if path == "" {
		path = "(collection)"
	}
	im.warnings = append(im.warnings, collection.Problem{Path: path, Msg: fmt.Sprintf(format, a...)})
}

// Version reports the Postman Collection version data declares in
// info.schema ("2.0.0", "2.1.0"), "1" for a v1 collection, and "" when it
// is not a Postman collection.
func Version(data []byte) string {
	var probe struct {
		Info *struct {
			Schema string `json:"schema"`
		} `json:"info"`
		Requests json.RawMessage `json:"requests"`
		Order    json.RawMessage `json:"order"`
	}
	if json.Unmarshal(data, &probe) != nil {
		return ""
	}
	switch {
	case probe.Info != nil && strings.Contains(probe.Info.Schema, "/v2.1"):
		return "2.1.0"
	case probe.Info != nil && strings.Contains(probe.Info.Schema, "/v2.0"):
		return "2.0.0"
	case probe.Info != nil && strings.Contains(probe.Info.Schema, "getpostman.com"):
		return probe.Info.Schema
	case probe.Info == nil && (len(probe.Requests) > 0 || len(probe.Order) > 0):
		return "1"
	}
	return ""
}

// versionOf is Version, from the schema already decoded when it names a
// version.
func versionOf(schema string, data []byte) string {
	switch {
	case strings.Contains(schema, "/v2.1"):
		return "2.1.0"
	case strings.Contains(schema, "/v2.0"):
		return "2.0.0"
	}
	return Version(data)
}

// Import reads a Postman Collection v2.0 or v2.1 file. Warnings list what
// was not imported, by item path; the error is for a file that is not a
// collection of those versions.
func Import(data []byte) (*collection.Collection, []collection.Problem, error) {
	if len(data) > MaxSize {
		return nil, nil, fmt.Errorf("the file is %d MiB; Postman collections of more than %d MiB are not read", len(data)>>20, MaxSize>>20)
	}
	// Items are decoded one by one (see items): one of the wrong shape is
	// reported and left out, the others imported.
	var pc struct {
		pmCollection
		Item []json.RawMessage `json:"item"`
	}
	err := json.Unmarshal(data, &pc)
	if err != nil && !json.Valid(data) {
		return nil, nil, describe(data, err)
	}
	// The version first: a file of another version fails to decode for
	// being what it is.
	switch v := versionOf(pc.Info.Schema, data); v {
	case "2.0.0", "2.1.0":
	case "1":
		return nil, nil, fmt.Errorf("%w: this is a Postman Collection v1 file; export it from Postman as v2.1", ErrNotPostman)
	case "":
		return nil, nil, fmt.Errorf("%w: no info.schema naming Postman Collection v2.0 or v2.1", ErrNotPostman)
	default:
		return nil, nil, fmt.Errorf("%w: schema %q is not v2.0 or v2.1", ErrNotPostman, v)
	}
	if err != nil {
		return nil, nil, describe(data, err)
	}
	im := &importer{}
	c := &collection.Collection{Name: strings.TrimSpace(pc.Info.Name)}
	if c.Name == "" {
		c.Name = "Postman collection"
	}
	c.Vars = im.vars(pc.Variable, "")
	c.Defaults.Auth, c.Defaults.AuthType, c.Defaults.AuthFields = im.auth(pc.Auth, "", false)
	im.events(pc.Event, "", false)
	c.Items = im.items(pc.Item, "", 0)
	return c, im.warnings, nil
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "/" + name
}

func (im *importer) items(list []json.RawMessage, parent string, depth int) []*collection.Item {
	var out []*collection.Item
	for i, raw := range list {
		var pi pmItem
		if err := json.Unmarshal(raw, &pi); err != nil {
			where := "item " + strconv.Itoa(i+1)
			var named struct {
				Name string `json:"name"`
			}
			if json.Unmarshal(raw, &named) == nil && strings.TrimSpace(named.Name) != "" {
				where = strings.TrimSpace(named.Name)
			}
			im.warn(join(parent, where), "%s: not imported", requester.DescribeShape(err, "the item"))
			continue
		}
		name := strings.TrimSpace(pi.Name)
		if name == "" {
			name = "Untitled " + strconv.Itoa(i+1)
		}
		p := join(parent, name)
		if folder := bytes.TrimSpace(pi.Item); len(folder) > 0 && string(folder) != "null" {
			if depth >= maxDepth {
				im.warn(p, "folder nested more than %d deep: not imported", maxDepth)
				continue
			}
			it := &collection.Item{Name: name, Folder: true, Seq: i + 1, Path: p}
			it.Defaults.Auth, it.Defaults.AuthType, it.Defaults.AuthFields = im.auth(pi.Auth, p, false)
			it.Defaults.Vars = im.vars(pi.Variable, p)
			im.events(pi.Event, p, false)
			var children []json.RawMessage
			if err := json.Unmarshal(folder, &children); err != nil {
				im.warn(p, "item (the folder's items) is not a list: not imported")
				continue
			}
			it.Children = im.items(children, p, depth+1)
			out = append(out, it)
			continue
		}
		it := im.request(pi, name, p)
		if it == nil {
			continue
		}
		it.Seq = i + 1
		out = append(out, it)
	}
	return out
}

// request converts one item with a request; nil when it has none.
func (im *importer) request(pi pmItem, name, p string) *collection.Item {
	raw := bytes.TrimSpace(pi.Request)
	if len(raw) == 0 || string(raw) == "null" {
		im.warn(p, "item has neither a request nor items: not imported")
		return nil
	}
	var pr pmRequest
	if raw[0] == '"' { // v2.0 allows a request that is only its URL
		var u string
		_ = json.Unmarshal(raw, &u)
		pr.URL, _ = json.Marshal(u)
	} else if err := json.Unmarshal(raw, &pr); err != nil {
		im.warn(p, "request is not of the v2 shape (%v): not imported", describe(raw, err))
		return nil
	}
	r := requester.Request{Name: name, Method: strings.ToUpper(strings.TrimSpace(pr.Method))}
	if r.Method == "" {
		r.Method = "GET"
	}
	it := &collection.Item{Name: name, Path: p, Request: &r}
	r.URL, r.Params, it.PathParams = im.url(pr.URL, p)
	r.Headers = im.headers(pr.Header, p)
	im.body(pr.Body, &r, p)
	r.Auth, it.AuthType, it.AuthFields = im.auth(pr.Auth, p, true)
	if unknown := dynamicVars(&r); len(unknown) > 0 {
		im.warn(p, "Postman dynamic variables Hooklab does not generate: %s (the request fails until they are set)", strings.Join(unknown, ", "))
	}
	r.Options = im.behavior(pi.Behavior, p)
	it.RuntimeVars = im.vars(pi.Variable, p)
	it.Scripts = im.events(pi.Event, p, true)
	if n := countList(pi.Response); n > 0 {
		im.warn(p, "%d saved example response(s) not imported", n)
	}
	return it
}

func countList(raw json.RawMessage) int {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return 0
	}
	return len(list)
}

// url returns the URL as sent (the enabled query params), every query
// param, and the path variables.
func (im *importer) url(raw json.RawMessage, p string) (string, []requester.Param, []requester.Param) {
	if s, ok := textOf(raw); ok {
		return s, requester.ParamsFromURL(s), nil
	}
	var u pmURL
	if err := json.Unmarshal(raw, &u); err != nil {
		im.warn(p, "url is not of the v2 shape: imported empty")
		return "", nil, nil
	}
	base := u.Raw
	if base == "" {
		base = u.Protocol
		if base != "" {
			base += "://"
		}
		base += strings.Join(parts(u.Host), ".")
		if u.Port != "" {
			base += ":" + u.Port
		}
		if segs := parts(u.Path); len(segs) > 0 {
			base += "/" + strings.Join(segs, "/")
		}
		if u.Hash != "" {
			base += "#" + u.Hash
		}
	}
	var params []requester.Param
	if len(u.Query) > 0 {
		for _, q := range u.Query {
			params = append(params, requester.Param{Name: deref(q.Key), Value: deref(q.Value), Disabled: q.Disabled})
		}
	} else {
		params = requester.ParamsFromURL(base)
	}
	var pathParams []requester.Param
	for _, v := range u.Variable {
		val, ok := textOf(v.Value)
		if !ok {
			im.warn(p, "path variable %q has a value that is not text: imported empty", v.Key)
		}
		pathParams = append(pathParams, requester.Param{Name: v.Key, Value: val, Disabled: v.Disabled})
	}
	return requester.URLWithParams(base, params), params, pathParams
}

// parts reads a host or path: one string, or a list of strings (path
// segments may also be {type, value} objects).
func parts(raw json.RawMessage) []string {
	if s, ok := textOf(raw); ok {
		if s == "" {
			return nil
		}
		return []string{strings.Trim(s, "/")}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	var out []string
	for _, e := range list {
		if s, ok := textOf(e); ok {
			out = append(out, s)
			continue
		}
		var seg struct {
			Value string `json:"value"`
		}
		if json.Unmarshal(e, &seg) == nil {
			out = append(out, seg.Value)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// headers reads a header list, or the "Name: value" lines v2.0 allows.
func (im *importer) headers(raw json.RawMessage, p string) []requester.Header {
	var out []requester.Header
	if s, ok := textOf(raw); ok {
		for line := range strings.SplitSeq(s, "\n") {
			name, value, found := strings.Cut(strings.TrimRight(line, "\r"), ":")
			if found && strings.TrimSpace(name) != "" {
				out = append(out, requester.Header{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
			}
		}
		return out
	}
	var list []pmKV
	if err := json.Unmarshal(raw, &list); err != nil {
		im.warn(p, "headers are not a list of {key, value}: not imported")
		return nil
	}
	for _, h := range list {
		out = append(out, requester.Header{Name: deref(h.Key), Value: deref(h.Value), Disabled: h.Disabled})
	}
	return out
}

// rawKinds maps options.raw.language to a body kind.
var rawKinds = map[string]requester.BodyKind{
	"json": requester.BodyJSON, "xml": requester.BodyXML, "text": requester.BodyText,
	"html": requester.BodyText, "javascript": requester.BodyText,
}

// rawTypes are the Content-Type Postman sends for languages Hooklab sends
// as text; a header row keeps them.
var rawTypes = map[string]string{"html": "text/html", "javascript": "application/javascript"}

func headerValue(hs []requester.Header, name string) (string, bool) {
	for _, h := range hs {
		if !h.Disabled && strings.EqualFold(strings.TrimSpace(h.Name), name) {
			return h.Value, true
		}
	}
	return "", false
}

func (im *importer) body(b *pmBody, r *requester.Request, p string) {
	if b == nil || b.Mode == "" {
		return
	}
	if b.Disabled {
		im.warn(p, "body is disabled in Postman: not imported")
		return
	}
	switch b.Mode {
	case "raw":
		text := deref(b.Raw)
		lang := ""
		if b.Options != nil && b.Options.Raw != nil {
			lang = strings.ToLower(b.Options.Raw.Language)
		}
		kind, ok := rawKinds[lang]
		if !ok {
			kind = requester.BodyText
			ct, _ := headerValue(r.Headers, "Content-Type")
			switch ct = strings.ToLower(ct); {
			case strings.Contains(ct, "json"):
				kind = requester.BodyJSON
			case strings.Contains(ct, "xml"):
				kind = requester.BodyXML
			}
		}
		if t, ok := rawTypes[lang]; ok {
			if _, set := headerValue(r.Headers, "Content-Type"); !set {
				r.Headers = append(r.Headers, requester.Header{Name: "Content-Type", Value: t})
			}
		}
		r.Body = requester.Body{Kind: kind, Text: text}
	case "urlencoded":
		r.Body.Kind = requester.BodyForm
		for _, f := range b.URLEncoded {
			r.Body.Form = append(r.Body.Form, requester.Param{Name: deref(f.Key), Value: deref(f.Value), Disabled: f.Disabled})
		}
	case "formdata":
		r.Body.Kind = requester.BodyMultipart
		for _, f := range b.FormData {
			if f.Type != "file" {
				r.Body.Parts = append(r.Body.Parts, requester.Part{Name: f.Key, Value: deref(f.Value), ContentType: f.ContentType, Disabled: f.Disabled})
				continue
			}
			files := fileList(f.Src)
			if len(files) == 0 {
				im.warn(p, "form field %q names no file: imported as an empty text field", f.Key)
				r.Body.Parts = append(r.Body.Parts, requester.Part{Name: f.Key, ContentType: f.ContentType, Disabled: f.Disabled})
			}
			for _, file := range files {
				r.Body.Parts = append(r.Body.Parts, requester.Part{Name: f.Key, File: file, ContentType: f.ContentType, Disabled: f.Disabled})
			}
		}
	case "file":
		switch {
		case b.File != nil && deref(b.File.Src) != "":
			r.Body = requester.Body{Kind: requester.BodyFile, File: *b.File.Src}
		case b.File != nil && deref(b.File.Content) != "":
			r.Body = requester.Body{Kind: requester.BodyText, Text: *b.File.Content}
			im.warn(p, "file body without a file path: its content is imported as a text body")
		default:
			im.warn(p, "file body names no file: imported without a body")
		}
	case "graphql":
		var g pmGraphQL
		if err := json.Unmarshal(b.GraphQL, &g); err != nil {
			im.warn(p, "graphql body is not {query, variables}: not imported")
			return
		}
		vars, ok := textOf(g.Variables)
		if !ok { // an object, as some exports write it
			vars = string(bytes.TrimSpace(g.Variables))
		}
		r.Body = requester.Body{Kind: requester.BodyGraphQL, GraphQL: requester.GraphQL{Query: g.Query, Variables: vars}}
	default:
		im.warn(p, "body mode %q is not supported: not imported", b.Mode)
	}
}

// fileList reads a form field's src: a path, a list of paths, or null.
func fileList(raw json.RawMessage) []string {
	if s, ok := textOf(raw); ok {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var list []string
	_ = json.Unmarshal(raw, &list)
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (im *importer) vars(list []pmVariable, p string) []requester.Var {
	var out []requester.Var
	for _, v := range list {
		if v.Key == "" {
			continue
		}
		val, ok := textOf(v.Value)
		if !ok {
			val = string(bytes.TrimSpace(v.Value)) // an object or list, as JSON text
		}
		out = append(out, requester.Var{Name: v.Key, Value: val, Disabled: v.Disabled})
	}
	return out
}

// scriptTypes maps Postman's listen to Bruno's script types.
var scriptTypes = map[string]string{"prerequest": "before-request", "test": "tests"}

// events keeps a request's scripts as text (never run) and reports them;
// a folder's or the collection's are reported and left out.
func (im *importer) events(list []pmEvent, p string, request bool) []collection.Script {
	var out []collection.Script
	for _, e := range list {
		code := linesOf(e.Script.Exec)
		if strings.TrimSpace(code) == "" {
			continue
		}
		if !request {
			im.warn(p, "%s script of a folder or the collection not imported (Hooklab does not run scripts)", e.Listen)
			continue
		}
		t, ok := scriptTypes[e.Listen]
		if !ok {
			t = e.Listen
		}
		out = append(out, collection.Script{Type: t, Code: code})
		im.warn(p, "%s script kept as text, not run", e.Listen)
	}
	return out
}

// behavior reads the request settings of protocolProfileBehavior that
// Hooklab has; the others are reported.
func (im *importer) behavior(b map[string]json.RawMessage, p string) requester.Options {
	var o requester.Options
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, _ := textOf(b[k])
		switch k {
		case "followRedirects":
			o.NoRedirects = v == "false"
		case "maxRedirects":
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 1000 {
				o.MaxRedirects = n
			}
		case "strictSSL":
			o.Insecure = v == "false"
		case "disableBodyPruning":
			// Postman's editor setting (a body on GET); Hooklab sends it anyway.
		default:
			im.warn(p, "setting %s not imported", k)
		}
	}
	return o
}
