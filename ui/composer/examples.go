package composer

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// tamperLabel is the Examples menu's item that breaks the signature of
// the sandbox's next webhook.
const tamperLabel = "Send the next webhook with a broken signature"

// newExamplesButton is the "Examples" button of the tab strip: its menu
// opens one of the sandbox's scenarios in a new tab, or makes the
// sandbox's next webhook arrive with a broken signature.
func (c *Composer) newExamplesButton() *widget.Button {
	b := widget.NewButtonWithIcon("Examples", theme.DocumentIcon(), nil)
	b.Importance = widget.LowImportance
	b.OnTapped = func() { widgets.ShowMenuBelow(b, c.exampleItems()) }
	return b
}

// exampleItems are the Examples menu's items.
func (c *Composer) exampleItems() []*fyne.MenuItem {
	var items []*fyne.MenuItem
	for _, ex := range workspace.Examples() {
		items = append(items, fyne.NewMenuItem(ex.Name, func() { c.OpenExample(ex) }))
	}
	return append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem(tamperLabel, c.TamperNextWebhook))
}

// OpenExample opens ex's request in a new tab and says under the URL
// what it will do.
func (c *Composer) OpenExample(ex workspace.Example) {
	c.Open(ex.Request)
	c.showExampleNote(ex.Description)
}

// TamperNextWebhook asks the sandbox to sign its next webhook wrongly,
// and says so (or why it cannot) under the URL.
func (c *Composer) TamperNextWebhook() {
	ws := c.ws
	c.bridge.Go(func(context.Context) func() {
		msg := "The sandbox's next webhook will carry a signature that does not match its body: the catcher shows it as invalid."
		if err := ws.TamperNextWebhook(); err != nil {
			msg = "Could not break the next signature: " + err.Error()
		}
		return c.applying(func() { c.showExampleNote(msg) })
	})
}

func (c *Composer) showExampleNote(msg string) {
	c.exampleNote.SetText(msg)
	c.exampleNote.Show()
}
