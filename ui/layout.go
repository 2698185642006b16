package ui

import "fyne.io/fyne/v2"

// What the window remembers between runs, in the app's preferences.
const (
	prefWidth      = "window.width"
	prefHeight     = "window.height"
	prefSplit      = "window.split"
	prefSidebar    = "window.sidebar"
	prefSidebarOff = "window.sidebarOffset"
)

// The window's first size, and the bounds a remembered size is kept in:
// no smaller than the smallest screen Hooklab supports asks, no bigger
// than a 4K screen.
var (
	defaultWindowSize = fyne.NewSize(1400, 900)
	minWindowSize     = fyne.NewSize(1024, 700)
	maxWindowSize     = fyne.NewSize(3840, 2160)
)

// WindowSize is the size to open the window at: the one it had when it
// last closed, within bounds, or 1400×900 the first time.
func (u *UI) WindowSize() fyne.Size {
	w := float32(u.prefs.FloatWithFallback(prefWidth, float64(defaultWindowSize.Width)))
	h := float32(u.prefs.FloatWithFallback(prefHeight, float64(defaultWindowSize.Height)))
	return clampSize(fyne.NewSize(w, h))
}

// clampSize keeps s within the window's bounds: a size remembered from
// a bigger screen (or edited by hand) never opens a window wider than
// 3840 or narrower than 1024, which any supported screen shows.
func clampSize(s fyne.Size) fyne.Size {
	if s.Width != s.Width || s.Height != s.Height { // NaN
		return defaultWindowSize
	}
	return fyne.NewSize(
		max(minWindowSize.Width, min(s.Width, maxWindowSize.Width)),
		max(minWindowSize.Height, min(s.Height, maxWindowSize.Height)))
}

// restoreLayout puts back the split, the sidebar and the zoom the
// window had when it last closed.
func (u *UI) restoreLayout() {
	u.loadZoom()
	if off := u.prefs.Float(prefSidebarOff); off > 0 {
		u.Composer.SetSidebarOffset(off)
	}
	if u.prefs.Bool(prefSidebar) {
		u.Composer.ShowSidebar(true)
	}
	// After the sidebar, which moves the divider when it comes out.
	if off := u.prefs.FloatWithFallback(prefSplit, -1); off >= 0.2 && off <= 0.8 {
		u.split.Offset = off
	}
}

// saveLayout remembers the window's size, split, sidebar and zoom for
// the next start; what presentation mode changed is remembered as it
// was before.
func (u *UI) saveLayout() {
	split, sidebar := u.split.Offset, u.Composer.SidebarShown()
	if u.look.presenting {
		split, sidebar = u.look.before.split, u.look.before.sidebar
	}
	if s := u.win.Canvas().Size(); s.Width > 0 && s.Height > 0 {
		u.prefs.SetFloat(prefWidth, float64(s.Width))
		u.prefs.SetFloat(prefHeight, float64(s.Height))
	}
	u.prefs.SetFloat(prefSplit, split)
	u.prefs.SetBool(prefSidebar, sidebar)
	if off := u.Composer.SidebarOffset(); off > 0 {
		u.prefs.SetFloat(prefSidebarOff, off)
	}
}
