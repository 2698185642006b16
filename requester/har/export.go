package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/requester/history"
)

// timeFormat is HAR's ISO 8601 with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func newLog(creatorVersion string) harFile {
	entries := []harEntry{}
	return harFile{Log: harLog{Version: "1.2", Creator: harCreator{Name: "Hooklab", Version: creatorVersion}, Entries: &entries}}
}

func encode(f harFile) ([]byte, error) {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// ExportHistory writes history entries as a HAR 1.2 log, in the order
// given, with what went on the wire and what came back. Timings are the
// ones measured: dns, connect (including TLS, as HAR counts it) and ssl
// are -1 on a reused connection or where they did not happen, wait is the
// server's time to the first byte, receive the download, and send what the
// total leaves over (writing the request, earlier hops of a redirect);
// time is the total. An entry without a response has status 0 and the
// error as its comment. Bodies that are not UTF-8 are base64 (response
// content with "encoding": "base64"; a request body says so in its
// comment); cut bodies say so in a comment. The request's headers are
// its head as it went on the wire, names in their case and order, when
// the entry keeps one (HTTP/1.x); else its header map, sorted. Secrets
// stay as the entries hold them: masked, as History.Get returns them.
func ExportHistory(entries []history.Entry, creatorVersion string) ([]byte, error) {
	f := newLog(creatorVersion)
	for _, e := range entries {
		*f.Log.Entries = append(*f.Log.Entries, entryOf(e))
	}
	return encode(f)
}

func msOf(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Microsecond)) / 1000
}

func phaseMS(p requester.Phase) float64 {
	if p.NA {
		return -1
	}
	return msOf(p.Duration)
}

func entryOf(e history.Entry) harEntry {
	proto := e.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	req := harRequest{
		Method: e.Method, URL: e.URL, HTTPVersion: proto,
		Cookies: cookies((&http.Request{Header: e.SentHeader}).Cookies()), Headers: headFields(e.SentHead),
		QueryString: query(e.URL), HeadersSize: -1, BodySize: e.SentSize,
	}
	if req.Headers == nil {
		req.Headers = fields(e.SentHeader)
	}
	if len(e.SentBody) > 0 {
		req.PostData = postData(e.SentHeader.Get("Content-Type"), e.SentBody)
		if int64(len(e.SentBody)) < e.SentSize {
			req.Comment = fmt.Sprintf("body truncated: %d of %d bytes kept", len(e.SentBody), e.SentSize)
		}
	}
	out := harEntry{
		StartedDateTime: e.Time.Format(timeFormat),
		Request:         req,
		Response: harResponse{
			HTTPVersion: proto, Cookies: []nameValue{}, Headers: []nameValue{},
			HeadersSize: -1, BodySize: -1,
		},
		Timings: harTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1},
	}
	if e.Status == 0 {
		out.Response.Comment = e.Err
		return out
	}
	t := e.Timings
	out.Time = msOf(t.Total)
	out.Timings = harTimings{
		Blocked: -1, DNS: phaseMS(t.DNS), Connect: phaseMS(t.Connect), SSL: phaseMS(t.TLS),
		Wait: msOf(t.ServerWait.Duration), Receive: msOf(t.Download.Duration),
	}
	if out.Timings.Connect >= 0 && out.Timings.SSL > 0 {
		out.Timings.Connect += out.Timings.SSL // HAR's connect includes ssl
	}
	used := out.Timings.Wait + out.Timings.Receive + max(out.Timings.DNS, 0) + max(out.Timings.Connect, 0)
	out.Timings.Send = math.Max(0, math.Round((out.Time-used)*1000)/1000)
	out.ServerIPAddress = hostOf(e.RemoteAddr)
	text, enc := bodyText(e.RespBody)
	out.Response = harResponse{
		Status: e.Status, StatusText: strings.TrimSpace(strings.TrimPrefix(e.StatusText, strconv.Itoa(e.Status))),
		HTTPVersion: proto, Cookies: cookies((&http.Response{Header: e.RespHeader}).Cookies()), Headers: fields(e.RespHeader),
		Content:     harContent{Size: e.RespSize, MimeType: e.RespHeader.Get("Content-Type"), Text: text, Encoding: enc},
		RedirectURL: e.RespHeader.Get("Location"), HeadersSize: -1, BodySize: e.RespSize,
	}
	if e.Truncated {
		out.Response.Content.Comment = fmt.Sprintf("body truncated: %d of %d bytes kept", len(e.RespBody), e.RespSize)
	}
	return out
}

func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		return strings.Trim(addr[:i], "[]")
	}
	return addr
}

// fields lists h sorted by name (a header map keeps no order), each value
// of a name on its own.
func fields(h http.Header) []nameValue {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	out := []nameValue{}
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, nameValue{k, v})
		}
	}
	return out
}

