package ui

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	pngenc "image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/sandbox"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/uitest"
	"hooklab/ui/widgets"
)

var loop *uitest.Loop

func TestMain(m *testing.M) {
	loop = uitest.Install()
	// The rig's cleanup closes the UI off the test goroutine while that
	// goroutine runs queued UI work, so a tick queued near the end would
	// race with Close's own save. Tests that want ticks set a short
	// interval and stop the loop themselves.
	autosaveInterval = time.Hour
	os.Exit(m.Run())
}

// styledCells counts the characters of lines in spans the palette gives
// a colour of their own.
func styledCells(lines []highlight.Line) int {
	p := highlight.PaletteFor(false)
	n := 0
	for _, line := range lines {
		for _, sp := range line {
			if p.Style(sp.Type).Color != nil {
				n += len([]rune(sp.Text))
			}
		}
	}
	return n
}

type rig struct {
	ui      *UI
	loop    *uitest.Loop
	store   *capture.MemoryStore
	catcher *httptest.Server
	win     fyne.Window
}

func newRig(t *testing.T, opts ...func(*Deps)) *rig {
	t.Helper()
	store := capture.NewMemoryStore(0, 0)
	sb := sandbox.New(sandbox.Options{CreatedDelay: 20 * time.Millisecond, SucceededDelay: 60 * time.Millisecond})
	sbSrv := httptest.NewServer(sb)
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	rules := &capture.MemoryRules{}
	srv := capture.NewServer(store)
	srv.Rules = rules
	catcher := httptest.NewServer(srv)
	d := Deps{
		Store:          store,
		Rules:          rules,
		OnRulesChanged: func() { _ = srv.ReloadRules() },
		Client:         requester.NewClient(),
		CatcherURL:     catcher.URL + "/",
		SandboxURL:     sbSrv.URL + "/",
	}
	for _, o := range opts {
		o(&d)
	}
	u := New(app, nil, d)
	win := test.NewTempWindow(t, u.Content)
	win.Resize(fyne.NewSize(1400, 900))
	t.Cleanup(func() {
		// Keep draining UI work while the bridge stops.
		done := make(chan struct{})
		go func() { u.Close(); close(done) }()
		loop.RunUntil(done)
		sb.Close()
		sbSrv.Close()
		catcher.Close()
	})
	return &rig{ui: u, loop: loop, store: store, catcher: catcher, win: win}
}

func TestSendExampleBringsWebhooksBack(t *testing.T) {
	r := newRig(t)
	c := r.ui.Composer
	if c.Method.Text != "POST" || c.URL.Text != "{{sandbox_url}}/v1/payments" || !strings.Contains(c.Body.Text.Text, `"callback_url": "{{webhook_url}}payments"`) {
		t.Fatalf("composer does not hold the example: %s %s %s", c.Method.Text, c.URL.Text, c.Body.Text.Text)
	}
	if !r.ui.Catcher.empty.Visible() || r.ui.Catcher.list.Visible() {
		t.Fatal("an empty catcher should show its waiting hint")
	}

	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "201 response", func() bool { return c.Status.Text == "201 Created" })
	r.loop.WaitFor(t, "response body", func() bool { return strings.Contains(c.RespBody.Text(), `"status": "pending"`) })
	if styledCells(c.RespBody.Lines()) == 0 {
		t.Error("response body is not highlighted")
	}
	if !strings.Contains(widgets.MutedText(c.StatusMeta), "HTTP/1.1") {
		t.Errorf("status meta %q lacks the protocol", widgets.MutedText(c.StatusMeta))
	}

	cat := r.ui.Catcher
	r.loop.WaitFor(t, "two webhooks in the list", func() bool { return cat.pager.total == 2 })
	if cat.empty.Visible() || widgets.MutedText(cat.count) != "2 captured" {
		t.Fatalf("list not shown: count %q", widgets.MutedText(cat.count))
	}
	for i := range 2 {
		s, _ := cat.pager.item(i)
		if s.Method != "POST" || s.Path != "/payments" || s.Status != 200 || s.ContentType != "application/json" {
			t.Errorf("row %+v", s)
		}
	}

	for i, want := range []string{"payment.succeeded", "payment.created"} {
		cat.Select(i)
		r.loop.WaitFor(t, want+" body", func() bool {
			return strings.Contains(cat.Body.Text(), `"type": "`+want+`"`)
		})
		if styledCells(cat.Body.Lines()) == 0 {
			t.Errorf("%s body is not highlighted", want)
		}
		if !strings.Contains(cat.Headers.Text(), "User-Agent: "+sandbox.UserAgent) || !strings.HasPrefix(cat.Headers.Text(), "Host: ") {
			t.Errorf("headers tab lacks the sandbox User-Agent:\n%s", cat.Headers.Text())
		}
		if cat.method.Text != "POST" || cat.path.Text != "/payments" {
			t.Errorf("detail head %s %s", cat.method.Text, cat.path.Text)
		}
	}
}

