package workspace

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/workspace/poll"
)

func TestServeAnswersByTheRespondRulesAndFallsBack(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	w := openTest(t, t.TempDir())
	var seen atomic.Int32
	s, err := w.Serve(ServeOptions{
		Addr: busy.Addr().String(), SandboxAddr: "127.0.0.1:0", Logger: quiet,
		Respond:   []capture.Rule{{Endpoint: "github", Status: 202}},
		OnCapture: func(*capture.Capture) { seen.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.CatcherURL == "http://"+busy.Addr().String()+"/" || s.CatcherURL != w.CatcherURL() || s.SandboxURL != w.SandboxURL() {
		t.Fatalf("serving %+v; catcher %s, sandbox %s", s, w.CatcherURL(), w.SandboxURL())
	}
	want := fmt.Sprintf("The catcher's port %s was busy, so it listens on %s instead.", busy.Addr(), strings.TrimSuffix(strings.TrimPrefix(s.CatcherURL, "http://"), "/"))
	if len(s.Notes) != 1 || s.Notes[0] != want || !strings.Contains(strings.Join(w.Notes(), "\n"), want) {
		t.Fatalf("notes %q, want %q", s.Notes, want)
	}
	if got := post(t, s.CatcherURL+"github/push"); got != 202 {
		t.Fatalf("github answered %d, want the --respond 202", got)
	}
	if seen.Load() != 1 {
		t.Fatalf("OnCapture saw %d captures", seen.Load())
	}
	res, err := http.Get(s.SandboxURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("the sandbox answered %d", res.StatusCode)
	}
	if v := w.Vars(); v["webhook_url"] != s.CatcherURL || v["sandbox_url"] != strings.TrimSuffix(s.SandboxURL, "/") {
		t.Fatalf("Vars %v for %+v", v, s)
	}
	if _, err := w.Serve(ServeOptions{}); err == nil {
		t.Fatal("a second Serve did not fail")
	}
}

func TestRefusedCapturesArePublished(t *testing.T) {
	w := openTest(t, t.TempDir())
	s := serveTest(t, w, ServeOptions{})
	ev := subscribe(t, w)
	var told atomic.Int32
	remove := w.OnRefused(func(c *capture.Capture, err error) {
		if c.Path == "/x" && err != nil {
			told.Add(1)
		}
	})
	// A store that refuses everything: closed under the workspace.
	if err := w.Store().Close(); err != nil {
		t.Fatal(err)
	}
	if got := post(t, s.CatcherURL+"x"); got != http.StatusServiceUnavailable {
		t.Fatalf("answered %d, want 503", got)
	}
	got := ev.until("the refusal", func(l []Event) bool { return count[CaptureRefused](l) == 1 })
	r := got[len(got)-1].(CaptureRefused)
	if r.Method != "POST" || r.Path != "/x" || r.Err == nil || r.Cause != "capture store is closed" {
		t.Fatalf("refusal %+v", r)
	}
	if told.Load() != 1 {
		t.Fatalf("OnRefused was told %d times", told.Load())
	}
	remove()
	post(t, s.CatcherURL+"x")
	if told.Load() != 1 {
		t.Fatal("told after remove")
	}
}

// TestNothingWritesAfterStop runs every producer at once (senders to
// the catcher, sandbox payments with their webhooks, sends in flight,
// rule edits), stops the workspace, and checks that nothing reached the
// database after Stop returned: the database reopened holds what it
// held then, and no event of a write was published since.
func TestNothingWritesAfterStop(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(Options{DataDir: dir, History: true})
	if err != nil {
		t.Fatal(err)
	}
	s := serveTest(t, w, ServeOptions{Respond: []capture.Rule{{Endpoint: "slow", Status: 200, Delay: capture.MaxRuleDelay}}})
	var stopped atomic.Bool
	w.OnRefused(func(c *capture.Capture, err error) {
		if stopped.Load() {
			t.Errorf("a capture was refused after Stop: %s %v", c.Path, err)
		}
	})
	quit := make(chan struct{})
	var load sync.WaitGroup
	for i := range 4 {
		load.Go(func() { // senders to the catcher
			for n := 0; ; n++ {
				select {
				case <-quit:
					return
				default:
				}
				if res, err := http.Post(fmt.Sprintf("%shook%d/%d", s.CatcherURL, i, n), "text/plain", strings.NewReader("x")); err == nil {
					res.Body.Close()
				}
			}
		})
	}
	for range 3 { // payments whose webhooks come back later
		body := `{"amount":5,"currency":"usd","callback_url":"` + s.CatcherURL + `payments"}`
		if res, err := http.Post(s.SandboxURL+"v1/payments", "application/json", strings.NewReader(body)); err == nil {
			res.Body.Close()
		}
	}
	for range 3 { // sends the catcher holds for 30 s
		load.Go(func() {
			_, _ = w.Send(context.Background(), "t", requester.Request{Method: "POST", URL: s.CatcherURL + "slow"}, nil, "")
		})
	}
	load.Go(func() { // rule edits
		for i := 0; ; i++ {
			if errors.Is(<-w.SetRule(capture.Rule{Endpoint: "edited", Status: 200 + i%100}), ErrStopped) {
				return
			}
		}
	})
	poll.Until(t, "captures under load", func() bool {
		n, _ := w.Store().Count(capture.Filter{})
		return n > 20
	})

	w.Stop()
	stopped.Store(true)
	sub := w.Events().Subscribe()
	captures, err := w.Store().Count(capture.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := w.History().Count("")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := w.Rules().Rules()
	if err != nil {
		t.Fatal(err)
	}
	close(quit)
	load.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, e := range sub.Take() {
		switch e.(type) {
		case CapturesAdded, CapturesPruned, CaptureDeleted, CapturesCleared, HistoryAdded, HistoryNotKept, RulesChanged:
			t.Errorf("after Stop: %#v", e)
		}
	}

	again := openTest(t, dir)
	if n, _ := again.Store().Count(capture.Filter{}); n != captures {
		t.Errorf("%d captures after reopening, %d when Stop returned", n, captures)
	}
	if n, _ := again.History().Count(""); n != entries {
		t.Errorf("%d history entries after reopening, %d when Stop returned", n, entries)
	}
	if r, _ := again.Rules().Rules(); fmt.Sprint(r) != fmt.Sprint(rules) {
		t.Errorf("rules %v after reopening, %v when Stop returned", r, rules)
	}
}

// TestStopWithoutServing: a workspace that never served stops and
// closes at once.
func TestStopWithoutServing(t *testing.T) {
	w, err := Open(Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	w.Stop()
	w.Stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := w.Serve(ServeOptions{}); !errors.Is(err, ErrStopped) {
		t.Fatalf("Serve after Stop = %v", err)
	}
}

// TestServeWithoutTheSandbox: the Sandbox setting off serves the
// catcher only, and Stop and Close still work.
func TestServeWithoutTheSandbox(t *testing.T) {
	w := openTest(t, t.TempDir())
	s, err := w.Serve(ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Logger: quiet, NoSandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.SandboxURL != "" || w.SandboxURL() != "" || s.CatcherURL == "" {
		t.Fatalf("serving %+v without the sandbox", s)
	}
	if got := post(t, s.CatcherURL+"x"); got != 200 {
		t.Fatalf("the catcher answered %d", got)
	}
	w.Stop()
}
