package requester

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptrace"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
)

// UserAgent is sent unless the request sets its own User-Agent header.
var UserAgent = "Hooklab/" + Version

// DefaultMemLimit is how much of a response body a Client keeps in memory
// unless Client.MemLimit says otherwise.
const DefaultMemLimit = 10 << 20

// MaxBodyBytes caps how much of one response body is kept, in memory and in
// the temporary file together; bytes past it are counted in Size and
// dropped. It bounds the disk an endless stream can fill before the timeout.
const MaxBodyBytes = 2 << 30

// Response is what came back from one exchange. Close it when done with it
// if BodyFile is set.
type Response struct {
	Status     int
	StatusText string // full status as net/http reports it, e.g. "201 Created"
	Proto      string // "HTTP/1.1", "HTTP/2.0"
	Header     http.Header
	Cookies    []*http.Cookie // the response's Set-Cookie headers, parsed
	Body       []byte         // the body, or its first Client.MemLimit bytes when Truncated
	BodyFile   string         // when Truncated: a temporary file with the whole body (up to MaxBodyBytes)
	Size       int64          // bytes received in the body, counted in full even if truncated
	Truncated  bool           // Body holds only the start of the body
	// Decoded says Body is the body with its Content-Encoding undone
	// (the request set Accept-Encoding itself); Size counts decoded
	// bytes. net/http's own transparent gzip is undone without a word.
	Decoded    bool
	Timings    Timings
	RemoteAddr string
	// Request is what was sent. Its Header holds the headers of the first
	// hop as the transport wrote them on the wire (Host, User-Agent,
	// Content-Length, Accept-Encoding and the jar's cookies included). A
	// digest Authorization header, sent on the retry, is not shown.
	Request *Prepared
}

// Close removes BodyFile, if any. It may be called more than once.
func (r *Response) Close() error {
	if r == nil || r.BodyFile == "" {
		return nil
	}
	err := os.Remove(r.BodyFile)
	r.BodyFile = ""
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Client sends requests. It keeps a transport, with its pool of connections,
// for each distinct set of transport options (up to 8, least recently used
// dropped), and a cookie jar per name. It is safe for concurrent use; the
// zero value is ready to use.
type Client struct {
	// MemLimit is how much of a response body is kept in Response.Body;
	// zero means DefaultMemLimit. Set it before the first send.
	MemLimit int64

	maxBody    int64 // MaxBodyBytes when zero; tests lower it
	transports transportCache
	mu         sync.Mutex // guards jars
	jars       map[string]*cookieJar
}

// NewClient returns a Client that verifies TLS, follows up to 10 redirects,
// never retries and never logs.
func NewClient() *Client {
	return &Client{MemLimit: DefaultMemLimit}
}

// Send is SendIn with the jar named "".
func (c *Client) Send(ctx context.Context, r Request, vars Vars) (*Response, error) {
	return c.SendIn(ctx, "", r, vars)
}

// SendIn prepares and sends r, taking cookies from the named jar (one per
// environment) and storing those the server sets, on every hop. Before
// sending it returns the errors of Prepare or an *OptionError; a body file
// that fails while being sent is a *FileError; any other failure is a
// *SendError. Cancelling ctx aborts the exchange, including reading the body.
func (c *Client) SendIn(ctx context.Context, jar string, r Request, vars Vars) (*Response, error) {
	p, err := Prepare(r, vars)
	if err != nil {
		return nil, err
	}
	spec, err := readTransportSpec(r.Options, vars)
	if err != nil {
		return nil, err
	}
	tr, err := c.transports.get(spec)
	if err != nil {
		return nil, err
	}
	addDefaults(p)

	timeout := r.Options.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	attempt, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	plan := &wirePlan{names: p.Names}
	attempt = withWirePlan(attempt, plan)
	defer func() { p.Head = string(plan.Head()) }()
	wire := &wireHeader{}
	attempt = httptrace.WithClientTrace(attempt, wire.trace())

	// A resty client per exchange over the shared transport: the jar and the
	// redirect policy are per request, and SetDigestAuth swaps the client's
	// transport for the exchange.
	sj := &sendJar{cookieJar: c.jar(jar)}
	rc := resty.NewWithClient(&http.Client{Transport: tr, Jar: sj, CheckRedirect: redirectPolicy(r.Options)}).
		SetLogger(silentLogger{}).
		SetRetryCount(0).
		SetPreRequestHook(p.toWire)
	req := rc.R().
		SetContext(attempt).
		EnableTrace().
		SetDoNotParseResponse(true)
	req.Header = p.Header.Clone() // resty takes the Host header from here
	if p.digest != nil {
		req.SetDigestAuth(p.digest.username, p.digest.password)
	}

	start := time.Now()
	resp, err := req.Execute(p.Method, p.URL)
	if err != nil {
		return nil, sendError(ctx, attempt, err, timeout)
	}
	raw := resp.RawResponse
	defer raw.Body.Close()
	asked := p.Header.Get("Accept-Encoding") != "" // by the request itself
	if h := wire.get(); h != nil {
		p.Header = h
	} else {
		addCookies(p.Header, sj.first)
	}
	var in io.Reader = raw.Body
	decoded := false
	if !raw.Uncompressed && asked {
		// Asked for by the request, so net/http left it encoded.
		r, ok, release, err := decodeResponse(raw.Header, raw.Body)
		if err != nil {
			return nil, &SendError{Kind: "decode", Msg: "The response body could not be decoded (Content-Encoding: " + raw.Header.Get("Content-Encoding") + ")", Err: err}
		}
		defer release()
		in, decoded = r, ok
	}
	body, file, size, err := readBody(in, c.memLimit(), c.maxBodyBytes())
	if err != nil {
		return nil, sendError(ctx, attempt, err, timeout)
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
		Cookies:    raw.Cookies(),
		Body:       body,
		BodyFile:   file,
		Size:       size,
		Truncated:  size > int64(len(body)),
		Decoded:    decoded,
		Timings:    timingsFrom(ti, raw.Request.URL, download, end.Sub(start)),
		Request:    p,
	}
	if ti.RemoteAddr != nil {
		out.RemoteAddr = ti.RemoteAddr.String()
	}
	return out, nil
}

func (c *Client) memLimit() int64 {
	if c.MemLimit > 0 {
		return c.MemLimit
	}
	return DefaultMemLimit
}

func (c *Client) maxBodyBytes() int64 {
	if c.maxBody > 0 {
		return c.maxBody
	}
	return MaxBodyBytes
}

// addDefaults fills in headers the user left out, as curl and Postman
// do: User-Agent and Accept: */*. Presence, not value, is checked, so an
// empty User-Agent row suppresses the header altogether.
func addDefaults(p *Prepared) {
	if _, ok := p.Header["User-Agent"]; !ok {
		p.Header.Set("User-Agent", UserAgent)
	}
	if _, ok := p.Header["Accept"]; !ok {
		p.Header.Set("Accept", "*/*")
	}
}

// wireHeader records the header fields of the first request written on
// the wire, as the transport reports them through httptrace; the
// transport writes them on its own goroutine.
type wireHeader struct {
	mu   sync.Mutex
	h    http.Header
	done bool
}

func (w *wireHeader) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		WroteHeaderField: func(key string, value []string) {
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.done {
				return
			}
			switch {
			case key == ":authority":
				key = "Host"
			case strings.HasPrefix(key, ":"):
				return // HTTP/2's method, path and scheme are in the request line
			}
			if w.h == nil {
				w.h = http.Header{}
			}
			k := http.CanonicalHeaderKey(key)
			w.h[k] = append(w.h[k], value...)
		},
		WroteHeaders: func() {
			w.mu.Lock()
			w.done = w.h != nil
			w.mu.Unlock()
		},
	}
}

