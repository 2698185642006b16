package capture

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

// TestSlowBodyIsCutOff: a sender that declares a large body and then
// trickles it is answered once it falls behind the minimum rate, its
// connection closes, and what arrived is kept, marked truncated.
func TestSlowBodyIsCutOff(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := NewServer(store)
	srv.MinBodyRate, srv.BodyGrace = 1000, 20*time.Millisecond
	ts := httptest.NewServer(srv)
	// Cleanups run last first: the connection closes before Close
	// waits for its handler.
	t.Cleanup(ts.Close)

	conn := dialRaw(t, strings.TrimPrefix(ts.URL, "http://"))
	// A safety net only: the rate cuts the body off long before.
	_ = conn.SetDeadline(time.Now().Add(5 * time.Minute))
	if _, err := io.WriteString(conn, "POST /slow HTTP/1.1\r\nHost: h\r\nContent-Length: 10000000\r\n\r\nabc"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	var res *http.Response
	var err error
	done := make(chan struct{})
	go func() { res, err = http.ReadResponse(br, nil); close(done) }()
	poll.Until(t, "an answer to a stalled body", func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	})
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("answered %d %s", res.StatusCode, body)
	}
	c := capturedFrom(t, store, body)
	if string(c.Body) != "abc" || !c.Truncated {
		t.Fatalf("kept %q, truncated %v", c.Body, c.Truncated)
	}
	closedByServer(t, conn, br)
}
