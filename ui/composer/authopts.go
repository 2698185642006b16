package composer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
)

var authKinds = []struct {
	kind  requester.AuthKind
	label string
}{
	{requester.AuthNone, "No auth"},
	{requester.AuthBasic, "Basic"},
	{requester.AuthBearer, "Bearer token"},
	{requester.AuthAPIKey, "API key"},
	{requester.AuthDigest, "Digest"},
}

// authEditor edits a request's credentials. Secrets sit in password
// entries, masked until their eye is clicked.
type authEditor struct {
	Kind     *widget.Select
	Username *sendEntry
	Password *widget.Entry
	Token    *widget.Entry
	Key      *sendEntry
	Value    *widget.Entry
	Where    *widget.RadioGroup

	kind      requester.AuthKind
	onChanged func()
	// inherited says, for "No auth", what the request sends instead
	// (a collection file's auth: inherit); "" for nothing. Nil: none.
	inherited func() string
	loading   bool
	form      *fyne.Container
	content   fyne.CanvasObject
}

func newAuthEditor(onSend, onChanged func()) *authEditor {
	a := &authEditor{onChanged: onChanged}
	labels := make([]string, len(authKinds))
	for i, k := range authKinds {
		labels[i] = k.label
	}
	a.Username = newSendEntry(false, onSend)
	a.Username.SetPlaceHolder("user or {{variable}}")
	a.Password = newSecretEntry(onSend)
	a.Token = newSecretEntry(onSend)
	a.Token.SetPlaceHolder("token or {{variable}}")
	a.Key = newSendEntry(false, onSend)
	a.Key.SetPlaceHolder("X-Api-Key")
	a.Value = newSecretEntry(onSend)
	a.Where = widget.NewRadioGroup([]string{"Header", "Query parameter"}, func(string) { a.changed() })
	a.Where.Horizontal = true
	a.Where.Required = true
	a.Where.SetSelected("Header")
	for _, e := range []*widget.Entry{&a.Username.Entry, a.Password, a.Token, &a.Key.Entry, a.Value} {
		e.OnChanged = func(string) { a.changed() }
	}
	a.form = container.NewVBox()
	a.Kind = widget.NewSelect(labels, func(l string) {
		for _, k := range authKinds {
			if k.label == l {
				a.setKind(k.kind)
			}
		}
	})
	a.Kind.SetSelected(labels[0])
	a.content = container.NewVScroll(container.NewVBox(container.NewHBox(container.New(&widgets.Fixed{Width: 190}, a.Kind)), a.form))
	return a
}

// newSecretEntry is a masked entry with a reveal toggle where Ctrl+Enter
// sends.
func newSecretEntry(onSend func()) *widget.Entry {
	e := newSendEntry(false, onSend)
	e.Password = true
	return &e.Entry
}

func (a *authEditor) setKind(k requester.AuthKind) {
	changed := k != a.kind
	a.kind = k
	row := func(label string, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.New(&widgets.Fixed{Width: 90}, widget.NewLabel(label)), nil, o)
	}
	var rows []fyne.CanvasObject
	switch k {
	case requester.AuthBasic, requester.AuthDigest:
		rows = []fyne.CanvasObject{row("Username", a.Username), row("Password", a.Password)}
	case requester.AuthBearer:
		rows = []fyne.CanvasObject{row("Token", a.Token), widgets.NewMutedFull("Sent as Authorization: Bearer <token>", fyne.TextStyle{})}
	case requester.AuthAPIKey:
		rows = []fyne.CanvasObject{row("Key", a.Key), row("Value", a.Value), row("Add to", a.Where)}
	default:
		rows = []fyne.CanvasObject{widgets.NewMutedFull("This request sends no credentials of its own.", fyne.TextStyle{})}
		if a.inherited != nil {
			if note := a.inherited(); note != "" {
				rows = append(rows, widgets.NewMutedFull(note, fyne.TextStyle{}))
			}
		}
	}
	if k != requester.AuthNone {
		rows = append(rows, widgets.NewMutedFull("Overrides an Authorization header row. {{variables}} work in every field.", fyne.TextStyle{}))
	}
	a.form.Objects = rows
	a.form.Refresh()
	if changed {
		a.changed()
	}
}

// Set loads credentials.
func (a *authEditor) Set(au requester.Auth) {
	a.loading = true
	defer func() { a.loading = false }()
	a.Username.SetText(au.Username)
	a.Password.SetText(au.Password)
	a.Token.SetText(au.Token)
	a.Key.SetText(au.Key)
	a.Value.SetText(au.Value)
	if au.InQuery {
		a.Where.SetSelected("Query parameter")
	} else {
		a.Where.SetSelected("Header")
	}
	for _, k := range authKinds {
		if k.kind == au.Kind {
			a.Kind.SetSelected(k.label)
		}
	}
	a.setKind(au.Kind)
}

// Auth returns what the editor holds.
func (a *authEditor) Auth() requester.Auth {
	return requester.Auth{Kind: a.kind, Username: a.Username.Text, Password: a.Password.Text, Token: a.Token.Text,
		Key: a.Key.Text, Value: a.Value.Text, InQuery: a.Where.Selected == "Query parameter"}
}

func (a *authEditor) changed() {
	if !a.loading && a.onChanged != nil {
		a.onChanged()
	}
}

// optionsEditor edits timeout, redirects, TLS and proxy of one request.
type optionsEditor struct {
	Timeout      *sendEntry
	Follow       *widget.Check
	MaxRedirects *sendEntry
	Verify       *widget.Check
	verifyNote   *widget.Label
	CACert       *filePicker
	ClientCert   *filePicker
	ClientKey    *filePicker
	Proxy        *sendEntry
	Problem      *widget.Label

	onChanged func()
	loading   bool
	content   fyne.CanvasObject
}

