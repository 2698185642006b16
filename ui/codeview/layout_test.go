package codeview

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"hooklab/ui/codeview/highlight"
)

// absRect is where o is drawn in its window.
func absRect(o fyne.CanvasObject) (fyne.Position, fyne.Size) {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o), o.Size()
}

// overlaps reports whether a and b share any pixel.
func overlaps(a, b fyne.CanvasObject) bool {
	ap, as := absRect(a)
	bp, bs := absRect(b)
	return ap.X < bp.X+bs.Width && bp.X < ap.X+as.Width && ap.Y < bp.Y+bs.Height && bp.Y < ap.Y+as.Height
}

// TestToolsNeverCoverLines: the tools (Raw, find, save, copy) sit in a
// row of their own, so the end of a long line (its "[line cut]") and
// the hex dump's ASCII column are never under them.
func TestToolsNeverCoverLines(t *testing.T) {
	v, _ := newViewRig(t, WithSave(func(string, []byte) {}))
	for _, body := range []struct{ ctype, text string }{
		{"application/json", `{"a":"` + strings.Repeat("x", 3000) + `"}`},
		{"application/octet-stream", "\x00\x01\x02PNG" + strings.Repeat("\xff", 300)},
	} {
		v.SetBody(body.ctype, []byte(body.text))
		loop.WaitFor(t, body.ctype, func() bool {
			return len(v.Lines()) > 0 && v.copy.Visible() || body.ctype != "application/json" && len(v.Lines()) > 0
		})
		loop.Drain()
		for _, b := range []fyne.CanvasObject{v.pretty, v.findBt, v.save, v.copy} {
			if b.Visible() && overlaps(b, v.grid) {
				p, s := absRect(b)
				gp, gs := absRect(v.grid)
				t.Fatalf("%s: a tool at %v %v covers the lines at %v %v", body.ctype, p, s, gp, gs)
			}
		}
	}
}

// TestTappingALineMovesNothing: the path bar keeps its place below a
// JSON body, so the line tapped stays under the pointer.
func TestTappingALineMovesNothing(t *testing.T) {
	v, _ := newViewRig(t)
	v.SetBody("application/json", []byte(`{"a":{"b":[1,2,3]},"c":"d"}`))
	loop.WaitFor(t, "body", func() bool { return strings.Contains(v.Text(), `"c": "d"`) })
	loop.Drain()
	before, _ := absRect(v.grid)
	row := v.grid.rowWith(`"c"`)
	tapRow(v, row)
	loop.WaitFor(t, "path", func() bool { return v.PathShown() == "$.c" })
	loop.Drain()
	if after, _ := absRect(v.grid); after != before {
		t.Fatalf("tapping a line moved the lines from %v to %v", before, after)
	}
	test.Tap(v.closePathBt)
	if after, _ := absRect(v.grid); after != before || v.PathShown() != "" {
		t.Fatalf("closing the path moved the lines from %v to %v (path %q)", before, after, v.PathShown())
	}
}

// TestCopyCopiesWhatIsShown: Copy in the pretty view copies the
// pretty-printed text, in the raw view the body as it arrived.
func TestCopyCopiesWhatIsShown(t *testing.T) {
	v, app := newViewRig(t)
	body := `{"a":1,"b":[true]}`
	v.SetBody("application/json", []byte(body))
	loop.WaitFor(t, "pretty", func() bool { return strings.Contains(v.Text(), `"a": 1`) })
	test.Tap(v.copy)
	if got, want := app.Clipboard().Content(), v.Text(); got != want || got == body {
		t.Fatalf("Copy in the pretty view gave %q, want what is shown %q", got, want)
	}
	test.Tap(v.pretty)
	loop.WaitFor(t, "raw", func() bool { return v.Text() == body })
	test.Tap(v.copy)
	if got := app.Clipboard().Content(); got != body {
		t.Fatalf("Copy in the raw view gave %q, want %q", got, body)
	}
}

