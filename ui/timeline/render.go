package timeline

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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

// picture lays out title, the participants and arrows at width and
// zoom; its size is all of it.
func picture(title string, arrows []workspace.Arrow, width, zoom float32) (*fyne.Container, fyne.Size) {
	g := newGeometry(width, zoom)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	objs := []fyne.CanvasObject{bg}
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
	bg.Resize(size)
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

// Capture draws what the diagram shows now (the participants and the
// rows in view, under the timeline's Title) at the scale of the screen
// it is on.
func (d *Diagram) Capture() image.Image {
	g := d.geometry()
	first, last := 0, -1
	if n := len(d.tl.Arrows); n > 0 {
		view := d.scroll.Size().Height
		first = min(max(0, int(d.scroll.Offset.Y/g.rowH())), n-1)
		last = min(n-1, int((d.scroll.Offset.Y+max(view, g.rowH())-1)/g.rowH()))
	}
	obj, size := picture(Title(d.tl), d.tl.Arrows[first:last+1], g.width, d.zoom)
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(d); c != nil {
		scale = c.Scale()
	}
	return render(obj, size, scale)
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
