package composer

import (
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
)

// EditorCap is the largest body the request editor holds; larger bodies
// are sent from a file (body kind File).
const EditorCap = 256 << 10

// bodyKinds are the choices of the body kind picker, in order.
var bodyKinds = []struct {
	kind  requester.BodyKind
	label string
}{
	{requester.BodyNone, "No body"},
	{requester.BodyJSON, "JSON"},
	{requester.BodyXML, "XML"},
	{requester.BodyText, "Text"},
	{requester.BodyForm, "Form (urlencoded)"},
	{requester.BodyMultipart, "Multipart form"},
	{requester.BodyFile, "File"},
	{requester.BodyGraphQL, "GraphQL"},
}

func bodyKindLabel(k requester.BodyKind) string {
	for _, b := range bodyKinds {
		if b.kind == k {
			return b.label
		}
	}
	return bodyKinds[0].label
}

func bodyKindOf(label string) requester.BodyKind {
	for _, b := range bodyKinds {
		if b.label == label {
			return b.kind
		}
	}
	return requester.BodyNone
}

// bodyEditor edits every kind of request body. Switching kinds keeps what
// the other kinds held, as the model does.
type bodyEditor struct {
	Kind     *widget.Select
	Text     *sendEntry
	Status   *widget.Label // JSON validity, or why the text is read-only
	Beautify *widget.Button
	Form     *rowTable
	Parts    *partsTable
	File     *filePicker
	GQLQuery *sendEntry
	GQLVars  *sendEntry

	onChanged func()
	kind      requester.BodyKind
	loading   bool
	lastText  string // the text before an edit that went over EditorCap
	stack     *fyne.Container
	content   fyne.CanvasObject
}

func newBodyEditor(onSend, onChanged func(), dlg dialogs.Dialogs) *bodyEditor {
	b := &bodyEditor{onChanged: onChanged}
	labels := make([]string, len(bodyKinds))
	for i, k := range bodyKinds {
		labels[i] = k.label
	}
	b.Kind = widget.NewSelect(labels, func(l string) { b.setKind(bodyKindOf(l)) })
	b.Text = newSendEntry(true, onSend)
	b.Text.TextStyle = widgets.Mono
	b.Text.SetPlaceHolder("{{variables}} expand here too.")
	b.Text.OnChanged = b.textChanged
	b.Status = widget.NewLabel("")
	b.Status.Wrapping = fyne.TextWrapWord
	b.Beautify = widget.NewButtonWithIcon("Beautify", theme.ViewRefreshIcon(), b.beautify)
	b.Beautify.Importance = widget.LowImportance
	b.Form = newRowTable("Field", "Value", onSend)
	b.Form.onChanged = b.changed
	b.Parts = newPartsTable(onSend, dlg)
	b.Parts.onChanged = b.changed
	b.File = newFilePicker("Choose the file to send as the body", dlg)
	b.File.onChanged = b.changed
	b.GQLQuery = newSendEntry(true, onSend)
	b.GQLQuery.TextStyle = widgets.Mono
	b.GQLQuery.SetPlaceHolder("query { viewer { login } }")
	b.GQLQuery.OnChanged = func(string) { b.changed() }
	b.GQLVars = newSendEntry(true, onSend)
	b.GQLVars.TextStyle = widgets.Mono
	b.GQLVars.SetPlaceHolder(`Variables (JSON), e.g. {"id": 1}`)
	b.GQLVars.OnChanged = func(string) { b.checkJSON(b.GQLVars.Text, "Variables"); b.changed() }

	b.stack = container.NewStack()
	// The status (valid, where the JSON breaks, why the text is read
	// only) gets two lines beside the kind and Beautify, whether or not
	// it shows, so it is read whole and its coming never moves the text.
	middle := func(o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewVBox(layout.NewSpacer(), o, layout.NewSpacer())
	}
	line := fyne.MeasureText("Mg", theme.TextSize(), fyne.TextStyle{}).Height
	room := 2*line + 2*theme.InnerPadding()
	top := container.New(&widgets.Fixed{Height: room}, container.NewBorder(nil, nil,
		middle(container.New(&widgets.Fixed{Width: 190}, b.Kind)), middle(b.Beautify), container.NewVScroll(middle(b.Status))))
	b.content = container.NewBorder(top, nil, nil, nil, b.stack)
	b.Kind.SetSelected(bodyKindLabel(requester.BodyNone))
	return b
}

