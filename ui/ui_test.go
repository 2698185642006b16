package ui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/sandbox"
)

// uiLoop stands in for Fyne's event goroutine: work handed to do() is
// queued and run by the test goroutine while it waits.
type uiLoop struct{ q chan func() }

func installLoop(t *testing.T) *uiLoop {
	t.Helper()
	l := &uiLoop{q: make(chan func(), 4096)}
	old := do
	do = func(f func()) { l.q <- f }
	t.Cleanup(func() { do = old })
	return l
}

// waitFor runs queued UI work until cond holds, failing after 10 s.
func (l *uiLoop) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for !cond() {
		select {
		case f := <-l.q:
			f()
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

type rig struct {
	ui      *UI
	loop    *uiLoop
	store   *capture.MemoryStore
	catcher *httptest.Server
	win     fyne.Window
}

func newRig(t *testing.T) *rig {
	t.Helper()
	loop := installLoop(t)
	store := capture.NewMemoryStore(0, 0)
	catcher := httptest.NewServer(capture.NewServer(store))
	sb := sandbox.New(sandbox.Options{CreatedDelay: 20 * time.Millisecond, SucceededDelay: 60 * time.Millisecond})
	sbSrv := httptest.NewServer(sb)
	app := test.NewTempApp(t)
	app.Settings().SetTheme(Theme())
	u := New(app, nil, Deps{
		Store:      store,
		Client:     requester.NewClient(),
		CatcherURL: catcher.URL + "/",
		SandboxURL: sbSrv.URL + "/",
	})
	win := test.NewTempWindow(t, u.Content)
	win.Resize(fyne.NewSize(1400, 900))
	t.Cleanup(func() {
		// Keep draining UI work while the bridge stops.
		done := make(chan struct{})
		go func() { u.Close(); close(done) }()
		for {
			select {
			case <-done:
				sb.Close()
				sbSrv.Close()
				catcher.Close()
				return
			case f := <-loop.q:
				f()
			}
		}
	})
	return &rig{ui: u, loop: loop, store: store, catcher: catcher, win: win}
}

func TestSendExampleBringsWebhooksBack(t *testing.T) {
	r := newRig(t)
	c := r.ui.Composer
	if c.Method.Selected != "POST" || c.URL.Text != "{{sandbox_url}}/v1/payments" || !strings.Contains(c.Body.Text, `"callback_url": "{{webhook_url}}payments"`) {
		t.Fatalf("composer does not hold the example: %s %s %s", c.Method.Selected, c.URL.Text, c.Body.Text)
	}
	if !r.ui.Catcher.empty.Visible() || r.ui.Catcher.list.Visible() {
		t.Fatal("an empty catcher should show its waiting hint")
	}

	test.Tap(c.SendButton)
	r.loop.waitFor(t, "201 response", func() bool { return c.Status.Text == "201 Created" })
	r.loop.waitFor(t, "response body", func() bool { return strings.Contains(c.RespBody.Text(), `"status": "pending"`) })
	if styledCells(c.RespBody.grid.Rows) == 0 {
		t.Error("response body is not highlighted")
	}
	if !strings.Contains(mutedText(c.StatusMeta), "HTTP/1.1") {
		t.Errorf("status meta %q lacks the protocol", mutedText(c.StatusMeta))
	}

	cat := r.ui.Catcher
	r.loop.waitFor(t, "two webhooks in the list", func() bool { return len(cat.items) == 2 })
	if cat.empty.Visible() || mutedText(cat.count) != "2 captured" {
		t.Fatalf("list not shown: count %q", mutedText(cat.count))
	}
	for _, s := range cat.items {
		if s.Method != "POST" || s.Path != "/payments" || s.Status != 200 || s.ContentType != "application/json" {
			t.Errorf("row %+v", s)
		}
	}

	for i, want := range []string{"payment.succeeded", "payment.created"} {
		cat.Select(i)
		r.loop.waitFor(t, want+" body", func() bool {
			return strings.Contains(cat.Body.Text(), `"type": "`+want+`"`)
		})
		if styledCells(cat.Body.grid.Rows) == 0 {
			t.Errorf("%s body is not highlighted", want)
		}
		if !strings.Contains(cat.Headers.Text(), "User-Agent: "+sandbox.UserAgent) {
			t.Errorf("headers tab lacks the sandbox User-Agent:\n%s", cat.Headers.Text())
		}
		if cat.detailMethod.Text != "POST" || cat.detailPath.Text != "/payments" {
			t.Errorf("detail head %s %s", cat.detailMethod.Text, cat.detailPath.Text)
		}
	}
}

func TestCtrlEnterSends(t *testing.T) {
	r := newRig(t)
	c := r.ui.Composer
	c.Method.SetSelected("GET")
	c.URL.SetText("{{sandbox_url}}/v1/payments")
	c.Body.SetText("")
	r.win.Canvas().Focus(c.Body)
	c.Body.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl})
	r.loop.waitFor(t, "200 from Ctrl+Enter", func() bool { return c.Status.Text == "200 OK" })
	if c.Body.Text != "" {
		t.Fatalf("Ctrl+Enter typed into the body: %q", c.Body.Text)
	}
}

