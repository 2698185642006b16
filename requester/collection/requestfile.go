package collection

import (
	"mime"
	"net/http"
	"path/filepath"
	"strings"

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
