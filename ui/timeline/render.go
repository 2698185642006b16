package timeline

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/theme"

	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// A picture is the diagram laid out in full, without a scroller: a
// title, the participants and the rows of some arrows. The window
// exports the rows in view that way; `hooklab timeline` the whole
// timeline.

// MaxPictureArrows bounds the rows of a picture: beyond, the newest are
// drawn and the title says older ones were left out.
const MaxPictureArrows = 400

// Title is what a picture of tl says on top: how much it shows, since
// when.
func Title(tl workspace.Timeline) string {
	var b strings.Builder
	b.WriteString("Hooklab timeline")
	if !tl.Since.IsZero() {
		fmt.Fprintf(&b, " since %s", tl.Since.Local().Format("2006-01-02 15:04:05"))
	}
	fmt.Fprintf(&b, " · %s, %s", plural(tl.Count(workspace.ArrowRequest), "request"), plural(tl.Count(workspace.ArrowWebhook), "linked webhook"))
	if n := tl.Count(workspace.ArrowUnlinked); n > 0 {
		fmt.Fprintf(&b, ", %d unlinked", n)
	}
	if tl.Earlier {
		b.WriteString(" (older ones left out)")
	}
	return b.String()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// strip is a horizontal band of a picture: the title, the participants
// or one row, laid out from its own top.
type strip struct {
	obj fyne.CanvasObject
	y   float32 // where it goes in the picture
	h   float32
}

// pictureStrips lays out title, the participants and arrows at width
// and zoom, each in a strip; size is all of them.
func pictureStrips(title string, arrows []workspace.Arrow, width, zoom float32) (strips []strip, size fyne.Size) {
	g := newGeometry(width, zoom)
	y := float32(0)
	add := func(h float32, objs ...fyne.CanvasObject) {
		c := container.NewWithoutLayout(objs...)
		c.Resize(fyne.NewSize(width, h))
		strips = append(strips, strip{obj: c, y: y, h: h})
		y += h
	}
	if title != "" {
		t := text(title, g.small(), widgets.MutedColor(), widgets.Bold)
		t.Move(fyne.NewPos(g.pad(), g.pad()))
		add(t.MinSize().Height+g.pad(), t)
	}
	add(g.headerH(), drawHeader(g)...)
	for _, a := range arrows {
		add(g.rowH(), drawRow(a, g)...)
	}
	return strips, fyne.NewSize(width, y+g.pad())
}

// picture is the strips of pictureStrips in one container.
func picture(title string, arrows []workspace.Arrow, width, zoom float32) (*fyne.Container, fyne.Size) {
	strips, size := pictureStrips(title, arrows, width, zoom)
	objs := make([]fyne.CanvasObject, len(strips))
	for i, s := range strips {
		s.obj.Move(fyne.NewPos(0, s.y))
		objs[i] = s.obj
	}
	c := container.NewWithoutLayout(objs...)
	c.Resize(size)
	return c, size
}

// renderSteps draws strips into one image of size at scale, one strip
// per step: each step runs the next with next (widgets.Do), so the UI
// goroutine, which alone may draw text (Fyne's font caches are its
// own), is never held for long. done gets the image.
func renderSteps(strips []strip, size fyne.Size, scale float32, next func(func()), done func(image.Image)) {
	px := func(v float32) int { return int(math.Ceil(float64(v * scale))) }
	out := image.NewNRGBA(image.Rect(0, 0, px(size.Width), px(size.Height)))
	draw.Draw(out, out.Bounds(), image.NewUniform(theme.Color(theme.ColorNameBackground)), image.Point{}, draw.Src)
	var step func(i int)
	step = func(i int) {
		if i == len(strips) {
			done(out)
			return
		}
		s := strips[i]
		img := render(s.obj, fyne.NewSize(size.Width, s.h), scale)
		at := image.Pt(0, int(math.Round(float64(s.y*scale))))
		draw.Draw(out, img.Bounds().Add(at), img, image.Point{}, draw.Src)
		next(func() { step(i + 1) })
	}
	step(0)
}

// render draws obj of size at scale on a canvas of its own, without a
// window or a GPU.
func render(obj fyne.CanvasObject, size fyne.Size, scale float32) image.Image {
	c := software.NewCanvas()
	c.SetPadded(false)
	c.SetScale(scale)
	c.SetContent(obj)
	c.Resize(size)
	return c.Capture()
}

// Options say how Render draws.
type Options struct {
	Width float32 // of the picture, before Scale; 0 is 1400
	Zoom  float32 // the labels' size; 0 is DefaultZoom
	Scale float32 // pixels per unit; 0 is 1
}

// Render draws the newest MaxPictureArrows arrows of tl, under its
// Title, in the current theme. It needs a Fyne app (the window's, or
// test.NewApp for a command without a display) and no display.
func Render(tl workspace.Timeline, o Options) image.Image {
	if o.Width <= 0 {
		o.Width = 1400
	}
	if o.Zoom <= 0 {
		o.Zoom = DefaultZoom
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	arrows := tl.Arrows
	if len(arrows) > MaxPictureArrows {
		arrows = arrows[len(arrows)-MaxPictureArrows:]
		tl.Earlier = true
	}
	obj, size := picture(Title(tl), arrows, o.Width, o.Zoom)
	return render(obj, size, o.Scale)
}

// EncodePNG is img as a PNG file.
func EncodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Snapshot draws what the diagram shows now (the participants and the
// rows in view, under the timeline's Title) at the scale of the screen
// it is on, and hands it to done. It lays the picture out at once and
// draws it a strip at a time on the UI goroutine (next is widgets.Do),
// so a timeline that changes meanwhile does not change the picture.
func (d *Diagram) Snapshot(next func(func()), done func(image.Image)) {
	g := d.geometry()
	first, last := 0, -1
	if n := len(d.tl.Arrows); n > 0 {
		view := d.scroll.Size().Height
		first = min(max(0, int(d.scroll.Offset.Y/g.rowH())), n-1)
		last = min(n-1, int((d.scroll.Offset.Y+max(view, g.rowH())-1)/g.rowH()))
	}
	strips, size := pictureStrips(Title(d.tl), d.tl.Arrows[first:last+1], g.width, d.zoom)
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(d); c != nil {
		scale = c.Scale()
	}
	renderSteps(strips, size, scale, next, done)
}

// forcedTheme is a theme in one variant, whatever the system's.
type forcedTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t forcedTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// InVariant returns t always in variant v (theme.VariantLight or
// theme.VariantDark), for a picture drawn without a window.
func InVariant(t fyne.Theme, v fyne.ThemeVariant) fyne.Theme {
	return forcedTheme{Theme: t, variant: v}
}
