package codeview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// wheelNotch is what Fyne's desktop driver reports for one notch of a
// mouse wheel on Linux and Windows (its scrollSpeed); wheelLines is how
// many lines a notch scrolls, as in editors and browsers.
const (
	wheelNotch = 25
	wheelLines = 3
)

// Scrolled scrolls wheelLines lines a wheel notch; other deltas (a
// touchpad's, smooth) pass through as they are.
func (a *lineArea) Scrolled(ev *fyne.ScrollEvent) {
	d := ev.Scrolled
	if notches := d.DY / wheelNotch; d.DY != 0 && notches == float32(int(notches)) {
		d.DY = notches * wheelLines * a.g.metrics().lineH
	}
	g := a.g
	if view, size := g.scroll.Size(), g.contentSize(); d.DX == 0 && size.Height <= view.Height && size.Width > view.Width {
		d.DX, d.DY = d.DY, 0 // only sideways to go: the wheel goes sideways, as Fyne's scroller does
	}
	g.scrollBy(d.DX, d.DY)
}

// scrollBy moves the view by dx, dy (a wheel's sign: positive goes up
// and left), kept within the lines.
func (g *lineGrid) scrollBy(dx, dy float32) {
	view, size := g.scroll.Size(), g.contentSize()
	off := g.scroll.Offset
	off.X = max(0, min(off.X-dx, size.Width-view.Width))
	off.Y = max(0, min(off.Y-dy, size.Height-view.Height))
	if off == g.scroll.Offset {
		return
	}
	g.scroll.ScrollToOffset(off)
	g.layoutRows()
}

// FocusGained and FocusLost make the lines focusable: tapped, they take
// the paging keys.
func (a *lineArea) FocusGained() {}

// FocusLost is part of fyne.Focusable.
func (a *lineArea) FocusLost() {}

// TypedRune is part of fyne.Focusable; the view is read-only.
func (a *lineArea) TypedRune(rune) {}

// TypedKey scrolls: PageUp/PageDown a page (less a line, which stays in
// view), Home/End to the top and the bottom, the arrows a line or a
// few columns.
func (a *lineArea) TypedKey(ev *fyne.KeyEvent) {
	g := a.g
	m := g.metrics()
	page := max(m.lineH, g.scroll.Size().Height-m.lineH)
	far := g.contentSize().Height + g.contentSize().Width
	switch ev.Name {
	case fyne.KeyPageDown:
		g.scrollBy(0, -page)
	case fyne.KeyPageUp:
		g.scrollBy(0, page)
	case fyne.KeyDown:
		g.scrollBy(0, -m.lineH)
	case fyne.KeyUp:
		g.scrollBy(0, m.lineH)
	case fyne.KeyRight:
		g.scrollBy(-4*m.charW, 0)
	case fyne.KeyLeft:
		g.scrollBy(4*m.charW, 0)
	case fyne.KeyHome:
		g.scrollBy(far, far)
	case fyne.KeyEnd:
		g.scrollBy(far, -far)
	}
}

// TypedShortcut takes Ctrl+Home and Ctrl+End (the top and the bottom);
// the desktop driver hands keys with a modifier over as shortcuts, to
// the focused widget only, so every other one goes on to the window's
// (Ctrl+F, Ctrl+Enter…).
func (a *lineArea) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && (cs.KeyName == fyne.KeyHome || cs.KeyName == fyne.KeyEnd) {
		a.TypedKey(&fyne.KeyEvent{Name: cs.KeyName})
		return
	}
	if app := fyne.CurrentApp(); app != nil {
		if c, ok := app.Driver().CanvasForObject(a).(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
		}
	}
}