func TestComposerShowsInputAndNetworkErrors(t *testing.T) {
	r := newRig(t)
	c := r.ui.Composer

	c.URL.SetText("{{nope}}/x")
	test.Tap(c.SendButton)
	if !c.inlineErr.Visible() || !strings.Contains(c.inlineErr.Text, "{{nope}}") {
		t.Fatalf("unknown variable: inline error %q visible=%v", c.inlineErr.Text, c.inlineErr.Visible())
	}
	if c.SendButton.Text != "Send" {
		t.Fatal("a request with an unknown variable must not be sent")
	}

	c.URL.SetText("ftp://example.com/")
	test.Tap(c.SendButton)
	if !strings.Contains(c.inlineErr.Text, "ftp") {
		t.Fatalf("bad scheme: inline error %q", c.inlineErr.Text)
	}

	ln := httptest.NewServer(http.NotFoundHandler())
	refused := ln.URL
	ln.Close()
	c.URL.SetText(refused + "/x")
	test.Tap(c.SendButton)
	r.loop.waitFor(t, "refused error", func() bool { return c.Status.Text == "Error" })
	if !strings.Contains(strings.ToLower(mutedText(c.StatusMeta)), "refused") {
		t.Fatalf("refused: meta %q", mutedText(c.StatusMeta))
	}
}

func TestCancelInFlight(t *testing.T) {
	r := newRig(t)
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		select {
		case <-release:
		case <-req.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	c := r.ui.Composer
	c.Method.SetSelected("GET")
	c.Body.SetText("")
	c.URL.SetText(slow.URL)
	test.Tap(c.SendButton)
	if c.SendButton.Text != "Cancel" {
		t.Fatalf("button while in flight: %q", c.SendButton.Text)
	}
	r.loop.waitFor(t, "elapsed time", func() bool { return strings.HasPrefix(mutedText(c.StatusMeta), "Sending… ") })
	test.Tap(c.SendButton)
	r.loop.waitFor(t, "cancelled", func() bool { return c.Status.Text == "Cancelled" })
	if c.SendButton.Text != "Send" {
		t.Fatalf("button after cancel: %q", c.SendButton.Text)
	}
}

func TestBinaryCaptureShowsHex(t *testing.T) {
	r := newRig(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	res, err := http.Post(r.catcher.URL+"/upload", "image/png", strings.NewReader(string(png)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cat := r.ui.Catcher
	r.loop.waitFor(t, "capture", func() bool { return len(cat.items) == 1 })
	cat.Select(0)
	r.loop.waitFor(t, "hex view", func() bool { return mutedText(cat.Body.note) == "binary, 108 bytes" })
	if !strings.HasPrefix(cat.Body.Text(), "00000000  89 50 4e 47") {
		t.Fatalf("hex view:\n%s", cat.Body.Text())
	}
}

func TestBurstIsCoalesced(t *testing.T) {
	r := newRig(t)
	applied := 0
	cat := r.ui.Catcher
	cat.OnUpdated = func() { applied++ }
	const n = 1000
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n / 8 {
				res, err := http.Post(r.catcher.URL+fmt.Sprintf("/burst/%d/%d", g, i), "application/json", strings.NewReader(`{}`))
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
			}
		}()
	}
	r.loop.waitFor(t, "all captures listed", func() bool { return cat.total == n })
	wg.Wait()
	if applied >= n/4 {
		t.Fatalf("%d list refreshes for %d captures: bursts are not coalesced", applied, n)
	}
	if mutedText(cat.count) != fmt.Sprintf("%d captured", n) {
		t.Fatalf("count %q", mutedText(cat.count))
	}
}

func TestSelectionSurvivesNewCaptures(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	post := func(path string) {
		res, err := http.Post(r.catcher.URL+path, "text/plain", strings.NewReader(path))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	post("/first")
	r.loop.waitFor(t, "first", func() bool { return len(cat.items) == 1 })
	cat.Select(0)
	r.loop.waitFor(t, "first body", func() bool { return cat.Body.Text() == "/first" })
	id := cat.selectedID
	post("/second")
	r.loop.waitFor(t, "second", func() bool { return len(cat.items) == 2 })
	if cat.selectedID != id || cat.Body.Text() != "/first" {
		t.Fatalf("selection moved: %s body %q", cat.selectedID, cat.Body.Text())
	}
	if cat.items[1].ID != id {
		t.Fatal("newest capture is not on top")
	}
}
