// Package dialogstest is a fake of dialogs.Dialogs for tests: it
// records what a panel asked and answers as the test says.
package dialogstest

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/dialogs"
)

// Kinds of dialog, as Asked records them.
const (
	Confirm       = "confirm"
	CustomConfirm = "custom confirm"
	Custom        = "custom"
	Form          = "form"
	Choose        = "choose"
	Error         = "error"
	Information   = "information"
	SaveFile      = "save file"
	OpenFile      = "open file"
	OpenFolder    = "open folder"
)

// Asked is one dialog a panel asked for.
type Asked struct {
	Kind    string
	Title   string
	Message string // a confirm's or an information's message, an error's text, a save's file name
	Content fyne.CanvasObject
	Items   []*widget.FormItem
}

// Fake is a dialogs.Dialogs that records what was asked, in
// order, and answers at once as the test set it up to. Use it on the UI
// goroutine (in tests, the one that drains uitest.Loop).
type Fake struct {
	Asked []Asked
	// Answer answers a Confirm, CustomConfirm or Form; it may fill the
	// form's items first. Nil answers yes to everything, leaving forms as
	// they were filled in.
	Answer func(a Asked) bool
	// Choice answers a Choose with the index of a button, -1 for
	// dismiss. Nil answers with Answer: yes is the first button, no
	// dismisses.
	Choice func(a Asked) int
	// SavePath is the file SaveFile writes to; "" answers as if the user
	// cancelled.
	SavePath string
	// OpenPath is the file or folder OpenFile and OpenFolder choose; ""
	// answers as if the user cancelled.
	OpenPath string
}

var _ dialogs.Dialogs = (*Fake)(nil)

// Last returns the last dialog asked for, and whether there was one.
func (d *Fake) Last() (Asked, bool) {
	if len(d.Asked) == 0 {
		return Asked{}, false
	}
	return d.Asked[len(d.Asked)-1], true
}

// Titles lists the titles of the dialogs of kind asked for, in order.
func (d *Fake) Titles(kind string) []string {
	var out []string
	for _, a := range d.Asked {
		if a.Kind == kind {
			out = append(out, a.Title)
		}
	}
	return out
}

func (d *Fake) ask(a Asked) bool {
	d.Asked = append(d.Asked, a)
	return d.Answer == nil || d.Answer(a)
}

// Confirm records the question and answers it.
func (d *Fake) Confirm(title, message string, then func(bool)) {
	then(d.ask(Asked{Kind: Confirm, Title: title, Message: message}))
}

// CustomConfirm records the question and answers it.
func (d *Fake) CustomConfirm(title, _, _ string, content fyne.CanvasObject, _ fyne.Size, then func(bool)) {
	msg := ""
	if l, ok := content.(*widget.Label); ok {
		msg = l.Text
	}
	then(d.ask(Asked{Kind: CustomConfirm, Title: title, Message: msg, Content: content}))
}

// Custom records what was shown.
func (d *Fake) Custom(title, _ string, content fyne.CanvasObject, _ fyne.Size) {
	d.Asked = append(d.Asked, Asked{Kind: Custom, Title: title, Content: content})
}

// Form records the form and answers it.
func (d *Fake) Form(title, _, _ string, items []*widget.FormItem, _ fyne.Size, then func(bool)) {
	then(d.ask(Asked{Kind: Form, Title: title, Items: items}))
}

// Choose records the question and answers it.
func (d *Fake) Choose(title, message string, _ []string, _ string, then func(int)) {
	a := Asked{Kind: Choose, Title: title, Message: message}
	d.Asked = append(d.Asked, a)
	switch {
	case d.Choice != nil:
		then(d.Choice(a))
	case d.Answer == nil || d.Answer(a):
		then(0)
	default:
		then(-1)
	}
}

// Error records the error.
func (d *Fake) Error(err error) {
	d.Asked = append(d.Asked, Asked{Kind: Error, Message: err.Error()})
}

// Information records the message.
func (d *Fake) Information(title, message string) {
	d.Asked = append(d.Asked, Asked{Kind: Information, Title: title, Message: message})
}

// SaveFile records the question and hands over a writer to SavePath.
func (d *Fake) SaveFile(name string, _ []string, then func(fyne.URIWriteCloser, error)) {
	d.Asked = append(d.Asked, Asked{Kind: SaveFile, Message: name})
	if d.SavePath == "" {
		then(nil, nil)
		return
	}
	then(storage.Writer(storage.NewFileURI(d.SavePath)))
}

// OpenFile records the question and hands over a reader of OpenPath.
func (d *Fake) OpenFile(title string, then func(fyne.URIReadCloser, error)) {
	d.Asked = append(d.Asked, Asked{Kind: OpenFile, Title: title})
	if d.OpenPath == "" {
		then(nil, nil)
		return
	}
	then(storage.Reader(storage.NewFileURI(d.OpenPath)))
}

// OpenFolder records the question and hands over OpenPath.
func (d *Fake) OpenFolder(then func(fyne.ListableURI, error)) {
	d.Asked = append(d.Asked, Asked{Kind: OpenFolder})
	if d.OpenPath == "" {
		then(nil, nil)
		return
	}
	then(storage.ListerForURI(storage.NewFileURI(d.OpenPath)))
}
