package catcher

import (
	"bytes"
	"fmt"
	"image"
	pngenc "image/png"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"hooklab/capture"
	"hooklab/ui/widgets"
)

// shownText joins the texts a widget draws (a cut one ends in "…").
func shownText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Text:
			b.WriteString(x.Text)
			b.WriteString(" ")
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

// TestCatcherURLIsReadable: on a panel as wide as the catcher's half of
// a 1400-pixel window, the toolbar's buttons lose their words before
// the URL is cut.
func TestCatcherURLIsReadable(t *testing.T) {
	r := newRig(t)
	c := r.c
	for _, w := range []float32{700, 520} {
		r.win.Resize(fyne.NewSize(w, 900))
		r.loop.Drain()
		need := fyne.MeasureText(c.url, theme.TextSize(), widgets.Mono).Width + 2*theme.InnerPadding()
		if got := c.urlText.Size().Width; got < need {
			t.Fatalf("at %v px the URL gets %v px, needs %v: %q", w, got, need, shownText(c.urlText))
		}
		if strings.Contains(shownText(c.urlText), "…") {
			t.Fatalf("at %v px the URL is cut: %q", w, shownText(c.urlText))
		}
	}
}

// TestFiltersReadInFull: at the catcher's width in a 1024-pixel window
// the selects show their names ("Endpoint", not "End…"), the search
// going to a second row, and the detail's meta line keeps the id.
func TestFiltersReadInFull(t *testing.T) {
	r := newRig(t)
	c := r.c
	postTo(t, r.url+"/github/push?with=a&long=query", "application/json; charset=utf-8", `{"k":"v"}`)
	r.loop.WaitFor(t, "the capture", func() bool { return c.Total() == 1 })
	c.Select(0)
	r.loop.WaitFor(t, "the detail", c.DetailShown)
	for _, w := range []float32{512, 620, 700} {
		r.win.Resize(fyne.NewSize(w, 900))
		r.loop.WaitFor(t, "the layout", func() bool { r.loop.Drain(); return true })
		for _, s := range c.filterBar.selects {
			if txt := shownText(s); strings.Contains(txt, "…") || s.Size().Width < selectWidth(s) {
				t.Fatalf("at %v px the %s select reads %q (%v px wide)", w, s.Selected, txt, s.Size().Width)
			}
		}
		if c.Search.Size().Width < searchLeast {
			t.Fatalf("at %v px the search is %v px wide", w, c.Search.Size().Width)
		}
		if got := shownText(c.detail.meta); !strings.Contains(got, c.Selected()) {
			t.Fatalf("at %v px the meta line reads %q, without the id %s", w, got, c.Selected())
		}
	}
}

// TestArrowKeysSelectAndOpen: in the focused list Down and Up move the
// selection and open the capture, Home and End go to the ends.
func TestArrowKeysSelectAndOpen(t *testing.T) {
	r := newRig(t)
	c := r.c
	for i := range 4 {
		postTo(t, fmt.Sprintf("%s/k/%d", r.url, i), "application/json", fmt.Sprintf(`{"n":%d}`, i))
	}
	r.loop.WaitFor(t, "4 captures", func() bool { return c.Total() == 4 })
	ids := shownIDs(c, 4)
	key := func(k fyne.KeyName) { c.list.TypedKey(&fyne.KeyEvent{Name: k}) }
	opened := func(i int) {
		t.Helper()
		r.loop.WaitFor(t, fmt.Sprintf("row %d opened", i), func() bool {
			return c.Selected() == ids[i] && c.DetailShown() && c.detail.shown != nil && c.detail.shown.ID == ids[i]
		})
	}
	key(fyne.KeyDown) // nothing selected: the first
	opened(0)
	key(fyne.KeyDown)
	opened(1)
	key(fyne.KeyDown)
	opened(2)
	key(fyne.KeyUp)
	opened(1)
	key(fyne.KeyEnd)
	opened(3)
	key(fyne.KeyHome)
	opened(0)
}

