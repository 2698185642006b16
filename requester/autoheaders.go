package requester

import (
	"net/http"
	"net/url"
	"strings"
)

// ContentType is the Content-Type a body of kind k is sent with when no
// header row sets one. It is "" for BodyNone, for unknown kinds and for
// BodyFile, whose type comes from the file's extension when it is sent;
// for BodyMultipart it is "multipart/form-data" without the boundary,
// which each send picks.
func (k BodyKind) ContentType() string {
	switch k {
	case BodyJSON, BodyGraphQL:
		return "application/json"
	case BodyXML:
		return "application/xml"
	case BodyText:
		return "text/plain; charset=utf-8"
	case BodyForm:
		return "application/x-www-form-urlencoded"
	case BodyMultipart:
		return "multipart/form-data"
	}
	return ""
}

// AutoHeader is a header that sending adds to a request's own rows, as
// it can be shown before sending: Value is the value when it is known
// then, else a note in parentheses, such as "(computed)".
type AutoHeader struct {
	Name, Value string
}

// AutoHeaders lists the headers sending r adds to its enabled header
// rows, in this order: Host, when r's URL expanded with vars parses and
// names a host; User-Agent and Accept (*/*), each unless an enabled row
// names it; when the
// body kind is not none, Content-Type (unless an enabled row names it)
// and Content-Length, else "Content-Length: 0" for POST, PUT and PATCH;
// the header Auth sets: Authorization, or for an
// API key its own header (none when it goes in the query or has no
// name).
//
// It is a preview of the request as edited: nothing is checked and no
// file is read, so a body kind counts even when the body is empty or the
// method (HEAD, OPTIONS) sends none, and an empty bearer token still
// lists Authorization; then Accept-Encoding, which net/http adds. The
// jar's cookies are not listed: Response.Request holds the headers as
// they were written on the wire, cookies included.
//
// It replaces ui's Composer.autoHeaders and autoContentType
// (composer.go), which showed these as "Name: Value" joined by "   ·   ".
func AutoHeaders(r Request, vars Vars) []AutoHeader {
	has := map[string]bool{}
	for _, h := range r.Headers {
		if !h.Disabled {
			has[http.CanonicalHeaderKey(strings.TrimSpace(h.Name))] = true
		}
	}
	var out []AutoHeader
	if full, err := ExpandURL(r.URL, vars); err == nil {
		if u, err := url.Parse(WithScheme(strings.TrimSpace(full))); err == nil && u.Host != "" {
			out = append(out, AutoHeader{"Host", u.Host})
		}
	}
	if !has["User-Agent"] {
		out = append(out, AutoHeader{"User-Agent", UserAgent})
	}
	if !has["Accept"] {
		out = append(out, AutoHeader{"Accept", "*/*"})
	}
	if k := r.Body.Kind; k != BodyNone {
		ct := k.ContentType()
		switch k {
		case BodyMultipart:
			ct += "; boundary=…"
		case BodyFile:
			ct = "(from the file's extension)"
		}
		if ct != "" && !has["Content-Type"] {
			out = append(out, AutoHeader{"Content-Type", ct})
		}
		out = append(out, AutoHeader{"Content-Length", "(computed)"})
	} else if m := strings.ToUpper(strings.TrimSpace(r.Method)); m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch {
		// net/http states an empty body for the methods that expect one.
		out = append(out, AutoHeader{"Content-Length", "0"})
	}
	switch a := r.Auth; {
	case a.Kind == AuthAPIKey && !a.InQuery && a.Key != "":
		out = append(out, AutoHeader{a.Key, "(from Auth)"})
	case a.Kind != AuthNone && a.Kind != AuthAPIKey:
		out = append(out, AutoHeader{"Authorization", "(from Auth)"})
	}
	if !has["Accept-Encoding"] && !has["Range"] && !strings.EqualFold(strings.TrimSpace(r.Method), http.MethodHead) {
		// net/http asks for gzip, and decompresses the answer, unless the
		// request sets its own Accept-Encoding or a Range.
		out = append(out, AutoHeader{"Accept-Encoding", "gzip"})
	}
	return out
}
