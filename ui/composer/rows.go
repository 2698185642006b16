package composer

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/ui/widgets"
)

// rowTable edits name/value rows, each with an enable toggle and a remove
// button: query parameters, headers, form fields and variables. There is
// always one empty row at the end; typing into it adds a row, as in Postman.
type rowTable struct {
	rows      []*kvRow
	box       *fyne.Container
	onChanged func()   // after any user edit; not called by SetRows
	onSend    func()   // Ctrl+Enter in any field
	names     []string // name completions (headers); nil means a plain entry
	namePH    string
	valuePH   string
	// secret turns the value column into a masked entry with a reveal
	// toggle for rows where isSecret says so.
	secretCol bool
	setting   bool // SetRows is filling entries; edits are not the user's
	content   fyne.CanvasObject
}

// kvRow is one row of a rowTable.
type kvRow struct {
	enabled *widget.Check
	name    *sendEntry
	value   *sendEntry
	secret  *widget.Check // only with secretCol
	remove  *widget.Button
	box     *fyne.Container
}

// rowOption configures a rowTable before its first row is made.
type rowOption func(*rowTable)

// withNames offers names as completions in the name column.
func withNames(names []string) rowOption { return func(t *rowTable) { t.names = names } }

// withSecrets adds a "secret" toggle per row that masks the value.
func withSecrets() rowOption { return func(t *rowTable) { t.secretCol = true } }

func newRowTable(namePH, valuePH string, onSend func(), opts ...rowOption) *rowTable {
	t := &rowTable{namePH: namePH, valuePH: valuePH, onSend: onSend}
	for _, o := range opts {
		o(t)
	}
	t.box = container.NewVBox()
	t.content = container.NewVScroll(t.box)
	t.addRow(requester.Param{}, false)
	return t
}

// Rows returns the rows, leaving out the trailing empty one.
func (t *rowTable) Rows() []requester.Param {
	var out []requester.Param
	for _, r := range t.rows {
		if r.name.Text == "" && r.value.Text == "" {
			continue
		}
		out = append(out, requester.Param{Name: r.name.Text, Value: r.value.Text, Disabled: !r.enabled.Checked})
	}
	return out
}

// Secrets returns, per row of Rows, whether it is marked secret.
func (t *rowTable) Secrets() []bool {
	var out []bool
	for _, r := range t.rows {
		if r.name.Text == "" && r.value.Text == "" {
			continue
		}
		out = append(out, r.secret != nil && r.secret.Checked)
	}
	return out
}

// SetRows replaces the rows, reusing the row widgets so that nothing
// flickers while the URL is typed. secret may be nil.
func (t *rowTable) SetRows(ps []requester.Param, secret []bool) {
	t.setting = true
	defer func() { t.setting = false }()
	want := len(ps) + 1 // and the empty row
	for len(t.rows) > want {
		last := t.rows[len(t.rows)-1]
		t.box.Remove(last.box)
		t.rows = t.rows[:len(t.rows)-1]
	}
	for i := range want {
		var p requester.Param
		if i < len(ps) {
			p = ps[i]
		}
		if i >= len(t.rows) {
			t.addRow(p, false)
		}
		r := t.rows[i]
		if r.name.Text != p.Name {
			r.name.SetText(p.Name)
		}
		if r.value.Text != p.Value {
			r.value.SetText(p.Value)
		}
		if r.enabled.Checked == p.Disabled {
			r.enabled.SetChecked(!p.Disabled)
		}
		if r.secret != nil {
			s := i < len(secret) && secret[i]
			if r.secret.Checked != s {
				r.secret.SetChecked(s)
			}
			t.mask(r)
		}
		t.showRemove(r, i < len(ps))
	}
}

