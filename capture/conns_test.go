package capture

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

// serveLimited serves h under l on a loopback port until the test ends.
func serveLimited(t *testing.T, h http.Handler, l ConnLimits) (addr string, g *connGuard) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, wrapped := NewHTTPServer(ln, h, l, quietLog)
	go func() { _ = srv.Serve(wrapped) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String(), wrapped.(*connGuard)
}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	_, _ = io.WriteString(w, "ok")
})

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// roundTrip sends one keep-alive POST on c and returns the status.
func roundTrip(t *testing.T, c net.Conn, br *bufio.Reader) int {
	t.Helper()
	if _, err := io.WriteString(c, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// closedByServer reports, once the server closed c, whether it did (a
// read ending in EOF or a reset) rather than the test's safety
// deadline passing; it reads in the background and the test polls.
func closedByServer(t *testing.T, c net.Conn, br *bufio.Reader) {
	t.Helper()
	var done atomic.Bool
	var readErr atomic.Value
	// A safety net only: poll.Until fails the test long before.
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Minute))
	go func() {
		_, err := io.Copy(io.Discard, br)
		if err == nil {
			err = io.EOF
		}
		readErr.Store(err)
		done.Store(true)
	}()
	poll.Until(t, "the server to close the connection", done.Load)
	if err := readErr.Load().(error); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the connection stayed open: %v", err)
	}
}

func TestIdleConnectionsAreClosed(t *testing.T) {
	// The header timeout is long: only the idle timeout may close these.
	addr, _ := serveLimited(t, okHandler, ConnLimits{IdleTimeout: 20 * time.Millisecond, HeaderTimeout: time.Hour})
	for _, then := range []string{"", "POS"} {
		t.Run("then "+then, func(t *testing.T) {
			c := dial(t, addr)
			br := bufio.NewReader(c)
			if got := roundTrip(t, c, br); got != 200 {
				t.Fatalf("answered %d", got)
			}
			if _, err := io.WriteString(c, then); err != nil {
				t.Fatal(err)
			}
			closedByServer(t, c, br)
		})
	}
}

// idleLen is how many connections g holds as idle.
func (g *connGuard) idleLen() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.idle.Len()
}

func TestIdleConnectionsMakeRoomForNewSenders(t *testing.T) {
	// Cap 4, reserve 1: idle connections hold at most 3 places.
	addr, g := serveLimited(t, okHandler, ConnLimits{MaxConns: 4, Reserve: 1, IdleTimeout: time.Hour, HeaderTimeout: time.Hour})
	var conns []net.Conn
	var readers []*bufio.Reader
	for i := range 3 {
		c := dial(t, addr)
		br := bufio.NewReader(c)
		if got := roundTrip(t, c, br); got != 200 {
			t.Fatalf("answered %d", got)
		}
		conns, readers = append(conns, c), append(readers, br)
		// The server marks a connection idle after the client has its
		// answer: wait for it, so the idle order is the order of dialling.
		poll.Until(t, fmt.Sprintf("%d idle connections", i+1), func() bool { return g.idleLen() == i+1 })
	}
	// A fourth sender is served, and the connection idle the longest
	// made room for it.
	c4 := dial(t, addr)
	if got := roundTrip(t, c4, bufio.NewReader(c4)); got != 200 {
		t.Fatalf("the fourth sender was answered %d", got)
	}
	closedByServer(t, conns[0], readers[0])
	if got := roundTrip(t, conns[1], readers[1]); got != 200 {
		t.Fatalf("a newer idle connection was answered %d", got)
	}
	if n := g.Open(); n != 3 {
		t.Fatalf("%d connections open, want 3", n)
	}
}

func TestConnectionsPastTheCapAreRefused(t *testing.T) {
	addr, g := serveLimited(t, okHandler, ConnLimits{MaxConns: 4, Reserve: 1, IdleTimeout: time.Hour, HeaderTimeout: time.Hour})
	// Connections in the middle of a head are not idle: they keep
	// their places and fill the cap.
	for range 4 {
		c := dial(t, addr)
		if _, err := io.WriteString(c, "POST /slow HTTP/1.1\r\n"); err != nil {
			t.Fatal(err)
		}
	}
	poll.Until(t, "4 connections open", func() bool { return g.Open() == 4 })
	over := dial(t, addr)
	overBr := bufio.NewReader(over)
	if _, err := io.WriteString(over, "GET / HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(overBr, nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !res.Close {
		t.Fatalf("past the cap: %d, Retry-After %q, close %v", res.StatusCode, res.Header.Get("Retry-After"), res.Close)
	}
	closedByServer(t, over, overBr)
	poll.Until(t, "the refused connection closed", func() bool { return g.Open() == 4 })
	// One more past the cap that sends nothing holds the last place of
	// the reserve; past cap plus reserve a connection is closed before
	// any answer, so a flood cannot take every descriptor.
	dial(t, addr)
	poll.Until(t, "5 connections open", func() bool { return g.Open() == 5 })
	beyond := dial(t, addr)
	closedByServer(t, beyond, bufio.NewReader(beyond))
	if n := g.Open(); n != 5 {
		t.Fatalf("%d connections open, want 5", n)
	}
}

var quietLog = log.New(io.Discard, "", 0)