func TestCtrlEnterSends(t *testing.T) {
	r := newRig(t)
	c := r.ui.Composer
	c.Method.SetText("GET")
	c.URL.SetText("{{sandbox_url}}/v1/payments")
	c.Body.Text.SetText("")
	r.win.Canvas().Focus(c.Body.Text)
	c.Body.Text.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl})
	r.loop.WaitFor(t, "200 from Ctrl+Enter", func() bool { return c.Status.Text == "200 OK" })
	if c.Body.Text.Text != "" {
		t.Fatalf("Ctrl+Enter typed into the body: %q", c.Body.Text.Text)
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
	r.loop.WaitFor(t, "refused error", func() bool { return c.Status.Text == "Error" })
	if !strings.Contains(strings.ToLower(widgets.MutedText(c.StatusMeta)), "refused") {
		t.Fatalf("refused: meta %q", widgets.MutedText(c.StatusMeta))
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
	c.Method.SetText("GET")
	c.Body.Text.SetText("")
	c.URL.SetText(slow.URL)
	test.Tap(c.SendButton)
	if c.SendButton.Text != "Cancel" {
		t.Fatalf("button while in flight: %q", c.SendButton.Text)
	}
	r.loop.WaitFor(t, "elapsed time", func() bool { return strings.HasPrefix(widgets.MutedText(c.StatusMeta), "Sending… ") })
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "cancelled", func() bool { return c.Status.Text == "Cancelled" })
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
	r.loop.WaitFor(t, "capture", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "hex view", func() bool { return cat.Body.Note() == "binary, 108 bytes" })
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
	r.loop.WaitFor(t, "all captures listed", func() bool { return cat.pager.all == n })
	wg.Wait()
	if applied >= n/4 {
		t.Fatalf("%d list refreshes for %d captures: bursts are not coalesced", applied, n)
	}
	if widgets.MutedText(cat.count) != "1,000 captured" {
		t.Fatalf("count %q", widgets.MutedText(cat.count))
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
	r.loop.WaitFor(t, "first", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "first body", func() bool { return cat.Body.Text() == "/first" })
	id := cat.selectedID
	post("/second")
	r.loop.WaitFor(t, "second", func() bool { return cat.pager.total == 2 })
	if cat.selectedID != id || cat.Body.Text() != "/first" {
		t.Fatalf("selection moved: %s body %q", cat.selectedID, cat.Body.Text())
	}
	if s, _ := cat.pager.item(1); s.ID != id {
		t.Fatal("newest capture is not on top")
	}
}

func postTo(t *testing.T, url, ctype, body string) {
	t.Helper()
	res, err := http.Post(url, ctype, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

func TestFiltersNarrowTheList(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	postTo(t, r.catcher.URL+"/github/push", "application/json", `{"ref":"refs/heads/main"}`)
	postTo(t, r.catcher.URL+"/stripe/events", "application/json", `{"type":"invoice.paid"}`)
	postTo(t, r.catcher.URL+"/stripe/events", "application/json", `{"type":"charge.failed"}`)
	req, _ := http.NewRequest("PUT", r.catcher.URL+"/github/other", strings.NewReader("x"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	r.loop.WaitFor(t, "four captures", func() bool { return cat.pager.total == 4 })
	r.loop.WaitFor(t, "endpoint choices", func() bool { return len(cat.Endpoint.Options) == 3 })
	if got := strings.Join(cat.Endpoint.Options, ","); got != allEndpoints+",/github,/stripe" {
		t.Fatalf("endpoint choices %s", got)
	}

	cat.Endpoint.SetSelected("/stripe")
	r.loop.WaitFor(t, "stripe only", func() bool { return cat.pager.total == 2 })
	if widgets.MutedText(cat.count) != "2 of 4" {
		t.Fatalf("count %q", widgets.MutedText(cat.count))
	}
	test.Type(cat.Search, "invoice")
	r.loop.WaitFor(t, "search", func() bool { return cat.pager.total == 1 })
	if s, _ := cat.pager.item(0); s.Path != "/stripe/events" {
		t.Fatalf("search found %+v", s)
	}
	cat.Search.SetText("no-such-thing")
	r.loop.WaitFor(t, "no match", func() bool { return cat.pager.total == 0 })
	if !cat.noMatch.Visible() || cat.empty.Visible() {
		t.Fatal("an empty filter result should say nothing matches")
	}
	cat.Search.SetText("")
	cat.Endpoint.SetSelected(allEndpoints)
	cat.Method.SetSelected("PUT")
	r.loop.WaitFor(t, "PUT only", func() bool { return cat.pager.total == 1 })
	cat.Method.SetSelected(anyMethod)
	r.loop.WaitFor(t, "all again", func() bool { return cat.pager.total == 4 })
	if widgets.MutedText(cat.count) != "4 captured" {
		t.Fatalf("count %q", widgets.MutedText(cat.count))
	}
}

func TestListPagesThroughManyCaptures(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	const n = pageSize*3 + 17
	for i := range n {
		_ = r.store.Add(&capture.Capture{ID: fmt.Sprintf("c%05d", i), Method: "POST", Path: fmt.Sprintf("/p/%d", i), Status: 200, Time: time.Now()})
	}
	r.loop.WaitFor(t, "all counted", func() bool { return cat.pager.total == n })
	if len(cat.pager.pages) != 1 {
		t.Fatalf("%d pages held before scrolling; only the first should be", len(cat.pager.pages))
	}
	// Ask for a row far down, as scrolling does: it comes a page later.
	if _, ok := cat.pager.item(n - 1); ok {
		t.Fatal("a row of an unfetched page cannot be there yet")
	}
	r.loop.WaitFor(t, "last page", func() bool { s, ok := cat.pager.item(n - 1); return ok && s.Path == "/p/0" })
	want := fmt.Sprintf("/p/%d", n-1-pageSize)
	r.loop.WaitFor(t, "second page", func() bool { s, ok := cat.pager.item(pageSize); return ok && s.Path == want })
}

func TestFormAndMultipartBodies(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	postTo(t, r.catcher.URL+"/form", "application/x-www-form-urlencoded", "name=Ada+Lovelace&tag=a&tag=b")
	r.loop.WaitFor(t, "form capture", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "form tab", func() bool { return hasTab(cat.tabs.Items, cat.formTab) })
	if cat.formTab.Text != "Form (3)" || cat.Form.Text() != "name = Ada Lovelace\ntag = a\ntag = b" {
		t.Fatalf("form tab %q:\n%s", cat.formTab.Text, cat.Form.Text())
	}

	body := "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--XyZ--\r\n"
	postTo(t, r.catcher.URL+"/upload", "multipart/form-data; boundary=XyZ", body)
	r.loop.WaitFor(t, "multipart capture", func() bool { return cat.pager.total == 2 })
	cat.Select(0)
	r.loop.WaitFor(t, "parts tab", func() bool { return cat.partTab.Text == "Parts (2)" })
	if !hasTab(cat.tabs.Items, cat.partTab) || hasTab(cat.tabs.Items, cat.formTab) {
		t.Fatal("a multipart body shows a Parts tab instead of a Form tab")
	}
	if cat.parts[1].Filename != "a.png" || cat.parts[1].Size != 8 {
		t.Fatalf("file part %+v", cat.parts[1])
	}
}

func TestCompressedBodyIsDecoded(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	postGzip(t, r, "/gz", `{"compressed":true}`)
	cat.Select(0)
	r.loop.WaitFor(t, "decoded body", func() bool { return strings.Contains(cat.Body.Text(), `"compressed": true`) })
	if !strings.Contains(cat.Body.Note(), "decoded from gzip") {
		t.Fatalf("note %q", cat.Body.Note())
	}

	req, _ := http.NewRequest("POST", r.catcher.URL+"/gz", strings.NewReader("not gzip at all"))
	req.Header.Set("Content-Encoding", "gzip")
	deliver(t, r, req, 2)
	cat.Select(0)
	r.loop.WaitFor(t, "raw body", func() bool { return cat.Body.Text() == "not gzip at all" })
	if !strings.Contains(cat.Body.Note(), "shown raw") {
		t.Fatalf("note %q", cat.Body.Note())
	}
}

func TestRulesEditorChangesTheAnswer(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	cat.showRules()
	e := cat.rulesView
	e.Endpoint.SetText("/github")
	e.Status.SetText("abc")
	e.save()
	if !e.errLabel.Visible() || !strings.Contains(e.errLabel.Text, "status") {
		t.Fatalf("bad status: %q", e.errLabel.Text)
	}
	e.Status.SetText("503")
	e.Headers.SetText("Retry-After: 5")
	e.Body.SetText(`{"down":"{{capture.id}}"}`)
	e.save()
	r.loop.WaitFor(t, "rule listed", func() bool { return len(e.rules) == 1 })
	res, err := http.Post(r.catcher.URL+"/github/hook", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 503 || res.Header.Get("Retry-After") != "5" {
		t.Fatalf("catcher answered %d %v", res.StatusCode, res.Header)
	}
	other, err := http.Post(r.catcher.URL+"/stripe", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	other.Body.Close()
	if other.StatusCode != 200 {
		t.Fatalf("an endpoint without a rule answered %d", other.StatusCode)
	}
}

func TestExportWritesWhatTheFilterShows(t *testing.T) {
	r := newRig(t)
	postTo(t, r.catcher.URL+"/a", "text/plain", "one")
	postTo(t, r.catcher.URL+"/b", "text/plain", "two")
	var out bytes.Buffer
	n, err := exportCaptures(&out, r.store, capture.Filter{Endpoint: "b"}, formatJSONL)
	if err != nil || n != 1 || !strings.Contains(out.String(), `"body":"two"`) {
		t.Fatalf("jsonl: %d %v %s", n, err, out.String())
	}
	out.Reset()
	n, err = exportCaptures(&out, r.store, capture.Filter{}, formatHAR)
	if err != nil || n != 2 || !json.Valid(out.Bytes()) || !strings.Contains(out.String(), `"version":"1.2"`) {
		t.Fatalf("har: %d %v %.200s", n, err, out.String())
	}
}

func TestNotesAreShownOnTop(t *testing.T) {
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	store := capture.NewMemoryStore(0, 0)
	u := New(app, nil, Deps{
		Store: store, Client: requester.NewClient(),
		CatcherURL: "http://127.0.0.1:9/", SandboxURL: "http://127.0.0.1:10/",
		Notes: []string{"The catcher's port 127.0.0.1:8088 was busy, so it listens on 127.0.0.1:9 instead."},
	})
	defer func() {
		done := make(chan struct{})
		go func() { u.Close(); close(done) }()
		loop.WaitFor(t, "bridge stop", func() bool {
			select {
			case <-done:
				return true
			default:
				return false
			}
		})
	}()
	test.NewTempWindow(t, u.Content)
	if u.notes == nil || !u.notes.Visible() || !strings.Contains(u.notes.Text, "was busy") {
		t.Fatal("the busy-port note is not shown")
	}
	if u.Catcher.url != "http://127.0.0.1:9/" || !strings.Contains(widgets.MutedText(u.Composer.varsHint), "http://127.0.0.1:9/") {
		t.Fatal("the real URL is not the one shown")
	}
}

func TestRawTabAndImagePreview(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	postTo(t, r.catcher.URL+"/hook?x=1", "application/json", `{"k":"v"}`)
	r.loop.WaitFor(t, "capture", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "raw tab", func() bool { return strings.Contains(cat.Raw.Text(), `{"k":"v"}`) })
	raw := cat.Raw.Text()
	if !strings.HasPrefix(raw, "POST /hook?x=1 HTTP/1.1\nHost: ") || !strings.Contains(raw, "Content-Type: application/json\n") || !strings.HasSuffix(raw, "\n\n{\"k\":\"v\"}") {
		t.Fatalf("raw tab:\n%s", raw)
	}
	if hasTab(cat.tabs.Items, cat.imgTab) {
		t.Fatal("a JSON body has an Image tab")
	}

	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	_ = pngenc.Encode(&png, img)
	postTo(t, r.catcher.URL+"/img", "image/png", png.String())
	r.loop.WaitFor(t, "image capture", func() bool { return cat.pager.total == 2 })
	cat.Select(0)
	r.loop.WaitFor(t, "image tab", func() bool { return hasTab(cat.tabs.Items, cat.imgTab) })
	if cat.Image.Resource == nil || !bytes.Equal(cat.Image.Resource.Content(), png.Bytes()) {
		t.Fatal("the image preview does not hold the body")
	}
	if !strings.Contains(cat.Raw.Text(), "[binary body, ") {
		t.Fatalf("raw tab of a binary body:\n%s", cat.Raw.Text())
	}
}

// TestNoBodyInEntryOrRichText: Entry and RichText do not virtualize, so
// a big body in one would freeze the window. Only the composer's own
// editable body may hold body text.
func TestNoBodyInEntryOrRichText(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	marker := "body-marker-7f3a"
	postTo(t, r.catcher.URL+"/m", "text/plain", strings.Repeat(marker+"\n", 50))
	r.loop.WaitFor(t, "capture", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "body", func() bool { return strings.Contains(cat.Body.Text(), marker) })
	c := r.ui.Composer
	c.Method.SetText("POST")
	c.URL.SetText(r.catcher.URL + "/echo")
	c.Body.Text.SetText("the composer's own body") // its Entry is the one allowed
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "response", func() bool { return c.Status.Text == "200 OK" })
	for _, o := range test.LaidOutObjects(r.win.Content()) {
		switch w := o.(type) {
		case *sendEntry:
			if strings.Contains(w.Text, marker) {
				t.Errorf("an Entry holds body text: %q", w.Text)
			}
		case *widget.Entry:
			if strings.Contains(w.Text, marker) {
				t.Errorf("an Entry holds body text: %q", w.Text)
			}
		case *widget.RichText:
			if strings.Contains(w.String(), marker) {
				t.Errorf("a RichText holds body text: %.80q", w.String())
			}
		}
	}
}

func hasTab(items []*container.TabItem, want *container.TabItem) bool {
	for _, it := range items {
		if it == want {
			return true
		}
	}
	return false
}

// TestStoreFailuresAreShown: captures the store refuses (their senders
// got 503) are said above the list with the cause alone, counted, with
// the live dot in the warning colour, until dismissed; a flood of them
// is counted into few UI updates.
func TestStoreFailuresAreShown(t *testing.T) {
	r := newRig(t)
	c := r.ui.Catcher
	if c.storeBar.Visible() {
		t.Fatal("store failure bar shown before any failure")
	}
	full := fmt.Errorf("store capture cap_06h1tfbp4gfcym0s: %w", fmt.Errorf("commit: %w", errors.New("database or disk is full (13)")))
	go c.StoreFailed(full) // as the catcher's handler goroutine does
	r.loop.WaitFor(t, "the failure bar", func() bool { return c.storeBar.Visible() })
	want := regexp.MustCompile(`^A webhook was not stored at \d\d:\d\d:\d\d: database or disk is full\. Its sender was answered 503 Service Unavailable; most senders retry\.$`)
	if !want.MatchString(c.storeMsg.Text) {
		t.Fatalf("bar says %q", c.storeMsg.Text)
	}
	th, variant := fyne.CurrentApp().Settings().Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	if c.dot.FillColor != th.Color("warning", variant) {
		t.Errorf("live dot %v, want the warning colour", c.dot.FillColor)
	}

	// A flood from many handlers: every one counted, in few UI updates.
	queued := len(r.loop.Q)
	var wg sync.WaitGroup
	for range 1000 {
		wg.Go(func() { c.StoreFailed(full) })
	}
	wg.Wait()
	if n := len(r.loop.Q) - queued; n > 1 {
		t.Errorf("1000 refusals queued %d UI updates, want at most one pending", n)
	}
	r.loop.WaitFor(t, "1001 failures counted", func() bool {
		return strings.HasPrefix(c.storeMsg.Text, "1001 webhooks were not stored, the last at ")
	})

	var dismiss *widget.Button
	for _, o := range c.storeBar.Objects {
		if b, ok := o.(*widget.Button); ok {
			dismiss = b
		}
	}
	test.Tap(dismiss)
	if c.storeBar.Visible() {
		t.Fatal("bar still shown after dismissing")
	}
	if c.dot.FillColor != th.Color("success", variant) {
		t.Errorf("live dot %v after dismissing, want the success colour", c.dot.FillColor)
	}
	go c.StoreFailed(full)
	r.loop.WaitFor(t, "a new failure after dismissing", func() bool {
		return c.storeBar.Visible() && strings.HasPrefix(c.storeMsg.Text, "A webhook was not stored")
	})
}

// deliver sends req to the rig's catcher and waits until the list holds
// n captures.
func deliver(t *testing.T, r *rig, req *http.Request, n int) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	r.loop.WaitFor(t, "the webhook listed", func() bool { return r.ui.Catcher.pager.total == n })
}

// postGzip posts a gzip-encoded JSON body to path as the first capture
// and returns the bytes sent.
func postGzip(t *testing.T, r *rig, path, body string) []byte {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(body))
	_ = zw.Close()
	req, _ := http.NewRequest("POST", r.catcher.URL+path, bytes.NewReader(gz.Bytes()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	deliver(t, r, req, 1)
	return gz.Bytes()
}
