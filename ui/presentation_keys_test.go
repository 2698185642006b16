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
		if c.label == "Presentation mode" && (c.keys() != "Ctrl+Shift+P" || c.alone != fyne.KeyF11) {
			t.Errorf("presentation mode has %q and %q", c.keys(), c.alone)
		}
	}
}

// TestPresentationFitsA1024Window: at 1024×700 the enlarged composer
// needs more than half the width; presentation mode gives it what it
// needs (the catcher too), so neither panel scrolls sideways.
func TestPresentationFitsA1024Window(t *testing.T) {
	r := newRig(t)
	r.win.Resize(fyne.NewSize(1024, 700))
	r.ui.TogglePresentation()
	for _, side := range []struct {
		name string
		o    fyne.CanvasObject
	}{{"catcher", r.ui.split.Leading}, {"composer", r.ui.split.Trailing}} {
		if need, has := contentWidth(side.o), side.o.Size().Width; has < need {
			t.Errorf("the %s has %v px of the %v its content needs", side.name, has, need)
		}
	}
	r.ui.TogglePresentation()
	r.win.Resize(fyne.NewSize(1400, 900))
	r.ui.TogglePresentation()
	if r.ui.split.Offset != 0.5 {
		t.Errorf("at 1400 px the divider is at %v, want the middle", r.ui.split.Offset)
	}
}
