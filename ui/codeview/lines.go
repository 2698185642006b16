package codeview

import (
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

// chunkCols bounds one canvas.Text: a kept line of 1,000 columns is a few
// texts, never one texture wider than a GPU may allow.
const chunkCols = 200

// lineIndex is a body's lines ready for a lineGrid. It is built once, off
// the UI goroutine (it reads every byte), so that showing a body of any
// size costs the UI goroutine only the rows in view.
type lineIndex struct {
	lines []highlight.Line
	cols  int // display columns of the widest line, tabs expanded
}

func newLineIndex(lines []highlight.Line) lineIndex {
	widest := 0
	for _, line := range lines {
		col := 0
		for _, sp := range line {
			col = advanceCols(col, sp.Text)
		}
		widest = max(widest, col)
	}
	return lineIndex{lines: lines, cols: widest}
}

// advanceCols returns the column after s when s starts at col: one
// column a rune, a tab to the next tab stop.
func advanceCols(col int, s string) int {
	if strings.IndexByte(s, '\t') < 0 {
		return col + utf8.RuneCountInString(s)
	}
	for _, r := range s {
		if r == '\t' {
			col += tabWidth - col%tabWidth
		} else {
			col++
		}
	}
	return col
}

// expandTabs replaces the tabs of s, which starts at column col, with
// spaces up to the next tab stop.
func expandTabs(s string, col int) string {
	if strings.IndexByte(s, '\t') < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\t' {
			n := tabWidth - col%tabWidth
			b.WriteString("    "[:n])
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// lineText is a line as shown: its spans joined, tabs expanded.
func lineText(line highlight.Line) string {
	var b strings.Builder
	col := 0
	for _, sp := range line {
		b.WriteString(expandTabs(sp.Text, col))
		col = advanceCols(col, sp.Text)
	}
	return b.String()
}

// gridMetrics are a lineGrid's measures in the current theme.
type gridMetrics struct {
	size  float32 // text size
	charW float32 // advance of one monospace character
	lineH float32 // row pitch, in whole units so rows never shimmer
	pad   float32
}

func measureGrid() gridMetrics {
	size := theme.TextSize()
	// A long run averages out the rounding of one glyph's advance.
	m := fyne.MeasureText(strings.Repeat("M", 100), size, widgets.Mono)
	return gridMetrics{
		size:  size,
		charW: m.Width / 100,
		lineH: float32(math.Ceil(float64(m.Height))),
		pad:   theme.InnerPadding() / 2,
	}
}

// spanStyle is how every span of one token type is drawn.
type spanStyle struct {
	color color.Color // never nil: text textures are cached by colour
	style fyne.TextStyle
}

// gridStyles holds one spanStyle per token type, and the grid's other
// colours, for the theme they were made in.
type gridStyles struct {
	dark                  bool
	fg, muted, bg, tapped color.Color
	match, current        color.Color
	byType                map[chroma.TokenType]spanStyle
}

func newGridStyles() *gridStyles {
	return &gridStyles{
		dark:    isDark(),
		fg:      theme.Color(theme.ColorNameForeground),
		muted:   widgets.MutedColor(),
		bg:      theme.Color(theme.ColorNameInputBackground),
		tapped:  theme.Color(theme.ColorNameSelection),
		match:   color.NRGBA{R: 0xff, G: 0xd3, B: 0x3d, A: 0x70},
		current: color.NRGBA{R: 0xff, G: 0x96, B: 0x32, A: 0xc0},
		byType:  map[chroma.TokenType]spanStyle{},
	}
}

func (s *gridStyles) of(t chroma.TokenType) spanStyle {
	if st, ok := s.byType[t]; ok {
		return st
	}
	ts := highlight.PaletteFor(s.dark).Style(t)
	st := spanStyle{color: ts.Color, style: fyne.TextStyle{Monospace: true, Bold: ts.Bold, Italic: ts.Italic}}
	if st.color == nil {
		st.color = s.fg
	}
	s.byType[t] = st
	return st
}

// lineGrid shows lines of styled spans in monospace columns, with line
// numbers. It is virtual: a scroller over an area as tall as all the
// lines and as wide as the widest, in which only the rows in view exist,
// taken from a pool as they scroll in. Rows are of one height, so which
// rows are in view is arithmetic, never a walk over the lines.
type lineGrid struct {
	widget.BaseWidget

	// Rows are the lines shown; set them with setLines.
	Rows []highlight.Line
	cols int

	// onTapRow is told which row a tap landed on.
	onTapRow func(row int)
	// marksOn returns the find matches on a row, and which of them is
	// the current one (-1 for none).
	marksOn func(row int) ([]match, int)
	// tappedRow is drawn with a background; -1 for none.
	tappedRow int

	scroll *container.Scroll
	area   *lineArea
	m      gridMetrics
	st     *gridStyles

	shown, spare []*lineRow // rows in view: shown[k] draws line first+k
	first        int
	pool         []*lineRow
	objs         []fyne.CanvasObject // the area's children
	offX         float32             // where the numbers are pinned
}

func newLineGrid() *lineGrid {
	g := &lineGrid{tappedRow: -1}
	g.area = &lineArea{g: g}
	g.area.ExtendBaseWidget(g.area)
	g.scroll = container.NewScroll(g.area)
	g.scroll.OnScrolled = func(fyne.Position) { g.layoutRows() }
	g.ExtendBaseWidget(g)
	return g
}

// CreateRenderer shows the scroller; laying it out brings rows in view.
func (g *lineGrid) CreateRenderer() fyne.WidgetRenderer { return &gridRenderer{g: g} }

type gridRenderer struct{ g *lineGrid }

func (r *gridRenderer) Layout(size fyne.Size) {
	r.g.scroll.Resize(size)
	r.g.layoutRows() // a taller view shows more rows of the same area
}
func (r *gridRenderer) MinSize() fyne.Size           { return r.g.scroll.MinSize() }
func (r *gridRenderer) Refresh()                     { r.g.scroll.Refresh() }
func (r *gridRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.g.scroll} }
func (r *gridRenderer) Destroy()                     {}

func (g *lineGrid) metrics() gridMetrics {
	if g.m.lineH == 0 {
		g.m = measureGrid()
	}
	return g.m
}

func (g *lineGrid) styles() *gridStyles {
	if g.st == nil {
		g.st = newGridStyles()
	}
	return g.st
}

// digits is the width of the line numbers, in columns.
func (g *lineGrid) digits() int { return max(2, len(strconv.Itoa(len(g.Rows)))) }

// codeX is where column 0 of the code is drawn.
func (g *lineGrid) codeX() float32 {
	m := g.metrics()
	return m.pad + float32(g.digits()+2)*m.charW
}

// contentSize is the size of all the lines, laid out.
func (g *lineGrid) contentSize() fyne.Size {
	if len(g.Rows) == 0 {
		return fyne.Size{}
	}
	m := g.metrics()
	return fyne.NewSize(g.codeX()+float32(g.cols+1)*m.charW, float32(len(g.Rows))*m.lineH+m.pad)
}

// setLines shows idx from its top, replacing what was shown.
func (g *lineGrid) setLines(idx lineIndex) {
	g.Rows, g.cols = idx.lines, idx.cols
	g.tappedRow = -1
	g.dropRows()
	g.scroll.Offset = fyne.Position{}
	g.scroll.Refresh() // the area's new size, and the bars
	g.layoutRows()
}

// restyle redraws the rows in view in the current theme.
func (g *lineGrid) restyle() {
	g.m, g.st = gridMetrics{}, nil
	g.dropRows()
	g.scroll.Refresh()
	g.layoutRows()
}

// dropRows returns every row in view to the pool, so the next layout
// draws them afresh.
func (g *lineGrid) dropRows() {
	g.pool = append(g.pool, g.shown...)
	clear(g.shown)
	g.shown = g.shown[:0]
}

// refreshRows draws the rows in view again (find marks changed).
func (g *lineGrid) refreshRows() {
	for k, r := range g.shown {
		r.update(g, g.first+k)
	}
}

// refreshRow draws row i again if it is in view.
func (g *lineGrid) refreshRow(i int) {
	if k := i - g.first; k >= 0 && k < len(g.shown) {
		g.shown[k].update(g, i)
	}
}

// rowShown returns the row drawing line i, nil when it is not in view.
func (g *lineGrid) rowShown(i int) *lineRow {
	if k := i - g.first; k >= 0 && k < len(g.shown) {
		return g.shown[k]
	}
	return nil
}

// layoutRows puts rows where the scroller shows the area: rows still in
// view stay as they are, rows scrolled out go back to the pool, rows
// scrolled in are drawn. It costs the rows in view, whatever the length.
func (g *lineGrid) layoutRows() {
	m := g.metrics()
	view := g.scroll.Size()
	off := g.scroll.Offset
	first, last := 0, -1
	if n := len(g.Rows); n > 0 && view.Height > 0 {
		first = min(max(0, int(off.Y/m.lineH)), n-1)
		last = min(n-1, int((off.Y+view.Height)/m.lineH))
	}
	pinned := off.X != g.offX
	g.offX = off.X
	width := max(g.area.Size().Width, view.Width)

	old, oldFirst := g.shown, g.first
	next := g.spare[:0]
	for i := first; i <= last; i++ {
		var r *lineRow
		if k := i - oldFirst; k >= 0 && k < len(old) && old[k] != nil {
			r, old[k] = old[k], nil
			if pinned {
				r.pin(g)
			}
		} else {
			r = g.takeRow()
			r.update(g, i)
		}
		r.Move(fyne.NewPos(0, float32(i)*m.lineH))
		r.Resize(fyne.NewSize(width, m.lineH))
		next = append(next, r)
	}
	for _, r := range old {
		if r != nil {
			g.pool = append(g.pool, r)
		}
	}
	clear(old)
	g.shown, g.spare, g.first = next, old[:0], first
	clear(g.objs)
	g.objs = g.objs[:0]
	for _, r := range next {
		g.objs = append(g.objs, r)
	}
}

func (g *lineGrid) takeRow() *lineRow {
	if n := len(g.pool); n > 0 {
		r := g.pool[n-1]
		g.pool[n-1] = nil
		g.pool = g.pool[:n-1]
		return r
	}
	return newLineRow()
}

// setTapped draws row i (-1: none) as the tapped one.
func (g *lineGrid) setTapped(i int) {
	old := g.tappedRow
	g.tappedRow = i
	g.refreshRow(old)
	g.refreshRow(i)
}

// positionFor is where column col of row sits in the area.
func (g *lineGrid) positionFor(row, col int) fyne.Position {
	m := g.metrics()
	return fyne.NewPos(g.codeX()+float32(col)*m.charW, float32(row)*m.lineH)
}

// scrollTo brings the n columns from col of row into view: a third from
// the top unless the row is in view already.
func (g *lineGrid) scrollTo(row, col, n int) {
	m := g.metrics()
	view, off, size := g.scroll.Size(), g.scroll.Offset, g.contentSize()
	y := float32(row) * m.lineH
	if y < off.Y || y+m.lineH > off.Y+view.Height {
		off.Y = y - view.Height/3
	}
	p := g.positionFor(row, col)
	left, right := p.X-g.codeX(), p.X+float32(n)*m.charW
	if left < off.X || right > off.X+view.Width {
		off.X = right - view.Width/2
		if right < view.Width*3/4 {
			off.X = 0
		}
	}
	off.X = max(0, min(off.X, size.Width-view.Width))
	off.Y = max(0, min(off.Y, size.Height-view.Height))
	g.scroll.ScrollToOffset(off)
	g.layoutRows()
}

// RowText returns line i as shown.
func (g *lineGrid) RowText(i int) string {
	if i < 0 || i >= len(g.Rows) {
		return ""
	}
	return lineText(g.Rows[i])
}

// Text returns every line as shown, joined by newlines.
func (g *lineGrid) Text() string {
	var b strings.Builder
	for i, line := range g.Rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(lineText(line))
	}
	return b.String()
}

