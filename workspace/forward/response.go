package forward

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strings"
	"sync"
	"time"

	"hooklab/capture"
)

// MaxBody is how much of a target's response body is kept with the
// result; the rest is read (up to drainBody more, so the connection can
// be used again) and counted, not kept.
const MaxBody = 256 << 10

// drainBody bounds what is read past MaxBody to learn a body's size.
const drainBody = 1 << 20

// maxRespHead bounds the response head a connection records; a longer
// one is rebuilt from the parsed response instead.
const maxRespHead = 64 << 10

// Response is the target's answer to a forward's last attempt.
type Response struct {
	// Head is the status line and header lines as they were received
	// (names in their case, in their order, CRLF line ends, without the
	// blank line after them). For a response net/http read itself
	// (through an HTTPS proxy, or with Options.Client) it is rebuilt
	// from the parsed response: names canonical, sorted.
	Head []byte
	// Body is the start of the body as received (not decoded), at most
	// MaxBody bytes.
	Body []byte
	// Size is the body's size: counted, or its Content-Length when it
	// was longer than what was read; -1 when neither is known.
	Size int64
	// Truncated is set when Body holds less than the whole body.
	Truncated bool
}

// StatusLine is the head's first line, such as "HTTP/1.1 202 Accepted".
func (r *Response) StatusLine() string {
	line, _ := capture.HeadFields(r.Head)
	return line
}

// Fields are the header fields of the head, in order, as received.
func (r *Response) Fields() []capture.NameValue {
	_, fields := capture.HeadFields(r.Head)
	return fields
}

// Header is the head's header fields as a header map.
func (r *Response) Header() http.Header {
	h := http.Header{}
	for _, f := range r.Fields() {
		h.Add(f.Name, f.Value)
	}
	return h
}

// readResponse reads resp's body, the first MaxBody bytes kept, and
// pairs it with the head rec recorded (or one rebuilt from resp).
func readResponse(resp *http.Response, rec *headRecorder) *Response {
	out := &Response{Head: rec.head()}
	if out.Head == nil {
		out.Head = rebuiltHead(resp)
	}
	var buf bytes.Buffer
	kept, err := io.Copy(&buf, io.LimitReader(resp.Body, MaxBody))
	out.Body = buf.Bytes()
	ended := false
	if err == nil {
		more, err := io.Copy(io.Discard, io.LimitReader(resp.Body, drainBody+1))
		kept += more
		ended = err == nil && more <= drainBody
		out.Truncated = more > 0
	} else {
		out.Truncated = true
	}
	switch {
	case ended:
		out.Size = kept
	case resp.ContentLength >= 0:
		out.Size, out.Truncated = resp.ContentLength, true
	default:
		out.Size, out.Truncated = -1, true
	}
	return out
}

// rebuiltHead is resp's status line and headers as net/http parsed
// them.
func rebuiltHead(resp *http.Response) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", resp.Proto, resp.Status)
	names := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range resp.Header[name] {
			fmt.Fprintf(&b, "\r\n%s: %s", name, v)
		}
	}
	return []byte(b.String())
}

// headRecorder keeps the bytes of one response head as a connection
// reads them; an interim (1xx) head is dropped for the one after it.
type headRecorder struct {
	mu   sync.Mutex
	buf  []byte
	done bool
}

// feed takes bytes read from the connection and reports whether the
// final head is complete (or too long to keep).
func (r *headRecorder) feed(p []byte) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return true
	}
	r.buf = append(r.buf, p...)
	for {
		end, next := headEnd(r.buf)
		if end < 0 {
			if len(r.buf) > maxRespHead {
				r.buf, r.done = nil, true
			}
			return r.done
		}
		head := r.buf[:end]
		if interim(head) {
			r.buf = append(r.buf[:0], r.buf[next:]...)
			continue
		}
		r.buf, r.done = slices.Clip(head), true
		return true
	}
}

// head is the final head recorded, nil when there is none.
func (r *headRecorder) head() []byte {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.done || len(r.buf) == 0 {
		return nil
	}
	return r.buf
}

// headEnd finds the blank line that ends a head in b: end is where the
// head's last line ends, next where what follows begins; -1 while b has
// none.
func headEnd(b []byte) (end, next int) {
	for i := 0; i < len(b); i++ {
		if b[i] != '\n' {
			continue
		}
		switch {
		case i+1 < len(b) && b[i+1] == '\n':
			return trimCR(b, i), i + 2
		case i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
			return trimCR(b, i), i + 3
		}
	}
	return -1, -1
}

func trimCR(b []byte, nl int) int {
	if nl > 0 && b[nl-1] == '\r' {
		return nl - 1
	}
	return nl
}

// interim reports whether head is a 1xx answer other than 101, which
// a final answer follows on the same connection.
func interim(head []byte) bool {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	_, rest, _ := bytes.Cut(line, []byte(" "))
	return len(rest) >= 3 && rest[0] == '1' && !bytes.HasPrefix(rest, []byte("101"))
}

// headConn is a connection that records the head of the response to
// the request on it, for the recorder its exchange hands it (GotConn).
type headConn struct {
	net.Conn
	mu  sync.Mutex
	rec *headRecorder
}

func (c *headConn) record(rec *headRecorder) {
	c.mu.Lock()
	c.rec = rec
	c.mu.Unlock()
}

func (c *headConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		rec := c.rec
		c.mu.Unlock()
		if rec != nil && rec.feed(p[:n]) {
			c.mu.Lock()
			if c.rec == rec {
				c.rec = nil
			}
			c.mu.Unlock()
		}
	}
	return n, err
}

// withRecorder hands rec to the connection the exchange gets: net/http
// calls GotConn before it writes the request, so the answer's bytes
// are read after.
func withRecorder(ctx context.Context, rec *headRecorder) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if c, ok := info.Conn.(*headConn); ok {
				c.record(rec)
			}
		},
	})
}

// newClient is the Forwarder's client when Options has none: it never
// follows redirects, verifies TLS, asks for no compression the sender
// did not ask for (so the request goes as received and the answer is
// kept as sent), speaks HTTP/1.1, and its connections record response
// heads.
func newClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true
	tr.ForceAttemptHTTP2 = false
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &headConn{Conn: c}, nil
	}
	tr.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		raw, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		conn := tls.Client(raw, &tls.Config{ServerName: host, NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12})
		if err := conn.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, err
		}
		return &headConn{Conn: conn}, nil
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
