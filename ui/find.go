package ui

import (
	"fmt"
	"image/color"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxMatches bounds how many matches are highlighted and counted.
const maxMatches = 10000

// grid is a TextGrid that can bring a row into view: TextGrid builds
// only the rows on screen but offers no scroll-to-row, so grid keeps
// the scroller its renderer made.
type grid struct {
	widget.TextGrid
	scroller interface{ ScrollToOffset(fyne.Position) }
	// onTapRow is told which row a tap landed on.
	onTapRow func(row int)
}

// Tapped reports the row under the pointer.
func (g *grid) Tapped(ev *fyne.PointEvent) {
	if g.onTapRow == nil {
		return
	}
	if row, _ := g.CursorLocationForPosition(ev.Position); row >= 0 && row < len(g.Rows) {
		g.onTapRow(row)
	}
}

func newGrid() *grid {
	g := &grid{}
	g.Scroll = fyne.ScrollBoth
	g.ShowLineNumbers = true
	g.ExtendBaseWidget(g)
	return g
}

// CreateRenderer keeps the grid's scroller for scrollTo.
func (g *grid) CreateRenderer() fyne.WidgetRenderer {
	r := g.TextGrid.CreateRenderer()
	if objs := r.Objects(); len(objs) > 0 {
		g.scroller, _ = objs[0].(interface{ ScrollToOffset(fyne.Position) })
	}
	return r
}

// scrollTo brings the cell at row, col into view, a third from the top.
func (g *grid) scrollTo(row, col int) {
	if g.scroller == nil {
		return
	}
	origin := g.PositionForCursorLocation(0, 0) // minus the current offset
	p := g.PositionForCursorLocation(row, col)
	size := g.Size()
	x := p.X - origin.X - size.Width/2
	if p.X-origin.X < size.Width*3/4 {
		x = 0
	}
	y := p.Y - origin.Y - size.Height/3
	g.scroller.ScrollToOffset(fyne.NewPos(max(0, x), max(0, y)))
	g.Refresh()
}

// match is a found run of cells.
type match struct{ row, col, n int }

// finder is a code view's find bar: it searches the grid's text off the
// UI goroutine, paints the matches, counts them and steps through them.
type finder struct {
	v       *CodeView
	bar     *fyne.Container
	Query   *findEntry
	count   *widget.RichText
	matches []match
	current int
	gen     uint64
	// saved holds the original style of every painted cell.
	saved map[[2]int]widget.TextGridStyle
	// styles shares one painted style per original style, as the grid
	// shares one style per token type.
	styles map[paintKey]widget.TextGridStyle
}

type paintKey struct {
	orig    widget.TextGridStyle
	current bool
}

func newFinder(v *CodeView) *finder {
	f := &finder{v: v, saved: map[[2]int]widget.TextGridStyle{}, styles: map[paintKey]widget.TextGridStyle{}}
	f.Query = newFindEntry(f)
	f.Query.SetPlaceHolder("Find in body")
	f.Query.OnChanged = func(string) { f.search() }
	f.count = newMutedFull("", fyne.TextStyle{})
	prev := lowButton("", theme.MoveUpIcon(), func() { f.step(-1) })
	next := lowButton("", theme.MoveDownIcon(), func() { f.step(1) })
	closeBtn := lowButton("", theme.CancelIcon(), f.close)
	copyLine := lowButton("Copy line", theme.ContentCopyIcon(), f.copyLine)
	f.bar = container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()),
		container.NewHBox(f.count, prev, next, copyLine, closeBtn), f.Query)
	f.bar.Hide()
	return f
}

// open shows the bar and focuses the query.
func (f *finder) open() {
	if f.bar.Hidden {
		f.bar.Show()
		f.v.relayout()
	}
	// The query was hidden until now, so ask for the canvas of the view.
	if c := fyne.CurrentApp().Driver().CanvasForObject(f.v); c != nil {
		c.Focus(f.Query)
	}
	f.search()
}

func (f *finder) close() {
	f.gen++
	f.unpaint()
	f.matches = nil
	f.bar.Hide()
	f.v.relayout()
	f.v.grid.Refresh()
}

// search finds the query in the grid's text off the UI goroutine.
func (f *finder) search() {
	f.gen++
	gen := f.gen
	query := []rune(f.Query.Text)
	rows := f.v.grid.Rows
	if len(query) == 0 || f.bar.Hidden {
		f.show(gen, nil)
		return
	}
	go func() {
		found := findRunes(rows, query)
		do(func() { f.show(gen, found) })
	}()
}

