package ui

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/sandbox"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/uitest"
	"hooklab/ui/widgets"
	"hooklab/workspace"
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
	ws      *workspace.Workspace
	store   capture.Store
	dir     string // the data directory
	win     fyne.Window
	dialogs *dialogstest.Fake
	// close shuts the window and the workspace down, once (the test's
	// cleanup does it too).
	close func()
}

// inDir opens the rig's workspace in dir (a restart opens the same one
// again), not a new temporary one.
func inDir(dir string) func(*Deps, *string) {
	return func(_ *Deps, d *string) { *d = dir }
}

// newRig builds the window on a workspace of its own, serving on free
// ports with a sandbox whose webhooks come quickly.
func newRig(t *testing.T, opts ...func(*Deps, *string)) *rig {
	t.Helper()
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	return newRigOn(t, app, opts...)
}

// newRigOn is newRig in app, whose preferences a second rig in the same
// app reads: a restart.
func newRigOn(t *testing.T, app fyne.App, opts ...func(*Deps, *string)) *rig {
	t.Helper()
	d := t.TempDir()
	deps := Deps{}
	for _, o := range opts {
		o(&deps, &d)
	}
	ws := uitest.Workspace(t, d)
	dlg := &dialogstest.Fake{}
	win := test.NewTempWindow(t, nil)
	deps.Workspace, deps.Dialogs = ws, dlg
	u := New(app, win, deps)
	win.SetContent(u.Content)
	win.Resize(fyne.NewSize(1400, 900))
	r := &rig{ui: u, loop: loop, ws: ws, store: ws.Store(), dir: d, win: win, dialogs: dlg}
	r.close = sync.OnceFunc(func() {
		// The order of the app's shutdown: producers stop, the window
		// saves (draining UI work meanwhile), the database closes.
		ws.Stop()
		done := make(chan struct{})
		go func() { u.Close(); close(done) }()
		loop.RunUntil(done)
		if err := ws.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Cleanup(r.close)
	return r
}

func TestSendExampleBringsWebhooksBack(t *testing.T) {
	r := newRig(t)
	c := r.ui.Composer
	if c.Method.Text != "POST" || c.URL.Text != "{{sandbox_url}}/v1/payments" || !strings.Contains(c.Body.Text.Text, `"callback_url": "{{webhook_url}}payments"`) {
		t.Fatalf("composer does not hold the example: %s %s %s", c.Method.Text, c.URL.Text, c.Body.Text.Text)
	}
	if r.ui.Catcher.Total() != 0 {
		t.Fatal("the catcher starts with captures")
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
	r.loop.WaitFor(t, "two webhooks in the list", func() bool { return cat.Total() == 2 })
	// The sandbox signs: each row names its event and says "valid".
	r.loop.WaitFor(t, "the rows with event types and badges", func() bool {
		var got []string
		for _, o := range test.LaidOutObjects(r.win.Content()) {
			if row, ok := o.(interface{ RowText() string }); ok {
				got = append(got, row.RowText())
			}
		}
		return slices.Contains(got, "POST /payments payment.succeeded 200 valid") &&
			slices.Contains(got, "POST /payments payment.created 200 valid")
	})
	for i, want := range []string{"payment.succeeded", "payment.created"} {
		cat.Select(i)
		r.loop.WaitFor(t, want+" body", func() bool {
			return strings.Contains(cat.Body.Text(), `"type": "`+want+`"`)
		})
		if styledCells(cat.Body.Lines()) == 0 {
			t.Errorf("%s body is not highlighted", want)
		}
		if cat.EventType() != want || !strings.HasPrefix(cat.Verdict(), "valid checked as standard") {
			t.Errorf("detail of %s: event %q, signature %q", want, cat.EventType(), cat.Verdict())
		}
		if !strings.Contains(cat.Headers.Text(), "User-Agent: "+sandbox.UserAgent) || !strings.HasPrefix(cat.Headers.Text(), "Host: ") {
			t.Errorf("headers tab lacks the sandbox User-Agent:\n%s", cat.Headers.Text())
		}
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
				res, err := http.Post(strings.TrimSuffix(r.ws.CatcherURL(), "/")+fmt.Sprintf("/burst/%d/%d", g, i), "application/json", strings.NewReader(`{}`))
				if err != nil {
					t.Errorf("sender %d, capture %d: %v (the %d after it are not sent)", g, i, err, n/8-i-1)
					return
				}
				res.Body.Close()
				if res.StatusCode/100 != 2 {
					t.Errorf("sender %d, capture %d: answered %s", g, i, res.Status)
				}
			}
		}()
	}
	r.loop.WaitFor(t, "all captures listed", func() bool { return cat.Total() == n }, func() string {
		stored, err := r.store.Count(capture.Filter{})
		return fmt.Sprintf("the list shows %d after %d refreshes, the store holds %d (err %v); %d deliveries wait for the UI goroutine",
			cat.Total(), applied, stored, err, len(r.loop.Q))
	})
	wg.Wait()
	if applied >= n/4 {
		t.Fatalf("%d list refreshes for %d captures: bursts are not coalesced", applied, n)
	}
}

func TestNotesAreShownOnTop(t *testing.T) {
	r := newRig(t, func(d *Deps, _ *string) {
		d.Notes = []string{"The catcher's port 127.0.0.1:8088 was busy, so it listens on 127.0.0.1:9 instead."}
	})
	u := r.ui
	if u.notes == nil || !u.notes.Visible() || !strings.Contains(u.notes.Text, "was busy") {
		t.Fatal("the busy-port note is not shown")
	}
	url := r.ws.CatcherURL()
	if !shows(u.Catcher.Content(), url) || !showsText(u.Composer.Content(), "{{webhook_url}} = "+url) {
		t.Fatal("the real URL is not the one shown")
	}
}

// TestNoBodyInEntryOrRichText: Entry and RichText do not virtualize, so
// a big body in one would freeze the window. Only the composer's own
// editable body may hold body text.
func TestNoBodyInEntryOrRichText(t *testing.T) {
	r := newRig(t)
	cat := r.ui.Catcher
	marker := "body-marker-7f3a"
	postTo(t, strings.TrimSuffix(r.ws.CatcherURL(), "/")+"/m", "text/plain", strings.Repeat(marker+"\n", 50))
	r.loop.WaitFor(t, "capture", func() bool { return cat.Total() == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "body", func() bool { return strings.Contains(cat.Body.Text(), marker) })
	c := r.ui.Composer
	c.Method.SetText("POST")
	c.URL.SetText(strings.TrimSuffix(r.ws.CatcherURL(), "/") + "/echo")
	c.Body.Text.SetText("the composer's own body") // its Entry is the one allowed
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "response", func() bool { return c.Status.Text == "200 OK" })
	for _, o := range test.LaidOutObjects(r.win.Content()) {
		if text, ok := entryText(o); ok && strings.Contains(text, marker) {
			t.Errorf("an Entry holds body text: %q", text)
		}
		if w, ok := o.(*widget.RichText); ok && strings.Contains(w.String(), marker) {
			t.Errorf("a RichText holds body text: %.80q", w.String())
		}
	}
}

// shows reports whether a label reading text is laid out in o.
func shows(o fyne.CanvasObject, text string) bool {
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
}

// showsText reports whether a rich text holding text is laid out in o.
func showsText(o fyne.CanvasObject, text string) bool {
	for _, x := range test.LaidOutObjects(o) {
		if rt, ok := x.(*widget.RichText); ok && strings.Contains(rt.String(), text) {
			return true
		}
	}
	return false
}

// button returns the button labelled label laid out in o and shown,
// nil for none.
func button(o fyne.CanvasObject, label string) *widget.Button {
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == label && b.Visible() {
			return b
		}
	}
	return nil
}

