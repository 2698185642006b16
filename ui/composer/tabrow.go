package composer

import (
	"fyne.io/fyne/v2"

	"hooklab/ui/widgets"
)

// tabRow lays out the row above the URL: the fold button, the strip of
// tabs and the tools (environment, Examples, the tab menu). When the
// strip would get less than wrapBelow beside the tools (a narrow panel,
// the sidebar out), the tools move to a line of their own under the
// strip, so the tabs keep the whole width; otherwise it is one row as
// widgets.Bar lays it out.
type tabRow struct {
	bar       *widgets.Bar
	wrapBelow float32
	wrapped   bool
	// onWrap runs when the row changed between one line and two, so
	// what holds it lays it out again at its new height.
	onWrap func()
}

func (r *tabRow) wraps(objs []fyne.CanvasObject, width float32) bool {
	left, tools := objs[0].MinSize().Width, objs[2].MinSize().Width
	return width-left-tools < r.wrapBelow
}

// Layout expects the fold button, the strip and the tools.
func (r *tabRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	wrapped := size.Width > 0 && r.wraps(objs, size.Width)
	changed := wrapped != r.wrapped
	r.wrapped = wrapped
	if !wrapped {
		r.bar.Layout(objs, size)
	} else {
		left, strip, tools := objs[0], objs[1], objs[2]
		h1 := max(left.MinSize().Height, strip.MinSize().Height)
		lw := left.MinSize().Width
		left.Move(fyne.NewPos(0, (h1-left.MinSize().Height)/2))
		left.Resize(fyne.NewSize(lw, left.MinSize().Height))
		strip.Move(fyne.NewPos(lw, 0))
		strip.Resize(fyne.NewSize(size.Width-lw, h1))
		tw := min(tools.MinSize().Width, size.Width)
		tools.Move(fyne.NewPos(size.Width-tw, h1))
		tools.Resize(fyne.NewSize(tw, tools.MinSize().Height))
	}
	if changed && r.onWrap != nil {
		r.onWrap()
	}
}

// MinSize is as wide as the wider of the two lines it can wrap to (so
// it never holds the panel wider), and one row high, or two rows while
// it is wrapped.
func (r *tabRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	one := r.bar.MinSize(objs)
	w := max(objs[0].MinSize().Width+objs[1].MinSize().Width, objs[2].MinSize().Width)
	if !r.wrapped {
		return fyne.NewSize(w, one.Height)
	}
	h1 := max(objs[0].MinSize().Height, objs[1].MinSize().Height)
	return fyne.NewSize(w, h1+objs[2].MinSize().Height)
}
