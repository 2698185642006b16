package ui

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/requester"
)

// replayNewest selects the newest capture, taps Replay and returns the
// composer tab it opened.
func replayNewest(t *testing.T, r *rig) {
	t.Helper()
	cat := r.ui.Catcher
	cat.Select(0)
	r.loop.waitFor(t, "the newest capture shown", func() bool { return cat.detail.shown != nil })
	tabs := len(r.ui.Composer.Tabs.tabs)
	test.Tap(cat.detail.replayBtn)
	if len(r.ui.Composer.Tabs.tabs) != tabs+1 {
		t.Fatalf("Replay opened %d tabs, want one", len(r.ui.Composer.Tabs.tabs)-tabs)
	}
}

// newestCapture is the newest stored capture once there are n.
func newestCapture(t *testing.T, r *rig, n int) *capture.Capture {
	t.Helper()
	r.loop.waitFor(t, "the replay caught", func() bool { return r.ui.Catcher.pager.total == n })
	list, err := r.store.List(capture.Filter{}, 0, 1)
	if err != nil || len(list) != 1 {
		t.Fatalf("newest capture: %v %v", list, err)
	}
	cp, err := r.store.Get(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// TestReplayACapture: Replay opens the selected webhook in a new
// composer tab (method, path, query, headers, body), and Send delivers
// the same request again: here to the catcher itself.
func TestReplayACapture(t *testing.T) {
	r := newRig(t)
	req, _ := http.NewRequest("PUT", r.catcher.URL+"/github/push?delivery=42&x=a%20b", strings.NewReader(`{"ref":"refs/heads/main"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "push")
	deliver(t, r, req, 1)
	replayNewest(t, r)

	c := r.ui.Composer
	if c.Method.Text != "PUT" || c.URL.Text != "{{webhook_url}}github/push?delivery=42&x=a%20b" {
		t.Fatalf("replay tab: %s %s", c.Method.Text, c.URL.Text)
	}
	if got := c.Request(); got.Body.Kind != requester.BodyJSON || got.Body.Text != `{"ref":"refs/heads/main"}` {
		t.Fatalf("replay body %+v", got.Body)
	}
	if cur := c.Tabs.current(); cur.title != "Replay PUT /github/push" {
		t.Errorf("replay tab titled %q", cur.title)
	}
	test.Tap(c.SendButton)
	r.loop.waitFor(t, "the catcher's answer to the replay", func() bool { return c.Status.Text == "200 OK" })
	again := newestCapture(t, r, 2)
	if again.Method != "PUT" || again.Path != "/github/push" || again.RawQuery != "delivery=42&x=a%20b" ||
		string(again.Body) != `{"ref":"refs/heads/main"}` || again.Header.Get("X-Github-Event") != "push" ||
		again.Header.Get("Content-Type") != "application/json" || len(again.Header.Values("Content-Type")) != 1 {
		t.Fatalf("replayed: %s %s?%s %q %v", again.Method, again.Path, again.RawQuery, again.Body, again.Header)
	}
}

// TestReplayKeepsBinaryBodiesExact: a gzip-encoded body is replayed
// byte for byte (from a file), with its Content-Encoding.
func TestReplayKeepsBinaryBodiesExact(t *testing.T) {
	r := newRig(t)
	sent := postGzip(t, r, "/shop/orders", `{"event":"compressed"}`)
	replayNewest(t, r)
	if got := r.ui.Composer.Request(); got.Body.Kind != requester.BodyFile {
		t.Fatalf("binary body replayed as %q", got.Body.Kind)
	}
	test.Tap(r.ui.Composer.SendButton)
	r.loop.waitFor(t, "the catcher's answer to the replay", func() bool { return r.ui.Composer.Status.Text == "200 OK" })
	again := newestCapture(t, r, 2)
	if !bytes.Equal(again.Body, sent) || again.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("replayed %d bytes (want %d exact), Content-Encoding %q", len(again.Body), len(sent), again.Header.Get("Content-Encoding"))
	}
}

// TestReplayRefusesATruncatedBody: a body cut at the catcher's limit
// cannot be sent again as it arrived; Replay says so and opens nothing.
func TestReplayRefusesATruncatedBody(t *testing.T) {
	r := newRig(t)
	cp := &capture.Capture{ID: "cap_big", Method: "POST", Path: "/big", Proto: "HTTP/1.1", Status: 413,
		Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("kept"), BodySize: 20 << 20, Truncated: true}
	if err := r.store.Add(cp); err != nil {
		t.Fatal(err)
	}
	cat := r.ui.Catcher
	r.loop.waitFor(t, "the capture listed", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.waitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	tabs := len(r.ui.Composer.Tabs.tabs)
	test.Tap(cat.detail.replayBtn)
	if len(r.ui.Composer.Tabs.tabs) != tabs {
		t.Fatal("a truncated capture was opened for replay")
	}
	if msg := mutedText(cat.count); !strings.Contains(msg, "Cannot replay this capture: only the first 4 B of its 20.0 MB body were kept") {
		t.Fatalf("said %q", msg)
	}
}
