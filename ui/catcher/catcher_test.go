package catcher

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"image"
	pngenc "image/png"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

func TestBinaryCaptureShowsHex(t *testing.T) {
	r := newRig(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	res, err := http.Post(r.url+"/upload", "image/png", strings.NewReader(string(png)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cat := r.c
	r.loop.WaitFor(t, "capture", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "hex view", func() bool { return cat.Body.Note() == "binary, 108 bytes" })
	if !strings.HasPrefix(cat.Body.Text(), "00000000  89 50 4e 47") {
		t.Fatalf("hex view:\n%s", cat.Body.Text())
	}
}

func TestSelectionSurvivesNewCaptures(t *testing.T) {
	r := newRig(t)
	cat := r.c
	post := func(path string) {
		res, err := http.Post(r.url+path, "text/plain", strings.NewReader(path))
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
	cat := r.c
	postTo(t, r.url+"/github/push", "application/json", `{"ref":"refs/heads/main"}`)
	postTo(t, r.url+"/stripe/events", "application/json", `{"type":"invoice.paid"}`)
	postTo(t, r.url+"/stripe/events", "application/json", `{"type":"charge.failed"}`)
	req, _ := http.NewRequest("PUT", r.url+"/github/other", strings.NewReader("x"))
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
	cat := r.c
	const n = pageSize*3 + 17
	for i := range n {
		if err := r.store.Add(&capture.Capture{ID: fmt.Sprintf("c%05d", i), Method: "POST", Path: fmt.Sprintf("/p/%d", i), Status: 200, Time: time.Now()}); err != nil {
			t.Fatalf("capture %d not stored: %v", i, err)
		}
	}
	r.loop.WaitFor(t, "all counted", func() bool { return cat.pager.total == n }, listVsStore(r))
	if len(cat.pager.pages) != 1 {
		t.Fatalf("%d pages held before scrolling; only the first should be", len(cat.pager.pages))
	}
	// Ask for a row far down, as scrolling does: it comes a page later.
	if _, ok := cat.pager.item(n - 1); ok {
		t.Fatal("a row of an unfetched page cannot be there yet")
	}
	r.loop.WaitFor(t, "last page", func() bool { s, ok := cat.pager.item(n - 1); return ok && s.Path == "/p/0" }, pagesHeld(cat))
	want := fmt.Sprintf("/p/%d", n-1-pageSize)
	r.loop.WaitFor(t, "second page", func() bool { s, ok := cat.pager.item(pageSize); return ok && s.Path == want }, pagesHeld(cat))
}

func TestFormAndMultipartBodies(t *testing.T) {
	r := newRig(t)
	cat := r.c
	postTo(t, r.url+"/form", "application/x-www-form-urlencoded", "name=Ada+Lovelace&tag=a&tag=b")
	r.loop.WaitFor(t, "form capture", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "form tab", func() bool { return hasTab(cat.tabs.Items, cat.formTab) })
	if cat.formTab.Text != "Form (3)" || cat.Form.Text() != "name = Ada Lovelace\ntag = a\ntag = b" {
		t.Fatalf("form tab %q:\n%s", cat.formTab.Text, cat.Form.Text())
	}

	body := "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--XyZ--\r\n"
	postTo(t, r.url+"/upload", "multipart/form-data; boundary=XyZ", body)
	r.loop.WaitFor(t, "multipart capture", func() bool { return cat.pager.total == 2 })
	cat.Select(0)
	r.loop.WaitFor(t, "parts tab", func() bool { return cat.partTab.Text == "Parts (2)" })
	if !hasTab(cat.tabs.Items, cat.partTab) || hasTab(cat.tabs.Items, cat.formTab) {
		t.Fatal("a multipart body shows a Parts tab instead of a Form tab")
	}
	if cat.parts[1].Filename != "a.png" || cat.parts[1].Size != 8 {
		t.Fatalf("file part %+v", cat.parts[1])
	}
	// A part's Save asks where, named after the part, and writes it there.
	r.dialogs.SavePath = filepath.Join(t.TempDir(), "saved.png")
	cat.savePart(cat.parts[1])
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.SaveFile || a.Message != "a.png" {
		t.Fatalf("asked %+v", r.dialogs.Asked)
	}
	r.loop.WaitFor(t, "the part saved", func() bool {
		data, _ := os.ReadFile(r.dialogs.SavePath)
		return bytes.Equal(data, cat.parts[1].Body)
	})
}

func TestCompressedBodyIsDecoded(t *testing.T) {
	r := newRig(t)
	cat := r.c
	postGzip(t, r, "/gz", `{"compressed":true}`)
	cat.Select(0)
	r.loop.WaitFor(t, "decoded body", func() bool { return strings.Contains(cat.Body.Text(), `"compressed": true`) })
	if !strings.Contains(cat.Body.Note(), "decoded from gzip") {
		t.Fatalf("note %q", cat.Body.Note())
	}

	req, _ := http.NewRequest("POST", r.url+"/gz", strings.NewReader("not gzip at all"))
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
	cat := r.c
	cat.showRules()
	if got := r.dialogs.Titles(dialogstest.Custom); len(got) != 1 || got[0] != "Responses" {
		t.Fatalf("dialogs shown: %v", got)
	}
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
	res, err := http.Post(r.url+"/github/hook", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 503 || res.Header.Get("Retry-After") != "5" {
		t.Fatalf("catcher answered %d %v", res.StatusCode, res.Header)
	}
	other, err := http.Post(r.url+"/stripe", "application/json", strings.NewReader(`{}`))
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
	postTo(t, r.url+"/a", "text/plain", "one")
	postTo(t, r.url+"/b", "text/plain", "two")
	// Export as a user does: the file asked for holds what the filter
	// shows, and a message says how many. (workspace's tests check the
	// formats themselves.)
	cat := r.c
	r.loop.WaitFor(t, "both listed", func() bool { return cat.pager.total == 2 })
	cat.Endpoint.SetSelected("/b")
	r.loop.WaitFor(t, "the filter applied", func() bool { return cat.pager.total == 1 })
	r.dialogs.SavePath = filepath.Join(t.TempDir(), "out.jsonl")
	test.Tap(cat.exportBtn)
	items := uitest.MenuItems(r.win.Canvas().Overlays().Top())
	if got := strings.Join(slices.Collect(maps.Keys(items)), ","); len(items) != 2 || items["Export as HAR…"] == nil || items["Export as JSON lines…"] == nil {
		t.Fatalf("the export menu offers %s", got)
	}
	test.Tap(items["Export as JSON lines…"])
	r.loop.WaitFor(t, "the export said done", func() bool {
		a, _ := r.dialogs.Last()
		return a.Kind == dialogstest.Information
	})
	if a := r.dialogs.Asked[0]; a.Kind != dialogstest.SaveFile || a.Message != "hooklab-captures.jsonl" {
		t.Fatalf("asked %+v", r.dialogs.Asked)
	}
	if a, _ := r.dialogs.Last(); !strings.HasPrefix(a.Message, "1 captures written to ") {
		t.Errorf("said %q", a.Message)
	}
	data, err := os.ReadFile(r.dialogs.SavePath)
	if err != nil || strings.Count(string(data), "\n") != 1 || !strings.Contains(string(data), `"body":"two"`) {
		t.Fatalf("exported %q: %v", data, err)
	}
}

// TestClearAsksFirst: Clear asks, and clears only when told to.
func TestClearAsksFirst(t *testing.T) {
	r := newRig(t)
	cat := r.c
	postTo(t, r.url+"/a", "text/plain", "one")
	r.loop.WaitFor(t, "listed", func() bool { return cat.pager.total == 1 && !cat.clearBtn.Disabled() })
	r.dialogs.Answer = func(dialogstest.Asked) bool { return false }
	test.Tap(cat.clearBtn)
	if got := r.dialogs.Titles(dialogstest.Confirm); len(got) != 1 || got[0] != "Clear all captures?" {
		t.Fatalf("asked %v", got)
	}
	if n, _ := r.store.Count(capture.Filter{}); n != 1 {
		t.Fatal("cleared without a yes")
	}
	r.dialogs.Answer = nil
	test.Tap(cat.clearBtn)
	r.loop.WaitFor(t, "cleared", func() bool { return cat.pager.total == 0 && cat.empty.Visible() })
}

func TestRawTabAndImagePreview(t *testing.T) {
	r := newRig(t)
	cat := r.c
	postTo(t, r.url+"/hook?x=1", "application/json", `{"k":"v"}`)
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
	postTo(t, r.url+"/img", "image/png", png.String())
	r.loop.WaitFor(t, "image capture", func() bool { return cat.pager.total == 2 })
	cat.Select(0)
	r.loop.WaitFor(t, "image tab", func() bool { return hasTab(cat.tabs.Items, cat.imgTab) })
	if cat.Image.img.Resource == nil || !bytes.Equal(cat.Image.img.Resource.Content(), png.Bytes()) {
		t.Fatal("the image preview does not hold the body")
	}
	// A 4×4 image is shown at its own size, not blown up, and said so.
	cat.tabs.Select(cat.imgTab)
	r.loop.Drain()
	if got := cat.Image.img.Size(); got != fyne.NewSize(4, 4) {
		t.Fatalf("a 4×4 image is drawn at %v, want 1:1", got)
	}
	if got, want := cat.Image.Info(), "4×4 · PNG · "+capture.FormatSize(int64(png.Len())); got != want {
		t.Fatalf("image info %q, want %q", got, want)
	}
	if !strings.Contains(cat.Raw.Text(), "[binary body, ") {
		t.Fatalf("raw tab of a binary body:\n%s", cat.Raw.Text())
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
	c := r.c
	if c.storeBar.Visible() {
		t.Fatal("store failure bar shown before any failure")
	}
	full := fmt.Errorf("store capture cap_06h1tfbp4gfcym0s: %w", fmt.Errorf("commit: %w", errors.New("database or disk is full")))
	refuse := func() {
		// As the workspace does when the catcher's store refuses one
		// (capture's tests check that RefusalCause drops SQLite's code).
		r.ws.Events().Publish(workspace.CaptureRefused{Method: "POST", Path: "/x", Time: time.Now(), Err: full, Cause: capture.RefusalCause(full)})
	}
	go refuse()
	r.loop.WaitFor(t, "the failure bar", func() bool { return c.storeBar.Visible() })
	want := regexp.MustCompile(`^A webhook was not stored at \d\d:\d\d:\d\d: database or disk is full\. Its sender was answered 503 Service Unavailable; most senders retry\.$`)
	if !want.MatchString(c.storeMsg.Text) {
		t.Fatalf("bar says %q", c.storeMsg.Text)
	}
	th, variant := fyne.CurrentApp().Settings().Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	if c.dot.FillColor != th.Color("warning", variant) {
		t.Errorf("live dot %v, want the warning colour", c.dot.FillColor)
	}

	// A flood from many handlers: every one counted, in few updates.
	updates := 0
	r.bridge.Handle(func(evs []workspace.Event) {
		for _, ev := range evs {
			if _, ok := ev.(workspace.CaptureRefused); ok {
				updates++
				return
			}
		}
	})
	var wg sync.WaitGroup
	for range 1000 {
		wg.Go(refuse)
	}
	wg.Wait()
	r.loop.WaitFor(t, "1001 failures counted", func() bool {
		return strings.HasPrefix(c.storeMsg.Text, "1001 webhooks were not stored, the last at ")
	})
	if updates >= 1000/4 {
		t.Errorf("1000 refusals took %d updates of the bar", updates)
	}

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
	go refuse()
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
	r.loop.WaitFor(t, "the webhook listed", func() bool { return r.c.pager.total == n })
}

// postGzip posts a gzip-encoded JSON body to path as the first capture
// and returns the bytes sent.
func postGzip(t *testing.T, r *rig, path, body string) []byte {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(body))
	_ = zw.Close()
	req, _ := http.NewRequest("POST", r.url+path, bytes.NewReader(gz.Bytes()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	deliver(t, r, req, 1)
	return gz.Bytes()
}

// TestSandboxWebhooksAreListed: the webhooks the sandbox sends back for
// a payment are listed newest first, and each shows its body,
// highlighted, its headers and its request line.
func TestSandboxWebhooksAreListed(t *testing.T) {
	r := newRig(t)
	cat := r.c
	if !cat.empty.Visible() || cat.list.Visible() {
		t.Fatal("an empty catcher should show its waiting hint")
	}
	postTo(t, r.ws.SandboxURL()+"v1/payments", "application/json", `{"amount": 1200, "currency": "eur", "callback_url": "`+r.url+`/payments"}`)

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

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
