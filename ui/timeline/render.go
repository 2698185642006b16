package timeline

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"

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

// picture lays out title, the participants and arrows at width and
// zoom; its size is all of it.
func picture(title string, arrows []workspace.Arrow, width, zoom float32) (*fyne.Container, fyne.Size) {
	g := newGeometry(width, zoom)
	var objs []fyne.CanvasObject // on the canvas's background
	y := float32(0)
	if title != "" {
		t := text(title, g.small(), widgets.MutedColor(), widgets.Bold)
		t.Move(fyne.NewPos(g.pad(), g.pad()))
		objs = append(objs, t)
		y = t.MinSize().Height + g.pad()
	}
	header := fyne.NewContainerWithoutLayout(drawHeader(g)...)
	header.Move(fyne.NewPos(0, y))
	header.Resize(fyne.NewSize(width, g.headerH()))
	objs = append(objs, header)
	y += g.headerH()
	for _, a := range arrows {
		row := fyne.NewContainerWithoutLayout(drawRow(a, g)...)
		row.Move(fyne.NewPos(0, y))
		row.Resize(fyne.NewSize(width, g.rowH()))
		objs = append(objs, row)
		y += g.rowH()
	}
	size := fyne.NewSize(width, y+g.pad())
	c := fyne.NewContainerWithoutLayout(objs...)
	c.Resize(size)
	return c, size
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

// Snapshot returns what the diagram shows now, as the window drew it:
// the part of its canvas's capture under the diagram (the participants
// and the rows in view), in the screen's pixels. Call it on the UI
// goroutine; the image is a copy, safe to encode anywhere. A diagram
// not on a canvas is drawn as a picture instead.
func (d *Diagram) Snapshot() image.Image {
	c := fyne.CurrentApp().Driver().CanvasForObject(d)
	if c == nil || c.Size().Width <= 0 {
		g := d.geometry()
		obj, size := picture("", d.tl.Arrows, g.width, d.zoom)
		return render(obj, size, 1)
	}
	img := c.Capture()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(d)
	s := float32(img.Bounds().Dx()) / c.Size().Width
	size := d.Size()
	r := image.Rect(int(pos.X*s), int(pos.Y*s), int((pos.X+size.Width)*s), int((pos.Y+size.Height)*s)).Add(img.Bounds().Min).Intersect(img.Bounds())
	out := image.NewNRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
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