// Set loads a body into the editor.
func (b *bodyEditor) Set(body requester.Body) {
	b.loading = true
	defer func() { b.loading = false }()
	text := body.Text
	if len(text) > EditorCap {
		// Never put a big body into an Entry: say where it should come from.
		text = ""
	}
	b.lastText = body.Text
	b.Text.SetText(text)
	b.Form.SetRows(body.Form, nil)
	b.Parts.Set(body.Parts)
	b.File.SetPath(body.File)
	b.GQLQuery.SetText(body.GraphQL.Query)
	b.GQLVars.SetText(body.GraphQL.Variables)
	b.Kind.SetSelected(bodyKindLabel(body.Kind))
	b.setKind(body.Kind)
	if len(body.Text) > EditorCap {
		b.Text.Disable()
		b.Status.SetText(fmt.Sprintf("This body is %s, more than the editor holds (%s): it is sent as loaded. Use File for big bodies.",
			capture.FormatSize(int64(len(body.Text))), capture.FormatSize(EditorCap)))
	} else {
		b.Text.Enable()
	}
}

// Body returns what the editor holds.
func (b *bodyEditor) Body() requester.Body {
	text := b.Text.Text
	if b.Text.Disabled() {
		text = b.lastText // too big to edit, kept as loaded
	}
	return requester.Body{
		Kind:    b.kind,
		Text:    text,
		Form:    b.Form.Rows(),
		Parts:   b.Parts.Parts(),
		File:    b.File.Path(),
		GraphQL: requester.GraphQL{Query: b.GQLQuery.Text, Variables: b.GQLVars.Text},
	}
}

func (b *bodyEditor) setKind(k requester.BodyKind) {
	changed := k != b.kind
	b.kind = k
	b.Beautify.Hide()
	b.Status.SetText("")
	var view fyne.CanvasObject
	switch k {
	case requester.BodyJSON, requester.BodyXML, requester.BodyText:
		view = b.Text
		if k == requester.BodyJSON {
			b.Beautify.Show()
			b.checkJSON(b.Text.Text, "JSON")
		}
	case requester.BodyForm:
		view = b.Form.content
	case requester.BodyMultipart:
		view = b.Parts.content
	case requester.BodyFile:
		view = container.NewVBox(b.File.content)
	case requester.BodyGraphQL:
		split := container.NewVSplit(b.GQLQuery, b.GQLVars)
		split.Offset = 0.65
		view = split
		b.checkJSON(b.GQLVars.Text, "Variables")
	default:
		view = container.NewCenter(widgets.NewMutedFull("This request has no body.", fyne.TextStyle{}))
	}
	b.stack.Objects = []fyne.CanvasObject{view}
	b.stack.Refresh()
	if changed {
		b.changed()
	}
}

func (b *bodyEditor) textChanged(s string) {
	if b.loading {
		return
	}
	if len(s) > EditorCap {
		// A paste over the cap: keep the previous text, say why.
		b.loading = true
		b.Text.SetText(b.lastText)
		b.loading = false
		b.Status.SetText(fmt.Sprintf("Not pasted: the editor holds up to %s. Send big bodies from a file (body kind File).", capture.FormatSize(EditorCap)))
		b.Status.Importance = widget.DangerImportance
		b.Status.Refresh()
		return
	}
	b.lastText = s
	if b.kind == requester.BodyJSON {
		b.checkJSON(s, "JSON")
	}
	b.changed()
}

// checkJSON shows whether s is valid JSON, with where it breaks. Invalid
// JSON is still sent: it is a warning.
func (b *bodyEditor) checkJSON(s, what string) {
	switch err := requester.CheckJSON(s); {
	case s == "":
		b.Status.SetText("")
	case err != nil:
		b.Status.Importance = widget.WarningImportance
		b.Status.SetText(fmt.Sprintf("Invalid %s at line %d, column %d: %s (still sendable)", what, err.Line, err.Column, err.Msg))
	default:
		b.Status.Importance = widget.SuccessImportance
		b.Status.SetText("Valid " + what)
	}
}

func (b *bodyEditor) beautify() {
	out, err := requester.BeautifyJSON(b.Text.Text)
	if err != nil {
		b.checkJSON(b.Text.Text, "JSON")
		return
	}
	b.Text.SetText(out)
}

func (b *bodyEditor) changed() {
	if !b.loading && b.onChanged != nil {
		b.onChanged()
	}
}

// filePicker shows a chosen file with its size and a button to choose.
type filePicker struct {
	path      string
	base      func() string // the folder relative paths are read from; nil or "" means the working folder
	label     *widget.Label
	button    *widget.Button
	title     string
	dialogs   dialogs.Dialogs
	onChanged func()
	content   fyne.CanvasObject
}

func newFilePicker(title string, dlg dialogs.Dialogs) *filePicker {
	f := &filePicker{title: title, dialogs: dlg}
	f.label = widget.NewLabel("")
	f.label.Truncation = fyne.TextTruncateEllipsis
	f.button = widget.NewButtonWithIcon("Choose file…", theme.FolderOpenIcon(), f.choose)
	f.content = container.NewBorder(nil, nil, nil, f.button, f.label)
	f.SetPath("")
	return f
}

// Path returns the chosen file's path, or "".
func (f *filePicker) Path() string { return f.path }

