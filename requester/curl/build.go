package curl

import (
	"errors"
	"net/http"
	"path"
	"strings"

	"hooklab/requester"
)

const formType = "application/x-www-form-urlencoded"

// request turns what the options said into the request curl would send.
func (p *parser) request() (requester.Request, error) {
	if len(p.urls) == 0 {
		p.urls, p.guesses = p.guesses, nil
	}
	for _, g := range p.guesses {
		p.warnf("%s, after an unknown option, was taken as its value and ignored", short(g))
	}
	if len(p.urls) == 0 {
		return requester.Request{}, errors.New("no URL found in the command")
	}
	if len(p.urls) > 1 {
		// curl fetches each; the one imported is the first that looks
		// like a URL, not a word a shell redirection left without its
		// option (-u client:<secret> -d a=1 URL makes a=1 a "URL").
		pick := 0
		for i, u := range p.urls {
			if strings.Contains(u, "://") || strings.HasPrefix(u, "{{") {
				pick = i
				break
			}
		}
		var others []string
		for i, u := range p.urls {
			if i != pick {
				others = append(others, short(u))
			}
		}
		p.warnf("the command has %d URLs; only %s was imported, not %s", len(p.urls), short(p.urls[pick]), quoteList(others))
		p.urls[0], p.urls[pick] = p.urls[pick], p.urls[0]
	}
	hasData := len(p.data) > 0
	if hasData && len(p.parts) > 0 {
		return requester.Request{}, errors.New("the command mixes -d/--data with -F/--form, which curl refuses too")
	}
	if p.get && len(p.parts) > 0 {
		return requester.Request{}, errors.New("the command asks for a GET request (-G) with a multipart form, which curl refuses too")
	}
	if p.head && (len(p.parts) > 0 || hasData && !p.get) {
		return requester.Request{}, errors.New("the command asks for a HEAD request (-I) with a body, which curl refuses too")
	}
	if p.upload != "" && (hasData || len(p.parts) > 0) {
		p.warnf("-T %s ignored: the command also sends data", short(p.upload))
		p.upload = ""
	}

	first := p.urls[0]
	if !p.globoff {
		if g, n := globFirst(first); n > 1 {
			p.warnf("curl expands {…} and […] in a URL into one request each (%d here); the first, %s, was imported (curl -g takes them literally)", n, short(g))
			first = g
		}
	}
	if p.compressed && !hasHeader(p.headers, "Accept-Encoding") {
		// What curl asks for; Hooklab decodes each of them.
		p.headers = append(p.headers, requester.Header{Name: "Accept-Encoding", Value: requester.AcceptEncodingCurl})
	}
	r := requester.Request{URL: withScheme(first), Headers: p.headers}
	text, file := p.joinData()
	switch {
	case p.get:
		if file != nil {
			p.warnf("-G with data from the file %s: kept as @%s in the query", short(file.file), short(file.file))
			text = "@" + file.file
		}
		r.URL = appendQuery(r.URL, lowerEscapes(text))
	case file != nil:
		r.Body = requester.Body{Kind: requester.BodyFile, File: file.file}
		if file.strip {
			p.warnf("curl -d @%s strips the file's newlines; Hooklab sends the file as it is (like --data-binary)", short(file.file))
		}
	case len(p.parts) > 0:
		r.Body = requester.Body{Kind: requester.BodyMultipart, Parts: p.parts}
		r.Headers = dropMultipartType(r.Headers)
	case p.upload != "":
		r.Body = requester.Body{Kind: requester.BodyFile, File: p.upload}
		if !strings.ContainsAny(r.URL, "?#") && strings.HasSuffix(r.URL, "/") {
			r.URL += path.Base(strings.ReplaceAll(p.upload, `\`, "/"))
		}
	case text != "":
		r.Body, r.Headers = p.dataBody(text, r.Headers)
	}
	r.URL = appendQuery(r.URL, strings.Join(p.query, "&"))
	if p.json() {
		r.Headers = addMissing(r.Headers, "Content-Type", "application/json")
		r.Headers = addMissing(r.Headers, "Accept", "application/json")
	}
	r.Method = p.requestMethod(hasData || len(p.parts) > 0)
	r.Params = requester.ParamsFromURL(r.URL)
	r.Auth = p.auth
	if r.Auth.Kind == requester.AuthBasic && p.digest {
		r.Auth.Kind = requester.AuthDigest
	}
	r.Options = p.opts
	r.Options.NoRedirects = !p.follow || p.maxRedirs == 0
	if p.maxRedirs > 0 {
		r.Options.MaxRedirects = p.maxRedirs
	}
	return r, nil
}

func (p *parser) json() bool {
	for _, pc := range p.data {
		if pc.json {
			return true
		}
	}
	return false
}

// requestMethod is -X if given, else what curl picks.
func (p *parser) requestMethod(body bool) string {
	switch {
	case p.method != "":
		return p.method
	case p.head:
		return http.MethodHead
	case p.get:
		return http.MethodGet
	case body:
		return http.MethodPost
	case p.upload != "":
		return http.MethodPut
	}
	return http.MethodGet
}

// joinData joins the data arguments as curl does: with "&", except that
// --json pieces are appended as they are. A single @file is returned apart.
func (p *parser) joinData() (string, *piece) {
	if len(p.data) == 1 && p.data[0].isFile {
		return "", &p.data[0]
	}
	var b strings.Builder
	for i, pc := range p.data {
		if i > 0 && !pc.json {
			b.WriteByte('&')
		}
		if pc.isFile {
			p.warnf("data from the file %s cannot be combined with other data; kept as the text @%s", short(pc.file), short(pc.file))
			b.WriteString("@" + pc.file)
		}
		b.WriteString(pc.text)
	}
	return b.String(), nil
}

// dataBody chooses the body kind for data sent as is. Without a
// Content-Type, curl labels data application/x-www-form-urlencoded: it
// becomes form rows when they encode back to the same bytes, and otherwise
// text with that Content-Type made explicit.
func (p *parser) dataBody(text string, headers []requester.Header) (requester.Body, []requester.Header) {
	ct, set := contentType(headers)
	ct = strings.ToLower(ct)
	media, _, _ := strings.Cut(ct, ";")
	switch {
	case p.json() || strings.Contains(ct, "json"):
		return requester.Body{Kind: requester.BodyJSON, Text: text}, headers
	case strings.Contains(ct, "xml"):
		return requester.Body{Kind: requester.BodyXML, Text: text}, headers
	case set && strings.TrimSpace(media) != formType:
		return requester.Body{Kind: requester.BodyText, Text: text}, headers
	}
	if rows, ok := formRows(text); ok {
		return requester.Body{Kind: requester.BodyForm, Form: rows}, headers
	}
	if !set {
		if t := strings.TrimSpace(text); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			p.warnf("the data looks like JSON, but without -H 'Content-Type: application/json' curl sends it as %s; kept that way", formType)
		}
		headers = append(headers, requester.Header{Name: "Content-Type", Value: formType})
	}
	return requester.Body{Kind: requester.BodyText, Text: text}, headers
}

// contentType returns the value of the first enabled Content-Type row, and
// whether there is one (an empty value sends an empty header).
func contentType(headers []requester.Header) (string, bool) {
	for _, h := range headers {
		if !h.Disabled && strings.EqualFold(h.Name, "Content-Type") {
			return h.Value, true
		}
	}
	return "", false
}

// addMissing appends name: value unless an enabled row already names it.
func addMissing(headers []requester.Header, name, value string) []requester.Header {
	for _, h := range headers {
		if !h.Disabled && strings.EqualFold(h.Name, name) {
			return headers
		}
	}
	return append(headers, requester.Header{Name: name, Value: value})
}

// dropMultipartType removes a "Content-Type: multipart/form-data" row that
// lacks a boundary; curl adds its own boundary to it, the requester sets the
// whole header.
func dropMultipartType(headers []requester.Header) []requester.Header {
	out := headers[:0:0]
	for _, h := range headers {
		v := strings.ToLower(h.Value)
		if strings.EqualFold(h.Name, "Content-Type") && strings.HasPrefix(v, "multipart/form-data") && !strings.Contains(v, "boundary=") {
			continue
		}
		out = append(out, h)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// withScheme adds "http://" to a URL without a scheme, as curl does.
func withScheme(u string) string {
	if hasScheme(u) || strings.HasPrefix(u, "{{") {
		return u
	}
	return "http://" + u
}

// appendQuery adds q to the query of u, before any fragment, with "&" unless
// the query is empty or already ends with one (as curl's URL API does).
func appendQuery(u, q string) string {
	if q == "" {
		return u
	}
	base, frag, hasFrag := strings.Cut(u, "#")
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
		if strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&") {
			sep = ""
		}
	}
	u = base + sep + q
	if hasFrag {
		u += "#" + frag
	}
	return u
}

// lowerEscapes writes the hex digits of each %XX escape in lower case:
// curl does so to the data -G appends to the query (curl 7.88 sends
// -G --data-urlencode "q=é" as "?q=%c3%a9"), while the URL's own query
// is sent as written.
func lowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' && isHex(b[i+1]) && isHex(b[i+2]) {
			b[i+1], b[i+2] = lowerHex(b[i+1]), lowerHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func lowerHex(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// hasHeader reports whether an enabled row names the header.
func hasHeader(rows []requester.Header, name string) bool {
	for _, h := range rows {
		if !h.Disabled && strings.EqualFold(strings.TrimSpace(h.Name), name) {
			return true
		}
	}
	return false
}
