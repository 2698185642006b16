package capture

import (
	"container/list"
	"context"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// Defaults of ConnLimits.
const (
	DefaultMaxConns      = 1024
	DefaultIdleTimeout   = 60 * time.Second
	DefaultHeaderTimeout = 10 * time.Second
)

// ConnLimits bound what the senders connected to one server can hold:
// file descriptors are finite, and a sender that connects and goes
// quiet must not keep the next sender out.
type ConnLimits struct {
	// MaxConns is how many connections are served at once (0 means
	// DefaultMaxConns). Once open connections pass MaxConns-Reserve,
	// each new one closes the connection idle the longest, so idle
	// keep-alive connections can never hold the last Reserve places.
	// Past MaxConns a new connection is answered 503 and closed; past
	// MaxConns+Reserve it is closed at once, which bounds the
	// descriptors a flood can take.
	MaxConns int
	// Reserve is 0 for MaxConns/8 (at least 1).
	Reserve int
	// IdleTimeout closes a keep-alive connection on which no next
	// request began (0 means DefaultIdleTimeout). It also bounds the
	// wait for the first bytes of that request: net/http reads them
	// under this deadline.
	IdleTimeout time.Duration
	// HeaderTimeout bounds reading a request's head once it began
	// (0 means DefaultHeaderTimeout).
	HeaderTimeout time.Duration
	// RecordHeads keeps each request's head as it arrived, for HeadOf:
	// the catcher's server sets it.
	RecordHeads bool
}

func (l ConnLimits) withDefaults() ConnLimits {
	if l.MaxConns <= 0 {
		l.MaxConns = DefaultMaxConns
	}
	if l.Reserve <= 0 {
		l.Reserve = max(l.MaxConns/8, 1)
	}
	l.Reserve = min(l.Reserve, l.MaxConns)
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = DefaultIdleTimeout
	}
	if l.HeaderTimeout <= 0 {
		l.HeaderTimeout = DefaultHeaderTimeout
	}
	return l
}

// NewHTTPServer returns a server for h with the limits of l, and the
// listener to serve it on: ln, counting the connections it accepts.
// Call srv.Serve(wrapped).
func NewHTTPServer(ln net.Listener, h http.Handler, l ConnLimits, errLog *log.Logger) (srv *http.Server, wrapped net.Listener) {
	l = l.withDefaults()
	g := &connGuard{Listener: ln, limits: l, idle: list.New()}
	srv = &http.Server{
		Handler:           overCapHandler{h},
		ReadHeaderTimeout: l.HeaderTimeout,
		IdleTimeout:       l.IdleTimeout,
		ErrorLog:          errLog,
		ConnState:         g.connState,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			tc, ok := c.(*trackedConn)
			if !ok {
				return ctx
			}
			if tc.over {
				ctx = context.WithValue(ctx, overCapKey{}, true)
			}
			if tc.tee != nil {
				ctx = withHeadTee(ctx, tc.tee)
			}
			return ctx
		},
	}
	return srv, g
}

type overCapKey struct{}

// overCapHandler answers 503 on a connection accepted past the cap,
// and closes it, without passing the request on.
type overCapHandler struct{ h http.Handler }

func (o overCapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Context().Value(overCapKey{}) != nil {
		w.Header().Set("Connection", "close")
		w.Header().Set("Retry-After", "1")
		http.Error(w, "Hooklab has too many open connections; try again", http.StatusServiceUnavailable)
		return
	}
	o.h.ServeHTTP(w, r)
}

// connGuard is a listener that counts the connections it accepted and
// not yet closed, and knows, from http.Server's ConnState, which are
// idle between two requests and since when.
type connGuard struct {
	net.Listener
	limits ConnLimits

	mu   sync.Mutex
	open int
	idle *list.List // of *trackedConn, idle the longest first
}

type trackedConn struct {
	net.Conn
	g    *connGuard
	over bool     // accepted past MaxConns: answered 503
	tee  *headTee // nil unless limits.RecordHeads

	// Under g.mu:
	closed   bool
	idleElem *list.Element // in g.idle while idle
}

func (g *connGuard) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		var evict []*trackedConn
		g.mu.Lock()
		// Idle connections give their place up first, so that the
		// new sender is served rather than refused.
		for g.open+1 > g.limits.MaxConns-g.limits.Reserve && g.idle.Len() > 0 {
			tc := g.idle.Remove(g.idle.Front()).(*trackedConn)
			tc.idleElem = nil
			tc.closed = true
			g.open--
			evict = append(evict, tc)
		}
		n := g.open + 1
		refuse := n > g.limits.MaxConns+g.limits.Reserve
		if !refuse {
			g.open = n
		}
		g.mu.Unlock()
		for _, tc := range evict {
			// net/http's goroutine for it sees the close and ends.
			_ = tc.Conn.Close()
		}
		if refuse {
			_ = c.Close()
			continue
		}
		tc := &trackedConn{Conn: c, g: g, over: n > g.limits.MaxConns}
		if g.limits.RecordHeads {
			tc.tee = newHeadTee(0) // http.Server's default MaxHeaderBytes
		}
		return tc, nil
	}
}

func (c *trackedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.tee != nil && n > 0 {
		c.tee.write(p[:n])
	}
	return n, err
}

func (c *trackedConn) Close() error {
	c.g.mu.Lock()
	if !c.closed {
		c.closed = true
		c.g.open--
		if c.idleElem != nil {
			c.g.idle.Remove(c.idleElem)
			c.idleElem = nil
		}
	}
	c.g.mu.Unlock()
	return c.Conn.Close()
}

func (g *connGuard) connState(c net.Conn, state http.ConnState) {
	tc, ok := c.(*trackedConn)
	if !ok {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if tc.idleElem != nil {
		g.idle.Remove(tc.idleElem)
		tc.idleElem = nil
	}
	if state == http.StateIdle && !tc.closed {
		tc.idleElem = g.idle.PushBack(tc)
	}
}

// Open returns how many connections g accepted and has not closed.
func (g *connGuard) Open() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.open
}
