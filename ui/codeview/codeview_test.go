package codeview

import (
	"bytes"
	"fmt"
	"image/color"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/alecthomas/chroma/v2"

	"hooklab/ui/codeview/highlight"
	"hooklab/ui/uitest"
	"hooklab/ui/widgets"
)

var loop *uitest.Loop

func TestMain(m *testing.M) {
	loop = uitest.Install()
	os.Exit(m.Run())
}

// newViewRig shows a code view made with opts alone in a window of its
// own.
func newViewRig(t *testing.T, opts ...Option) (*CodeView, fyne.App) {
	t.Helper()
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	v := New(opts...)
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(900, 700))
	return v, app
}

// styledTexts counts the texts drawn in view with a colour of their own
// (not the theme's foreground), the line numbers aside.
func (g *lineGrid) styledTexts() int {
	fg := g.styles().fg
	n := 0
	for _, r := range g.shown {
		for _, o := range r.objs {
			if t, ok := o.(*canvas.Text); ok && t != r.num && t.Color != fg {
				n++
			}
		}
	}
	return n
}

// markAt returns the colour of the find mark drawn at col of a row in
// view, nil for none.
func (g *lineGrid) markAt(row, col int) color.Color {
	r := g.rowShown(row)
	if r == nil {
		return nil
	}
	x := g.positionFor(row, col).X
	for _, o := range r.objs {
		if rect, ok := o.(*canvas.Rectangle); ok && rect != r.bg && rect != r.gutter && rect.Position().X == x {
			return rect.FillColor
		}
	}
	return nil
}

// marksShown counts the find marks drawn in view.
func (g *lineGrid) marksShown() int {
	n := 0
	for _, r := range g.shown {
		for _, o := range r.objs {
			if rect, ok := o.(*canvas.Rectangle); ok && rect != r.bg && rect != r.gutter {
				n++
			}
		}
	}
	return n
}

// textOn returns the drawn text of row that reads s, nil if none does.
func (g *lineGrid) textOn(row int, s string) *canvas.Text {
	r := g.rowShown(row)
	if r == nil {
		return nil
	}
	for _, o := range r.objs {
		if t, ok := o.(*canvas.Text); ok && t != r.num && t.Text == s {
			return t
		}
	}
	return nil
}

// rowWith returns the first row whose text contains s, -1 for none.
func (g *lineGrid) rowWith(s string) int {
	for i := range g.Rows {
		if strings.Contains(g.RowText(i), s) {
			return i
		}
	}
	return -1
}

// inView reports whether row is wholly inside the scroller's view.
func (g *lineGrid) inView(row int) bool {
	y := g.positionFor(row, 0).Y - g.scroll.Offset.Y
	return g.rowShown(row) != nil && y >= 0 && y+g.metrics().lineH <= g.scroll.Size().Height
}

func TestCodeViewPrettyToggleAndCapBar(t *testing.T) {
	v, _ := newViewRig(t)
	v.SetBody("application/json", []byte(`{"a":1,"b":[true,null]}`))
	loop.WaitFor(t, "pretty JSON", func() bool { return strings.HasPrefix(v.Text(), "{\n  \"a\": 1,") })
	if !v.pretty.Visible() || v.pretty.Text != "Raw" {
		t.Fatalf("toggle visible=%v text %q", v.pretty.Visible(), v.pretty.Text)
	}
	if len(v.grid.shown) != 7 || v.grid.styledTexts() == 0 {
		t.Fatalf("pretty view: %d rows drawn, %d styled texts", len(v.grid.shown), v.grid.styledTexts())
	}
	test.Tap(v.pretty)
	loop.WaitFor(t, "raw JSON", func() bool { return v.Text() == `{"a":1,"b":[true,null]}` })
	if v.pretty.Text != "Pretty" || v.grid.styledTexts() == 0 {
		t.Fatalf("raw view: toggle %q, %d styled texts drawn", v.pretty.Text, v.grid.styledTexts())
	}
	// The choice holds for the next body, as a user who prefers raw expects.
	v.SetBody("application/json", []byte(`{"c":2}`))
	loop.WaitFor(t, "next body raw", func() bool { return v.Text() == `{"c":2}` })
	test.Tap(v.pretty)
	loop.WaitFor(t, "pretty again", func() bool { return strings.Contains(v.Text(), "\"c\": 2") })

	// Plain text has no toggle.
	v.SetBody("text/plain", []byte("hello"))
	loop.WaitFor(t, "plain", func() bool { return v.Text() == "hello" })
	if v.pretty.Visible() {
		t.Fatal("plain text offers a pretty toggle")
	}

	// Over the cap: the first part, and a bar offering the rest.
	v, _ = newViewRig(t, WithCap(1<<20))
	big := bytes.Repeat([]byte("0123456789abcdef\n"), (1<<20)/17+1000)
	v.SetBody("text/plain", big)
	loop.WaitFor(t, "cap bar", func() bool { return v.capBar.Visible() })
	if !strings.Contains(widgets.MutedText(v.capText), "Showing the first 1.0 MB of 1.0 MB") {
		t.Fatalf("cap bar says %q", widgets.MutedText(v.capText))
	}
	shown := len(v.grid.Rows)
	v.loadAll()
	loop.WaitFor(t, "all rows", func() bool { return !v.capBar.Visible() })
	if len(v.grid.Rows) <= shown {
		t.Fatalf("Load all shows %d rows, the capped view %d", len(v.grid.Rows), shown)
	}
}

