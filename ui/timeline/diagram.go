package timeline

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// Zoom bounds and the default: labels at 1.5 times the theme's text
// size read from the back of a classroom.
const (
	MinZoom     = 1.0
	MaxZoom     = 3.0
	DefaultZoom = 1.5
	zoomStep    = 0.25
)

// Diagram draws a timeline as a sequence diagram: the participants on
// top, then one row per arrow, oldest first, in a scroller. Only the
// rows in view exist, so a timeline of thousands of arrows costs the
// objects of a screenful.
type Diagram struct {
	widget.BaseWidget
	tl   workspace.Timeline
	zoom float32
	// Empty is said when there is nothing to draw.
	Empty string

	header *headerStrip
	scroll *container.Scroll
	area   *area
	note   *canvas.Text // the empty note
	tails  [3]*canvas.Line

	shown, spare []*rowView // rows in view: shown[k] draws arrow first+k
	first        int
	pool         []*rowView
	objs         []fyne.CanvasObject // the area's children
	g            geometry
}

// NewDiagram returns an empty diagram at the default zoom.
func NewDiagram() *Diagram {
	d := &Diagram{zoom: DefaultZoom}
	d.header = &headerStrip{d: d}
	d.header.ExtendBaseWidget(d.header)
	d.area = &area{d: d}
	d.area.ExtendBaseWidget(d.area)
	d.scroll = container.NewScroll(d.area)
	d.scroll.OnScrolled = func(fyne.Position) { d.layoutRows() }
	d.note = text("", 0, nil, fyne.TextStyle{})
	d.ExtendBaseWidget(d)
	return d
}

// Timeline is what the diagram draws.
func (d *Diagram) Timeline() workspace.Timeline { return d.tl }

// SetTimeline draws tl. A view scrolled to the newest arrow follows new
// ones; one scrolled back stays where it is.
func (d *Diagram) SetTimeline(tl workspace.Timeline) {
	follow := d.AtEnd()
	d.tl = tl
	d.dropRows()
	d.scroll.Refresh()
	if follow {
		d.ScrollToEnd()
	}
	d.layoutRows()
}

// Zoom is the labels' size, as a multiple of the theme's text size.
func (d *Diagram) Zoom() float32 { return d.zoom }

// SetZoom sets the labels' size, within MinZoom and MaxZoom.
func (d *Diagram) SetZoom(z float32) {
	z = min(max(z, MinZoom), MaxZoom)
	if z == d.zoom {
		return
	}
	end := d.AtEnd()
	d.zoom = z
	d.Restyle()
	if end {
		d.ScrollToEnd()
	}
}

// Restyle draws everything again (the theme or the zoom changed).
func (d *Diagram) Restyle() {
	d.g = geometry{}
	d.dropRows()
	d.header.Refresh()
	d.scroll.Refresh()
	d.layoutRows()
}

// AtEnd reports whether the newest arrow is in view.
func (d *Diagram) AtEnd() bool {
	view := d.scroll.Size().Height
	return view == 0 || d.scroll.Offset.Y+view >= d.contentHeight()-1
}

// ScrollToEnd brings the newest arrow into view.
func (d *Diagram) ScrollToEnd() {
	d.scroll.ScrollToOffset(fyne.NewPos(0, max(0, d.contentHeight()-d.scroll.Size().Height)))
	d.layoutRows()
}

// TypedKey scrolls as a presenter's remote or keyboard asks: Up and
// Down a row, Page Up and Page Down a view, Home the oldest arrow, End
// the newest (and follow new ones again).
func (d *Diagram) TypedKey(k fyne.KeyName) {
	g := d.geometry()
	view := max(d.scroll.Size().Height-g.rowH(), g.rowH())
	y := d.scroll.Offset.Y
	switch k {
	case fyne.KeyUp:
		y -= g.rowH()
	case fyne.KeyDown:
		y += g.rowH()
	case fyne.KeyPageUp:
		y -= view
	case fyne.KeyPageDown:
		y += view
	case fyne.KeyHome:
		y = 0
	case fyne.KeyEnd:
		d.ScrollToEnd()
		return
	default:
		return
	}
	y = min(max(0, y), max(0, d.contentHeight()-d.scroll.Size().Height))
	d.scroll.ScrollToOffset(fyne.NewPos(0, y))
	d.layoutRows()
}