// SetPath shows p and what is known about it: its size, or why it cannot
// be read (a missing file is reported here, before sending).
func (f *filePicker) SetPath(p string) {
	f.path = p
	f.label.Importance = widget.MediumImportance
	at := p
	if f.base != nil && p != "" && !filepath.IsAbs(p) && f.base() != "" {
		at = filepath.Join(f.base(), filepath.FromSlash(p))
	}
	switch fi, err := os.Stat(at); {
	case p == "":
		f.label.SetText("No file chosen")
	case err != nil:
		f.label.Importance = widget.DangerImportance
		f.label.SetText(fmt.Sprintf("%s: %v", p, unwrapPathError(err)))
	default:
		f.label.SetText(fmt.Sprintf("%s · %s", p, capture.FormatSize(fi.Size())))
	}
}

func (f *filePicker) choose() {
	f.dialogs.OpenFile(f.title, func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		f.SetPath(r.URI().Path())
		if f.onChanged != nil {
			f.onChanged()
		}
	})
}

// unwrapPathError drops the path an *os.PathError repeats.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// partsTable edits multipart fields: text values or files.
type partsTable struct {
	base      func() string // for the file pickers of the rows
	rows      []*partRow
	box       *fyne.Container
	onSend    func()
	onChanged func()
	dialogs   dialogs.Dialogs
	content   fyne.CanvasObject
}

type partRow struct {
	enabled *widget.Check
	name    *sendEntry
	value   *sendEntry
	file    *filePicker
	isFile  *widget.Select
	ctype   *sendEntry
	box     *fyne.Container
}

func newPartsTable(onSend func(), dlg dialogs.Dialogs) *partsTable {
	t := &partsTable{onSend: onSend, dialogs: dlg}
	t.box = container.NewVBox()
	add := widget.NewButtonWithIcon("Add field", theme.ContentAddIcon(), func() {
		t.add(requester.Part{})
		t.changed()
	})
	add.Importance = widget.LowImportance
	t.content = container.NewVScroll(container.NewVBox(t.box, container.NewHBox(add)))
	return t
}

// Set replaces the rows.
func (t *partsTable) Set(parts []requester.Part) {
	t.rows = nil
	t.box.RemoveAll()
	for _, p := range parts {
		t.add(p)
	}
	if len(parts) == 0 {
		t.add(requester.Part{})
	}
}

// Parts returns the rows that have a name or a value.
func (t *partsTable) Parts() []requester.Part {
	var out []requester.Part
	for _, r := range t.rows {
		p := requester.Part{Name: r.name.Text, ContentType: r.ctype.Text, Disabled: !r.enabled.Checked}
		if r.isFile.Selected == "File" {
			p.File = r.file.Path()
		} else {
			p.Value = r.value.Text
		}
		if p.Name == "" && p.Value == "" && p.File == "" {
			continue
		}
		out = append(out, p)
	}
	return out
}

func (t *partsTable) add(p requester.Part) {
	r := &partRow{enabled: widget.NewCheck("", func(bool) { t.changed() }), name: newSendEntry(false, t.onSend),
		value: newSendEntry(false, t.onSend), ctype: newSendEntry(false, t.onSend)}
	r.enabled.SetChecked(!p.Disabled)
	r.name.SetPlaceHolder("Field")
	r.name.SetText(p.Name)
	r.value.SetPlaceHolder("Value")
	r.value.SetText(p.Value)
	r.ctype.SetPlaceHolder("type (auto)")
	r.ctype.SetText(p.ContentType)
	r.file = newFilePicker("Choose the file for this field", t.dialogs)
	r.file.base = t.base
	r.file.SetPath(p.File)
	r.file.onChanged = t.changed
	for _, e := range []*sendEntry{r.name, r.value, r.ctype} {
		e.OnChanged = func(string) { t.changed() }
	}
	valueStack := container.NewStack(r.value, r.file.content)
	r.isFile = widget.NewSelect([]string{"Text", "File"}, func(s string) {
		if s == "File" {
			r.value.Hide()
			r.file.content.Show()
		} else {
			r.file.content.Hide()
			r.value.Show()
		}
		t.changed()
	})
	if p.File != "" {
		r.isFile.SetSelected("File")
	} else {
		r.isFile.SetSelected("Text")
	}
	remove := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
		for i, x := range t.rows {
			if x == r {
				t.rows = append(t.rows[:i], t.rows[i+1:]...)
				break
			}
		}
		t.box.Remove(r.box)
		t.changed()
	})
	remove.Importance = widget.LowImportance
	left := container.NewHBox(r.enabled, container.New(&widgets.Fixed{Width: 140}, r.name), container.New(&widgets.Fixed{Width: 84}, r.isFile))
	right := container.NewHBox(container.New(&widgets.Fixed{Width: 120}, r.ctype), remove)
	r.box = container.NewBorder(nil, nil, left, right, valueStack)
	t.rows = append(t.rows, r)
	t.box.Add(r.box)
}

func (t *partsTable) changed() {
	if t.onChanged != nil {
		t.onChanged()
	}
}