func TestFindInBody(t *testing.T) {
	v, _ := newViewRig(t)
	var body strings.Builder
	body.WriteString("[")
	for i := range 3000 {
		if i > 0 {
			body.WriteString(",")
		}
		fmt.Fprintf(&body, `{"n":%d,"status":"%s"}`, i, map[bool]string{true: "FAILED", false: "ok"}[i%1000 == 7])
	}
	body.WriteString("]")
	v.SetBody("application/json", []byte(body.String()))
	g := v.grid
	loop.WaitFor(t, "body", func() bool { return len(g.Rows) > 1000 })

	v.Find() // Ctrl+F
	if !v.find.bar.Visible() {
		t.Fatal("Ctrl+F did not open the find bar")
	}
	test.Type(v.find.Query, "failed")
	loop.WaitFor(t, "matches", func() bool { return widgets.MutedText(v.find.count) == "1 of 3" })
	first := v.find.matches[0]
	if got := g.RowText(first.row); !strings.Contains(got, `"FAILED"`) {
		t.Fatalf("match row %d is %q", first.row, got)
	}
	st := g.styles()
	if !g.inView(first.row) || g.markAt(first.row, first.col) != st.current {
		t.Fatalf("the first match (row %d) is not in view and painted as current: mark %v", first.row, g.markAt(first.row, first.col))
	}
	v.find.Query.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if widgets.MutedText(v.find.count) != "2 of 3" {
		t.Fatalf("Enter: %q", widgets.MutedText(v.find.count))
	}
	second := v.find.matches[1]
	if !g.inView(second.row) || g.markAt(second.row, second.col) != st.current {
		t.Fatalf("Enter did not bring the second match (row %d) into view as current", second.row)
	}
	v.find.Query.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	v.find.Query.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !g.inView(first.row) || g.markAt(first.row, first.col) != st.current {
		t.Fatal("Shift+Enter did not go back to the first match")
	}
	v.find.Query.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	v.find.Query.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	if widgets.MutedText(v.find.count) != "3 of 3" {
		t.Fatalf("Shift+Enter twice from 2 should wrap to 3: %q", widgets.MutedText(v.find.count))
	}
	m := v.find.matches[2]
	if !g.inView(m.row) || g.markAt(m.row, m.col) != st.current {
		t.Fatalf("the current match (row %d) is not in view: offset %v", m.row, g.scroll.Offset)
	}
	if g.rowShown(first.row) != nil || len(g.shown) > 100 {
		t.Fatalf("rows far from view are drawn: %d rows from %d", len(g.shown), g.first)
	}

	v.find.copyLine()
	if got := fyne.CurrentApp().Clipboard().Content(); got != g.RowText(m.row) || !strings.Contains(got, "FAILED") {
		t.Fatalf("Copy line gave %q", got)
	}

	// Many matches: every one in view is painted.
	v.find.Query.SetText(`"n"`)
	loop.WaitFor(t, "many matches", func() bool { return widgets.MutedText(v.find.count) == "1 of 3000" })
	want := 0
	for k := range g.shown {
		if strings.Contains(g.RowText(g.first+k), `"n"`) {
			want++
		}
	}
	if n := g.marksShown(); want < 3 || n != want {
		t.Fatalf("%d matches painted in view, want %d", n, want)
	}

	v.find.Query.SetText("no-such-text")
	loop.WaitFor(t, "no matches", func() bool { return widgets.MutedText(v.find.count) == "no matches" })
	v.find.Query.SetText("FAILED")
	loop.WaitFor(t, "matches again", func() bool { return widgets.MutedText(v.find.count) == "1 of 3" })
	v.find.Query.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if v.find.bar.Visible() {
		t.Fatal("Escape did not close the find bar")
	}
	if n := g.marksShown(); n != 0 {
		t.Fatalf("%d matches stay painted after closing", n)
	}
}