// TestDeleteCanBeUndone: Delete says "Deleted" with Undo, which puts
// the capture back, body and all, and shows it again.
func TestDeleteCanBeUndone(t *testing.T) {
	r := newRig(t)
	c := r.c
	postTo(t, r.url+"/undo/me", "application/json", `{"keep":"me"}`)
	r.loop.WaitFor(t, "the capture", func() bool { return c.Total() == 1 })
	c.Select(0)
	r.loop.WaitFor(t, "the detail", func() bool { return c.detail.shown != nil })
	id := c.Selected()
	c.deleteSelected()
	r.loop.WaitFor(t, "the delete", func() bool { return c.Total() == 0 })
	if !c.UndoShown() {
		t.Fatal("no Undo after a delete")
	}
	test.Tap(c.undo.undo)
	r.loop.WaitFor(t, "the capture back", func() bool {
		return c.Total() == 1 && c.Selected() == id && c.detail.shown != nil && c.detail.shown.ID == id
	})
	if c.UndoShown() {
		t.Fatal("Undo stays after undoing")
	}
	cp, err := r.store.Get(id)
	if err != nil || string(cp.Body) != `{"keep":"me"}` || cp.Path != "/undo/me" {
		t.Fatalf("restored %+v, %v", cp, err)
	}
}

// TestFiltersClearTheDetailAndOfferToClear: a filter that leaves the
// capture shown out clears the detail; no match says so, with one
// button that clears every filter.
func TestFiltersClearTheDetailAndOfferToClear(t *testing.T) {
	r := newRig(t)
	c := r.c
	postTo(t, r.url+"/alpha/1", "application/json", `{"a":1}`)
	postTo(t, r.url+"/beta/1", "application/json", `{"b":1}`)
	r.loop.WaitFor(t, "2 captures", func() bool { return c.Total() == 2 })
	c.Select(1) // /alpha, the older
	r.loop.WaitFor(t, "alpha shown", func() bool { return c.detail.shown != nil && c.detail.shown.Path == "/alpha/1" })
	r.loop.WaitFor(t, "endpoints", func() bool { return len(c.Endpoint.Options) == 3 })
	c.Endpoint.SetSelected("/beta")
	r.loop.WaitFor(t, "the filter", func() bool { return c.Total() == 1 && !c.follow.reading })
	if c.DetailShown() || c.Selected() != "" {
		t.Fatal("the detail still shows /alpha under the /beta filter")
	}
	test.Type(c.Search, "nothing-has-this")
	r.loop.WaitFor(t, "no match", func() bool { return c.Total() == 0 && c.noMatch.Visible() })
	if !c.ClearFilters.Visible() {
		t.Fatal("no Clear filters under no match")
	}
	test.Tap(c.ClearFilters)
	r.loop.WaitFor(t, "every capture again", func() bool { return c.Total() == 2 && !c.follow.reading })
	if c.Endpoint.Selected != allEndpoints || c.Search.Text != "" || c.noMatch.Visible() {
		t.Fatalf("after Clear filters: endpoint %q, search %q", c.Endpoint.Selected, c.Search.Text)
	}
}

// TestRulesDialogEndpoint: the Endpoint field starts with the shown
// capture's endpoint, so Save works at once; Remove rule is off until
// the endpoint names a rule; endpoints captured while the dialog is
// open are offered.
func TestRulesDialogEndpoint(t *testing.T) {
	r := newRig(t)
	c := r.c
	postTo(t, r.url+"/stripe/evt", "application/json", `{}`)
	r.loop.WaitFor(t, "the capture", func() bool { return c.Total() == 1 })
	c.Select(0)
	r.loop.WaitFor(t, "the detail", func() bool { return c.detail.shown != nil })
	c.showRules()
	e := c.rulesView
	r.loop.Drain()
	if e.Endpoint.Text != "/stripe" {
		t.Fatalf("Endpoint starts as %q, want the shown capture's /stripe", e.Endpoint.Text)
	}
	if !e.removeBtn.Disabled() {
		t.Fatal("Remove rule is on with no rule")
	}
	test.Tap(e.saveBtn)
	r.loop.WaitFor(t, "the rule saved", func() bool { return len(e.rules) == 1 })
	if e.errLabel.Visible() {
		t.Fatalf("saving says %q", e.errLabel.Text)
	}
	if e.removeBtn.Disabled() {
		t.Fatal("Remove rule is off on the endpoint of a rule")
	}
	postTo(t, r.url+"/github/push", "application/json", `{}`)
	r.loop.WaitFor(t, "the new endpoint offered", func() bool {
		return strings.Contains(strings.Join(e.options, " "), "/github")
	})
}