// findRunes returns where query occurs, case-insensitively. It reads
// only the cells' runes, which nothing changes once a grid is built.
func findRunes(rows []widget.TextGridRow, query []rune) []match {
	for i, r := range query {
		query[i] = unicode.ToLower(r)
	}
	var out []match
	for ri, row := range rows {
		cells := row.Cells
		for c := 0; c+len(query) <= len(cells); c++ {
			k := 0
			for k < len(query) && unicode.ToLower(cells[c+k].Rune) == query[k] {
				k++
			}
			if k == len(query) {
				out = append(out, match{ri, c, len(query)})
				if len(out) == maxMatches {
					return out
				}
				c += len(query) - 1
			}
		}
	}
	return out
}

func (f *finder) show(gen uint64, found []match) {
	if gen != f.gen {
		return
	}
	f.unpaint()
	f.matches, f.current = found, 0
	for i := range f.matches {
		f.paint(i, false)
	}
	if len(f.matches) > 0 {
		f.paint(0, true)
		f.v.grid.scrollTo(f.matches[0].row, f.matches[0].col)
	}
	f.v.grid.Refresh()
	f.updateCount()
}

func (f *finder) updateCount() {
	switch {
	case f.Query.Text == "":
		setMuted(f.count, "")
	case len(f.matches) == 0:
		setMuted(f.count, "no matches")
	case len(f.matches) == maxMatches:
		setMuted(f.count, fmt.Sprintf("%d of %d+", f.current+1, maxMatches))
	default:
		setMuted(f.count, fmt.Sprintf("%d of %d", f.current+1, len(f.matches)))
	}
}

// step moves to the next (+1) or previous (-1) match, wrapping around.
func (f *finder) step(dir int) {
	if len(f.matches) == 0 {
		return
	}
	f.paint(f.current, false)
	f.current = (f.current + dir + len(f.matches)) % len(f.matches)
	f.paint(f.current, true)
	m := f.matches[f.current]
	f.v.grid.scrollTo(m.row, m.col)
	f.updateCount()
}

// copyLine copies the line of the current match.
func (f *finder) copyLine() {
	if len(f.matches) == 0 {
		return
	}
	if app := fyne.CurrentApp(); app != nil {
		app.Clipboard().SetContent(f.v.grid.RowText(f.matches[f.current].row))
	}
}

// paint gives match i's cells the match background.
func (f *finder) paint(i int, current bool) {
	m := f.matches[i]
	cells := f.v.grid.Rows[m.row].Cells
	for c := m.col; c < m.col+m.n && c < len(cells); c++ {
		key := [2]int{m.row, c}
		orig, ok := f.saved[key]
		if !ok {
			orig = cells[c].Style
			f.saved[key] = orig
		}
		key2 := paintKey{orig, current}
		st, ok := f.styles[key2]
		if !ok {
			st = matchStyle(orig, current)
			f.styles[key2] = st
		}
		cells[c].Style = st
	}
}

// unpaint gives every painted cell its own style back.
func (f *finder) unpaint() {
	rows := f.v.grid.Rows
	for key, st := range f.saved {
		if key[0] < len(rows) && key[1] < len(rows[key[0]].Cells) {
			rows[key[0]].Cells[key[1]].Style = st
		}
	}
	clear(f.saved)
}

// forget drops what was painted on rows that were replaced.
func (f *finder) forget() {
	clear(f.saved)
	f.matches = nil
}

func matchStyle(orig widget.TextGridStyle, current bool) widget.TextGridStyle {
	var fg color.Color
	var ts fyne.TextStyle
	if orig != nil {
		fg, ts = orig.TextColor(), orig.Style()
	}
	bg := color.NRGBA{R: 0xff, G: 0xd3, B: 0x3d, A: 0x70}
	if current {
		bg = color.NRGBA{R: 0xff, G: 0x96, B: 0x32, A: 0xc0}
	}
	return &widget.CustomTextGridStyle{FGColor: fg, BGColor: bg, TextStyle: ts}
}

// findEntry is the find bar's query: Enter goes to the next match,
// Shift+Enter to the previous one, Escape closes the bar.
type findEntry struct {
	widget.Entry
	f     *finder
	shift bool
}

func newFindEntry(f *finder) *findEntry {
	e := &findEntry{f: f}
	e.ExtendBaseWidget(e)
	return e
}

// KeyDown tracks Shift for Shift+Enter.
func (e *findEntry) KeyDown(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = true
	}
}

// KeyUp tracks Shift for Shift+Enter.
func (e *findEntry) KeyUp(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = false
	}
}

// TypedKey steps through matches on Enter and closes on Escape.
func (e *findEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.shift {
			e.f.step(-1)
		} else {
			e.f.step(1)
		}
	case fyne.KeyEscape:
		e.f.close()
	default:
		e.Entry.TypedKey(k)
	}
}
