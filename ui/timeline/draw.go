package timeline

import (
	"fmt"
	"image/color"
	"net/http"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// Lanes are the three participants, left to right.
var Lanes = [3]string{"You (Hooklab)", "API", "Your webhook endpoint"}

const (
	laneYou = iota
	laneAPI
	laneEndpoint
)

// geometry is where things go at one width and one zoom: every size is
// a multiple of the text size, so zooming scales the whole diagram.
type geometry struct {
	width float32
	ts    float32 // the labels' text size
	timeW float32 // the time column
}

func newGeometry(width, zoom float32) geometry {
	ts := theme.TextSize() * zoom
	g := geometry{width: width, ts: ts}
	g.timeW = fyne.MeasureText("00:00:00.000", g.small(), widgets.Mono).Width + 2*g.pad()
	return g
}

func (g geometry) pad() float32    { return g.ts * 0.5 }
func (g geometry) small() float32  { return g.ts * 0.78 }
func (g geometry) stroke() float32 { return max(2.5, g.ts/6) }

// laneX is the x of lane i's line.
func (g geometry) laneX(i int) float32 {
	w := max(g.width-g.timeW, 1)
	return g.timeW + w*(float32(2*i+1)/6)
}

// Rows: the label on top, the arrow, a muted caption under it.
func (g geometry) labelY() float32   { return g.pad() }
func (g geometry) arrowY() float32   { return g.pad() + g.ts*1.9 }
func (g geometry) captionY() float32 { return g.arrowY() + g.ts*0.45 }
func (g geometry) rowH() float32     { return g.captionY() + g.small()*1.4 + g.pad()*0.6 }
func (g geometry) headerH() float32  { return g.ts*2.6 + g.pad()*2 }

// laneColor is the colour of the lanes' lines: quiet, but visible on a
// projector.
func laneColor() color.Color {
	r, gg, b, _ := widgets.MutedColor().RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(gg >> 8), B: uint8(b >> 8), A: 0x70}
}

// drawHeader draws the participants' boxes in a strip of height headerH.
func drawHeader(g geometry) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	h := g.headerH()
	tm := text("Time", g.small(), widgets.MutedColor(), widgets.Bold)
	tm.Move(fyne.NewPos(g.pad(), h-g.pad()-tm.MinSize().Height))
	objs = append(objs, tm)
	boxW := (g.width - g.timeW) / 3 * 0.86
	for i, name := range Lanes {
		x := g.laneX(i)
		line := laneLine(x, h-g.pad(), h, g)
		box := canvas.NewRectangle(theme.Color(theme.ColorNameButton))
		box.StrokeColor = theme.Color(theme.ColorNameForeground)
		box.StrokeWidth = g.stroke() / 2
		box.CornerRadius = g.ts * 0.4
		box.Move(fyne.NewPos(x-boxW/2, g.pad()))
		box.Resize(fyne.NewSize(boxW, h-2*g.pad()))
		size := g.ts * 1.05
		if w := fyne.MeasureText(name, size, widgets.Bold).Width; w > boxW-g.pad() {
			size *= (boxW - g.pad()) / w // a narrow window: the name fits its box
		}
		t := text(name, size, theme.Color(theme.ColorNameForeground), widgets.Bold)
		ts := t.MinSize()
		t.Move(fyne.NewPos(x-ts.Width/2, g.pad()+(h-2*g.pad()-ts.Height)/2))
		objs = append(objs, line, box, t)
	}
	return objs
}

// laneLine is a piece of a lane's line, from y0 to y1.
func laneLine(x, y0, y1 float32, g geometry) *canvas.Line {
	l := canvas.NewLine(laneColor())
	l.StrokeWidth = g.stroke() * 0.6
	l.Position1, l.Position2 = fyne.NewPos(x, y0), fyne.NewPos(x, y1)
	return l
}

