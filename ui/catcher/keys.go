package catcher

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// captureList is the list of captures, whose arrow keys move the
// selection and open the capture (a widget.List only moves its focus
// ring, and Space opens).
type captureList struct {
	widget.List
	c *Catcher
}

func newCaptureList(c *Catcher) *captureList {
	l := &captureList{c: c}
	l.Length = func() int { return c.pager.total }
	l.CreateItem = c.newRow
	l.UpdateItem = c.updateRow
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey moves the selection a row (Up, Down), a page (PageUp,
// PageDown) or to the ends (Home, End), shows that capture, and keeps it
// in view; other keys do what they do in a list.
func (l *captureList) TypedKey(ev *fyne.KeyEvent) {
	c := l.c
	total := c.pager.total
	if total == 0 {
		return
	}
	cur := -1
	if c.selectedID != "" {
		cur = c.pager.indexOf(c.selectedID)
	}
	page := max(1, int(l.Size().Height/c.rowHeight())-1)
	next := cur
	switch ev.Name {
	case fyne.KeyDown:
		next = cur + 1
	case fyne.KeyUp:
		next = cur - 1
		if cur < 0 {
			next = 0
		}
	case fyne.KeyPageDown:
		next = cur + page
	case fyne.KeyPageUp:
		next = cur - page
	case fyne.KeyHome:
		next = 0
	case fyne.KeyEnd:
		next = total - 1
	default:
		l.List.TypedKey(ev)
		return
	}
	next = max(0, min(next, total-1))
	if next == cur {
		return
	}
	l.ScrollTo(next)
	c.Select(next)
}