// lineArea is what the scroller scrolls: as big as all the lines, it
// holds only the rows in view.
type lineArea struct {
	widget.BaseWidget
	g *lineGrid
}

// MinSize is the size of all the lines.
func (a *lineArea) MinSize() fyne.Size { return a.g.contentSize() }

// Tapped tells the grid which row was tapped, and takes the keyboard
// focus so that the paging keys scroll the view.
func (a *lineArea) Tapped(ev *fyne.PointEvent) {
	g := a.g
	if app := fyne.CurrentApp(); app != nil {
		if c := app.Driver().CanvasForObject(a); c != nil {
			c.Focus(a)
		}
	}
	if row := int(ev.Position.Y / g.metrics().lineH); row >= 0 && row < len(g.Rows) && g.onTapRow != nil {
		g.onTapRow(row)
	}
}

// CreateRenderer lays rows out as the area is resized.
func (a *lineArea) CreateRenderer() fyne.WidgetRenderer { return &areaRenderer{g: a.g} }

type areaRenderer struct{ g *lineGrid }

func (r *areaRenderer) Layout(fyne.Size)             { r.g.layoutRows() }
func (r *areaRenderer) MinSize() fyne.Size           { return r.g.contentSize() }
func (r *areaRenderer) Refresh()                     { r.g.layoutRows() }
func (r *areaRenderer) Objects() []fyne.CanvasObject { return r.g.objs }
func (r *areaRenderer) Destroy()                     {}

