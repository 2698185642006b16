package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Columns lays objects out left to right with fixed widths, except the
// flex column, which takes what is left. Rows built with the same
// Columns line up like a table without a table's cost.
type Columns struct {
	Widths []float32 // one per object; the flex entry is ignored
	Flex   int
	Gap    float32
	// Drop names columns, first to go first, that are hidden while the
	// flex column would be narrower than MinFlex, so a narrow row keeps
	// room for what matters most.
	Drop    []int
	MinFlex float32
	// measuredAt is the theme's text size when the columns were first
	// laid out: widths measured in characters grow and shrink with the
	// text when the theme changes (zoom, presentation mode).
	measuredAt float32
}

// scale is how much the theme's text grew since the columns were
// measured.
func (c *Columns) scale() float32 {
	size := theme.TextSize()
	if c.measuredAt == 0 {
		c.measuredAt = size
	}
	return size / c.measuredAt
}

// Layout places objs in their columns, each centred in the row's height.
func (c *Columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	k := c.scale()
	fixed := float32(0)
	for i, w := range c.Widths {
		if i != c.Flex {
			fixed += w * k
		}
	}
	gap, minFlex := c.Gap*k, c.MinFlex*k
	flexW := size.Width - fixed - gap*float32(len(objs)-1)
	dropped := map[int]bool{}
	for _, d := range c.Drop {
		if flexW >= minFlex {
			break
		}
		dropped[d] = true
		flexW += c.Widths[d]*k + gap
	}
	for _, d := range c.Drop {
		if dropped[d] {
			objs[d].Hide()
		} else {
			objs[d].Show()
		}
	}
	if flexW < 0 {
		flexW = 0
	}
	x := float32(0)
	for i, o := range objs {
		if dropped[i] {
			continue
		}
		w := c.Widths[i] * k
		if i == c.Flex {
			w = flexW
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
		x += w + gap
	}
}

// MinSize is the fixed widths and gaps, and the tallest object.
func (c *Columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	k := c.scale()
	h := float32(0)
	w := c.Gap * k * float32(len(objs)-1)
	for i, o := range objs {
		h = max(h, o.MinSize().Height)
		if i != c.Flex {
			w += c.Widths[i] * k
		}
	}
	return fyne.NewSize(w, h)
}

// Fixed gives its objects a fixed width, height or both. A dimension
// left at zero follows the container when laying out and the objects
// when asked for a minimum.
type Fixed struct{ Width, Height float32 }

// Layout gives every object the fixed size, at the origin.
func (f *Fixed) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if f.Width > 0 {
		size.Width = f.Width
	}
	if f.Height > 0 {
		size.Height = f.Height
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// MinSize is the fixed size, the objects' where a dimension is not fixed.
func (f *Fixed) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := fyne.NewSize(0, 0)
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	if f.Width > 0 {
		m.Width = f.Width
	}
	if f.Height > 0 {
		m.Height = f.Height
	}
	return m
}
