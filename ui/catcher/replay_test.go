package catcher

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/workspace"
)

// TestReplayRefusesATruncatedBody: a body cut at the catcher's limit
// cannot be sent again as it arrived; Replay says so and opens nothing.
func TestReplayRefusesATruncatedBody(t *testing.T) {
	r := newRig(t)
	cp := &capture.Capture{ID: "cap_big", Method: "POST", Path: "/big", Proto: "HTTP/1.1", Status: 413,
		Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("kept"), BodySize: 20 << 20, Truncated: true}
	if err := r.store.Add(cp); err != nil {
		t.Fatal(err)
	}
	cat := r.c
	r.loop.WaitFor(t, "the capture listed", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	test.Tap(cat.detail.replayBtn)
	if len(r.replays) != 0 {
		t.Fatal("a truncated capture was handed on for replay")
	}
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Error || !strings.Contains(a.Message, "Cannot replay this capture: only the first 4 B of its 20.0 MB body were kept") {
		t.Fatalf("said %+v", r.dialogs.Asked)
	}
}

// TestReplayHandsTheCaptureOn: Replay hands the shown webhook on as a
// request to the catcher itself: method, path, query, headers and body;
// a body that is not plain text goes as a file in the replay folder.
func TestReplayHandsTheCaptureOn(t *testing.T) {
	r := newRig(t)
	cat := r.c
	req, _ := http.NewRequest("PUT", r.url+"/github/push?delivery=42&x=a%20b", strings.NewReader(`{"ref":"refs/heads/main"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "push")
	deliver(t, r, req, 1)
	cat.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	if !cat.detail.replayBtn.Visible() {
		t.Fatal("Replay is hidden though OnReplay is set")
	}
	test.Tap(cat.detail.replayBtn)
	if len(r.replays) != 1 {
		t.Fatalf("Replay handed on %d requests, want one", len(r.replays))
	}
	got := r.replays[0]
	if got.Name != "Replay PUT /github/push" || got.Method != "PUT" || got.URL != "{{webhook_url}}github/push?delivery=42&x=a%20b" {
		t.Fatalf("replay %q: %s %s", got.Name, got.Method, got.URL)
	}
	if got.Body.Kind != requester.BodyJSON || got.Body.Text != `{"ref":"refs/heads/main"}` {
		t.Fatalf("replay body %+v", got.Body)
	}
	hdrs := map[string]string{}
	for _, h := range got.Headers {
		hdrs[h.Name] = h.Value
	}
	if hdrs["X-Github-Event"] != "push" || hdrs["Content-Type"] != "application/json" || hdrs["Content-Length"] != "" {
		t.Fatalf("replay headers %+v", got.Headers)
	}

	sent := postGzip(t, r, "/shop/orders", `{"event":"compressed"}`)
	r.loop.WaitFor(t, "both listed", func() bool { return cat.pager.total == 2 })
	cat.Select(0)
	r.loop.WaitFor(t, "the gzip capture shown", func() bool { return cat.detail.shown != nil && cat.detail.shown.Path == "/shop/orders" })
	test.Tap(cat.detail.replayBtn)
	got = r.replays[1]
	want := filepath.Join(r.ws.Dir(), workspace.ReplaysFolder)
	if got.Body.Kind != requester.BodyFile || filepath.Dir(got.Body.File) != want {
		t.Fatalf("a gzip body should go as a file in %s: %+v", want, got.Body)
	}
	if data, err := os.ReadFile(got.Body.File); err != nil || !bytes.Equal(data, sent) {
		t.Fatalf("the body file holds %d bytes (%v), want the %d sent", len(data), err, len(sent))
	}
}