func postTo(t *testing.T, url, ctype, body string) {
	t.Helper()
	res, err := http.Post(url, ctype, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
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
	r.loop.WaitFor(t, "the webhook listed", func() bool { return r.ui.Catcher.Total() == n })
}

// postGzip posts a gzip-encoded JSON body to path as the first capture
// and returns the bytes sent.
func postGzip(t *testing.T, r *rig, path, body string) []byte {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(body))
	_ = zw.Close()
	req, _ := http.NewRequest("POST", strings.TrimSuffix(r.ws.CatcherURL(), "/")+path, bytes.NewReader(gz.Bytes()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	deliver(t, r, req, 1)
	return gz.Bytes()
}

// entryText returns the text of an Entry, or of a widget made of one
// (the composer's own entries embed it).
func entryText(o fyne.CanvasObject) (string, bool) {
	if e, ok := o.(*widget.Entry); ok {
		return e.Text, true
	}
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return "", false
	}
	if f, ok := v.Elem().Type().FieldByName("Entry"); ok && f.Anonymous && f.Type == reflect.TypeFor[widget.Entry]() {
		return v.Elem().FieldByIndex(f.Index).FieldByName("Text").String(), true
	}
	return "", false
}

// TestQuitAsksAboutUnsavedTabs: closing the window with edits not saved
// to a collection file asks first, and quits only when told to.
func TestQuitAsksAboutUnsavedTabs(t *testing.T) {
	r := newRig(t)
	closed := 0
	r.ui.ConfirmClose(func() { closed++ })
	if closed != 1 || len(r.dialogs.Asked) != 0 {
		t.Fatalf("without edits: closed %d times, asked %+v", closed, r.dialogs.Asked)
	}

	// Keep the example in a collection file (Save asks for a name and
	// gets the one it offers), then edit it.
	r.ui.Composer.Tabs.Save()
	r.ui.Composer.URL.SetText("https://edited.test/")
	r.dialogs.Answer = func(dialogstest.Asked) bool { return false }
	r.ui.ConfirmClose(func() { closed++ })
	a, _ := r.dialogs.Last()
	if closed != 1 || a.Kind != dialogstest.CustomConfirm || a.Title != "Quit without saving?" {
		t.Fatalf("with edits: closed %d times, asked %+v", closed, r.dialogs.Asked)
	}
	r.dialogs.Answer = nil
	r.ui.ConfirmClose(func() { closed++ })
	if closed != 2 {
		t.Fatal("Quit did not close")
	}
}
