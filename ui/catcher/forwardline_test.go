package catcher

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/workspace/forward"
)

// TestForwardLineAndRetry: a capture forwarded to an app that refused
// it says so in the error colour with Retry; Retry sends it again, and
// the line turns to the app's 202 in the success colour.
func TestForwardLineAndRetry(t *testing.T) {
	r := newRig(t)
	var hits atomic.Int32
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer app.Close()

	// Set up as a user does: Responses → Forwarding…, endpoint and URL.
	cat := r.c
	cat.showForwarding()
	e := cat.forwardView
	e.Endpoint.SetText("/stripe")
	test.Type(e.Target, "ftp://nope")
	test.Tap(e.saveBtn)
	if !e.errLabel.Visible() || !strings.Contains(e.errLabel.Text, "is not an http:// or https:// URL") {
		t.Fatalf("a bad URL was taken: %q", e.errLabel.Text)
	}
	e.Target.SetText(app.URL + "/hooks")
	test.Tap(e.saveBtn)
	r.loop.WaitFor(t, "the rule listed", func() bool { return len(e.rules) == 1 })
	if e.errLabel.Visible() {
		t.Fatalf("the editor says %q", e.errLabel.Text)
	}

	postWebhook(t, r, "/stripe/evt", "evt_1", "application/json", `{"amount":1200}`, 1)
	cat.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	line := cat.detail.forward
	r.loop.WaitFor(t, "the forward shown", func() bool { return line.Text() != "" })
	want := "Forwarded to " + app.URL + "/hooks/evt · 400 · "
	if !strings.HasPrefix(line.Text(), want) {
		t.Fatalf("line %q, want it to start %q", line.Text(), want)
	}
	if c := line.text.Segments[0].(*widget.TextSegment).Style.ColorName; c != theme.ColorNameError || !line.retry.Visible() {
		t.Fatalf("a refused forward is coloured %q, Retry shown %v", c, line.retry.Visible())
	}

	test.Tap(line.retry)
	r.loop.WaitFor(t, "the retry's result", func() bool { return strings.Contains(line.Text(), " · 202 · ") })
	if hits.Load() != 2 {
		t.Errorf("the app got %d requests, want 2", hits.Load())
	}
	if c := line.text.Segments[0].(*widget.TextSegment).Style.ColorName; c != theme.ColorNameSuccess || line.retry.Visible() {
		t.Errorf("a delivered forward is coloured %q, Retry shown %v", c, line.retry.Visible())
	}

	// Stopping forwarding, the next capture is not forwarded.
	e.Endpoint.SetText("/stripe")
	test.Tap(e.removeBt)
	r.loop.WaitFor(t, "no rule listed", func() bool { return len(e.rules) == 0 })
	postWebhook(t, r, "/stripe/evt", "evt_2", "application/json", `{"amount":1500}`, 2)
	if got := r.ws.ForwardRules(); len(got) != 0 {
		t.Errorf("rules after Stop forwarding: %+v", got)
	}
}

// TestForwardFailedLine: a target that is down is said in words.
func TestForwardFailedLine(t *testing.T) {
	for _, tc := range []struct {
		err, want string
	}{
		{"dial tcp 127.0.0.1:1: connect: connection refused", "Forward failed: dial tcp 127.0.0.1:1: connect: connection refused"},
		{"not forwarded: 256 captures are already waiting for x", "Forward failed: 256 captures are already waiting for x"},
	} {
		got, ok := forwardWords(forwardResult(tc.err))
		if ok || got != tc.want {
			t.Errorf("%q → %q, %v", tc.err, got, ok)
		}
	}
}

func forwardResult(err string) forward.Result { return forward.Result{Err: err} }
