package ui

// Presenting reports whether presentation mode is on.
func (u *UI) Presenting() bool { return u.look.presenting }

// TogglePresentation turns presentation mode on or off (View ›
// Presentation mode, F11). On, it enlarges everything, draws black on
// white (or white on black), folds the collections sidebar away and
// hides the notes bar, and shares the width evenly between the catcher
// and the composer. Off, it puts back exactly what it changed.
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
		u.split.SetOffset(0.5)
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
}

// ToggleSidebar folds the composer's collections and history sidebar
// away or brings it out (View › Collections sidebar).
func (u *UI) ToggleSidebar() {
	u.Composer.ShowSidebar(!u.Composer.SidebarShown())
}
