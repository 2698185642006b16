package catcher

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/widgets"
)

// filterRows lays out the filter bar: the selects, then the search and
// the count. Each select keeps the width its choice needs, so it never
// reads "End…"; where one row cannot hold them all and a usable search,
// the search and the count go to a second row. onRows is told when the
// number of rows changed, so the panel makes room.
type filterRows struct {
	selects []*widget.Select
	search  fyne.CanvasObject
	count   fyne.CanvasObject
	rows    int
	onRows  func()
}

// searchLeast is the narrowest the search field gets on the first row.
const searchLeast = 150

// maxSelect bounds what a long choice (an endpoint's name) may take.
const maxSelect = 200

// selectWidth is what s needs to show its choice in full.
func selectWidth(s *widget.Select) float32 {
	text := s.Selected
	if text == "" {
		text = s.PlaceHolder
	}
	w := fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width
	return min(maxSelect, w+4*theme.InnerPadding()+theme.IconInlineSize())
}

func (f *filterRows) widths() (sel []float32, selTotal float32) {
	gap := theme.Padding()
	for i, s := range f.selects {
		w := selectWidth(s)
		sel = append(sel, w)
		selTotal += w
		if i > 0 {
			selTotal += gap
		}
	}
	return sel, selTotal
}

func (f *filterRows) rowHeight() float32 {
	h := f.search.MinSize().Height
	for _, s := range f.selects {
		h = max(h, s.MinSize().Height)
	}
	return h
}

func (f *filterRows) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	sel, selTotal := f.widths()
	cw := f.count.MinSize().Width
	h := f.rowHeight()
	rows := 1
	if selTotal+gap+searchLeast+gap+cw > size.Width {
		rows = 2
	}
	x := float32(0)
	scale := float32(1)
	if selTotal > size.Width {
		scale = size.Width / selTotal // narrower than any sensible window: give way
	}
	for i, s := range f.selects {
		w := sel[i] * scale
		s.Move(fyne.NewPos(x, 0))
		s.Resize(fyne.NewSize(w, h))
		x += w + gap
	}
	y := float32(0)
	if rows == 2 {
		x, y = 0, h+gap
	}
	sw := max(0, size.Width-x-gap-cw)
	f.search.Move(fyne.NewPos(x, y))
	f.search.Resize(fyne.NewSize(sw, h))
	ch := f.count.MinSize().Height
	f.count.Move(fyne.NewPos(size.Width-cw, y+(h-ch)/2))
	f.count.Resize(fyne.NewSize(cw, ch))
	if rows != f.rows {
		f.rows = rows
		if f.onRows != nil {
			f.onRows()
		}
	}
}

func (f *filterRows) MinSize([]fyne.CanvasObject) fyne.Size {
	h := f.rowHeight()
	if f.rows == 2 {
		h = 2*h + theme.Padding()
	}
	return fyne.NewSize(0, h)
}

// titledBar is the toolbar's Bar, which also gives up the "CATCHER"
// title (the live dot stays) when the URL would be cut even with the
// buttons down to their icons: the URL is what the panel is for.
type titledBar struct {
	*widgets.Bar
	title   fyne.CanvasObject
	header  *fyne.Container
	url     float32 // the URL's width, in full
	buttons int     // icon buttons on the right
}

func (t *titledBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	icon := theme.IconInlineSize() + 2*theme.InnerPadding()
	gap := theme.Padding()
	right := float32(t.buttons)*icon + float32(t.buttons-1)*gap
	withTitle := t.title.MinSize().Width + gap + 10 + 2*gap
	show := size.Width-right-withTitle >= t.url
	if show != t.title.Visible() {
		widgets.SetVisible(t.title, show)
		t.header.Refresh()
	}
	t.Bar.Layout(objs, size)
}