func newOptionsEditor(onSend, onChanged func(), dlg dialogs.Dialogs) *optionsEditor {
	o := &optionsEditor{onChanged: onChanged}
	o.Timeout = newSendEntry(false, onSend)
	o.Timeout.SetPlaceHolder("30")
	o.Follow = widget.NewCheck("Follow redirects", func(on bool) {
		if on {
			o.MaxRedirects.Enable()
		} else {
			o.MaxRedirects.Disable()
		}
		o.changed()
	})
	o.MaxRedirects = newSendEntry(false, onSend)
	o.MaxRedirects.SetPlaceHolder("10")
	o.Verify = widget.NewCheck("Verify TLS certificates", func(on bool) {
		o.showVerify(on)
		o.changed()
	})
	o.verifyNote = widget.NewLabel("Verification is OFF: anyone on the path can read and change this request.")
	o.verifyNote.Importance = widget.DangerImportance
	o.verifyNote.Wrapping = fyne.TextWrapWord
	o.CACert = newFilePicker("Choose a CA certificate (PEM)", dlg)
	o.ClientCert = newFilePicker("Choose a client certificate (PEM)", dlg)
	o.ClientKey = newFilePicker("Choose the client key (PEM)", dlg)
	o.Proxy = newSendEntry(false, onSend)
	o.Proxy.SetPlaceHolder("http://proxy:3128, socks5://127.0.0.1:1080 (none)")
	o.Problem = widget.NewLabel("")
	o.Problem.Importance = widget.DangerImportance
	o.Problem.Wrapping = fyne.TextWrapWord
	for _, e := range []*sendEntry{o.Timeout, o.MaxRedirects, o.Proxy} {
		e.OnChanged = func(string) { o.changed() }
	}
	for _, f := range []*filePicker{o.CACert, o.ClientCert, o.ClientKey} {
		f.onChanged = o.changed
	}
	row := func(label string, obj fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.New(&widgets.Fixed{Width: 130}, widget.NewLabel(label)), nil, obj)
	}
	seconds := container.NewBorder(nil, nil, nil, widget.NewLabel("seconds"), o.Timeout)
	o.content = container.NewVScroll(container.NewVBox(
		row("Timeout", container.New(&widgets.Fixed{Width: 200}, seconds)),
		container.NewHBox(o.Follow, widget.NewLabel("at most"), container.New(&widgets.Fixed{Width: 70}, o.MaxRedirects)),
		o.Verify, o.verifyNote,
		row("CA certificate", o.CACert.content),
		row("Client cert", o.ClientCert.content),
		row("Client key", o.ClientKey.content),
		row("Proxy", o.Proxy),
		o.Problem,
	))
	o.Set(requester.Options{})
	return o
}

func (o *optionsEditor) showVerify(on bool) {
	if on {
		o.verifyNote.Hide()
	} else {
		o.verifyNote.Show()
	}
}

// Set loads options.
func (o *optionsEditor) Set(op requester.Options) {
	o.loading = true
	defer func() { o.loading = false }()
	o.Timeout.SetText("")
	if op.Timeout > 0 {
		o.Timeout.SetText(strconv.FormatFloat(op.Timeout.Seconds(), 'f', -1, 64))
	}
	o.Follow.SetChecked(!op.NoRedirects)
	o.MaxRedirects.SetText("")
	if op.MaxRedirects > 0 {
		o.MaxRedirects.SetText(strconv.Itoa(op.MaxRedirects))
	}
	o.Verify.SetChecked(!op.Insecure)
	o.showVerify(!op.Insecure)
	o.CACert.SetPath(op.CACert)
	o.ClientCert.SetPath(op.ClientCert)
	o.ClientKey.SetPath(op.ClientKey)
	o.Proxy.SetText(op.Proxy)
	o.Problem.SetText("")
	o.Problem.Hide()
}

// Options returns the options; a timeout or redirect count that is not a
// number is an error naming the field.
func (o *optionsEditor) Options() (requester.Options, error) {
	op := requester.Options{NoRedirects: !o.Follow.Checked, Insecure: !o.Verify.Checked,
		CACert: o.CACert.Path(), ClientCert: o.ClientCert.Path(), ClientKey: o.ClientKey.Path(), Proxy: strings.TrimSpace(o.Proxy.Text)}
	// Every field is read even when one is wrong, so nothing else is
	// lost when the editor is stored away with the error in it.
	var err error
	if s := strings.TrimSpace(o.Timeout.Text); s != "" {
		f, perr := strconv.ParseFloat(s, 64)
		if perr != nil || f <= 0 || f > 24*3600 {
			err = fmt.Errorf("timeout %q: give a number of seconds, e.g. 30", s)
		} else {
			op.Timeout = time.Duration(f * float64(time.Second))
		}
	}
	if s := strings.TrimSpace(o.MaxRedirects.Text); s != "" {
		n, perr := strconv.Atoi(s)
		if perr != nil || n < 1 || n > 100 {
			err = errors.Join(err, fmt.Errorf("redirects %q: give a count from 1 to 100", s))
		} else {
			op.MaxRedirects = n
		}
	}
	return op, err
}

// showProblem names what is wrong with the options, or clears it.
func (o *optionsEditor) showProblem(err error) {
	if err == nil {
		o.Problem.Hide()
		return
	}
	o.Problem.SetText(err.Error())
	o.Problem.Show()
}

func (o *optionsEditor) changed() {
	if o.loading {
		return
	}
	_, err := o.Options()
	o.showProblem(err)
	if o.onChanged != nil {
		o.onChanged()
	}
}
