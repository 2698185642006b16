package uitest

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Press types the shortcut key+mod in win the way Fyne's desktop
// driver dispatches it (internal/driver/glfw, triggersShortcut): an
// item of the window's main menu with that shortcut runs first,
// whatever has the focus; else a focused widget that takes shortcuts
// gets it (and the canvas does not); else the canvas's shortcuts. A key
// with no modifier is no shortcut there: it goes to the focused widget,
// or to the canvas's typed-key handler when nothing has the focus.
func Press(win fyne.Window, key fyne.KeyName, mod fyne.KeyModifier) {
	c := win.Canvas()
	if mod == 0 {
		ev := &fyne.KeyEvent{Name: key}
		if f := c.Focused(); f != nil {
			f.TypedKey(ev)
		} else if h := c.OnTypedKey(); h != nil {
			h(ev)
		}
		return
	}
	sc := &desktop.CustomShortcut{KeyName: key, Modifier: mod}
	if m := win.MainMenu(); m != nil {
		for _, menu := range m.Items {
			if runMenuShortcut(sc, menu) {
				return
			}
		}
	}
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	if s, ok := c.(fyne.Shortcutable); ok {
		s.TypedShortcut(sc)
	}
}

func runMenuShortcut(sc fyne.Shortcut, m *fyne.Menu) bool {
	for _, it := range m.Items {
		if it.Shortcut != nil && it.Shortcut.ShortcutName() == sc.ShortcutName() && it.Action != nil {
			it.Action()
			return true
		}
		if it.ChildMenu != nil && runMenuShortcut(sc, it.ChildMenu) {
			return true
		}
	}
	return false
}
