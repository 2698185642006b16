package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/ui/widgets"
)

// ShowAbout shows the version and the commit Hooklab was built from,
// and where it keeps its data.
func (u *UI) ShowAbout() {
	dir := u.ws.Dir()
	if dir == "" {
		dir = "none (captures are kept in memory)"
	}
	facts := container.New(layout.NewFormLayout(),
		widget.NewLabel("Version"), aboutValue(requester.Version),
		widget.NewLabel("Commit"), aboutValue(requester.Commit),
		widget.NewLabel("Data"), aboutValue(dir))
	rows := []fyne.CanvasObject{
		widget.NewLabelWithStyle("Hooklab", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel("Catch webhooks, compose API calls, see both in one window."),
		facts,
		widgets.NewMutedFull("MIT licence. Nothing is uploaded: no account, no telemetry.", fyne.TextStyle{}),
	}
	u.dialogs.Custom("About Hooklab", "Close", container.NewVBox(rows...), fyne.Size{})
}

// aboutValue is a value people may want to copy into a bug report.
func aboutValue(value string) fyne.CanvasObject {
	v := widget.NewLabelWithStyle(value, fyne.TextAlignLeading, widgets.Mono)
	v.Selectable = true
	return v
}
