// Package dialogs asks the user things for the window's panels: whether
// to go on, what to name something, where to save, which file to open.
// The panels hold a Dialogs; the window gives them one over itself
// (ForWindow), tests a fake that records what was asked and answers as
// the test says.
package dialogs

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Dialogs asks the user things. Every method returns at once; the
// answer comes to then, on the UI goroutine, when the user gave it.
// A zero size lets a dialog take the size its content asks for.
type Dialogs interface {
	// Confirm asks a yes/no question.
	Confirm(title, message string, then func(ok bool))
	// CustomConfirm asks with content of the caller's and buttons named
	// confirm and dismiss.
	CustomConfirm(title, confirm, dismiss string, content fyne.CanvasObject, size fyne.Size, then func(ok bool))
	// Custom shows content until dismissed with the button named dismiss.
	Custom(title, dismiss string, content fyne.CanvasObject, size fyne.Size)
	// Form asks for the items; then learns whether they were confirmed
	// (read the answers from the items' widgets). Enter in a one-line
	// entry of the form confirms it.
	Form(title, confirm, dismiss string, items []*widget.FormItem, size fyne.Size, then func(ok bool))
	// Choose asks a question with several answers: then gets the index
	// of the button tapped in buttons, or -1 for the one named dismiss.
	Choose(title, message string, buttons []string, dismiss string, then func(choice int))
	// Error shows err.
	Error(err error)
	// Information shows a message.
	Information(title, message string)
	// SaveFile asks where to save a file, offering name and, when exts
	// is not empty, files with those extensions (".har"). then gets a
	// writer to fill and close, or nil when the user cancelled.
	SaveFile(name string, exts []string, then func(fyne.URIWriteCloser, error))
	// OpenFile asks for a file to read; then gets a reader to close, or
	// nil when the user cancelled.
	OpenFile(title string, then func(fyne.URIReadCloser, error))
	// OpenFolder asks for a folder; then gets it, or nil when the user
	// cancelled.
	OpenFolder(then func(fyne.ListableURI, error))
}

// ForWindow returns Dialogs shown over win with Fyne's dialogs.
func ForWindow(win fyne.Window) Dialogs { return window{win} }

type window struct{ w fyne.Window }

var _ Dialogs = window{}

// sized resizes d when size says so, and shows it.
func sized(d dialog.Dialog, size fyne.Size) {
	if !size.IsZero() {
		d.Resize(size)
	}
	d.Show()
}

func (w window) Confirm(title, message string, then func(bool)) {
	dialog.ShowConfirm(title, message, then, w.w)
}

func (w window) CustomConfirm(title, confirm, dismiss string, content fyne.CanvasObject, size fyne.Size, then func(bool)) {
	sized(dialog.NewCustomConfirm(title, confirm, dismiss, content, then, w.w), size)
}

func (w window) Custom(title, dismiss string, content fyne.CanvasObject, size fyne.Size) {
	sized(dialog.NewCustom(title, dismiss, content, w.w), size)
}

func (w window) Form(title, confirm, dismiss string, items []*widget.FormItem, size fyne.Size, then func(bool)) {
	d := dialog.NewForm(title, confirm, dismiss, items, then, w.w)
	submitOnEnter(d, items)
	sized(d, size)
}

// submitOnEnter makes Enter in the form's one-line entries confirm it.
func submitOnEnter(d *dialog.FormDialog, items []*widget.FormItem) {
	for _, it := range items {
		if e, ok := it.Widget.(*widget.Entry); ok && !e.MultiLine && e.OnSubmitted == nil {
			e.OnSubmitted = func(string) { d.Submit() }
		}
	}
}

func (w window) Choose(title, message string, buttons []string, dismiss string, then func(int)) {
	l := widget.NewLabel(message)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons(title, l, w.w)
	var objs []*widget.Button
	answered := false
	answer := func(i int) {
		if !answered {
			answered = true
			d.Hide()
			then(i)
		}
	}
	cancel := widget.NewButton(dismiss, func() { answer(-1) })
	objs = append(objs, cancel)
	for i, b := range buttons {
		btn := widget.NewButton(b, func() { answer(i) })
		if i == 0 {
			btn.Importance = widget.HighImportance
		}
		objs = append(objs, btn)
	}
	cs := make([]fyne.CanvasObject, len(objs))
	for i, b := range objs {
		cs[i] = b
	}
	d.SetButtons(cs)
	d.SetOnClosed(func() { answer(-1) })
	d.Resize(fyne.NewSize(460, 0))
	d.Show()
}

func (w window) Error(err error) { dialog.ShowError(err, w.w) }

func (w window) Information(title, message string) { dialog.ShowInformation(title, message, w.w) }

// SaveFile asks with a field for the whole path (an absolute one taken
// as it is), the common folders a tap away, and Browse… for Fyne's file
// dialog (whose name field is always under the folder it shows).
func (w window) SaveFile(name string, exts []string, then func(fyne.URIWriteCloser, error)) {
	showSaveForm(w.w, name, exts, then)
}

func (w window) OpenFile(title string, then func(fyne.URIReadCloser, error)) {
	d := dialog.NewFileOpen(then, w.w)
	d.SetTitleText(title)
	d.Show()
}

func (w window) OpenFolder(then func(fyne.ListableURI, error)) {
	dialog.ShowFolderOpen(then, w.w)
}
