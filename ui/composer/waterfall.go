package composer

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/ui/widgets"
)

// phaseColors give each phase of an exchange its own hue, the same in
// both themes.
var phaseColors = []color.Color{
	color.NRGBA{R: 0x8b, G: 0x5c, B: 0xf6, A: 0xff}, // DNS
	color.NRGBA{R: 0xf5, G: 0x9e, B: 0x0b, A: 0xff}, // connect
	color.NRGBA{R: 0xec, G: 0x48, B: 0x99, A: 0xff}, // TLS
	color.NRGBA{R: 0x10, G: 0xb9, B: 0x81, A: 0xff}, // server
	color.NRGBA{R: 0x3b, G: 0x82, B: 0xf6, A: 0xff}, // download
}

var phaseNames = []string{"DNS lookup", "TCP connect", "TLS handshake", "Server wait", "Download"}

// Waterfall draws the phases of one exchange as bars on a common time
// axis, each starting where the one before it ended. A phase that did not
// happen (DNS on a reused connection) says so instead of showing zero.
type Waterfall struct {
	widget.BaseWidget
	t     requester.Timings
	empty bool
}

// NewWaterfall returns an empty waterfall.
func NewWaterfall() *Waterfall {
	w := &Waterfall{empty: true}
	w.ExtendBaseWidget(w)
	return w
}

// SetTimings shows t.
func (w *Waterfall) SetTimings(t requester.Timings) {
	w.t, w.empty = t, false
	w.Refresh()
}

// Clear shows no timings.
func (w *Waterfall) Clear() {
	w.empty = true
	w.Refresh()
}

// Rows returns the phase labels and durations as shown, for tests and
// copying.
func (w *Waterfall) Rows() []string {
	var out []string
	for i, p := range w.phases() {
		out = append(out, phaseNames[i]+" "+phaseText(p))
	}
	return append(out, "Total "+formatDuration(w.t.Total))
}

func (w *Waterfall) phases() []requester.Phase {
	t := w.t
	return []requester.Phase{t.DNS, t.Connect, t.TLS, t.ServerWait, t.Download}
}

func phaseText(p requester.Phase) string {
	if p.NA {
		return "n/a"
	}
	return formatDuration(p.Duration)
}

func (w *Waterfall) CreateRenderer() fyne.WidgetRenderer {
	r := &waterfallRenderer{w: w}
	for range phaseNames {
		r.names = append(r.names, widgets.NewText("", theme.Color(theme.ColorNameForeground), fyne.TextStyle{}))
		r.bars = append(r.bars, canvas.NewRectangle(color.Transparent))
		r.times = append(r.times, widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.Mono))
	}
	r.total = widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	r.totalName = widgets.NewText("Total", theme.Color(theme.ColorNameForeground), widgets.Bold)
	r.note = widgets.NewText("", widgets.MutedColor(), fyne.TextStyle{Italic: true})
	r.axis = canvas.NewRectangle(color.Transparent)
	r.Refresh()
	return r
}

type waterfallRenderer struct {
	w                      *Waterfall
	names, times           []*canvas.Text
	bars                   []*canvas.Rectangle
	total, totalName, note *canvas.Text
	axis                   *canvas.Rectangle
}

const (
	wfNameW = 120
	wfTimeW = 80
)

func (r *waterfallRenderer) rowH() float32 { return theme.TextSize() + 2*theme.Padding() + 4 }

func (r *waterfallRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	rowH := r.rowH()
	barX := float32(wfNameW) + pad
	barW := max(size.Width-barX-wfTimeW-2*pad, 10)
	total := r.w.t.Total
	if total <= 0 {
		total = time.Nanosecond
	}
	at := time.Duration(0)
	for i, p := range r.w.phases() {
		y := pad + float32(i)*rowH
		r.names[i].Move(fyne.NewPos(pad, y+(rowH-r.names[i].MinSize().Height)/2))
		r.times[i].Move(fyne.NewPos(size.Width-wfTimeW, y+(rowH-r.times[i].MinSize().Height)/2))
		x := barX + barW*float32(at)/float32(total)
		w := barW * float32(p.Duration) / float32(total)
		if !p.NA && w < 2 {
			w = 2 // a phase that happened stays visible, however short
		}
		if p.NA {
			w = 0
		}
		r.bars[i].Move(fyne.NewPos(x, y+rowH*0.2))
		r.bars[i].Resize(fyne.NewSize(w, rowH*0.6))
		at += p.Duration
	}
	y := pad + float32(len(r.names))*rowH
	r.axis.Move(fyne.NewPos(barX, y))
	r.axis.Resize(fyne.NewSize(barW, 1))
	r.totalName.Move(fyne.NewPos(pad, y+pad))
	r.total.Move(fyne.NewPos(size.Width-wfTimeW, y+pad))
	r.note.Move(fyne.NewPos(pad, y+pad+rowH))
}

func (r *waterfallRenderer) MinSize() fyne.Size {
	return fyne.NewSize(wfNameW+wfTimeW+120, float32(len(r.names)+2)*r.rowH()+2*theme.Padding())
}

func (r *waterfallRenderer) Refresh() {
	fg, muted := theme.Color(theme.ColorNameForeground), widgets.MutedColor()
	for i, p := range r.w.phases() {
		r.names[i].Text = phaseNames[i]
		r.names[i].Color = fg
		r.times[i].Text = phaseText(p)
		r.times[i].Color = fg
		r.bars[i].FillColor = phaseColors[i]
		r.bars[i].CornerRadius = 2
		r.bars[i].Show()
		if p.NA {
			r.names[i].Color, r.times[i].Color = muted, muted
			r.bars[i].Hide()
		}
		if r.w.empty {
			r.times[i].Text = ""
		}
	}
	r.axis.FillColor = theme.Color(theme.ColorNameSeparator)
	r.total.Text = formatDuration(r.w.t.Total)
	r.total.Color, r.totalName.Color = fg, fg
	r.note.Color = muted
	switch {
	case r.w.empty:
		r.total.Text = ""
		r.note.Text = "Send a request to see where its time went."
	case r.w.t.ConnReused:
		r.note.Text = "Reused connection: no DNS, connect or TLS this time."
	default:
		r.note.Text = ""
	}
	for _, o := range r.Objects() {
		o.Refresh()
	}
	r.Layout(r.w.Size())
}

func (r *waterfallRenderer) Objects() []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for i := range r.names {
		objs = append(objs, r.names[i], r.bars[i], r.times[i])
	}
	return append(objs, r.axis, r.totalName, r.total, r.note)
}

func (r *waterfallRenderer) Destroy() {}
