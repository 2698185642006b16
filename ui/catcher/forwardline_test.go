package catcher

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/ui/dialogs/dialogstest"
	"hooklab/workspace"
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

// TestForwardResponseView: a capture forwarded to an app that answers
// JSON with a header of its own shows Response next to the line; it
// opens the app's answer: status line, headers in the order and case
// received, the body highlighted as a capture's, and Raw. The line's
// room is kept while the forward is on its way, so nothing below it
// moves when the result arrives.
func TestForwardResponseView(t *testing.T) {
	r := newRig(t)
	gate := make(chan struct{})
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		select {
		case <-gate:
		case <-req.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header()["x-Request-ID"] = []string{"req_42"}
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"received":true,"id":"evt_1"}`)
	}))
	defer app.Close()
	defer close(gate)
	rule, err := forward.NewRule("/stripe", app.URL+"/hooks")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.ws.SetForwardRules([]forward.Rule{rule}); err != nil {
		t.Fatal(err)
	}

	cat := r.c
	postWebhook(t, r, "/stripe/evt", "evt_1", "application/json", `{"amount":1200}`, 1)
	cat.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	line := cat.detail.forward
	if !line.line.Visible() || line.Text() != "" {
		t.Fatalf("while forwarding: line shown %v, says %q; want its room kept, empty", line.line.Visible(), line.Text())
	}
	tabsY := func() float32 {
		cat.detail.pane.Refresh() // lays out again, as the window does when a size changes
		return cat.detail.tabs.Position().Y
	}
	tabsAt := tabsY()
	gate <- struct{}{}
	r.loop.WaitFor(t, "the forward shown", func() bool { return strings.Contains(line.Text(), " · 202 · ") })
	if y := tabsY(); y != tabsAt {
		t.Errorf("the tabs moved from %v to %v when the result arrived", tabsAt, y)
	}
	if !line.response.Visible() || line.retry.Visible() {
		t.Fatalf("Response shown %v, Retry shown %v", line.response.Visible(), line.retry.Visible())
	}

	test.Tap(line.response)
	r.loop.WaitFor(t, "the response dialog", func() bool { return line.view != nil })
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Custom || a.Title != forwardResponseTitle || a.Content != line.view.content {
		t.Fatalf("asked %+v", a)
	}
	v := line.view
	if v.status.Text != "HTTP/1.1 202 Accepted" {
		t.Errorf("status line %q", v.status.Text)
	}
	r.loop.WaitFor(t, "the body shown", func() bool { return strings.Contains(v.Body.Text(), `"received": true`) })
	r.loop.WaitFor(t, "the raw answer shown", func() bool {
		return strings.HasPrefix(v.Raw.Text(), "HTTP/1.1 202 Accepted\n") && strings.Contains(v.Raw.Text(), "\nx-Request-ID: req_42\n")
	})
	if v.hdrTab.Text != "Headers (4)" {
		t.Errorf("headers tab %q", v.hdrTab.Text)
	}
	coloured := false
	for _, l := range v.Body.Lines() {
		for _, tok := range l {
			if strings.Contains(tok.Text, "received") && tok.Type != chroma.Text {
				coloured = true
			}
		}
	}
	if !coloured {
		t.Errorf("the JSON body is not highlighted: %+v", v.Body.Lines())
	}
}

// TestForwardLineHiddenWithoutForwarding: a capture of an endpoint not
// forwarded, with no result, takes no room in the detail.
func TestForwardLineHiddenWithoutForwarding(t *testing.T) {
	r := newRig(t)
	postWebhook(t, r, "/github", "d1", "application/json", `{}`, 1)
	r.c.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return r.c.detail.shown != nil })
	if r.c.detail.forward.line.Visible() {
		t.Error("the forward line takes room for a capture not forwarded")
	}
}

// TestForwardLineFollowsAnotherProcess: a capture shown in the window
// and forwarded by another process on the same data directory (as
// `hooklab listen --forward` does) gets its line from that process's
// result, with no event of the window's own.
func TestForwardLineFollowsAnotherProcess(t *testing.T) {
	r := newRig(t)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer app.Close()
	postWebhook(t, r, "/stripe/evt", "evt_1", "application/json", `{}`, 1)
	cat := r.c
	cat.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	line := cat.detail.forward
	if line.line.Visible() {
		t.Fatal("a capture not forwarded has a forward line")
	}

	other, err := workspace.Open(workspace.Options{DataDir: r.ws.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	rule, err := forward.NewRule("/stripe", app.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Serve(workspace.ServeOptions{Addr: "127.0.0.1:0", NoSandbox: true, Logger: log.New(io.Discard, "", 0),
		Forward: []forward.Rule{rule}}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		other.Stop()
		other.Close()
	}()
	if err := other.RetryForward(cat.detail.shown.ID); err != nil {
		t.Fatal(err)
	}
	r.loop.WaitFor(t, "the other process's result", func() bool { return strings.Contains(line.Text(), " · 202 · ") })
}
