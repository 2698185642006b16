package codeview

import (
	"fmt"
	"sort"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

// maxMatches bounds how many matches are highlighted and counted.
const maxMatches = 10000

// match is a found run of n columns of a row.
type match struct{ row, col, n int }

// finder is a code view's find bar: it searches the lines off the UI
// goroutine, counts the matches and steps through them. The grid paints
// a match as it draws a row (see marksOn), so nothing is painted or
// unpainted line by line.
type finder struct {
	v       *CodeView
	bar     *fyne.Container
	Query   *findEntry
	count   *widget.RichText
	matches []match // in row order
	current int
	gen     uint64
	// copyLineBt says "Copied" after a copy, timed by the view's clock.
	copyLineBt *widgets.CopyButton
}

func newFinder(v *CodeView) *finder {
	f := &finder{v: v}
	f.Query = newFindEntry(f)
	f.Query.SetPlaceHolder("Find in body")
	f.Query.OnChanged = func(string) { f.search() }
	f.count = widgets.NewMutedFull("", fyne.TextStyle{})
	prev := widgets.LowButton("", theme.MoveUpIcon(), func() { f.step(-1) })
	next := widgets.LowButton("", theme.MoveDownIcon(), func() { f.step(1) })
	closeBtn := widgets.LowButton("", theme.CancelIcon(), f.close)
	f.copyLineBt = widgets.NewCopyButton("Copy line", f.copyLine)
	f.copyLineBt.Confirm.After = func(d time.Duration, fn func()) { v.after(d, func() { widgets.Do(fn) }) }
	copyLine := f.copyLineBt
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
	f.matches = nil
	f.bar.Hide()
	f.v.relayout()
	f.v.grid.refreshRows()
}

// search finds the query in the lines off the UI goroutine.
func (f *finder) search() {
	f.gen++
	gen := f.gen
	query := []rune(f.Query.Text)
	lines := f.v.grid.Rows
	if len(query) == 0 || f.bar.Hidden {
		f.show(gen, nil)
		return
	}
	go func() {
		found := findIn(lines, query)
		widgets.Do(func() { f.show(gen, found) })
	}()
}

// findIn returns where query occurs in lines as shown (tabs expanded),
// case-insensitively; columns count runes. Lines are never changed once
// built, so reading them off the UI goroutine is safe.
func findIn(lines []highlight.Line, query []rune) []match {
	for i, r := range query {
		query[i] = unicode.ToLower(r)
	}
	var out []match
	var buf []rune
	for row, line := range lines {
		buf = buf[:0]
		for _, sp := range line {
			for _, r := range expandTabs(sp.Text, len(buf)) {
				buf = append(buf, unicode.ToLower(r))
			}
		}
		for c := 0; c+len(query) <= len(buf); c++ {
			k := 0
			for k < len(query) && buf[c+k] == query[k] {
				k++
			}
			if k == len(query) {
				out = append(out, match{row, c, len(query)})
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
	f.matches, f.current = found, 0
	if len(f.matches) > 0 {
		m := f.matches[0]
		f.v.grid.scrollTo(m.row, m.col, m.n)
	}
	f.v.grid.refreshRows()
	f.updateCount()
}

func (f *finder) updateCount() {
	var s string
	switch {
	case f.Query.Text == "":
	case len(f.matches) == 0:
		s = "no matches"
	case len(f.matches) == maxMatches:
		s = fmt.Sprintf("%d of %d+", f.current+1, maxMatches)
	default:
		s = fmt.Sprintf("%d of %d", f.current+1, len(f.matches))
	}
	if s != widgets.MutedText(f.count) {
		widgets.SetMuted(f.count, s)
		f.bar.Refresh() // the count's width changed: lay the bar out again
	}
}

// step moves to the next (+1) or previous (-1) match, wrapping around.
func (f *finder) step(dir int) {
	if len(f.matches) == 0 {
		return
	}
	old := f.matches[f.current].row
	f.current = (f.current + dir + len(f.matches)) % len(f.matches)
	m := f.matches[f.current]
	f.v.grid.scrollTo(m.row, m.col, m.n)
	f.v.grid.refreshRow(old)
	f.v.grid.refreshRow(m.row)
	f.updateCount()
}

// marksOn returns the matches on row, and the index among them of the
// current match (-1 when it is elsewhere).
func (f *finder) marksOn(row int) ([]match, int) {
	lo := sort.Search(len(f.matches), func(i int) bool { return f.matches[i].row >= row })
	hi := lo
	for hi < len(f.matches) && f.matches[hi].row == row {
		hi++
	}
	cur := -1
	if f.current >= lo && f.current < hi {
		cur = f.current - lo
	}
	return f.matches[lo:hi], cur
}

// copyLine copies the line of the current match.
func (f *finder) copyLine() {
	if len(f.matches) == 0 {
		return
	}
	if app := fyne.CurrentApp(); app != nil {
		app.Clipboard().SetContent(f.v.grid.RowText(f.matches[f.current].row))
		f.copyLineBt.Copied()
	}
}

// forget drops the matches of lines that were replaced.
func (f *finder) forget() {
	f.matches = nil
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
