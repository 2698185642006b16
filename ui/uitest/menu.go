package uitest

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// MenuItems returns the items of a pop-up menu shown in o (a canvas's
// top overlay), by label, to tap as a user would.
func MenuItems(o fyne.CanvasObject) map[string]fyne.Tappable {
	items := map[string]fyne.Tappable{}
	if o == nil {
		return items
	}
	for _, x := range test.LaidOutObjects(o) {
		tap, ok := x.(fyne.Tappable)
		if !ok {
			continue
		}
		w, ok := x.(fyne.Widget)
		if !ok {
			continue
		}
		// An item holds one label; the menu around them holds them all.
		var labels []string
		for _, y := range test.LaidOutObjects(w) {
			if txt, ok := y.(*canvas.Text); ok && txt.Text != "" {
				labels = append(labels, txt.Text)
			}
		}
		if len(labels) == 1 {
			items[labels[0]] = tap
		}
	}
	return items
}
