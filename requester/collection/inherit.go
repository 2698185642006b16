package collection

import (
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
)

// Defaults are what opencollection.yml or a folder.yml gives every request
// under it, in its request: section.
type Defaults struct {
	Auth requester.Auth
	// AuthType is the auth type as written: "" when there is none (a folder
	// then passes its parent's on), "inherit", "none", a type Hooklab sends
	// (Auth holds it), or one it cannot send, such as oauth2.
	AuthType   string
	AuthFields []requester.Param // the settings of an auth type Hooklab cannot send, as written
	Headers    []requester.Header
	Vars       []requester.Var

	notRun []string // load warnings: request.scripts Hooklab does not run
}

// decodeDefaults reads the request: section of doc.
func decodeDefaults(doc *yaml.Node) (Defaults, error) {
	var d Defaults
	req, err := mapField(doc, "request", "request")
	if req == nil || err != nil {
		return d, err
	}
	if d.Vars, err = decodeVars(req, "request.variables"); err != nil {
		return d, err
	}
	err = rows(req, "headers", "request.headers", func(_ *yaml.Node, name, value string, disabled bool) error {
		d.Headers = append(d.Headers, requester.Header{Name: name, Value: value, Disabled: disabled})
		return nil
	})
	if err != nil {
		return d, err
	}
	d.Auth, d.AuthType, err = decodeAuth(field(req, "auth"), "request.auth")
	d.AuthFields = unsentAuthFields(field(req, "auth"), d.AuthType)
	d.notRun = notRun(req, "request")
	return d, err
}

// sendable reports whether an auth type as written is one Hooklab can send
// (or no auth at all).
func sendable(authType string) bool {
	switch authType {
	case "", "none", "inherit":
		return true
	}
	return authTypes[requester.AuthKind(authType)]
}

// UnsupportedAuthError is a request whose auth, its own or inherited, is of
// a type Hooklab cannot send (oauth1, oauth2, awsv4, ...). It is not sent:
// sending it without the auth would be sending something else.
type UnsupportedAuthError struct {
	Type string
	From string // where it is set: the request file, a folder.yml or opencollection.yml
}

// Error implements error.
func (e *UnsupportedAuthError) Error() string {
	return fmt.Sprintf("auth type %q (in %s) is not supported by Hooklab; not sent", e.Type, e.From)
}

// UnsupportedBodyError is a request whose body is of a type Hooklab
// cannot send (sparql, ...). It is not sent: sending it without its body
// would be sending something else.
type UnsupportedBodyError struct {
	Type string
	From string // the request file
}

// Error implements error.
func (e *UnsupportedBodyError) Error() string {
	return fmt.Sprintf("body type %q (in %s) is not supported by Hooklab; not sent", e.Type, e.From)
}

func (e *UnsupportedBodyError) warning() string {
	return fmt.Sprintf("body type %q is not supported: the request is not sent", e.Type)
}

// authWarning is the load-time warning for an auth type Hooklab cannot send.
func authWarning(rel, authType string) Problem {
	return Problem{Path: rel, Msg: fmt.Sprintf("auth type %q is not supported: requests using it are not sent", authType)}
}

// Sendable returns the request of it as Bruno sends it, and the variables
// its folders and its own file add (folders outermost first, then the
// request's runtime.variables; each overrides the one before and the
// environment). Headers are the collection's, then each folder's from the
// outermost in, then the request's own; an enabled row replaces the enabled
// rows of the same name (in any case) that came before it. Auth is the
// request's own, or for auth: inherit the nearest folder's that sets one,
// else the collection's. Path params (:name in the URL's path, with params
// of type path) are put into the URL. c may be nil for a file outside any
// collection. An auth type Hooklab cannot send is an *UnsupportedAuthError.
func Sendable(c *Collection, it *Item) (requester.Request, []requester.Var, error) {
	if it == nil || it.Request == nil {
		return requester.Request{}, nil, fmt.Errorf("not a request")
	}
	r := *it.Request
	var levels []Defaults
	var where []string
	if c != nil {
		levels = append(levels, c.Defaults)
		where = append(where, collectionFile)
		for _, f := range c.folders(it.Path) {
			levels = append(levels, f.Defaults)
			where = append(where, f.Path+"/"+folderFile)
		}
	}
	var vars []requester.Var
	var headers []requester.Header
	for _, d := range levels[min(1, len(levels)):] { // the collection's vars are in Resolve
		vars = append(vars, d.Vars...)
	}
	vars = append(vars, it.RuntimeVars...)
	for _, d := range levels {
		headers = overlay(headers, d.Headers)
	}
	r.Headers = overlay(headers, r.Headers)

	authType, from := it.AuthType, it.Path
	if authType == "inherit" {
		authType, from = "", ""
		for i := len(levels) - 1; i >= 0; i-- {
			if t := levels[i].AuthType; t != "" && t != "inherit" {
				authType, from = t, where[i]
				r.Auth = levels[i].Auth
				break
			}
		}
		if authType == "" {
			r.Auth = requester.Auth{}
		}
	}
	if !sendable(authType) {
		return r, vars, &UnsupportedAuthError{Type: authType, From: from}
	}
	if it.BodyType != "" && r.Body.Kind == requester.BodyNone {
		// Still the body the file gives (an editor may have put another).
		return r, vars, &UnsupportedBodyError{Type: it.BodyType, From: it.Path}
	}
	r.URL = withPathParams(r.URL, it.PathParams)
	return r, vars, nil
}

