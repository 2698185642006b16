package composer

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// sendEntry is an Entry where Ctrl+Enter (Cmd+Enter on macOS) sends.
type sendEntry struct {
	widget.Entry
	onSend func()
	onFind func() // Ctrl+F; nil ignores it
}

func newSendEntry(multiLine bool, onSend func()) *sendEntry {
	e := &sendEntry{onSend: onSend}
	e.MultiLine = multiLine
	e.Wrapping = fyne.TextWrapOff
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut sends on Ctrl+Enter and passes every other shortcut on.
func (e *sendEntry) TypedShortcut(s fyne.Shortcut) {
	if isSendShortcut(s) {
		e.onSend()
		return
	}
	if isFindShortcut(s) && e.onFind != nil {
		e.onFind()
		return
	}
	if _, ok := s.(*desktop.CustomShortcut); ok {
		// A focused Entry swallows shortcuts; pass the window's own
		// (Ctrl+T, Ctrl+W, Ctrl+S) on to it.
		if app := fyne.CurrentApp(); app != nil {
			if sc, ok := app.Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
				sc.TypedShortcut(s)
				return
			}
		}
	}
	e.Entry.TypedShortcut(s)
}

func isFindShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && cs.KeyName == fyne.KeyF && (cs.Modifier == fyne.KeyModifierControl || cs.Modifier == fyne.KeyModifierSuper)
}

func isSendShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) &&
		(cs.Modifier == fyne.KeyModifierControl || cs.Modifier == fyne.KeyModifierSuper)
}
