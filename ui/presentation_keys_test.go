package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"hooklab/ui/uitest"
)

// TestPresentationShortcutWorksInATextField: with the URL field focused
// F11 goes to the field, so Ctrl+Shift+P (the menu item's shortcut)
// toggles presentation mode wherever the focus is.
func TestPresentationShortcutWorksInATextField(t *testing.T) {
	r := newRig(t)
	r.ui.Composer.FocusURL()
	if r.win.Canvas().Focused() == nil {
		t.Fatal("the URL field did not take the focus")
	}
	uitest.Press(r.win, fyne.KeyP, ctrl|fyne.KeyModifierShift)
	if !r.ui.Presenting() {
		t.Fatal("Ctrl+Shift+P in the URL field did not start presentation mode")
	}
	uitest.Press(r.win, fyne.KeyP, ctrl|fyne.KeyModifierShift)
	if r.ui.Presenting() {
		t.Fatal("Ctrl+Shift+P did not end presentation mode")
	}
	for _, c := range r.ui.cmds {
		if c.label == "Presentation mode" && c.keys() != "Ctrl+Shift+P, F11" {
			t.Errorf("the shortcuts dialog lists %q", c.keys())
		}
	}
}