// drawRow draws arrow a in a row of width g.width and height rowH,
// at the origin: the lanes' pieces, the time, the arrow and its labels.
func drawRow(a workspace.Arrow, g geometry) []fyne.CanvasObject {
	h := g.rowH()
	objs := []fyne.CanvasObject{laneLine(g.laneX(0), 0, h, g), laneLine(g.laneX(1), 0, h, g), laneLine(g.laneX(2), 0, h, g)}
	tm := text(a.Time.Local().Format("15:04:05.000"), g.small(), widgets.MutedColor(), widgets.Mono)
	tm.Move(fyne.NewPos(g.pad(), g.arrowY()-tm.MinSize().Height/2))
	objs = append(objs, tm)

	from, to := laneAPI, laneEndpoint
	var col color.Color
	dashed := false
	var label []part
	caption := ""
	switch a.Kind {
	case workspace.ArrowRequest:
		from, to = laneYou, laneAPI
		col = widgets.MethodColor(a.Call.Method)
		label = []part{badge(a.Call.Method, col), plain(" " + cut(a.Call.Path(), 48))}
		caption = hostOf(a.Call.URL)
	case workspace.ArrowResponse:
		from, to, dashed = laneAPI, laneYou, true
		if a.Call.Status == 0 {
			col = theme.Color(theme.ColorNameError)
			label = []part{badge("no response", col), plain(" " + cut(a.Call.Err, 40))}
		} else {
			col = widgets.StatusColor(a.Call.Status)
			label = []part{badge(statusText(a.Call.Status), col), plain(" " + formatMS(a.Call.Duration))}
		}
		caption = "to " + a.Call.Method + " " + cut(a.Call.Path(), 40)
	case workspace.ArrowWebhook, workspace.ArrowUnlinked:
		c := a.Capture
		col = sigColor(c.Signature)
		what := c.Event
		if what == "" {
			what = c.Method + " " + c.Path
		}
		label = []part{bold(cut(what, 40))}
		if w := c.Signature.String(); w != "" {
			label = append(label, plain(" "), badge(w, sigColor(c.Signature)))
		}
		if a.Kind == workspace.ArrowWebhook {
			label = append(label, plain(" "+formatDelay(c.Delay)))
			caption = c.Method + " " + cut(c.Path, 30) + " · caused by " + a.Call.Method + " " + cut(a.Call.Path(), 30)
		} else {
			dashed = true
			if c.Signature == workspace.SignatureUnchecked {
				col = widgets.MutedColor()
			}
			caption = c.Method + " " + cut(c.Path, 30) + " · not linked to a call"
		}
	}
	x1, x2 := g.laneX(from), g.laneX(to)
	objs = append(objs, arrow(x1, x2, g.arrowY(), visible(col), dashed, g)...)
	objs = append(objs, layoutParts(label, (x1+x2)/2, g.labelY(), g)...)
	if caption != "" {
		c := text(caption, g.small(), widgets.MutedColor(), fyne.TextStyle{})
		cs := c.MinSize()
		c.Move(fyne.NewPos(max((x1+x2)/2-cs.Width/2, g.timeW), g.captionY()))
		objs = append(objs, halo(c.Position().X, g.captionY(), cs.Width, cs.Height, g), c)
	}
	return objs
}

// sigColor is the colour of a signature state; the muted colour when
// nothing was checked.
func sigColor(s workspace.SignatureState) color.Color {
	switch s {
	case workspace.SignatureValid:
		return widgets.SignatureColor(true, true)
	case workspace.SignatureInvalid:
		return widgets.SignatureColor(false, true)
	case workspace.SignatureUnsigned:
		return widgets.SignatureColor(false, false)
	}
	return theme.Color(theme.ColorNameForeground)
}

// visible returns c, or c mixed towards the text colour until it stands
// out from the background at 3:1 (what a line needs to be seen; the
// theme's success green on white is 1.4:1).
func visible(c color.Color) color.Color {
	bg, fg := theme.Color(theme.ColorNameBackground), theme.Color(theme.ColorNameForeground)
	out := c
	for i := 1; i <= 10 && widgets.Contrast(out, bg) < 3; i++ {
		out = mix(c, fg, float64(i)/10)
	}
	return out
}

// mix is a + (b-a)*f, opaque.
func mix(a, b color.Color, f float64) color.Color {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	m := func(x, y uint32) uint8 { return uint8((float64(x) + (float64(y)-float64(x))*f) / 257) }
	return color.NRGBA{R: m(ar, br), G: m(ag, bg), B: m(ab, bb), A: 0xff}
}