func TestOneMiBBodyIsHighlighted(t *testing.T) {
	v, _ := newViewRig(t)
	v.SetBody("application/json", webhookJSON(1<<20))
	loop.WaitFor(t, "rows", func() bool { return len(v.grid.Rows) > 10000 })
	if v.grid.styledTexts() == 0 {
		t.Fatal("the first screen of a 1 MiB body is not highlighted")
	}
	if n := len(v.grid.shown); n == 0 || n > 100 {
		t.Fatalf("%d rows drawn for a 1 MiB body: want the screenful only", n)
	}
	if v.busy.Visible() || v.capBar.Visible() {
		t.Fatal("progress or cap bar left showing for a 1 MiB body")
	}
}

// tapRow taps line row of a view as a user would.
func tapRow(v *CodeView, row int) {
	test.TapAt(v.grid.area, v.grid.positionFor(row, 2).Add(fyne.NewPos(2, 2)))
}

func TestTapALineShowsItsJSONPath(t *testing.T) {
	v, _ := newViewRig(t)
	v.SetBody("application/json", []byte(`{"data":{"object":{"id":"pay_1","items":[{"sku":"a"}]}}}`))
	loop.WaitFor(t, "body", func() bool { return strings.Contains(v.Text(), `"sku": "a"`) })
	row := v.grid.rowWith(`"sku"`)
	tapRow(v, row)
	loop.WaitFor(t, "path", func() bool { return v.PathShown() != "" })
	if v.pathText.Text != "$.data.object.items[0].sku" {
		t.Fatalf("path %q", v.pathText.Text)
	}
	if v.grid.tappedRow != row {
		t.Fatalf("tapped row %d drawn as row %d", row, v.grid.tappedRow)
	}
	test.Tap(v.copyPathBt)
	if got := fyne.CurrentApp().Clipboard().Content(); got != "$.data.object.items[0].sku" {
		t.Fatalf("Copy path gave %q", got)
	}
	// Another body clears it; plain text shows none.
	v.SetBody("text/plain", []byte("a\nb"))
	loop.WaitFor(t, "plain", func() bool { return v.Text() == "a\nb" })
	if v.pathBar.Visible() || v.PathShown() != "" || v.grid.tappedRow != -1 {
		t.Fatal("the path of the old body stays")
	}
	tapRow(v, 1)
	if v.pathBar.Visible() || v.PathShown() != "" {
		t.Fatal("a plain body shows a JSON path")
	}
}

func TestCopyValue(t *testing.T) {
	v, app := newViewRig(t)
	body := `{"data":{"object":{"id":"pay_1","items":[{"sku":"a","qty":2}],"amount":1.50e3}}}`
	v.SetBody("application/json", []byte(body))
	loop.WaitFor(t, "body", func() bool { return strings.Contains(v.Text(), `"sku": "a"`) })
	copied := func(row int, wantPath, want string) {
		t.Helper()
		app.Clipboard().SetContent("")
		tapRow(v, row)
		loop.WaitFor(t, "path "+wantPath, func() bool { return v.PathShown() == wantPath })
		test.Tap(v.copyValueBt)
		loop.WaitFor(t, "value of "+wantPath, func() bool { return app.Clipboard().Content() != "" })
		if got := app.Clipboard().Content(); got != want {
			t.Fatalf("Copy value of %s gave\n%s\nwant\n%s", wantPath, got, want)
		}
	}
	// Pretty: the value re-indented from column 0, as a user pastes it.
	copied(v.grid.rowWith(`"items"`), "$.data.object.items", "[\n  {\n    \"sku\": \"a\",\n    \"qty\": 2\n  }\n]")
	copied(v.grid.rowWith(`"amount"`), "$.data.object.amount", "1.50e3")
	// A string: its value, without the quotes.
	copied(v.grid.rowWith(`"id"`), "$.data.object.id", `pay_1`)
	copied(0, "$", "{\n  \"data\": {\n    \"object\": {\n      \"id\": \"pay_1\",\n      \"items\": [\n        {\n          \"sku\": \"a\",\n          \"qty\": 2\n        }\n      ],\n      \"amount\": 1.50e3\n    }\n  }\n}")
	// Raw: exactly the bytes of the body.
	test.Tap(v.pretty)
	loop.WaitFor(t, "raw", func() bool { return v.Text() == body })
	copied(0, "$", body)
}