// folders returns the folders holding rel, outermost first.
func (c *Collection) folders(rel string) []*Item {
	var out []*Item
	items := c.Items
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		dir := strings.Join(parts[:i], "/")
		var next *Item
		for _, x := range items {
			if x.Folder && x.Path == dir {
				next = x
				break
			}
		}
		if next == nil {
			break
		}
		out = append(out, next)
		items = next.Children
	}
	return out
}

// overlay appends the enabled rows of inner to outer, dropping the rows of
// outer that an enabled inner row names.
func overlay(outer, inner []requester.Header) []requester.Header {
	named := map[string]bool{}
	for _, h := range inner {
		if !h.Disabled {
			named[strings.ToLower(strings.TrimSpace(h.Name))] = true
		}
	}
	out := make([]requester.Header, 0, len(outer)+len(inner))
	for _, h := range outer {
		if !h.Disabled && !named[strings.ToLower(strings.TrimSpace(h.Name))] {
			out = append(out, h)
		}
	}
	return append(out, inner...)
}

// withPathParams replaces each path segment ":name" of rawURL's path with the
// value of the enabled path param name, as written (variables in it are
// expanded when the request is prepared). The query and fragment are left
// alone.
func withPathParams(rawURL string, params []requester.Param) string {
	if len(params) == 0 {
		return rawURL
	}
	values := map[string]string{}
	for _, p := range params {
		if !p.Disabled && p.Name != "" {
			values[p.Name] = p.Value
		}
	}
	head, tail := rawURL, ""
	if i := strings.IndexAny(rawURL, "?#"); i >= 0 {
		head, tail = rawURL[:i], rawURL[i:]
	}
	start := 0 // where the path starts: after scheme://host
	if i := strings.Index(head, "://"); i >= 0 {
		if j := strings.IndexByte(head[i+3:], '/'); j >= 0 {
			start = i + 3 + j
		} else {
			start = len(head)
		}
	}
	segs := strings.Split(head[start:], "/")
	for i, s := range segs {
		if v, ok := values[strings.TrimPrefix(s, ":")]; ok && strings.HasPrefix(s, ":") {
			segs[i] = v
		}
	}
	return head[:start] + strings.Join(segs, "/") + tail
}

// ignored reports whether rel (slash-separated, relative to the root) is
// listed in extensions.bruno.ignore: an entry names a file or folder by its
// name anywhere, by its path from the root, or by a glob pattern of either.
func ignored(patterns []string, rel string) bool {
	base := path.Base(rel)
	for _, p := range patterns {
		p = strings.Trim(strings.TrimPrefix(p, "./"), "/")
		if p == "" {
			continue
		}
		if p == base || p == rel || strings.HasPrefix(rel, p+"/") {
			return true
		}
		if ok, _ := path.Match(p, base); ok {
			return true
		}
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
	}
	return false
}

// decodeIgnore reads extensions.bruno.ignore of opencollection.yml.
func decodeIgnore(doc *yaml.Node) []string {
	items, err := seqField(field(field(doc, "extensions"), "bruno"), "ignore", "")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range items {
		if e = deref(e); e.Kind == yaml.ScalarNode {
			out = append(out, e.Value)
		}
	}
	return out
}

// isRequestDoc reports whether doc has the shape of a request file: an
// info section or a protocol section. Other YAML in a collection's folders
// (a pnpm-lock.yaml, a CI config) is not a request.
func isRequestDoc(doc *yaml.Node) bool {
	for _, k := range []string{"info", "http", "graphql", "grpc", "websocket"} {
		if field(doc, k) != nil {
			return true
		}
	}
	return false
}
