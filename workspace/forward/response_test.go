package forward

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hooklab/capture"
)

// rawTarget answers every request on its connections with answer, as
// bytes, so a test controls the head's order and case; it reads each
// request (head and Content-Length body) first.
func rawTarget(t *testing.T, answer string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, req.Body)
					if _, err := io.WriteString(c, answer); err != nil {
						return
					}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// The target's answer is kept: its status line and header lines as
// received (an interim 100 left out; names in their case, in their
// order), its body as sent.
func TestForwardKeepsTheResponseAsReceived(t *testing.T) {
	body := `{"ok":true,"id":"evt_1"}`
	u := rawTarget(t, "HTTP/1.1 100 Continue\r\n\r\n"+
		"HTTP/1.1 202 Accepted\r\nzz-First: 1\r\nx-request-ID: req_42\r\nContent-Type: application/json\r\nContent-Length: "+
		fmt.Sprint(len(body))+"\r\n\r\n"+body)
	var res results
	f := New([]Rule{rule(t, "/s="+u)}, Options{OnResult: res.add, Backoff: instant})
	defer f.Close()
	f.Enqueue(hook("/s", "", "{}"))
	f.Enqueue(hook("/s/again", "", "{}")) // the same connection, used again
	got := res.wait(t, 2)
	for _, r := range got {
		resp := r.Response
		if r.Status != http.StatusAccepted || resp == nil {
			t.Fatalf("result %+v", r)
		}
		wantHead := "HTTP/1.1 202 Accepted\r\nzz-First: 1\r\nx-request-ID: req_42\r\nContent-Type: application/json\r\nContent-Length: " + fmt.Sprint(len(body))
		if string(resp.Head) != wantHead {
			t.Errorf("head %q\nwant %q", resp.Head, wantHead)
		}
		if string(resp.Body) != body || resp.Size != int64(len(body)) || resp.Truncated {
			t.Errorf("body %q size %d truncated %v", resp.Body, resp.Size, resp.Truncated)
		}
		if resp.StatusLine() != "HTTP/1.1 202 Accepted" || resp.Fields()[1] != (capture.NameValue{Name: "x-request-ID", Value: "req_42"}) {
			t.Errorf("status line %q, fields %v", resp.StatusLine(), resp.Fields())
		}
	}
}

// A body past MaxBody is kept up to it, its size counted (chunked) or
// taken from Content-Length (past what is read to count it).
func TestForwardResponseBodyIsCapped(t *testing.T) {
	big := strings.Repeat("a", MaxBody+10)
	huge := MaxBody + drainBody + 4096
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch r.URL.Path {
		case "/chunked":
			w.(http.Flusher).Flush() // no Content-Length: chunked
			_, _ = io.WriteString(w, big)
		case "/huge":
			w.Header().Set("Content-Length", fmt.Sprint(huge))
			_, _ = w.Write(bytes.Repeat([]byte("b"), huge))
		}
	}))
	defer srv.Close()
	for _, tc := range []struct {
		path string
		size int64
	}{{"/chunked", int64(len(big))}, {"/huge", int64(huge)}} {
		var res results
		f := New([]Rule{rule(t, "/s="+srv.URL)}, Options{OnResult: res.add, Backoff: instant})
		f.Enqueue(hook("/s"+tc.path, "", "{}"))
		r := res.wait(t, 1)[0]
		f.Close()
		resp := r.Response
		if resp == nil || len(resp.Body) != MaxBody || !resp.Truncated || resp.Size != tc.size {
			t.Fatalf("%s: %+v", tc.path, r)
		}
	}
}

// The forwarder's own client asks for no compression the sender did
// not ask for: the request goes as received, the answer is kept as
// sent.
func TestForwardAddsNoAcceptEncoding(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("Accept-Encoding")
	}))
	defer srv.Close()
	var res results
	f := New([]Rule{rule(t, "/s="+srv.URL)}, Options{OnResult: res.add, Backoff: instant})
	defer f.Close()
	f.Enqueue(hook("/s", "", "{}"))
	if ae := <-got; ae != "" {
		t.Errorf("Accept-Encoding %q added", ae)
	}
}

