package workspace

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/capture/signature"
	"hooklab/sandbox"
	"hooklab/workspace/poll"
)

// fastSandbox are sandbox delays for tests: every webhook comes at once.
var fastSandbox = sandbox.Options{CreatedDelay: time.Millisecond, SucceededDelay: 2 * time.Millisecond,
	JobStepDelay: time.Millisecond, PushDelay: time.Millisecond, RetryBackoff: time.Millisecond}

func postJSON(t *testing.T, url, body string) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		t.Fatalf("%s answered %s", url, res.Status)
	}
}

// The job's Standard Webhooks deliveries and the push's GitHub one all
// verify with the sandbox's secret; the next one after TamperNextWebhook
// does not.
func TestSandboxScenariosVerify(t *testing.T) {
	w := openTest(t, t.TempDir())
	if err := w.TamperNextWebhook(); !errors.Is(err, ErrNotServing) {
		t.Fatalf("TamperNextWebhook before Serve: %v", err)
	}
	s := serveTest(t, w, ServeOptions{Sandbox: fastSandbox})
	postJSON(t, s.SandboxURL+"v1/jobs", `{"callback_url":"`+s.CatcherURL+`jobs"}`)
	var list []capture.Summary
	poll.Until(t, "four job webhooks", func() bool { list, _ = w.Store().List(capture.Filter{}, 0, 10); return len(list) == 4 })
	postJSON(t, s.SandboxURL+"v1/repos/octo/demo/push", `{"callback_url":"`+s.CatcherURL+`github"}`)
	poll.Until(t, "the push", func() bool { list, _ = w.Store().List(capture.Filter{}, 0, 10); return len(list) == 5 })
	if err := w.TamperNextWebhook(); err != nil {
		t.Fatal(err)
	}
	postJSON(t, s.SandboxURL+"v1/repos/octo/demo/push", `{"callback_url":"`+s.CatcherURL+`github"}`)
	poll.Until(t, "the tampered push", func() bool { list, _ = w.Store().List(capture.Filter{}, 0, 10); return len(list) == 6 })

	want := []struct{ event, scheme, verdict string }{
		{"push", "github", "invalid: " + string(signature.Mismatch)},
		{"push", "github", "valid"},
		{"job.completed", "standard", "valid"},
		{"job.progress", "standard", "valid"},
		{"job.progress", "standard", "valid"},
		{"job.progress", "standard", "valid"},
	}
	for i, sum := range list {
		if sum.Event != want[i].event || sum.Signature.Scheme != want[i].scheme || sum.Signature.String() != want[i].verdict {
			t.Errorf("capture %d: %s %+v, want %+v", i, sum.Event, sum.Signature, want[i])
		}
	}
}

// gatedTransport holds the attempt numbered at until release is closed,
// so a test can change the catcher between two attempts without racing
// the sandbox's backoff.
type gatedTransport struct {
	at      int
	release chan struct{}
	mu      sync.Mutex
	n       int
}

func (g *gatedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	g.n++
	n := g.n
	g.mu.Unlock()
	if n == g.at {
		select {
		case <-g.release:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A rule answering 500 makes the sandbox retry; once the rule is gone
// the next attempt is accepted, and the catcher holds every attempt.
func TestRetriesAreCapturedUntilTheRuleGoes(t *testing.T) {
	w := openTest(t, t.TempDir())
	gate := &gatedTransport{at: 3, release: make(chan struct{})}
	opts := fastSandbox
	opts.SucceededDelay = time.Hour // payment.created alone
	opts.Client = &http.Client{Transport: gate}
	s := serveTest(t, w, ServeOptions{Sandbox: opts, Respond: []capture.Rule{{Endpoint: "retries", Status: 500}}})
	postJSON(t, s.SandboxURL+"v1/payments", `{"amount":5,"currency":"usd","callback_url":"`+s.CatcherURL+`retries"}`)
	f := capture.Filter{Endpoint: "retries"}
	var list []capture.Summary
	poll.Until(t, "two refused attempts", func() bool { list, _ = w.Store().List(f, 0, 10); return len(list) == 2 })
	if err := <-w.DeleteRule("retries"); err != nil {
		t.Fatal(err)
	}
	close(gate.release)
	poll.Until(t, "the accepted attempt", func() bool { list, _ = w.Store().List(f, 0, 10); return len(list) == 3 })
	ids := map[string]bool{}
	for i, sum := range list {
		want := 500
		if i == 0 {
			want = 200 // newest first
		}
		c, err := w.Store().Get(sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Status != want || sum.Event != "payment.created" || sum.Signature.String() != "valid" {
			t.Errorf("attempt %d: %+v %v, want status %d", 3-i, sum, sum.Signature, want)
		}
		ids[c.Header.Get("Webhook-Id")] = true
	}
	if len(ids) != 1 {
		t.Errorf("attempts carry webhook-ids %v, want one", ids)
	}
}
