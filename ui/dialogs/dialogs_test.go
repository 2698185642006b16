package dialogs

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestEnterConfirmsAForm(t *testing.T) {
	test.NewTempApp(t)
	win := test.NewTempWindow(t, widget.NewLabel(""))
	win.Resize(fyne.NewSize(600, 400))
	name := widget.NewEntry()
	notes := widget.NewMultiLineEntry()
	answered, confirmed := 0, false
	ForWindow(win).Form("Save request", "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name), widget.NewFormItem("Notes", notes)}, fyne.Size{},
		func(ok bool) { answered++; confirmed = ok })
	notes.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if answered != 0 {
		t.Fatal("Enter in a multi-line entry confirmed the form")
	}
	test.Type(name, "Refund")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if answered != 1 || !confirmed {
		t.Fatalf("Enter in the name: answered %d times, confirmed %v", answered, confirmed)
	}
}