// get returns the headers written, or nil when none were reported.
func (w *wireHeader) get() http.Header {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		return nil
	}
	return w.h.Clone()
}

// addCookies appends cookies to h's Cookie header as net/http does when it
// sends them.
func addCookies(h http.Header, cookies []*http.Cookie) {
	r := &http.Request{Header: h}
	for _, c := range cookies {
		r.AddCookie(c)
	}
}

// toWire makes the request on the wire exactly p. It runs after resty's
// request middleware, which copies a JSON or XML Content-Type into an Accept
// header, substitutes its own User-Agent for an empty one, and would read a
// streamed body into memory; so the body is set here.
func (p *Prepared) toWire(_ *resty.Client, hr *http.Request) error {
	hr.Header = p.Header.Clone()
	if p.BodySize == 0 {
		hr.Body, hr.GetBody, hr.ContentLength = http.NoBody, nil, 0
		return nil
	}
	hr.Body, hr.ContentLength = p.open(), p.BodySize
	// For 307/308 redirects and the digest retry.
	hr.GetBody = func() (io.ReadCloser, error) { return p.open(), nil }
	return nil
}

// diskError is a failure to store a response body.
type diskError struct{ err error }

func (e *diskError) Error() string { return e.err.Error() }

// readBody keeps up to memLimit bytes of r in memory. A longer body is
// written whole, up to maxBody bytes, to a temporary file, and body is its
// first memLimit bytes. size counts every byte read.
func readBody(r io.Reader, memLimit, maxBody int64) (body []byte, file string, size int64, err error) {
	body, err = io.ReadAll(io.LimitReader(r, memLimit+1))
	size = int64(len(body))
	if err != nil || size <= memLimit {
		return body, "", size, err
	}
	f, err := os.CreateTemp("", "hooklab-resp-*")
	if err != nil {
		return nil, "", 0, &diskError{err}
	}
	var written int64
	keep := func(b []byte) error {
		if n := min(int64(len(b)), maxBody-written); n > 0 {
			if _, err := f.Write(b[:n]); err != nil {
				return &diskError{err}
			}
			written += n
		}
		return nil
	}
	err = keep(body)
	buf := make([]byte, 64<<10)
	for err == nil {
		n, rerr := r.Read(buf)
		size += int64(n)
		if err = keep(buf[:n]); err == nil && rerr != nil {
			if rerr != io.EOF {
				err = rerr
			}
			break
		}
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = &diskError{cerr}
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, "", 0, err
	}
	return body[:memLimit], f.Name(), size, nil
}

// sendError reports a failed exchange: a body file that could not be read
// as itself, anything else as a *SendError.
func sendError(parent, attempt context.Context, err error, timeout time.Duration) error {
	var fe *FileError
	if errors.As(err, &fe) {
		return fe
	}
	var de *diskError
	if errors.As(err, &de) {
		return &SendError{Kind: "disk", Msg: "Could not save the response body to a temporary file.", Err: de.err}
	}
	return classify(parent, attempt, err, timeout)
}

// silentLogger drops resty's log output, which would otherwise go to stderr.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}