// TestMultipartWithAnImage: a multipart body with a JSON part and a PNG
// part shows its parts one under another (not one hex dump), and the
// image in the Image tab.
func TestMultipartWithAnImage(t *testing.T) {
	r := newRig(t)
	c := r.c
	var png bytes.Buffer
	_ = pngenc.Encode(&png, image.NewRGBA(image.Rect(0, 0, 3, 2)))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("meta", `{"order":"ord_123"}`)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="dot.png"`)
	h.Set("Content-Type", "image/png")
	pw, _ := mw.CreatePart(h)
	pw.Write(png.Bytes())
	mw.Close()
	postTo(t, r.url+"/upload", mw.FormDataContentType(), body.String())
	r.loop.WaitFor(t, "the capture", func() bool { return c.Total() == 1 })
	c.Select(0)
	r.loop.WaitFor(t, "the parts", func() bool { return strings.Contains(c.Body.Text(), "ord_123") })
	text := c.Body.Text()
	if !strings.Contains(text, `part 1 · name="meta"`) || !strings.Contains(text, `filename="dot.png"`) || strings.Contains(text, "00000000") {
		t.Fatalf("body of a multipart with an image:\n%s", text)
	}
	if !hasTab(c.tabs.Items, c.imgTab) || !bytes.Equal(c.Image.img.Resource.Content(), png.Bytes()) {
		t.Fatal("the image part is not in the Image tab")
	}
	if got := c.Image.Info(); !strings.HasPrefix(got, "3×2 · PNG") {
		t.Fatalf("image info %q", got)
	}
}

// gatedStore holds Get until the test opens the gate.
type gatedStore struct {
	*countingStore
	gate chan struct{}
}

func (s gatedStore) Get(id string) (*capture.Capture, error) {
	<-s.gate
	return s.countingStore.Get(id)
}

// TestSlowCaptureShowsProgress: a capture slow to read (a big body on a
// loaded machine) shows the body view's progress indicator once the
// timer (under 100 ms) fires, and not after it is shown.
func TestSlowCaptureShowsProgress(t *testing.T) {
	r := newRig(t)
	c := r.c
	postTo(t, r.url+"/big", "application/json", `{"big":true}`)
	postTo(t, r.url+"/big2", "application/json", `{"big":2}`)
	r.loop.WaitFor(t, "the captures", func() bool { return c.Total() == 2 })
	c.Select(1)
	r.loop.WaitFor(t, "the first body", func() bool { return strings.Contains(c.Body.Text(), `"big": true`) })
	var timers []func()
	c.Body.SetClock(func(d time.Duration, f func()) func() bool {
		if d > 100*time.Millisecond {
			t.Errorf("progress after %v, want within 100 ms", d)
		}
		timers = append(timers, f)
		return func() bool { return true }
	})
	gate := make(chan struct{})
	c.store = gatedStore{countingStore: r.reads, gate: gate}
	c.Select(0)
	if len(timers) == 0 {
		t.Fatal("selecting a capture starts no progress timer")
	}
	timers[len(timers)-1]() // the time is up, the read still runs
	r.loop.WaitFor(t, "the progress indicator", c.Body.Busy)
	close(gate)
	r.loop.WaitFor(t, "the second body", func() bool { return strings.Contains(c.Body.Text(), `"big": 2`) })
	if c.Body.Busy() {
		t.Fatal("the progress indicator stays after the body is shown")
	}
}
