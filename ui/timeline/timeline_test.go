package timeline

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"hooklab/capture"
	"hooklab/ui/bridge"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/uitest"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

var loop *uitest.Loop

func TestMain(m *testing.M) {
	loop = uitest.Install()
	os.Exit(m.Run())
}

type rig struct {
	panel   *Panel
	ws      *workspace.Workspace
	win     fyne.Window
	app     fyne.App
	dialogs *dialogstest.Fake
}

// newRig opens the timeline on a workspace serving the sandbox, in a
// headless window of 1400×900, active.
func newRig(t *testing.T) *rig {
	t.Helper()
	ws := uitest.Workspace(t, "")
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	b := bridge.New(ws.Events())
	dlg := &dialogstest.Fake{}
	p := New(Config{Workspace: ws, Bridge: b, Dialogs: dlg, Started: time.Now().Add(-time.Second)})
	win := test.NewTempWindow(t, p.Content())
	win.Resize(fyne.NewSize(1400, 900))
	b.Start()
	t.Cleanup(func() {
		ws.Stop()
		done := make(chan struct{})
		go func() { b.Close(); close(done) }()
		loop.RunUntil(done)
		if err := ws.Close(); err != nil {
			t.Error(err)
		}
	})
	p.SetActive(true)
	return &rig{panel: p, ws: ws, win: win, app: app, dialogs: dlg}
}

// texts are the words drawn by objs, in order.
func texts(objs []fyne.CanvasObject) []string {
	var out []string
	for _, o := range objs {
		if t, ok := o.(*canvas.Text); ok && t.Text != "" {
			out = append(out, t.Text)
		}
	}
	return out
}

// lines counts the canvas lines of objs.
func lines(objs []fyne.CanvasObject) int {
	n := 0
	for _, o := range objs {
		if _, ok := o.(*canvas.Line); ok {
			n++
		}
	}
	return n
}