// headFields lists the header lines of a request head as sent (request
// line, header lines, blank line), in order, names as written; nil when
// there is no head or a line is not a header.
func headFields(head string) []nameValue {
	lines := strings.Split(strings.TrimSuffix(head, "\r\n\r\n"), "\r\n")
	if head == "" || len(lines) < 2 {
		return nil
	}
	out := []nameValue{}
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return nil
		}
		out = append(out, nameValue{name, strings.TrimLeft(value, " \t")})
	}
	return out
}

// fieldsAsWritten lists h with the names in names first, in their order
// and case (Prepared.Names: the header rows as written), then the others
// as fields lists them.
func fieldsAsWritten(h http.Header, names []string) []nameValue {
	out := []nameValue{}
	rest := h.Clone()
	for _, n := range names {
		k := http.CanonicalHeaderKey(n)
		for _, v := range rest[k] {
			out = append(out, nameValue{n, v})
		}
		delete(rest, k)
	}
	return append(out, fields(rest)...)
}

func cookies(cs []*http.Cookie) []nameValue {
	out := []nameValue{}
	for _, c := range cs {
		out = append(out, nameValue{c.Name, c.Value})
	}
	return out
}

// query lists the query of rawURL, decoded, in order.
func query(rawURL string) []nameValue {
	out := []nameValue{}
	u, err := url.Parse(rawURL)
	if err != nil {
		return out
	}
	for piece := range strings.SplitSeq(u.RawQuery, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		out = append(out, nameValue{k, v})
	}
	return out
}

func bodyText(b []byte) (text, encoding string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}

func postData(contentType string, body []byte) *harPostData {
	text, enc := bodyText(body)
	pd := &harPostData{MimeType: contentType, Text: text}
	if enc != "" {
		pd.Comment = "text is base64: the body is not UTF-8"
	}
	mt, ps, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/x-www-form-urlencoded":
		for _, q := range query("?" + text) {
			pd.Params = append(pd.Params, harParam{Name: q.Name, Value: q.Value})
		}
	case "multipart/form-data":
		pd.Params = multipartParams(body, ps["boundary"])
	}
	return pd
}

// multipartParams lists the parts of a multipart body as HAR params: a
// field's value, a file's name and type (its bytes stay in text). A body
// that does not parse to its end (cut short, or not multipart) gives none.
func multipartParams(body []byte, boundary string) []harParam {
	if boundary == "" {
		return nil
	}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var out []harParam
	for {
		part, err := r.NextRawPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return nil
		}
		p := harParam{Name: part.FormName(), FileName: part.FileName(), ContentType: part.Header.Get("Content-Type")}
		value, err := io.ReadAll(part)
		if err != nil {
			return nil
		}
		if p.FileName == "" {
			p.Value = string(value)
		}
		out = append(out, p)
	}
}

// ExportRequests writes the requests of c as a HAR 1.2 log without
// responses (status 0), each as Prepare builds it with vars: inherited auth
// and headers applied, variables expanded. Requests that cannot be
// prepared (an unknown variable, a file that is missing) are left out and
// listed in the warnings.
func ExportRequests(c *collection.Collection, vars requester.Vars, creatorVersion string) ([]byte, []collection.Problem, error) {
	f := newLog(creatorVersion)
	var warnings []collection.Problem
	collection.Walk(c.Items, func(it *collection.Item) {
		if it.Request == nil {
			return
		}
		r, extra, err := collection.Sendable(c, it)
		if err == nil {
			local := requester.Vars{}
			for k, v := range vars {
				local[k] = v
			}
			for _, v := range extra {
				if !v.Disabled {
					local[v.Name] = v.Value
				}
			}
			var p *requester.Prepared
			if c.Root != "" {
				r = collection.ResolvePaths(r, c.Root)
			}
			if p, err = requester.Prepare(r, local); err == nil {
				*f.Log.Entries = append(*f.Log.Entries, preparedEntry(p))
				return
			}
		}
		warnings = append(warnings, collection.Problem{Path: it.Path, Msg: "not exported: " + err.Error()})
	})
	data, err := encode(f)
	return data, warnings, err
}

func preparedEntry(p *requester.Prepared) harEntry {
	req := harRequest{
		Method: p.Method, URL: p.URL, HTTPVersion: "HTTP/1.1", Cookies: []nameValue{},
		Headers: fieldsAsWritten(p.Header, p.Names), QueryString: query(p.URL), HeadersSize: -1, BodySize: p.BodySize,
	}
	if len(p.Body) > 0 {
		req.PostData = postData(p.Header.Get("Content-Type"), p.Body)
	}
	return harEntry{
		StartedDateTime: time.Unix(0, 0).UTC().Format(timeFormat),
		Request:         req,
		Response:        harResponse{HTTPVersion: "HTTP/1.1", Cookies: []nameValue{}, Headers: []nameValue{}, HeadersSize: -1, BodySize: -1, Comment: "not sent"},
		Timings:         harTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1},
	}
}