// geometry is the diagram's at its width and zoom.
func (d *Diagram) geometry() geometry {
	w := max(d.Size().Width, 1)
	if d.g.width != w || d.g.ts == 0 {
		d.g = newGeometry(w, d.zoom)
	}
	return d.g
}

func (d *Diagram) contentHeight() float32 {
	g := d.geometry()
	return float32(len(d.tl.Arrows))*g.rowH() + g.pad()
}

// Shown returns the arrows whose rows exist now, and the first one's
// index.
func (d *Diagram) Shown() (first int, arrows []workspace.Arrow) {
	if len(d.shown) == 0 {
		return d.first, nil
	}
	return d.first, d.tl.Arrows[d.first : d.first+len(d.shown)]
}

// RowObjects returns the objects drawing arrow i, nil when it is not in
// view.
func (d *Diagram) RowObjects(i int) []fyne.CanvasObject {
	if k := i - d.first; k >= 0 && k < len(d.shown) {
		return d.shown[k].objs
	}
	return nil
}

// HeaderObjects returns the objects of the participants' strip.
func (d *Diagram) HeaderObjects() []fyne.CanvasObject { return d.header.objs }

// CreateRenderer shows the header over the scroller.
func (d *Diagram) CreateRenderer() fyne.WidgetRenderer { return &diagramRenderer{d: d} }

type diagramRenderer struct{ d *Diagram }

func (r *diagramRenderer) Layout(size fyne.Size) {
	d := r.d
	g := d.geometry()
	d.header.Move(fyne.Position{})
	d.header.Resize(fyne.NewSize(size.Width, g.headerH()))
	d.scroll.Move(fyne.NewPos(0, g.headerH()))
	d.scroll.Resize(fyne.NewSize(size.Width, max(0, size.Height-g.headerH())))
	d.layoutRows()
}

func (r *diagramRenderer) MinSize() fyne.Size {
	g := newGeometry(1, r.d.zoom)
	return fyne.NewSize(g.timeW*4, g.headerH()+g.rowH()*2)
}

func (r *diagramRenderer) Refresh() {
	r.d.header.Refresh()
	r.d.scroll.Refresh()
}

func (r *diagramRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.d.scroll, r.d.header}
}

func (r *diagramRenderer) Destroy() {}

// dropRows returns every row in view to the pool, so the next layout
// draws them afresh.
func (d *Diagram) dropRows() {
	d.pool = append(d.pool, d.shown...)
	clear(d.shown)
	d.shown = d.shown[:0]
}

// layoutRows puts rows where the scroller shows the area: rows still in
// view stay, rows scrolled out go back to the pool, rows scrolled in are
// drawn. It costs the rows in view, whatever the number of arrows.
func (d *Diagram) layoutRows() {
	g := d.geometry()
	if d.g.width != d.area.drawnW {
		d.dropRows() // a new width moves every lane
		d.area.drawnW = d.g.width
	}
	rowH := g.rowH()
	view := d.scroll.Size()
	off := d.scroll.Offset
	first, last := 0, -1
	if n := len(d.tl.Arrows); n > 0 && view.Height > 0 {
		first = min(max(0, int(off.Y/rowH)), n-1)
		last = min(n-1, int((off.Y+view.Height)/rowH))
	}
	old, oldFirst := d.shown, d.first
	next := d.spare[:0]
	for i := first; i <= last; i++ {
		var r *rowView
		if k := i - oldFirst; k >= 0 && k < len(old) && old[k] != nil {
			r, old[k] = old[k], nil
		} else {
			r = d.takeRow()
			r.draw(d.tl.Arrows[i], g)
		}
		r.Move(fyne.NewPos(0, float32(i)*rowH))
		r.Resize(fyne.NewSize(g.width, rowH))
		next = append(next, r)
	}
	for _, r := range old {
		if r != nil {
			d.pool = append(d.pool, r)
		}
	}
	clear(old)
	d.shown, d.spare, d.first = next, old[:0], first
	clear(d.objs)
	d.objs = d.objs[:0]
	for _, r := range next {
		d.objs = append(d.objs, r)
	}
	// The lanes go on to the bottom of the view under the last row.
	if bottom := view.Height + off.Y; bottom > d.contentHeight() {
		for i := range d.tails {
			if d.tails[i] == nil {
				d.tails[i] = canvas.NewLine(nil)
			}
			l := d.tails[i]
			x := g.laneX(i)
			l.StrokeColor, l.StrokeWidth = laneColor(), g.stroke()*0.6
			l.Position1, l.Position2 = fyne.NewPos(x, float32(len(d.tl.Arrows))*rowH), fyne.NewPos(x, bottom)
			l.Refresh()
			d.objs = append(d.objs, l)
		}
	}
	if len(d.tl.Arrows) == 0 && d.Empty != "" {
		d.note.Text, d.note.Color, d.note.TextSize = d.Empty, widgets.MutedColor(), g.ts
		ns := d.note.MinSize()
		d.note.Move(fyne.NewPos(max(g.pad(), (g.width-ns.Width)/2), g.ts*2))
		d.note.Refresh()
		d.objs = append(d.objs, d.note)
	}
}