// sendPayment sends the example request (the sandbox payment).
func sendPayment(t *testing.T, ws *workspace.Workspace) {
	t.Helper()
	resp, err := ws.Send(context.Background(), "t", workspace.ExampleRequest(), ws.Vars(), "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
}

// The demo round trip: the payment call, its 201, and the two webhooks
// it caused are drawn as four arrows, live, with their labels.
func TestDemoRoundTripIsDrawn(t *testing.T) {
	r := newRig(t)
	d := r.panel.Diagram
	loop.WaitFor(t, "the empty note", func() bool { return r.panel.Loaded() > 0 })
	if len(d.Timeline().Arrows) != 0 || !strings.Contains(strings.Join(texts(d.objs), " "), "Nothing since") {
		t.Fatalf("an empty timeline shows %q", texts(d.objs))
	}
	header := strings.Join(texts(d.HeaderObjects()), "|")
	if header != "Time|You (Hooklab)|API|Your webhook endpoint" {
		t.Errorf("header %q", header)
	}

	sendPayment(t, r.ws)
	loop.WaitFor(t, "four arrows", func() bool {
		tl := d.Timeline()
		return len(tl.Arrows) == 4 && tl.Count(workspace.ArrowWebhook) == 2
	}, func() string { return fmt.Sprintf("%+v", d.Timeline().Arrows) })

	first, shown := d.Shown()
	if first != 0 || len(shown) != 4 {
		t.Fatalf("rows in view from %d: %d", first, len(shown))
	}
	var got []string
	for i := range shown {
		objs := d.RowObjects(i)
		if lines(objs) < 3+3 { // the lanes' pieces, the arrow and its head
			t.Errorf("row %d draws %d lines", i, lines(objs))
		}
		got = append(got, strings.Join(texts(objs)[1:], " ")) // after the time
	}
	want := []func(string) bool{
		func(s string) bool { return strings.HasPrefix(s, "POST  /v1/payments to 127.0.0.1:") },
		func(s string) bool {
			return strings.HasPrefix(s, "201 Created ") && strings.Contains(s, " ms to POST /v1/payments")
		},
		func(s string) bool {
			return strings.HasPrefix(s, "payment.created   valid  +") && strings.HasSuffix(s, "POST /payments · caused by POST /v1/payments")
		},
		func(s string) bool {
			return strings.HasPrefix(s, "payment.succeeded   valid  +") && strings.HasSuffix(s, "POST /payments · caused by POST /v1/payments")
		},
	}
	for i, ok := range want {
		if !ok(got[i]) {
			t.Errorf("row %d says %q", i, got[i])
		}
	}
	if s := r.panel.Summary.Text; !strings.Contains(s, "1 request, 2 linked webhooks") {
		t.Errorf("summary %q", s)
	}
}

// A capture no call caused is drawn on a row of its own, dashed.
func TestUnlinkedCaptureHasItsOwnRow(t *testing.T) {
	r := newRig(t)
	d := r.panel.Diagram
	res, err := http.Post(r.ws.CatcherURL()+"github", "text/plain", strings.NewReader("hi"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loop.WaitFor(t, "one unlinked arrow", func() bool { return d.Timeline().Count(workspace.ArrowUnlinked) == 1 })
	row := strings.Join(texts(d.RowObjects(0)), " ")
	if !strings.Contains(row, "POST /github · not linked to a call") {
		t.Errorf("row says %q", row)
	}
	if n := lines(d.RowObjects(0)); n < 3+4 { // dashed: several pieces
		t.Errorf("an unlinked arrow of %d lines is not dashed", n)
	}
}

// synthetic is a timeline of n request/response pairs.
func synthetic(n int) workspace.Timeline {
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var tl workspace.Timeline
	for i := range n {
		c := workspace.TimelineCall{ID: int64(i + 1), Time: t0.Add(time.Duration(i) * time.Second), Method: "GET", URL: fmt.Sprintf("http://api.example/items/%d", i), Status: 200, Duration: 12 * time.Millisecond}
		tl.Arrows = append(tl.Arrows,
			workspace.Arrow{Kind: workspace.ArrowRequest, Time: c.Time, Call: c},
			workspace.Arrow{Kind: workspace.ArrowResponse, Time: c.Time.Add(c.Duration), Call: c})
	}
	return tl
}

// Thousands of arrows make the objects of a screenful; a view at the
// end follows new arrows, one scrolled back stays.
func TestOnlyRowsInViewExist(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(widgets.Theme())
	d := NewDiagram()
	test.NewTempWindow(t, d).Resize(fyne.NewSize(1024, 700))
	d.SetTimeline(synthetic(3000))
	first, shown := d.Shown()
	if len(shown) == 0 || len(shown) > 20 || len(d.objs) != len(shown) {
		t.Fatalf("%d rows exist of 6000 arrows (%d objects)", len(shown), len(d.objs))
	}
	if first+len(shown) != 6000 {
		t.Errorf("a new view does not show the newest arrow: rows %d–%d", first, first+len(shown))
	}
	d.scroll.ScrollToOffset(fyne.NewPos(0, 0))
	d.layoutRows()
	if first, _ := d.Shown(); first != 0 {
		t.Fatalf("scrolled to the top, first row %d", first)
	}
	d.SetTimeline(synthetic(3001))
	if first, _ := d.Shown(); first != 0 {
		t.Errorf("a view scrolled back moved to row %d on a new arrow", first)
	}
	d.TypedKey(fyne.KeyPageDown)
	if first, _ := d.Shown(); first < 5 {
		t.Errorf("Page Down from the top shows row %d first", first)
	}
	d.TypedKey(fyne.KeyHome)
	if first, _ := d.Shown(); first != 0 {
		t.Errorf("Home shows row %d first", first)
	}
	d.TypedKey(fyne.KeyEnd)
	d.SetTimeline(synthetic(3002))
	if first, shown := d.Shown(); first+len(shown) != 6004 {
		t.Errorf("a view at the end does not follow: rows %d–%d of 6004", first, first+len(shown))
	}
}

// bgAt is the fill of the last rectangle of objs under p, else the
// theme's background.
func bgAt(objs []fyne.CanvasObject, p fyne.Position) color.Color {
	bg := theme.Color(theme.ColorNameBackground)
	for _, o := range objs {
		r, ok := o.(*canvas.Rectangle)
		if !ok {
			continue
		}
		rp, rs := r.Position(), r.Size()
		if p.X >= rp.X && p.X <= rp.X+rs.Width && p.Y >= rp.Y && p.Y <= rp.Y+rs.Height {
			bg = r.FillColor
		}
	}
	return bg
}

// Every word of the diagram reads at 4.5:1 or more on what it is drawn
// on, in the light and in the dark theme.
func TestTextContrast(t *testing.T) {
	t0 := time.Now()
	call := workspace.TimelineCall{ID: 1, Time: t0, Method: "POST", URL: "http://127.0.0.1:8089/v1/payments", Status: 201, Duration: 14 * time.Millisecond}
	var arrows []workspace.Arrow
	for _, m := range widgets.Methods {
		c := call
		c.Method = m
		arrows = append(arrows, workspace.Arrow{Kind: workspace.ArrowRequest, Time: t0, Call: c})
	}
	for _, st := range []int{201, 302, 404, 500, 0} {
		c := call
		c.Status = st
		c.Err = "connection refused"
		arrows = append(arrows, workspace.Arrow{Kind: workspace.ArrowResponse, Time: t0, Call: c})
	}
	for _, v := range []*capture.Verdict{nil, {Valid: true}, {Reason: "signature mismatch"}, {Reason: "no signature header"}} {
		tc := workspace.TimelineCapture{ID: "c", Method: "POST", Path: "/payments", Event: "payment.created", Signature: workspace.SignatureStateOf(v), Delay: 1200 * time.Millisecond}
		arrows = append(arrows, workspace.Arrow{Kind: workspace.ArrowWebhook, Time: t0, Call: call, Capture: tc},
			workspace.Arrow{Kind: workspace.ArrowUnlinked, Time: t0, Capture: tc})
	}
	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		test.NewTempApp(t).Settings().SetTheme(InVariant(widgets.Theme(), variant))
		g := newGeometry(1400, DefaultZoom)
		groups := [][]fyne.CanvasObject{drawHeader(g)}
		for _, a := range arrows {
			groups = append(groups, drawRow(a, g))
		}
		checked := 0
		for _, objs := range groups {
			for _, o := range objs {
				txt, ok := o.(*canvas.Text)
				if !ok || strings.TrimSpace(txt.Text) == "" {
					continue
				}
				centre := txt.Position().AddXY(2, txt.MinSize().Height/2)
				if c := widgets.Contrast(txt.Color, bgAt(objs, centre)); c < 4.5 {
					t.Errorf("variant %d: %q at %.2f:1", variant, txt.Text, c)
				}
				checked++
			}
		}
		if checked < 3*len(arrows) {
			t.Errorf("variant %d: only %d words checked", variant, checked)
		}
	}
}

// Export PNG… writes what the diagram shows, as a PNG of its size.
func TestExportPNGWritesWhatIsShown(t *testing.T) {
	r := newRig(t)
	sendPayment(t, r.ws)
	d := r.panel.Diagram
	loop.WaitFor(t, "two webhooks", func() bool { return d.Timeline().Count(workspace.ArrowWebhook) == 2 })
	path := filepath.Join(t.TempDir(), "shown.png")
	r.dialogs.SavePath = path
	test.Tap(r.panel.Export)
	var b []byte
	loop.WaitFor(t, "the PNG written", func() bool {
		var err error
		b, err = os.ReadFile(path)
		return err == nil && len(b) > 0 && bytes.HasSuffix(b, []byte("IEND\xaeB`\x82"))
	})
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	g := d.geometry()
	if w := img.Bounds().Dx(); w != int(d.Size().Width) {
		t.Errorf("%d pixels wide, the diagram is %v", w, d.Size().Width)
	}
	if h := img.Bounds().Dy(); float32(h) < g.headerH()+4*g.rowH() {
		t.Errorf("%d pixels tall: fewer than the four rows", h)
	}
	if a, ok := r.dialogs.Last(); !ok || a.Kind != dialogstest.SaveFile || !strings.HasSuffix(a.Message, ".png") {
		t.Errorf("asked %+v", r.dialogs.Asked)
	}
}

// The zoom buttons scale the labels, within bounds.
func TestZoom(t *testing.T) {
	r := newRig(t)
	sendPayment(t, r.ws)
	d := r.panel.Diagram
	loop.WaitFor(t, "arrows", func() bool { return len(d.Timeline().Arrows) >= 2 })
	size := func() float32 {
		for _, o := range d.RowObjects(0) {
			if t, ok := o.(*canvas.Text); ok && t.Text == "POST" {
				return t.TextSize
			}
		}
		return 0
	}
	before := size()
	test.Tap(r.panel.ZoomIn)
	if after := size(); after <= before {
		t.Fatalf("zoom in: text %v → %v", before, after)
	}
	keys := test.NewCanvas()
	r.panel.AddKeys(keys)
	ctrl := func(k fyne.KeyName) *desktop.CustomShortcut {
		return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	}
	keys.(fyne.Shortcutable).TypedShortcut(ctrl(fyne.Key0))
	if d.Zoom() != DefaultZoom {
		t.Errorf("Ctrl+0: zoom %v", d.Zoom())
	}
	keys.(fyne.Shortcutable).TypedShortcut(ctrl(fyne.KeyEqual))
	if d.Zoom() != DefaultZoom+zoomStep {
		t.Errorf("Ctrl+=: zoom %v", d.Zoom())
	}
	for range 20 {
		test.Tap(r.panel.ZoomOut)
	}
	if d.Zoom() != MinZoom || !r.panel.ZoomOut.Disabled() {
		t.Errorf("zoomed out to %v, button disabled %v", d.Zoom(), r.panel.ZoomOut.Disabled())
	}
}

// BenchmarkSetTimeline: applying a timeline of 5,000 arrows (the
// window's bound) on the UI goroutine, in a 1400×900 view at its end.
func BenchmarkSetTimeline(b *testing.B) {
	test.NewTempApp(b).Settings().SetTheme(widgets.Theme())
	d := NewDiagram()
	test.NewTempWindow(b, d).Resize(fyne.NewSize(1400, 900))
	tls := []workspace.Timeline{synthetic(2500), synthetic(2499)}
	b.ResetTimer()
	for i := range b.N {
		d.SetTimeline(tls[i%2])
	}
}

// BenchmarkRender: drawing the picture of 12 rows with the software
// renderer, as `hooklab timeline` does.
func BenchmarkRender(b *testing.B) {
	test.NewTempApp(b).Settings().SetTheme(widgets.Theme())
	tl := synthetic(6)
	b.ResetTimer()
	for range b.N {
		Render(tl, Options{})
	}
}

// BenchmarkExportStep: the longest step Export PNG… takes on the UI
// goroutine, drawing the participants' strip 1400 wide.
func BenchmarkExportStep(b *testing.B) {
	test.NewTempApp(b).Settings().SetTheme(widgets.Theme())
	strips, size := pictureStrips("", nil, 1400, DefaultZoom)
	b.ResetTimer()
	for range b.N {
		render(strips[0].obj, fyne.NewSize(size.Width, strips[0].h), 1)
	}
}

// A theme change redraws the rows in the new colours.
func TestRestyleFollowsTheTheme(t *testing.T) {
	app := test.NewTempApp(t)
	app.Settings().SetTheme(InVariant(widgets.Theme(), theme.VariantLight))
	d := NewDiagram()
	test.NewTempWindow(t, d).Resize(fyne.NewSize(1024, 700))
	d.SetTimeline(synthetic(3))
	path := func() color.Color {
		for _, o := range d.RowObjects(0) {
			if t, ok := o.(*canvas.Text); ok && strings.HasPrefix(t.Text, " /items/") {
				return t.Color
			}
		}
		return nil
	}
	light := path()
	app.Settings().SetTheme(InVariant(widgets.Theme(), theme.VariantDark))
	d.Restyle()
	dark := path()
	if light == nil || dark == nil || widgets.Contrast(light, dark) < 3 {
		t.Errorf("the path's colour went from %v to %v", light, dark)
	}
}
