package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"hooklab/ui/dialogs"
	"hooklab/ui/timeline"
)

// The timeline opens in a window of its own, not a pane: on a projector
// it goes full screen on the shared display while the main window stays
// on the laptop, and the catcher and the composer keep their width at
// 1024×700. Closing it hides it; it reads nothing while hidden.

// timelineShortcut opens the timeline: Ctrl+Shift+T (Cmd+Shift+T on
// macOS); the View menu's item (menu.go) has it too.
var timelineShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// ShowTimeline opens the timeline window, or brings it forward.
func (u *UI) ShowTimeline() {
	if u.timeline == nil {
		app := fyne.CurrentApp()
		if app == nil {
			return
		}
		win := app.NewWindow("Hooklab timeline")
		dlg := u.askWith
		if dlg == nil {
			dlg = dialogs.ForWindow(win) // Export PNG… asks over the timeline
		}
		p := timeline.New(timeline.Config{Workspace: u.ws, Bridge: u.bridge, Dialogs: dlg, Started: u.started})
		win.SetContent(p.Content())
		win.Resize(fyne.NewSize(1200, 800))
		win.SetCloseIntercept(u.hideTimeline)
		win.Canvas().AddShortcut(timelineShortcut, func(fyne.Shortcut) { win.RequestFocus() })
		p.AddKeys(win.Canvas())
		u.timeline, u.timelineWin = p, win
	}
	u.timeline.SetActive(true)
	u.timelineWin.Show()
	u.timelineWin.RequestFocus()
}

// hideTimeline is closing the timeline window: it is hidden, to open
// again as it was, and reads nothing meanwhile.
func (u *UI) hideTimeline() {
	u.timeline.SetActive(false)
	u.timelineWin.Hide()
}

// Timeline is the timeline panel, nil until it was first opened.
func (u *UI) Timeline() *timeline.Panel { return u.timeline }