func (t *rowTable) addRow(p requester.Param, fromUser bool) {
	r := &kvRow{enabled: widget.NewCheck("", nil), name: newSendEntry(false, t.send), value: newSendEntry(false, t.send)}
	r.enabled.SetChecked(!p.Disabled)
	r.name.SetPlaceHolder(t.namePH)
	r.name.SetText(p.Name)
	r.value.SetPlaceHolder(t.valuePH)
	r.value.SetText(p.Value)
	r.remove = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { t.removeRow(r) })
	r.remove.Importance = widget.LowImportance
	var name fyne.CanvasObject = r.name
	if t.names != nil {
		name = newCompleter(r.name, t.names)
	}
	// The button keeps its column while hidden, so rows stay aligned.
	removeCol := container.New(&widgets.Fixed{Width: r.remove.MinSize().Width}, r.remove)
	right := []fyne.CanvasObject{removeCol}
	if t.secretCol {
		r.secret = widget.NewCheck("secret", func(bool) {
			t.mask(r)
			t.changed(r)
		})
		right = []fyne.CanvasObject{r.secret, removeCol}
	}
	r.box = container.NewBorder(nil, nil, r.enabled, container.NewHBox(right...), container.NewGridWithColumns(2, name, r.value))
	r.enabled.OnChanged = func(bool) { t.changed(r) }
	r.name.OnChanged = func(string) { t.changed(r) }
	r.value.OnChanged = func(string) { t.changed(r) }
	t.rows = append(t.rows, r)
	t.box.Add(r.box)
	t.showRemove(r, p.Name != "" || p.Value != "")
	if fromUser {
		t.box.Refresh()
	}
}

// mask hides a secret row's value behind bullets; focusing the field
// does not reveal it, unticking "secret" does.
func (t *rowTable) mask(r *kvRow) {
	if r.secret == nil || r.value.Password == r.secret.Checked {
		return
	}
	r.value.Password = r.secret.Checked
	r.value.Refresh()
}

func (t *rowTable) showRemove(r *kvRow, show bool) {
	if show {
		r.remove.Show()
	} else {
		r.remove.Hide()
	}
}

func (t *rowTable) send() {
	if t.onSend != nil {
		t.onSend()
	}
}

// changed runs after a user edit: the last row stops being the empty one
// once typed into, so another empty row follows it.
func (t *rowTable) changed(r *kvRow) {
	if t.setting {
		return
	}
	if last := t.rows[len(t.rows)-1]; last == r && (r.name.Text != "" || r.value.Text != "") {
		t.showRemove(r, true)
		t.addRow(requester.Param{}, true)
	}
	if t.onChanged != nil {
		t.onChanged()
	}
}

func (t *rowTable) removeRow(r *kvRow) {
	for i, x := range t.rows {
		if x == r {
			t.rows = append(t.rows[:i], t.rows[i+1:]...)
			break
		}
	}
	t.box.Remove(r.box)
	if len(t.rows) == 0 {
		t.addRow(requester.Param{}, true)
	}
	if t.onChanged != nil {
		t.onChanged()
	}
}

// completer wraps a name entry with a drop-down of known names that
// narrows to those starting with what was typed.
type completer struct {
	widget.BaseWidget
	entry *sendEntry
	all   []string
	pick  *widget.Button
	menu  *widget.PopUpMenu
}

func newCompleter(e *sendEntry, names []string) *completer {
	c := &completer{entry: e, all: names}
	c.pick = widget.NewButtonWithIcon("", theme.MenuDropDownIcon(), c.open)
	c.pick.Importance = widget.LowImportance
	c.ExtendBaseWidget(c)
	return c
}

// matches returns the known names starting with prefix, case-insensitive.
func (c *completer) matches(prefix string) []string {
	p := strings.ToLower(strings.TrimSpace(prefix))
	var out []string
	for _, n := range c.all {
		if strings.HasPrefix(strings.ToLower(n), p) && !strings.EqualFold(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

func (c *completer) open() {
	names := c.matches(c.entry.Text)
	if len(names) == 0 {
		names = c.all
	}
	items := make([]*fyne.MenuItem, len(names))
	for i, n := range names {
		items[i] = fyne.NewMenuItem(n, func() { c.entry.SetText(n) })
	}
	canvas := fyne.CurrentApp().Driver().CanvasForObject(c)
	if canvas == nil {
		return
	}
	c.menu = widget.NewPopUpMenu(fyne.NewMenu("", items...), canvas)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(c)
	c.menu.ShowAtPosition(pos.AddXY(0, c.Size().Height))
	c.menu.Resize(fyne.NewSize(c.Size().Width, c.menu.MinSize().Height))
}

func (c *completer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, c.pick, c.entry))
}

// commonHeaders are offered when naming a request header.
var commonHeaders = []string{
	"Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control",
	"Connection", "Content-Encoding", "Content-Type", "Cookie", "If-Match",
	"If-None-Match", "If-Modified-Since", "Idempotency-Key", "Origin", "Referer",
	"User-Agent", "X-Api-Key", "X-Correlation-Id", "X-Forwarded-For", "X-Request-Id",
}
