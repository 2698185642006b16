package forward

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/workspace/poll"
)

type seen struct {
	method, uri, host string
	header            http.Header
	body              string
}

// results collects what a Forwarder reports.
type results struct {
	mu  sync.Mutex
	all []Result
}

func (r *results) add(_ *capture.Capture, res Result) {
	r.mu.Lock()
	r.all = append(r.all, res)
	r.mu.Unlock()
}

func (r *results) get() []Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Result(nil), r.all...)
}

func (r *results) wait(t *testing.T, n int) []Result {
	t.Helper()
	poll.Until(t, "forward results", func() bool { return len(r.get()) >= n }, func() string { return "" })
	return r.get()
}

func rule(t *testing.T, flag string) Rule {
	t.Helper()
	r, err := ParseFlag(flag)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hook(path, query string, body string) *capture.Capture {
	return &capture.Capture{
		ID: "c-" + path, Method: "POST", Path: path, RawQuery: query,
		Header: http.Header{
			"Content-Type": {"application/json"}, "Stripe-Signature": {"t=1,v1=abc"},
			"Connection": {"keep-alive, X-Private"}, "X-Private": {"hop"}, "Transfer-Encoding": {"chunked"},
			"Host": {"127.0.0.1:8088"}, "Content-Length": {"999"},
		},
		Body: []byte(body),
	}
}

func instant(int) time.Duration { return 0 }

func TestForwardDeliversAsReceived(t *testing.T) {
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.RequestURI, r.Host, r.Header, string(b)}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	var res results
	f := New([]Rule{rule(t, "/stripe="+srv.URL+"/hooks")}, Options{OnResult: res.add, Backoff: instant})
	defer f.Close()

	body := "{\"id\":\"evt_1\",\"bytes\":\"\x00\xff\"}"
	if !f.Enqueue(hook("/stripe/events", "a=1&a=2", body)) {
		t.Fatal("the /stripe rule did not take a /stripe capture")
	}
	if f.Enqueue(hook("/github", "", "{}")) {
		t.Fatal("a capture of another endpoint was taken")
	}
	s := <-got
	if s.method != "POST" || s.uri != "/hooks/events?a=1&a=2" || s.body != body {
		t.Errorf("target got %s %s %q", s.method, s.uri, s.body)
	}
	if u, _ := url.Parse(srv.URL); s.host != u.Host {
		t.Errorf("Host %q, want the target's %q", s.host, u.Host)
	}
	if s.header.Get("Stripe-Signature") != "t=1,v1=abc" || s.header.Get("X-Private") != "" || s.header.Get("Transfer-Encoding") != "" {
		t.Errorf("headers forwarded: %v", s.header)
	}
	r := res.wait(t, 1)[0]
	if r.Status != http.StatusAccepted || r.Err != "" || r.Attempts != 1 || !strings.HasSuffix(r.URL, "/hooks/events?a=1&a=2") {
		t.Errorf("result %+v", r)
	}
}

func TestForwardRetriesThenSaysWhy(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()

	var res results
	f := New([]Rule{rule(t, "/ok="+srv.URL), rule(t, "/dead="+dead)}, Options{OnResult: res.add, Backoff: instant})
	defer f.Close()
	f.Enqueue(hook("/ok", "", "{}"))
	f.Enqueue(hook("/dead", "", "{}"))
	byID := map[string]Result{}
	for _, r := range res.wait(t, 2) {
		byID[r.CaptureID] = r
	}
	if r := byID["c-/ok"]; r.Status != 200 || r.Attempts != 2 || r.Err != "" {
		t.Errorf("after a 503: %+v", r)
	}
	if r := byID["c-/dead"]; r.Status != 0 || r.Attempts != DefaultAttempts || !strings.Contains(r.Err, "refused") {
		t.Errorf("a dead target: %+v", r)
	}
}

// TestSlowTargetHoldsNobody: Enqueue never waits, a full queue is said,
// and another endpoint's target is served meanwhile.
func TestSlowTargetHoldsNobody(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer fast.Close()
	var res results
	f := New([]Rule{rule(t, "/slow="+slow.URL), rule(t, "/fast="+fast.URL)}, Options{OnResult: res.add, Queue: 4, Backoff: instant})
	defer f.Close()
	for range 10 {
		f.Enqueue(hook("/slow", "", "{}")) // returns at once even though the target never answers
	}
	f.Enqueue(hook("/fast", "", "{}"))
	// 5 refused (a queue of 4 plus one in flight) and the fast one served,
	// while the slow target still holds its first.
	count := func() (full int, fastOK bool) {
		for _, r := range res.get() {
			switch {
			case strings.Contains(r.Err, "already waiting"):
				full++
			case r.CaptureID == "c-/fast" && r.Status == 200:
				fastOK = true
			}
		}
		return full, fastOK
	}
	poll.Until(t, "the fast target served and the slow queue's overflow said", func() bool {
		full, fastOK := count()
		return fastOK && full >= 5
	}, func() string { return fmt.Sprintf("%+v", res.get()) })
}

func TestForwardKeepsTruncatedBodies(t *testing.T) {
	var res results
	f := New([]Rule{rule(t, "/x=http://127.0.0.1:9")}, Options{OnResult: res.add})
	defer f.Close()
	c := hook("/x", "", "part")
	c.Truncated = true
	f.Enqueue(c)
	if r := res.wait(t, 1)[0]; !strings.Contains(r.Err, "only the start") || r.Attempts != 0 {
		t.Errorf("result %+v", r)
	}
}

func TestParseFlag(t *testing.T) {
	for _, bad := range []string{"", "stripe=http://x", "/a/b=http://x", "/a=ftp://x", "/a=localhost:3000", "/a="} {
		if _, err := ParseFlag(bad); err == nil || !strings.Contains(err.Error(), "--forward") {
			t.Errorf("ParseFlag(%q) = %v, want an error naming --forward", bad, err)
		}
	}
	r, err := ParseFlag("/stripe=http://localhost:3000/hooks")
	if err != nil || r.Endpoint != "stripe" || r.Target.String() != "http://localhost:3000/hooks" {
		t.Errorf("ParseFlag = %+v, %v", r, err)
	}
}
