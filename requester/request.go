package requester

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout bounds a whole exchange when Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Header is one header row of a request; disabled rows are not sent.
type Header struct {
	Name, Value string
	Disabled    bool
}

// Request is what the composer edits. URL, header rows and Body may contain
// {{variables}}; they are expanded by Prepare.
type Request struct {
	Name    string // shown in tabs and collections; not sent
	Method  string // GET, POST, ... or custom; empty means GET
	URL     string // includes the query of the enabled Params, exactly as sent
	Params  []Param
	Headers []Header
	Body    Body
	Auth    Auth
	Options Options
}

// Prepared is a request with variables expanded, its URL validated and its
// body encoded, ready to send. Header holds the rows, the auth header and the
// body's Content-Type; Send adds User-Agent and the cookie jar's cookies.
type Prepared struct {
	Method   string
	URL      string
	Header   http.Header
	Body     []byte // the body, or its first BodyPreviewBytes when it streams from files
	BodySize int64  // length of the whole body
	// Names are the header rows' names as written, in order: on
	// HTTP/1.x they go on the wire in that order and case (wire.go).
	Names []string
	// Head is the request head (request line and header lines) exactly
	// as it went on the wire, last hop, once sent; empty over HTTP/2 or
	// an HTTPS proxy, where net/http writes it.
	Head string

	segs   []segment   // the body when it streams from files; nil when Body is all of it
	digest *digestAuth // digest credentials, answered to the server's challenge
}

// URLError reports a URL that cannot be sent, with the reason in plain words.
type URLError struct {
	URL, Reason string
}

// Error implements error.
func (e *URLError) Error() string {
	return fmt.Sprintf("invalid URL %q: %s", e.URL, e.Reason)
}

// Prepare expands variables and builds the request as it goes on the wire:
//   - variables in the URL are expanded by ExpandURL: a value is escaped
//     for the part of the URL it lands in, so "q={{v}}" stays one parameter
//     whatever v holds;
//   - the URL must parse, use http or https, and name a host; a host
//     without a scheme ("localhost:8080/x") is taken as http (WithScheme),
//     as curl does. Its query is
//     sent as written (order, duplicates, escapes); only bytes a query cannot
//     hold are percent-encoded: controls, space, non-ASCII, the characters
//     " < > [ \ ] ^ ` { | } and a "%" not starting an escape;
//   - enabled header rows are added in order; rows with a blank name are
//     skipped, as the editor keeps an empty row for typing;
//   - Auth is applied, and wins over header rows (see Auth);
//   - the body is encoded by its kind, with a Content-Type unless a header
//     row sets one (even to nothing). An empty body is no body. HEAD and
//     OPTIONS carry none.
//
// Files of the body are checked but streamed only when sent. Errors are
// *UnknownVariableError (with Where set), *URLError, *FileError or, for
// GraphQL variables, *JSONError.
func Prepare(r Request, vars Vars) (*Prepared, error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	rawURL, err := ExpandURL(r.URL, vars)
	var uv *UnknownVariableError
	if errors.As(err, &uv) {
		uv.Where = "URL"
	}
	if err != nil {
		return nil, err
	}
	rawURL = strings.TrimSpace(rawURL)
	sendable := WithScheme(rawURL)
	base, query, fragment, hasQuery := splitURL(sendable)
	sendURL := base
	if hasQuery {
		sendURL += "?" + encodeQuery(query)
	}
	u, err := parseURL(sendURL + fragment)
	if err != nil {
		err.(*URLError).URL = rawURL
		return nil, err
	}
	header := make(http.Header)
	var names []string
	for _, h := range r.Headers {
		if h.Disabled {
			continue
		}
		where := "header " + strings.TrimSpace(h.Name)
		name, err := expandIn(h.Name, vars, where)
		if err != nil {
			return nil, err
		}
		value, err := expandIn(h.Value, vars, where)
		if err != nil {
			return nil, err
		}
		if name = strings.TrimSpace(name); name != "" {
			header.Add(name, value)
			names = append(names, name)
		}
	}
	p := &Prepared{Method: method, Header: header, Names: names}
	if err := applyAuth(p, u, r.Auth, vars); err != nil {
		return nil, err
	}
	p.URL = u.String()
	// A body on HEAD or OPTIONS has no defined meaning; none is sent.
	if method != http.MethodHead && method != http.MethodOptions {
		if err := setBody(p, r.Body, vars); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// expandIn is Expand with the error located at where.
func expandIn(s string, vars Vars, where string) (string, error) {
	out, err := Expand(s, vars)
	var uv *UnknownVariableError
	if errors.As(err, &uv) {
		uv.Where = where
	}
	return out, err
}

// WithScheme returns s with "http://" in front when s names a host
// without a scheme ("localhost:8080/x", "127.0.0.1:8080/x",
// "api.test/v1"), as curl and browsers assume; anything else, including
// "" and a URL with a scheme, is returned as it is.
func WithScheme(s string) string {
	if s == "" || strings.Contains(s, "://") || strings.HasPrefix(s, "/") {
		return s
	}
	host := s
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if host == "" || strings.ContainsAny(host, " {}") {
		return s
	}
	if i := strings.LastIndex(host, ":"); i >= 0 && !strings.HasSuffix(host, "]") {
		// host:port; "mailto:x" or "javascript:…" has no number after
		// the colon, and stays a (refused) scheme.
		port := host[i+1:]
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return s
		}
	}
	return "http://" + s
}

// parseURL accepts only absolute http(s) URLs with a host, since anything
// else fails later inside the transport with a far less helpful message.
func parseURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, &URLError{URL: s, Reason: "the URL is empty"}
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, which URLError already holds
		}
		return nil, &URLError{URL: s, Reason: err.Error()}
	}
	switch u.Scheme {
	case "http", "https":
	case "":
		return nil, &URLError{URL: s, Reason: "missing scheme; start with http:// or https://, or with a host such as localhost:8080/path"}
	default:
		return nil, &URLError{URL: s, Reason: fmt.Sprintf("unsupported scheme %q; use http or https", u.Scheme)}
	}
	if u.Hostname() == "" {
		return nil, &URLError{URL: s, Reason: "missing host"}
	}
	return u, nil
}