// arrow is a line from x1 to x2 at y with its head at x2; dashed for
// replies and for captures no call is known to have caused.
func arrow(x1, x2, y float32, col color.Color, dashed bool, g geometry) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	dir := float32(1)
	if x2 < x1 {
		dir = -1
	}
	head := g.ts * 0.7
	end := x2 - dir*g.stroke() // the head's tip touches the lane
	seg := func(a, b float32) {
		l := canvas.NewLine(col)
		l.StrokeWidth = g.stroke()
		l.Position1, l.Position2 = fyne.NewPos(a, y), fyne.NewPos(b, y)
		objs = append(objs, l)
	}
	if dashed {
		dash, gap := g.ts*0.8, g.ts*0.45
		for x := x1; dir*(end-x) > 0; x += dir * (dash + gap) {
			b := x + dir*dash
			if dir*(b-end) > 0 {
				b = end
			}
			seg(x, b)
		}
	} else {
		seg(x1, end)
	}
	for _, dy := range []float32{-head * 0.55, head * 0.55} {
		l := canvas.NewLine(col)
		l.StrokeWidth = g.stroke()
		l.Position1, l.Position2 = fyne.NewPos(end-dir*head, y+dy), fyne.NewPos(end, y)
		objs = append(objs, l)
	}
	return objs
}

// part is a piece of a label: text, or text on a coloured badge.
type part struct {
	s     string
	style fyne.TextStyle
	bg    color.Color // nil: no badge
}

func plain(s string) part { return part{s: s, style: widgets.Mono} }
func bold(s string) part  { return part{s: s, style: widgets.MonoBold} }
func badge(s string, bg color.Color) part {
	return part{s: s, style: widgets.MonoBold, bg: bg}
}

// layoutParts lays parts out on one line centred on cx, from y.
func layoutParts(parts []part, cx, y float32, g geometry) []fyne.CanvasObject {
	bp := g.ts * 0.35 // a badge's padding
	widths := make([]float32, len(parts))
	total := float32(0)
	for i, p := range parts {
		widths[i] = fyne.MeasureText(p.s, g.ts, p.style).Width
		if p.bg != nil {
			widths[i] += 2 * bp
		}
		total += widths[i]
	}
	x := max(cx-total/2, g.timeW)
	th := fyne.MeasureText("M", g.ts, widgets.Mono).Height
	objs := []fyne.CanvasObject{halo(x, y-g.ts*0.1, total, th+g.ts*0.2, g)}
	for i, p := range parts {
		fg := theme.Color(theme.ColorNameForeground)
		tx := x
		if p.bg != nil {
			r := canvas.NewRectangle(p.bg)
			r.CornerRadius = g.ts * 0.3
			r.Move(fyne.NewPos(x, y-g.ts*0.1))
			r.Resize(fyne.NewSize(widths[i], th+g.ts*0.2))
			objs = append(objs, r)
			fg = widgets.TextOn(p.bg)
			tx += bp
		}
		t := text(p.s, g.ts, fg, p.style)
		t.Move(fyne.NewPos(tx, y))
		objs = append(objs, t)
		x += widths[i]
	}
	return objs
}

// halo is the background under a label, so a lane crossing it stops
// there instead of running through the words.
func halo(x, y, w, h float32, g geometry) *canvas.Rectangle {
	r := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	pad := g.ts * 0.2
	r.Move(fyne.NewPos(x-pad, y))
	r.Resize(fyne.NewSize(w+2*pad, h))
	return r
}

func text(s string, size float32, c color.Color, style fyne.TextStyle) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize, t.TextStyle = size, style
	return t
}

// cut shortens s to n runes with an ellipsis.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return "to " + u.Host
}

// statusText is "201 Created", or the number alone for a code without
// a name.
func statusText(status int) string {
	if t := http.StatusText(status); t != "" {
		return fmt.Sprintf("%d %s", status, t)
	}
	return fmt.Sprint(status)
}

// formatMS is a duration as a reader of a response time wants it: "14 ms",
// "1.2 s".
func formatMS(d time.Duration) string {
	if d < time.Millisecond {
		return "<1 ms"
	}
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// formatDelay is how long after its call a webhook came: "+60 ms",
// "+1.2 s", "+3 min".
func formatDelay(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("+%d ms", max(d.Milliseconds(), 0))
	case d < time.Minute:
		return fmt.Sprintf("+%.1f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("+%.0f min", d.Minutes())
	}
	return fmt.Sprintf("+%.1f h", d.Hours())
}
