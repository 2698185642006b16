package catcher

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// exposedTitle is the badge's words and its dialog's title.
const exposedTitle = "Reachable from the network"

// exposedBadge is the catcher header's warning that other computers can
// send to the catcher (it was started with --expose or the Settings
// switch): tapped, it shows the addresses they use and the access token,
// each with a Copy button. It is hidden when the catcher listens on
// loopback only.
type exposedBadge struct {
	*widget.Button
	exposure workspace.Exposure
	dialogs  dialogs.Dialogs
	// copy puts text on the clipboard (the app's; tests see it there).
	copy func(string)
	// after times the Copy buttons' "Copied" (nil: a timer; tests run
	// it when they choose).
	after func(d time.Duration, f func())
}

func newExposedBadge(source interface {
	Exposure() (workspace.Exposure, bool)
}, d dialogs.Dialogs) *exposedBadge {
	e, ok := source.Exposure()
	b := &exposedBadge{exposure: e, dialogs: d, copy: func(s string) { fyne.CurrentApp().Clipboard().SetContent(s) }}
	b.Button = widget.NewButtonWithIcon(exposedTitle, theme.WarningIcon(), b.show)
	b.Importance = widget.WarningImportance
	b.Hidden = !ok
	return b
}

// show opens the dialog with the addresses and the token.
func (b *exposedBadge) show() {
	e := b.exposure
	intro := widget.NewLabel("Other computers can send webhooks to this catcher. Each of their requests must carry the access token, " +
		"in the X-Hooklab-Token header or the hooklab_token query parameter; one without it is answered 401 and not stored. " +
		"Requests from this computer (the sandbox, the composer, replays) need none.")
	intro.Wrapping = fyne.TextWrapWord
	rows := []fyne.CanvasObject{intro}
	if len(e.URLs) == 0 {
		rows = append(rows, widgets.NewMuted("It listens on a loopback address: no other computer can reach it yet.", fyne.TextStyle{}))
	}
	for _, u := range e.URLs {
		rows = append(rows, b.copyRow(workspace.TokenURL(u, e.Token)))
	}
	rows = append(rows, widget.NewLabelWithStyle("Access token", fyne.TextAlignLeading, widgets.Bold), b.copyRow(e.Token))
	b.dialogs.Custom(exposedTitle, "Close", container.NewVBox(rows...), fyne.NewSize(640, 0))
}

// copyRow is text, selectable and cut with an ellipsis, and a Copy
// button that copies it whole.
func (b *exposedBadge) copyRow(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, widgets.Mono)
	l.Selectable = true
	l.Truncation = fyne.TextTruncateEllipsis
	var btn *widgets.CopyButton
	btn = widgets.NewCopyButton("Copy", func() {
		b.copy(text)
		btn.Copied()
	})
	btn.Confirm.After = b.after
	return container.NewBorder(nil, nil, nil, btn, l)
}
