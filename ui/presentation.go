package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Presenting reports whether presentation mode is on.
func (u *UI) Presenting() bool { return u.look.presenting }

// TogglePresentation turns presentation mode on or off (View ›
// Presentation mode, F11). On, it enlarges everything, draws black on
// white (or white on black), folds the collections sidebar away and
// hides the notes bar, and shares the width between the catcher and the
// composer (see presentSplit). Off, it puts back exactly what it changed.
func (u *UI) TogglePresentation() {
	l := &u.look
	if !l.presenting {
		l.before = shellState{
			sidebar: u.Composer.SidebarShown(),
			notes:   u.notesBar != nil && u.notesBar.Visible(),
			split:   u.split.Offset,
		}
		l.presenting, l.present = true, presentZoom
		u.Composer.ShowSidebar(false)
		if u.notesBar != nil {
			u.notesBar.Hide()
		}
	} else {
		b := l.before
		l.presenting = false
		u.Composer.ShowSidebar(b.sidebar)
		if u.notesBar != nil && b.notes {
			u.notesBar.Show()
		}
		u.split.SetOffset(b.split)
	}
	u.applyLook()
	if l.presenting {
		u.split.SetOffset(u.presentSplit()) // at the enlarged sizes
	}
}

// presentSplit is where presentation mode puts the divider: in the
// middle when both panels fit their halves; otherwise (a 1024 px window,
// where the enlarged composer needs more than half) in proportion to
// what each panel's content needs, so both fit when the width allows.
func (u *UI) presentSplit() float64 {
	w := u.split.Size().Width - 2*theme.Padding() // the divider's
	cat, comp := contentWidth(u.split.Leading), contentWidth(u.split.Trailing)
	if w <= 0 || (cat <= w/2 && comp <= w/2) {
		return 0.5
	}
	return float64(cat / (cat + comp))
}

// contentWidth is the width a squeezable panel's content needs.
func contentWidth(o fyne.CanvasObject) float32 {
	if s, ok := o.(*container.Scroll); ok && s.Content != nil {
		return s.Content.MinSize().Width
	}
	return o.MinSize().Width
}

// ToggleSidebar folds the composer's collections and history sidebar
// away or brings it out (View › Collections sidebar).
func (u *UI) ToggleSidebar() {
	u.Composer.ShowSidebar(!u.Composer.SidebarShown())
}