// lineRow draws one line: its number, right-aligned and muted, and its
// spans as a few canvas.Text at their columns (whitespace is not drawn),
// over the backgrounds of find matches.
type lineRow struct {
	widget.BaseWidget
	bg     *canvas.Rectangle // the tapped line's
	gutter *canvas.Rectangle // hides code scrolled under the numbers
	num    *canvas.Text
	texts  []*canvas.Text // pooled; as many as the line needs are shown
	marks  []*canvas.Rectangle
	objs   []fyne.CanvasObject
}

func newLineRow() *lineRow {
	r := &lineRow{bg: canvas.NewRectangle(color.Transparent), gutter: canvas.NewRectangle(color.Transparent), num: canvas.NewText("", color.Black)}
	r.num.Alignment = fyne.TextAlignTrailing
	r.num.TextStyle = widgets.Mono
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the row's objects; update places them.
func (r *lineRow) CreateRenderer() fyne.WidgetRenderer { return &rowRenderer{r: r} }

type rowRenderer struct{ r *lineRow }

func (rr *rowRenderer) Layout(size fyne.Size)        { rr.r.bg.Resize(size) }
func (rr *rowRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (rr *rowRenderer) Refresh()                     { canvas.Refresh(rr.r) }
func (rr *rowRenderer) Objects() []fyne.CanvasObject { return rr.r.objs }
func (rr *rowRenderer) Destroy()                     {}

// update draws line i of g.
func (r *lineRow) update(g *lineGrid, i int) {
	m, st := g.metrics(), g.styles()
	codeX := g.codeX()
	r.objs = r.objs[:0]
	if i == g.tappedRow {
		r.bg.FillColor = st.tapped
		r.objs = append(r.objs, r.bg)
	}
	if g.marksOn != nil {
		ms, cur := g.marksOn(i)
		for k, mt := range ms {
			if k == len(r.marks) {
				r.marks = append(r.marks, canvas.NewRectangle(color.Transparent))
			}
			rect := r.marks[k]
			rect.FillColor = st.match
			if k == cur {
				rect.FillColor = st.current
			}
			rect.Move(fyne.NewPos(codeX+float32(mt.col)*m.charW, 0))
			rect.Resize(fyne.NewSize(float32(mt.n)*m.charW, m.lineH))
			r.objs = append(r.objs, rect)
		}
	}
	nt, col := 0, 0
	for _, sp := range g.Rows[i] {
		text := expandTabs(sp.Text, col)
		s := st.of(sp.Type)
		for text != "" {
			lead := 0
			for lead < len(text) && text[lead] == ' ' {
				lead++
			}
			col += lead
			text = text[lead:]
			if text == "" {
				break
			}
			cut, n := 0, 0
			for cut < len(text) && n < chunkCols {
				if text[cut] < utf8.RuneSelf {
					cut++
				} else {
					_, size := utf8.DecodeRuneInString(text[cut:])
					cut += size
				}
				n++
			}
			if nt == len(r.texts) {
				r.texts = append(r.texts, &canvas.Text{})
			}
			t := r.texts[nt]
			nt++
			t.Text, t.Color, t.TextStyle, t.TextSize = text[:cut], s.color, s.style, m.size
			t.Move(fyne.NewPos(codeX+float32(col)*m.charW, 0))
			t.Resize(fyne.NewSize(float32(n)*m.charW, m.lineH))
			r.objs = append(r.objs, t)
			col += n
			text = text[cut:]
		}
	}
	// Texts of a longer line shown earlier: drop what they held.
	for _, t := range r.texts[nt:] {
		t.Text = ""
	}
	r.gutter.FillColor = st.bg
	r.num.Text, r.num.Color, r.num.TextSize = strconv.Itoa(i+1), st.muted, m.size
	r.objs = append(r.objs, r.gutter, r.num)
	r.pin(g)
	r.Refresh()
}

// pin keeps the number in view when the area scrolls sideways.
func (r *lineRow) pin(g *lineGrid) {
	m := g.metrics()
	x := g.offX
	r.num.Move(fyne.NewPos(x+m.pad, 0))
	r.num.Resize(fyne.NewSize(float32(g.digits())*m.charW, m.lineH))
	r.gutter.Hidden = x == 0
	r.gutter.Move(fyne.NewPos(x, 0))
	r.gutter.Resize(fyne.NewSize(g.codeX()-m.charW/2, m.lineH))
}

// isDark reports whether the theme in use is dark, judged by its
// background, so any theme (and a test's) picks the matching palette.
func isDark() bool {
	r, g, b, _ := theme.Color(theme.ColorNameBackground).RGBA()
	return 299*uint64(r)+587*uint64(g)+114*uint64(b) < 500*0xffff
}