func TestHeadRecorderFeedInPieces(t *testing.T) {
	answer := "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\nA: 1\n\nbody"
	for step := 1; step <= len(answer); step++ {
		r := &headRecorder{}
		for i := 0; i < len(answer); i += step {
			r.feed([]byte(answer[i:min(i+step, len(answer))]))
		}
		if got := string(r.head()); got != "HTTP/1.1 200 OK\nA: 1" {
			t.Fatalf("step %d: head %q", step, got)
		}
	}
	r := &headRecorder{}
	if r.feed(bytes.Repeat([]byte("x"), maxRespHead+1)) != true || r.head() != nil {
		t.Error("an endless head is kept")
	}
}

func openDB(t *testing.T) (*capture.SQLiteStore, *Store) {
	t.Helper()
	s, _, err := capture.OpenSQLite(t.TempDir(), capture.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, NewStore(DB{
		Read: s.ReadDB(),
		Write: func(ctx context.Context, fn func(context.Context, Tx) error) error {
			return s.WriteTx(ctx, func(ctx context.Context, tx capture.Tx) error { return fn(ctx, tx) })
		},
	})
}

// Put keeps the latest result of a stored capture, Get reads it with or
// without the body; a capture deleted meanwhile gets no row.
func TestStorePutGet(t *testing.T) {
	cs, st := openDB(t)
	ctx := context.Background()
	at := time.Unix(1700000000, 5)
	c := &capture.Capture{ID: "cap_1", Time: at, Method: "POST", Path: "/s", Header: http.Header{}}
	if err := cs.Add(c); err != nil {
		t.Fatal(err)
	}
	first := Result{CaptureID: "cap_1", URL: "http://127.0.0.1:1/s", Err: "connection refused", Attempts: 3, At: at}
	second := Result{CaptureID: "cap_1", URL: "http://127.0.0.1:3000/s", Status: 202, Time: 35 * time.Millisecond, Attempts: 1,
		At: at.Add(time.Second), Response: &Response{Head: []byte("HTTP/1.1 202 Accepted\r\nX-A: 1"), Body: []byte(`{}`), Size: 2}}
	for _, r := range []Result{first, second} {
		if kept, err := st.Put(ctx, r, at); err != nil || !kept {
			t.Fatal(kept, err)
		}
	}
	rec, ok, err := st.Get(ctx, "cap_1", true)
	if err != nil || !ok || !rec.Captured.Equal(at) {
		t.Fatal(rec, ok, err)
	}
	r := rec.Result
	if r.Status != 202 || r.Err != "" || r.Time != 35*time.Millisecond || !r.At.Equal(second.At) || string(r.Response.Head) != string(second.Response.Head) ||
		string(r.Response.Body) != "{}" || r.Response.Size != 2 || r.Response.Truncated {
		t.Errorf("got %+v %+v", r, r.Response)
	}
	rec, _, _ = st.Get(ctx, "cap_1", false)
	if rec.Result.Response == nil || rec.Result.Response.Body != nil {
		t.Errorf("without body: %+v", rec.Result.Response)
	}
	if kept, err := st.Put(ctx, Result{CaptureID: "cap_gone"}, at); err != nil || kept {
		t.Errorf("a capture not stored got a row: %v, %v", kept, err)
	}
	if _, ok, _ := st.Get(ctx, "cap_gone", false); ok {
		t.Error("read a row of a capture not stored")
	}
}

// DropPruned deletes the rows of the oldest captures the store pruned,
// and keeps those of the captures kept.
func TestStoreDropPruned(t *testing.T) {
	cs, st := openDB(t)
	ctx := context.Background()
	base := time.Unix(1700000000, 0)
	n := capture.DropStep + 40 // more than one step of pruned rows
	for i := range n + 3 {
		c := &capture.Capture{ID: fmt.Sprintf("cap_%04d", i), Time: base.Add(time.Duration(i) * time.Millisecond), Method: "POST", Path: "/s", Header: http.Header{}}
		if err := cs.Add(c); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Put(ctx, Result{CaptureID: c.ID, Status: 202, At: c.Time}, c.Time); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cs.DeleteOldest(int64(n)); err != nil {
		t.Fatal(err)
	}
	dropped, err := st.DropPruned(ctx)
	if err != nil || dropped != n {
		t.Fatalf("dropped %d, %v; want %d", dropped, err, n)
	}
	var left int
	if err := cs.ReadDB().QueryRow(`SELECT count(*) FROM forwards`).Scan(&left); err != nil || left != 3 {
		t.Fatalf("%d rows left, %v", left, err)
	}
}
