package workspace

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hooklab/capture"
	"hooklab/workspace/forward"
	"hooklab/workspace/poll"
)

// target records the paths of the requests delivered to it; gate, when set,
// holds each answer until it is closed.
type target struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  []string
	gate chan struct{}
}

func newTarget(t *testing.T, gate chan struct{}) *target {
	tg := &target{gate: gate}
	tg.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so a cancelled request is noticed
		if tg.gate != nil {
			select {
			case <-tg.gate:
			case <-r.Context().Done():
				return // cancelled: not delivered
			}
		}
		tg.mu.Lock()
		tg.got = append(tg.got, r.URL.Path)
		tg.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(tg.srv.Close)
	return tg
}

func (tg *target) paths() []string {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return append([]string(nil), tg.got...)
}

func forwardRule(t *testing.T, ep, u string) forward.Rule {
	t.Helper()
	r, err := forward.NewRule(ep, u)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func serveForTest(t *testing.T, w *Workspace, flags ...forward.Rule) Serving {
	t.Helper()
	s, err := w.Serve(ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Logger: quiet, NoSandbox: true, Forward: flags})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return s
}

// TestSetForwardRulesTakesEffectAndIsKept: rules set while the catcher
// serves forward the captures that come after; they are kept in the
// data directory and forward again after a restart; a --forward flag
// for the same endpoint wins over them.
func TestSetForwardRulesTakesEffectAndIsKept(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t, nil)
	w, err := Open(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s := serveForTest(t, w)
	post(t, s.CatcherURL+"stripe/one")
	if err := w.SetForwardRules([]forward.Rule{forwardRule(t, "/stripe", tg.srv.URL+"/hooks")}); err != nil {
		t.Fatal(err)
	}
	post(t, s.CatcherURL+"stripe/two")
	poll.Until(t, "the second capture forwarded", func() bool { return len(tg.paths()) == 1 })
	if got := tg.paths(); got[0] != "/hooks/two" {
		t.Errorf("forwarded %q; the capture before the rule must not be", got)
	}
	if got := w.ForwardRules(); len(got) != 1 || got[0].Endpoint != "stripe" {
		t.Errorf("ForwardRules = %+v", got)
	}
	w.Stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ForwardRulesFile)); err != nil {
		t.Fatal(err)
	}

	// Reloaded on the next start.
	w2 := openTest(t, dir)
	s2 := serveForTest(t, w2)
	post(t, s2.CatcherURL+"stripe/three")
	poll.Until(t, "forwarded after the restart", func() bool { return len(tg.paths()) == 2 })

	// A flag wins for its endpoint.
	w2.Stop()
	if err := w2.Close(); err != nil {
		t.Fatal(err)
	}
	flagTarget := newTarget(t, nil)
	w3 := openTest(t, dir)
	s3 := serveForTest(t, w3, forwardRule(t, "/stripe", flagTarget.srv.URL))
	post(t, s3.CatcherURL+"stripe/four")
	poll.Until(t, "forwarded by the flag", func() bool { return len(flagTarget.paths()) == 1 })
	if len(tg.paths()) != 2 {
		t.Errorf("the saved rule forwarded too: %q", tg.paths())
	}
	if _, ok := w3.ForwardFlag("stripe"); !ok {
		t.Error("ForwardFlag does not name the flag")
	}
}

// TestSetForwardRulesLetsQueuedFinish: a capture on its way to the old
// target when the rules change is still delivered there; the next one
// goes to the new target.
func TestSetForwardRulesLetsQueuedFinish(t *testing.T) {
	gate := make(chan struct{})
	old, next := newTarget(t, gate), newTarget(t, nil)
	w := openTest(t, t.TempDir())
	s := serveForTest(t, w)
	if err := w.SetForwardRules([]forward.Rule{forwardRule(t, "/gh", old.srv.URL)}); err != nil {
		t.Fatal(err)
	}
	post(t, s.CatcherURL+"gh/a")
	if err := w.SetForwardRules([]forward.Rule{forwardRule(t, "/gh", next.srv.URL)}); err != nil {
		t.Fatal(err)
	}
	post(t, s.CatcherURL+"gh/b")
	poll.Until(t, "the new capture at the new target", func() bool { return len(next.paths()) == 1 })
	close(gate)
	poll.Until(t, "the old capture at the old target", func() bool { return len(old.paths()) == 1 })
	if got := next.paths(); got[0] != "/b" {
		t.Errorf("new target got %q", got)
	}
	if got := old.paths(); got[0] != "/a" {
		t.Errorf("old target got %q", got)
	}
}

// TestRetryForwardDeliversAgain: Retry sends the stored capture to the
// target again, and its result replaces the first.
func TestRetryForwardDeliversAgain(t *testing.T) {
	tg := newTarget(t, nil)
	w := openTest(t, t.TempDir())
	s := serveForTest(t, w, forwardRule(t, "/pay", tg.srv.URL))
	post(t, s.CatcherURL+"pay")
	poll.Until(t, "forwarded", func() bool { return len(tg.paths()) == 1 })
	list, err := w.Store().List(capture.Filter{}, 0, 1)
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	id := list[0].ID
	poll.Until(t, "the result kept", func() bool { _, ok := w.Forwarded(id); return ok })
	if err := w.RetryForward(id); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "forwarded again", func() bool { return len(tg.paths()) == 2 })
	poll.Until(t, "the second result", func() bool {
		r, _ := w.Forwarded(id)
		return r.Status == http.StatusAccepted
	})

	post(t, s.CatcherURL+"other")
	list, _ = w.Store().List(capture.Filter{}, 0, 1)
	if err := w.RetryForward(list[0].ID); err == nil || !strings.Contains(err.Error(), "no forwarding rule for /other") {
		t.Errorf("retrying a capture of an endpoint not forwarded: %v", err)
	}
}

// TestForwardRulesFileBadInput: a rules file that is not JSON, or that
// holds a rule that is not valid, is said in the notes; the good rules
// still forward. SetForwardRules refuses a bad rule and keeps the old.
func TestForwardRulesFileBadInput(t *testing.T) {
	for _, tc := range []struct{ name, file, note string }{
		{"not json", "{nope", "is not valid JSON"},
		{"bad url", `{"rules":[{"endpoint":"/a","url":"ftp://x"},{"endpoint":"/b","url":"http://127.0.0.1:1/"}]}`, "left out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ForwardRulesFile), []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			w := openTest(t, dir)
			serveForTest(t, w)
			if notes := strings.Join(w.Notes(), "\n"); !strings.Contains(notes, tc.note) {
				t.Errorf("notes: %q", notes)
			}
		})
	}
	w := openTest(t, t.TempDir())
	good := forwardRule(t, "/a", "http://127.0.0.1:1/")
	if err := w.SetForwardRules([]forward.Rule{good}); err != nil {
		t.Fatal(err)
	}
	if err := w.SetForwardRules([]forward.Rule{good, good}); err == nil || !strings.Contains(err.Error(), "two rules") {
		t.Errorf("two rules for one endpoint: %v", err)
	}
	if got := w.ForwardRules(); len(got) != 1 {
		t.Errorf("rules after a refused edit: %+v", got)
	}
}