// variantTheme is a theme fixed to one variant, as the settings of a
// desktop switching to dark give.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// TestThemeSwitchRestylesVisibleLines: Restyle, which the window calls
// when the theme changes, redraws the rows in view in its colours.
func TestThemeSwitchRestylesVisibleLines(t *testing.T) {
	v, _ := newViewRig(t)
	light, dark := variantTheme{widgets.Theme(), theme.VariantLight}, variantTheme{widgets.Theme(), theme.VariantDark}
	settings := fyne.CurrentApp().Settings()
	settings.SetTheme(light)
	v.SetBody("application/json", []byte(`{"type":"payment.succeeded","amount":1200}`))
	g := v.grid
	loop.WaitFor(t, "body", func() bool { return g.textOn(1, `"type"`) != nil })
	colours := func(th variantTheme) (key, str, num color.Color) {
		p := highlight.PaletteFor(th.variant == theme.VariantDark)
		return p.Style(chroma.NameTag).Color, p.Style(chroma.LiteralStringDouble).Color, th.Color(widgets.ColorNameMuted, 0)
	}
	lightKey, lightStr, lightNum := colours(light)
	darkKey, darkStr, darkNum := colours(dark)
	if lightKey == darkKey || lightStr == darkStr || lightNum == darkNum {
		t.Fatal("the palettes do not differ: the test proves nothing")
	}
	drawn := func() (key, str, num color.Color) {
		return g.textOn(1, `"type"`).Color, g.textOn(1, `"payment.succeeded"`).Color, g.rowShown(1).num.Color
	}
	if k, s, n := drawn(); k != lightKey || s != lightStr || n != lightNum {
		t.Fatalf("light theme draws key %v string %v number %v", k, s, n)
	}

	settings.SetTheme(dark)
	v.Restyle()
	if k, s, n := drawn(); k != darkKey || s != darkStr || n != darkNum {
		t.Fatalf("dark theme draws key %v string %v number %v", k, s, n)
	}
	if want := dark.Color(theme.ColorNameInputBackground, 0); v.bg.FillColor != want {
		t.Fatalf("background %v, want %v", v.bg.FillColor, want)
	}
}

// TestLongLinesAreCutAndScrollSideways: a minified line is cut with a
// marker, drawn as a few texts, and the area is as wide as the widest
// kept line; the numbers stay in view when it scrolls sideways.
func TestLongLinesAreCutAndScrollSideways(t *testing.T) {
	v, _ := newViewRig(t)
	long := "x" + strings.Repeat("0123456789", 300)
	v.SetBody("text/plain", []byte("short\n\tindented\n"+long))
	loop.WaitFor(t, "body", func() bool { return len(v.grid.Rows) == 3 })
	g := v.grid
	if got := g.RowText(1); got != "    indented" {
		t.Fatalf("tab not expanded: %q", got)
	}
	row := g.rowShown(2)
	if !strings.HasSuffix(g.RowText(2), highlight.CutMarker) {
		t.Fatalf("long line not cut: ends %q", g.RowText(2)[len(g.RowText(2))-20:])
	}
	texts := 0
	for _, o := range row.objs {
		if t, ok := o.(*canvas.Text); ok && t != row.num {
			texts++
		}
	}
	if texts < 5 || texts > 10 {
		t.Fatalf("a 1,000-column line is drawn as %d texts", texts)
	}
	wantW := g.codeX() + float32(highlight.MaxColumns+len([]rune(highlight.CutMarker))+1)*g.metrics().charW
	if w := g.area.MinSize().Width; w != wantW {
		t.Fatalf("area %v wide, want %v", w, wantW)
	}
	g.scrollTo(2, 900, 1)
	if g.scroll.Offset.X == 0 {
		t.Fatal("column 900 did not scroll into view")
	}
	if x := row.num.Position().X; x != g.scroll.Offset.X+g.metrics().pad || row.gutter.Hidden {
		t.Fatalf("numbers not pinned: at %v, offset %v", x, g.scroll.Offset.X)
	}
}

// TestSaveHandsOverTheBodyOrItsFile: Save shows only with WithSave, and
// hands over the body shown, or the whole file of a body shown in part.
func TestSaveHandsOverTheBodyOrItsFile(t *testing.T) {
	v, _ := newViewRig(t)
	v.SetBody("application/json", []byte(`{"a":1}`))
	loop.WaitFor(t, "body", func() bool { return v.Text() != "" })
	if v.save.Visible() {
		t.Fatal("Save shows without WithSave")
	}

	var name, path string
	var data []byte
	v, _ = newViewRig(t,
		WithSave(func(n string, d []byte) { name, data = n, d }),
		WithSaveFile(func(n, p string) { name, path = n, p }))
	v.SetBody("application/json", []byte(`{"a":1}`))
	loop.WaitFor(t, "body", func() bool { return v.Text() != "" })
	if !v.save.Visible() {
		t.Fatal("no Save with WithSave")
	}
	test.Tap(v.save)
	if name != "body.json" || string(data) != `{"a":1}` {
		t.Fatalf("saved %q as %q", data, name)
	}
	v.SetBodyFile("text/plain", []byte("head"), "/tmp/whole.txt", "")
	loop.WaitFor(t, "head", func() bool { return v.Text() == "head" })
	data = nil
	test.Tap(v.save)
	if path != "/tmp/whole.txt" || name != "body.txt" || data != nil {
		t.Fatalf("saved %q from %q as %q", data, path, name)
	}
}
