package ui

import "fyne.io/fyne/v2"

// columns lays objects out left to right with fixed widths, except the
// flex column, which takes what is left. Rows built with the same
// columns line up like a table without a table's cost.
type columns struct {
	widths []float32 // one per object; the flex entry is ignored
	flex   int
	gap    float32
}

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	fixed := float32(0)
	for i, w := range c.widths {
		if i != c.flex {
			fixed += w
		}
	}
	flexW := size.Width - fixed - c.gap*float32(len(objs)-1)
	if flexW < 0 {
		flexW = 0
	}
	x := float32(0)
	for i, o := range objs {
		w := c.widths[i]
		if i == c.flex {
			w = flexW
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
		x += w + c.gap
	}
}

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	w := c.gap * float32(len(objs)-1)
	for i, o := range objs {
		h = max(h, o.MinSize().Height)
		if i != c.flex {
			w += c.widths[i]
		}
	}
	return fyne.NewSize(w, h)
}

// fixed gives its objects a fixed width, height or both. A dimension
// left at zero follows the container when laying out and the objects
// when asked for a minimum.
type fixed struct{ width, height float32 }

func (f *fixed) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if f.width > 0 {
		size.Width = f.width
	}
	if f.height > 0 {
		size.Height = f.height
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (f *fixed) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := fyne.NewSize(0, 0)
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	if f.width > 0 {
		m.Width = f.width
	}
	if f.height > 0 {
		m.Height = f.height
	}
	return m
}