// TestKeysAndWheelScroll: a tapped view takes PageDown/PageUp,
// End/Home, Ctrl+End/Ctrl+Home, and a wheel notch scrolls 3 lines.
func TestKeysAndWheelScroll(t *testing.T) {
	v, _ := newViewRig(t)
	var b strings.Builder
	for i := range 500 {
		b.WriteString("line ")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteByte('\n')
	}
	v.SetBody("text/plain", []byte(b.String()))
	loop.WaitFor(t, "body", func() bool { return len(v.Lines()) >= 500 })
	loop.Drain()
	g := v.grid
	tapRow(v, 0)
	c := fyne.CurrentApp().Driver().CanvasForObject(g.area)
	if c.Focused() != g.area {
		t.Fatalf("a tapped view does not take the keys (focused: %T)", c.Focused())
	}
	key := func(k fyne.KeyName) { c.Focused().TypedKey(&fyne.KeyEvent{Name: k}) }
	lineH := g.metrics().lineH
	page := g.scroll.Size().Height - lineH
	key(fyne.KeyPageDown)
	if got := g.scroll.Offset.Y; got != page {
		t.Fatalf("PageDown scrolled to %v, want %v", got, page)
	}
	key(fyne.KeyPageUp)
	if got := g.scroll.Offset.Y; got != 0 {
		t.Fatalf("PageUp scrolled to %v, want 0", got)
	}
	bottom := g.contentSize().Height - g.scroll.Size().Height
	key(fyne.KeyEnd)
	if got := g.scroll.Offset.Y; got != bottom {
		t.Fatalf("End scrolled to %v, want the bottom %v", got, bottom)
	}
	if !g.inView(len(g.Rows) - 1) {
		t.Fatal("End: the last line is not in view")
	}
	key(fyne.KeyHome)
	if got := g.scroll.Offset.Y; got != 0 {
		t.Fatalf("Home scrolled to %v, want 0", got)
	}
	c.Focused().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnd, Modifier: fyne.KeyModifierControl})
	if got := g.scroll.Offset.Y; got != bottom {
		t.Fatalf("Ctrl+End scrolled to %v, want %v", got, bottom)
	}
	c.Focused().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyHome, Modifier: fyne.KeyModifierControl})
	if got := g.scroll.Offset.Y; got != 0 {
		t.Fatalf("Ctrl+Home scrolled to %v, want 0", got)
	}
	// One wheel notch, as the desktop driver reports it (25 px down).
	test.Scroll(c, fyne.CurrentApp().Driver().AbsolutePositionForObject(g.area).Add(fyne.NewPos(40, 40)), 0, -wheelNotch)
	if got, want := g.scroll.Offset.Y, 3*lineH; got != want {
		t.Fatalf("a wheel notch scrolled %v px, want 3 lines (%v)", got, want)
	}
}

// fakeClock holds the timers a view starts until the test fires them.
type fakeClock struct{ timers []func() }

func (c *fakeClock) after(d time.Duration, f func()) func() bool {
	if d > 100*time.Millisecond {
		panic("the progress indicator must come within 100 ms")
	}
	c.timers = append(c.timers, f)
	return func() bool { return true }
}

// TestSlowRenderShowsProgress: a render still running when the timer
// (under 100 ms) fires shows the progress indicator, whatever the
// body's size, until the body is shown.
func TestSlowRenderShowsProgress(t *testing.T) {
	v, _ := newViewRig(t)
	clock := &fakeClock{}
	v.after = clock.after
	release := make(chan struct{})
	v.renderBody = func(ctx context.Context, ct string, body []byte, pretty bool, limit int) (highlight.Result, error) {
		<-release
		return highlight.RenderContext(ctx, ct, body, pretty, limit)
	}
	v.SetBody("application/json", []byte(`{"small":true}`))
	if v.Busy() {
		t.Fatal("busy at once: a quick render would flash it")
	}
	if len(clock.timers) != 1 {
		t.Fatalf("%d timers started, want 1", len(clock.timers))
	}
	clock.timers[0]() // the time is up, the render still runs
	loop.WaitFor(t, "the progress indicator", v.Busy)
	close(release)
	loop.WaitFor(t, "the body", func() bool { return strings.Contains(v.Text(), `"small": true`) })
	if v.Busy() {
		t.Fatal("the progress indicator stays after the body is shown")
	}
}

