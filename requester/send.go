package requester

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"
)

// Version is the Hooklab version sent in the default User-Agent.
const Version = "0.1.0"

// UserAgent is sent unless the request sets its own User-Agent header.
const UserAgent = "Hooklab/" + Version

// MaxBodyBytes caps how much of a response body is kept in memory.
const MaxBodyBytes = 64 << 20

// Response is what came back from one exchange.
type Response struct {
	Status     int
	StatusText string // full status as net/http reports it, e.g. "201 Created"
	Proto      string // "HTTP/1.1", "HTTP/2.0"
	Header     http.Header
	Body       []byte // at most MaxBodyBytes; Truncated is set if more came
	Size       int64  // bytes received in the body, counted in full even if truncated
	Truncated  bool
	Timings    Timings
	RemoteAddr string
	Request    *Prepared // what was actually sent, including default headers
}

// Client sends requests. It keeps one resty client, so connections are
// pooled and reused across sends. It is safe for concurrent use.
type Client struct {
	rc      *resty.Client
	maxBody int64 // MaxBodyBytes; tests lower it
}

// NewClient returns a Client that verifies TLS, follows up to 10 redirects,
// never retries and never logs.
func NewClient() *Client {
	rc := resty.New().
		SetLogger(silentLogger{}).
		SetRetryCount(0).
		SetRedirectPolicy(resty.FlexibleRedirectPolicy(10)).
		// Some APIs (search engines) take a GET body; send what the user wrote.
		SetAllowGetMethodPayload(true).
		// A composer sends exactly the headers shown; a hidden jar would add
		// cookies from earlier responses.
		SetCookieJar(nil).
		SetPreRequestHook(exactHeader)
	return &Client{rc: rc, maxBody: MaxBodyBytes}
}

// Send prepares and sends r. It returns *UnknownVariableError or *URLError
// before sending, or *SendError when the exchange failed. Cancelling ctx
// aborts the exchange, including reading the body.
func (c *Client) Send(ctx context.Context, r Request, vars Vars) (*Response, error) {
	p, err := Prepare(r, vars)
	if err != nil {
		return nil, err
	}
	if p.Method == http.MethodHead || p.Method == http.MethodOptions {
		p.Body = nil // resty never sends these bodies; keep Response.Request truthful
	}
	addDefaults(p)

	timeout := r.Options.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	attempt, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req := c.rc.R().
		SetContext(context.WithValue(attempt, headerKey{}, p.Header)).
		EnableTrace().
		SetDoNotParseResponse(true)
	req.Header = p.Header.Clone()
	if len(p.Body) > 0 {
		req.SetBody(p.Body)
	}

	start := time.Now()
	resp, err := req.Execute(p.Method, p.URL)
	if err != nil {
		return nil, classify(ctx, attempt, err, timeout)
	}
	raw := resp.RawResponse
	defer raw.Body.Close()
	body, size, err := readBody(raw.Body, c.maxBody)
	if err != nil {
		return nil, classify(ctx, attempt, err, timeout)
	}
	end := time.Now()

	ti := resp.Request.TraceInfo()
	// resty's ResponseTime runs from the first byte to when Execute returned;
	// the body was read after that, so add the time spent reading it.
	download := ti.ResponseTime + end.Sub(resp.ReceivedAt())
	out := &Response{
		Status:     raw.StatusCode,
		StatusText: raw.Status,
		Proto:      raw.Proto,
		Header:     raw.Header,
		Body:       body,
		Size:       size,
		Truncated:  size > int64(len(body)),
		Timings:    timingsFrom(ti, raw.Request.URL, download, end.Sub(start)),
		Request:    p,
	}
	if ti.RemoteAddr != nil {
		out.RemoteAddr = ti.RemoteAddr.String()
	}
	return out, nil
}

// addDefaults fills in headers the user left out. Presence, not value, is
// checked, so an empty User-Agent row suppresses the header altogether.
func addDefaults(p *Prepared) {
	if _, ok := p.Header["User-Agent"]; !ok {
		p.Header.Set("User-Agent", UserAgent)
	}
	if _, ok := p.Header["Content-Type"]; !ok && len(p.Body) > 0 {
		p.Header.Set("Content-Type", sniffContentType(p.Body))
	}
}

// sniffContentType guesses from the first non-blank byte, which is enough
// for the JSON, XML and text bodies people type into a composer.
func sniffContentType(body []byte) string {
	switch t := bytes.TrimLeft(body, " \t\r\n"); {
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return "application/json"
	case len(t) > 0 && t[0] == '<':
		return "application/xml"
	}
	return "text/plain"
}

// readBody keeps at most limit bytes and counts the rest, so Size stays true
// when the kept copy is cut.
func readBody(r io.Reader, limit int64) ([]byte, int64, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit))
	if err != nil {
		return nil, 0, err
	}
	rest, err := io.Copy(io.Discard, r)
	return body, int64(len(body)) + rest, err
}

// headerKey carries the prepared header to exactHeader through the request
// context.
type headerKey struct{}

// exactHeader makes the headers on the wire exactly the prepared ones: resty
// copies a JSON or XML Content-Type into an Accept header and substitutes its
// own User-Agent for an empty one. It runs after resty's request middleware.
func exactHeader(_ *resty.Client, hr *http.Request) error {
	if h, ok := hr.Context().Value(headerKey{}).(http.Header); ok {
		hr.Header = h.Clone()
	}
	return nil
}

// silentLogger drops resty's log output, which would otherwise go to stderr.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}
