package requester

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
)

// net/http writes a request's header names canonicalised and sorted
// (x-api-key goes out as X-Api-Key, after Accept). Servers may care, and a
// tool that shows what it sends must send what it shows, so HTTP/1.x
// connections are wrapped in a wireConn that rewrites each request head
// as it is written: names as the user wrote them, in the order written
// (see headOrder), the head kept as sent. HTTP/2 has no such thing
// (names are lower case on the wire, in HPACK), and a request through
// an HTTPS proxy is written inside a TLS connection net/http opens
// itself: both go out as net/http writes them.

// wirePlan is what the next request on a wireConn is written with.
type wirePlan struct {
	names []string // header names as written, in order
	mu    sync.Mutex
	head  []byte // the head as it went out, last hop
}

func (w *wirePlan) sent(head []byte) {
	w.mu.Lock()
	w.head = head
	w.mu.Unlock()
}

// Head returns the request head as it last went on the wire; nil when
// it was not written by Hooklab (HTTP/2, an HTTPS proxy).
func (w *wirePlan) Head() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.head
}

// withWirePlan hands plan to the connection each hop of the exchange
// gets: net/http calls GotConn just before it writes the request.
func withWirePlan(ctx context.Context, plan *wirePlan) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if c, ok := info.Conn.(*wireConn); ok {
				c.next(plan)
			}
		},
	})
}

// maxHead bounds what a wireConn holds back while it waits for the end
// of a head; a longer head is written as it is.
const maxHead = 1 << 20

// wireConn is an HTTP/1.x connection that writes each request head as
// its plan says. One request is written at a time on a connection.
type wireConn struct {
	net.Conn
	mu   sync.Mutex
	plan *wirePlan // for the head being written; nil: write through
	buf  []byte
}

func (c *wireConn) next(plan *wirePlan) {
	c.mu.Lock()
	c.plan, c.buf = plan, c.buf[:0]
	c.mu.Unlock()
}

func (c *wireConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plan == nil {
		return c.Conn.Write(p)
	}
	c.buf = append(c.buf, p...)
	end := bytes.Index(c.buf, []byte("\r\n\r\n"))
	if end < 0 && len(c.buf) <= maxHead {
		return len(p), nil // the rest of the head is still to come
	}
	out := c.buf
	if end >= 0 {
		head := reorderHead(c.buf[:end+4], c.plan.names)
		c.plan.sent(head)
		out = append(head, c.buf[end+4:]...)
	}
	c.plan, c.buf = nil, nil
	if _, err := c.Conn.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// reorderHead rewrites an HTTP/1.x request head (request line, header
// lines, blank line): the Host line first, then Authorization, User-Agent
// and Accept unless they are among names (curl's order), then the names
// in their order and case, then every other line in net/http's order.
// Several lines of one name keep their order.
func reorderHead(head []byte, names []string) []byte {
	lines := strings.Split(strings.TrimSuffix(string(head), "\r\n\r\n"), "\r\n")
	if len(lines) < 2 {
		return head
	}
	byName := map[string][]string{} // canonical name → values, in order
	var order []string              // canonical names in net/http's order
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return head // not a head net/http wrote: leave it be
		}
		k := http.CanonicalHeaderKey(name)
		if _, seen := byName[k]; !seen {
			order = append(order, k)
		}
		byName[k] = append(byName[k], strings.TrimPrefix(value, " "))
	}
	written := map[string]string{} // canonical → as written
	for _, n := range names {
		k := http.CanonicalHeaderKey(n)
		if _, dup := written[k]; !dup {
			written[k] = n
		}
	}
	var b strings.Builder
	b.Grow(len(head) + 16)
	b.WriteString(lines[0])
	b.WriteString("\r\n")
	emit := func(k, as string) {
		for _, v := range byName[k] {
			b.WriteString(as)
			b.WriteString(": ")
			b.WriteString(v)
			b.WriteString("\r\n")
		}
		delete(byName, k)
	}
	emit("Host", "Host")
	for _, k := range []string{"Authorization", "User-Agent", "Accept"} {
		if _, mine := written[k]; !mine {
			emit(k, k)
		}
	}
	seen := map[string]bool{}
	for _, n := range names {
		k := http.CanonicalHeaderKey(n)
		if !seen[k] {
			seen[k] = true
			emit(k, written[k])
		}
	}
	for _, k := range order {
		emit(k, k)
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// wireDialers wraps the transport's connections in wireConns: plain
// ones as dialled, TLS ones after a handshake done here (h2 ones are
// left as they are, for net/http's HTTP/2). base is the transport's
// dialer, tc its TLS configuration.
func wireDialers(tr *http.Transport, base *net.Dialer, tc *tls.Config) {
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := base.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &wireConn{Conn: c}, nil
	}
	tr.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		raw, err := base.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cfg := tc.Clone()
		if cfg.ServerName == "" {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				host = addr
			}
			cfg.ServerName = host
		}
		if len(cfg.NextProtos) == 0 {
			cfg.NextProtos = []string{"h2", "http/1.1"}
		}
		trace := httptrace.ContextClientTrace(ctx)
		if trace != nil && trace.TLSHandshakeStart != nil {
			trace.TLSHandshakeStart()
		}
		hctx := ctx
		if d := tr.TLSHandshakeTimeout; d > 0 {
			var cancel context.CancelFunc
			hctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		conn := tls.Client(raw, cfg)
		err = conn.HandshakeContext(hctx)
		if trace != nil && trace.TLSHandshakeDone != nil {
			trace.TLSHandshakeDone(conn.ConnectionState(), err)
		}
		if err != nil {
			raw.Close()
			return nil, err
		}
		if conn.ConnectionState().NegotiatedProtocol == "h2" {
			return conn, nil // net/http reads the protocol from a *tls.Conn
		}
		return &wireConn{Conn: conn}, nil
	}
}