// TestWheelGoesSidewaysOnOneLongLine: with no room to scroll down, the
// wheel scrolls a long line sideways, as Fyne's scroller does.
func TestWheelGoesSidewaysOnOneLongLine(t *testing.T) {
	v, _ := newViewRig(t)
	v.SetBody("text/plain", []byte(strings.Repeat("wide ", 150)))
	loop.WaitFor(t, "body", func() bool { return len(v.Lines()) == 1 })
	loop.Drain()
	g := v.grid
	c := fyne.CurrentApp().Driver().CanvasForObject(g.area)
	test.Scroll(c, fyne.CurrentApp().Driver().AbsolutePositionForObject(g.area).Add(fyne.NewPos(40, 5)), 0, -wheelNotch)
	if g.scroll.Offset.X <= 0 || g.scroll.Offset.Y != 0 {
		t.Fatalf("a wheel notch on one long line scrolled to %v", g.scroll.Offset)
	}
}

// TestCopyButtonsSayCopied: Copy, Copy path and Copy value confirm
// with "Copied" until the view's clock fires, and the confirmation
// moves neither the tools nor the path bar's buttons.
func TestCopyButtonsSayCopied(t *testing.T) {
	v, _ := newViewRig(t)
	var timers []func()
	v.SetClock(func(_ time.Duration, f func()) func() bool {
		timers = append(timers, f)
		return func() bool { return true }
	})
	fire := func() {
		fs := timers
		timers = nil
		for _, f := range fs {
			f()
		}
		loop.Drain()
	}
	v.SetBody("application/json", []byte(`{"id":"pay_1"}`))
	loop.WaitFor(t, "body", func() bool { return strings.Contains(v.Text(), `"id"`) })
	fire() // the progress indicator's timer, if any
	// The test driver does not lay out again when the tools appear, as
	// the window does when it draws; place them first.
	v.relayout()

	copyAt, _ := absRect(v.copy)
	prettyAt, _ := absRect(v.pretty)
	test.Tap(v.copy)
	if !v.Copied() || v.copy.Icon.Name() != theme.ConfirmIcon().Name() {
		t.Fatal("Copy does not say Copied")
	}
	if w, need := v.copied.Size().Width, fyne.MeasureText("Copied", theme.TextSize(), fyne.TextStyle{Italic: true}).Width; w < need {
		t.Fatalf("\"Copied\" has %v px of the %v it needs: it is cut", w, need)
	}
	if a, _ := absRect(v.copy); a != copyAt {
		t.Fatalf("Copy moved from %v to %v", copyAt, a)
	}
	if a, _ := absRect(v.pretty); a != prettyAt {
		t.Fatalf("Raw moved from %v to %v", prettyAt, a)
	}
	fire()
	if v.Copied() || v.copy.Icon.Name() != theme.ContentCopyIcon().Name() {
		t.Fatal("Copied stays after its time")
	}

	tapRow(v, v.grid.rowWith(`"id"`))
	loop.WaitFor(t, "path", func() bool { return v.PathShown() != "" })
	closeAt, _ := absRect(v.closePathBt)
	test.Tap(v.copyPathBt)
	if v.copyPathBt.Text != "Copied" {
		t.Fatalf("Copy path says %q", v.copyPathBt.Text)
	}
	test.Tap(v.copyValueBt)
	loop.WaitFor(t, "Copy value confirms", func() bool { return v.copyValueBt.Text == "Copied" })
	if a, _ := absRect(v.closePathBt); a != closeAt {
		t.Fatalf("the path bar's buttons moved: close from %v to %v", closeAt, a)
	}
	fire()
	if v.copyPathBt.Text != "Copy path" || v.copyValueBt.Text != "Copy value" {
		t.Fatalf("after the confirmation: %q, %q", v.copyPathBt.Text, v.copyValueBt.Text)
	}
}