func (d *Diagram) takeRow() *rowView {
	if n := len(d.pool); n > 0 {
		r := d.pool[n-1]
		d.pool[n-1] = nil
		d.pool = d.pool[:n-1]
		return r
	}
	r := &rowView{}
	r.ExtendBaseWidget(r)
	return r
}

// headerStrip draws the participants.
type headerStrip struct {
	widget.BaseWidget
	d    *Diagram
	objs []fyne.CanvasObject
	bg   *canvas.Rectangle
}

func (h *headerStrip) CreateRenderer() fyne.WidgetRenderer { return &headerRenderer{h: h} }

type headerRenderer struct{ h *headerStrip }

func (r *headerRenderer) Layout(size fyne.Size) { r.h.draw() }
func (r *headerRenderer) MinSize() fyne.Size    { return fyne.Size{} }
func (r *headerRenderer) Refresh()              { r.h.draw(); canvas.Refresh(r.h) }
func (r *headerRenderer) Objects() []fyne.CanvasObject {
	return r.h.objs
}
func (r *headerRenderer) Destroy() {}

func (h *headerStrip) draw() {
	g := h.d.geometry()
	if h.bg == nil {
		h.bg = canvas.NewRectangle(nil)
	}
	// Rows scrolled under the strip are hidden by its background.
	h.bg.FillColor = theme.Color(theme.ColorNameBackground)
	h.bg.Resize(fyne.NewSize(g.width, g.headerH()))
	h.objs = append([]fyne.CanvasObject{h.bg}, drawHeader(g)...)
}

// area is what the scroller scrolls: as tall as every row, it holds only
// the rows in view.
type area struct {
	widget.BaseWidget
	d      *Diagram
	drawnW float32
}

func (a *area) MinSize() fyne.Size { return fyne.NewSize(0, a.d.contentHeight()) }

func (a *area) CreateRenderer() fyne.WidgetRenderer { return &areaRenderer{d: a.d} }

type areaRenderer struct{ d *Diagram }

func (r *areaRenderer) Layout(fyne.Size)             { r.d.layoutRows() }
func (r *areaRenderer) MinSize() fyne.Size           { return fyne.NewSize(0, r.d.contentHeight()) }
func (r *areaRenderer) Refresh()                     { r.d.layoutRows() }
func (r *areaRenderer) Objects() []fyne.CanvasObject { return r.d.objs }
func (r *areaRenderer) Destroy()                     {}

// rowView draws one arrow.
type rowView struct {
	widget.BaseWidget
	objs []fyne.CanvasObject
}

func (r *rowView) draw(a workspace.Arrow, g geometry) {
	r.objs = drawRow(a, g)
	r.Refresh()
}

func (r *rowView) CreateRenderer() fyne.WidgetRenderer { return &rowRenderer{r: r} }

type rowRenderer struct{ r *rowView }

func (rr *rowRenderer) Layout(fyne.Size)             {}
func (rr *rowRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (rr *rowRenderer) Refresh()                     { canvas.Refresh(rr.r) }
func (rr *rowRenderer) Objects() []fyne.CanvasObject { return rr.r.objs }
func (rr *rowRenderer) Destroy()                     {}
