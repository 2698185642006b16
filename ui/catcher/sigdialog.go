package catcher

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/capture/signature"
	"hooklab/ui/widgets"
)

// sigEditor edits the signature scheme of each endpoint: the Signatures
// dialog. Secrets are typed into a password entry and never shown back:
// a saved one is named by a hint ("whsec_…abcd").
type sigEditor struct {
	c       *Catcher
	entries []sigEntry
	// saved are the schemes in force, by endpoint, as last read.
	saved map[string]signature.Config

	list       *widget.List
	noSchemes  fyne.CanvasObject
	Endpoint   *widget.SelectEntry
	Scheme     *widget.Select
	Secret     *widget.Entry
	secretHint *widget.RichText
	Tolerance  *widget.Entry
	Header     *widget.Entry
	Alg        *widget.Select
	Enc        *widget.Select
	Prefix     *widget.Entry
	tolItem    *widget.FormItem
	hmacItems  []*widget.FormItem
	form       *widget.Form
	errLabel   *widget.Label
	saveBtn    *widget.Button
	removeBtn  *widget.Button
	content    fyne.CanvasObject
}

// sigEntry is one row of the dialog's list: an endpoint and its scheme.
type sigEntry struct {
	endpoint string
	cfg      signature.Config
}

func newSigEditor(c *Catcher) *sigEditor {
	e := &sigEditor{c: c}
	e.list = widget.NewList(func() int { return len(e.entries) }, func() fyne.CanvasObject { return newRuleRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(e.entries) {
				row := o.(*ruleRow)
				row.endpoint.SetText(endpointLabel(e.entries[id].endpoint))
				widgets.SetMuted(row.summary, schemeSummary(e.entries[id].cfg))
			}
		})
	e.list.OnSelected = func(id widget.ListItemID) {
		if id < len(e.entries) {
			e.edit(e.entries[id].endpoint, e.entries[id].cfg)
		}
	}
	e.Endpoint = widget.NewSelectEntry(nil)
	e.Endpoint.SetPlaceHolder("/stripe")
	e.Endpoint.OnChanged = func(string) { e.showSecretHint() }
	schemes := make([]string, len(signature.Schemes))
	for i, s := range signature.Schemes {
		schemes[i] = string(s)
	}
	e.Scheme = widget.NewSelect(schemes, func(string) { e.showFields() })
	e.Secret = widget.NewPasswordEntry()
	e.Secret.SetPlaceHolder("whsec_… or the provider's signing secret")
	e.secretHint = widgets.NewMuted("", fyne.TextStyle{})
	e.Tolerance = widget.NewEntry()
	e.Tolerance.SetPlaceHolder(signature.DefaultTolerance.String() + " (or off)")
	e.Header = widget.NewEntry()
	e.Header.SetPlaceHolder("X-Signature")
	e.Alg = widget.NewSelect([]string{"sha256", "sha1", "sha512"}, nil)
	e.Enc = widget.NewSelect([]string{"hex", "base64"}, nil)
	e.Prefix = widget.NewEntry()
	e.Prefix.SetPlaceHolder("sha256= (optional)")
	e.errLabel = widget.NewLabel("")
	e.errLabel.Importance = widget.DangerImportance
	e.errLabel.Wrapping = fyne.TextWrapWord
	e.errLabel.Hide()

	e.tolItem = widget.NewFormItem("Tolerance", e.Tolerance)
	e.hmacItems = []*widget.FormItem{
		widget.NewFormItem("Header", e.Header), widget.NewFormItem("Algorithm", e.Alg),
		widget.NewFormItem("Encoding", e.Enc), widget.NewFormItem("Prefix", e.Prefix),
	}
	e.form = widget.NewForm(
		widget.NewFormItem("Endpoint", e.Endpoint),
		widget.NewFormItem("Scheme", e.Scheme),
		widget.NewFormItem("Secret", container.NewVBox(e.Secret, e.secretHint)),
	)
	hint := widgets.NewMutedFull("Captures arriving on the endpoint are judged valid, invalid (and why) or unsigned. "+
		"Deliveries of the built-in sandbox are checked with its own secret on endpoints without a scheme.", fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	e.saveBtn = widget.NewButtonWithIcon("Save", theme.ConfirmIcon(), e.save)
	e.saveBtn.Importance = widget.HighImportance
	e.removeBtn = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), e.remove)
	e.noSchemes = container.NewCenter(widgets.NewMutedFull("No endpoint has a scheme: captures are not checked.", fyne.TextStyle{Italic: true}))
	listBox := container.New(&widgets.Fixed{Height: 120}, container.NewStack(e.list, e.noSchemes))
	e.content = container.NewVBox(widgets.SectionTitle("SIGNATURES"), listBox, widget.NewSeparator(), e.form, hint,
		e.errLabel, container.NewHBox(e.saveBtn, e.removeBtn))
	e.edit("", signature.Config{Scheme: signature.Stripe})
	return e
}

// isTimestamped reports whether scheme signs a timestamp, which a
// tolerance bounds.
func isTimestamped(s signature.Scheme) bool {
	return s == signature.Stripe || s == signature.Slack || s == signature.StandardWebhooks
}

// showFields shows the fields the chosen scheme uses.
func (e *sigEditor) showFields() {
	s := signature.Scheme(e.Scheme.Selected)
	items := e.form.Items[:3]
	if isTimestamped(s) {
		items = append(items, e.tolItem)
	}
	if s == signature.HMAC {
		items = append(items, e.hmacItems...)
	}
	e.form.Items = items
	e.form.Refresh()
}

// edit fills the form with endpoint's scheme; the secret field stays
// empty and the hint says one is kept.
func (e *sigEditor) edit(endpoint string, c signature.Config) {
	if endpoint == "" {
		e.Endpoint.SetText("")
	} else {
		e.Endpoint.SetText(endpointLabel(endpoint))
	}
	e.Scheme.SetSelected(string(c.Scheme))
	e.Secret.SetText("")
	switch {
	case c.Tolerance < 0:
		e.Tolerance.SetText("off")
	case c.Tolerance > 0:
		e.Tolerance.SetText(c.Tolerance.String())
	default:
		e.Tolerance.SetText("")
	}
	e.Header.SetText(c.Header)
	e.Alg.SetSelected(orDefault(c.Alg, "sha256"))
	e.Enc.SetSelected(orDefault(c.Enc, "hex"))
	e.Prefix.SetText(c.Prefix)
	e.errLabel.Hide()
	e.showFields()
	e.showSecretHint()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// showSecretHint says whether the endpoint typed has a secret kept.
func (e *sigEditor) showSecretHint() {
	if c, ok := e.saved[capture.Endpoint(strings.TrimSpace(e.Endpoint.Text))]; ok && strings.TrimSpace(e.Endpoint.Text) != "" {
		widgets.SetMuted(e.secretHint, "kept: "+secretHint(c.Secret)+"; leave empty to keep it")
		return
	}
	widgets.SetMuted(e.secretHint, "")
}

// secretHint names a secret without giving it away: its prefix up to an
// underscore and its last four characters ("whsec_…abcd"), or dots for
// a short one.
func secretHint(s string) string {
	if len(s) < 12 {
		return "••••••"
	}
	prefix := ""
	if i := strings.IndexByte(s, '_'); i >= 0 && i < 8 {
		prefix = s[:i+1]
	}
	return prefix + "…" + s[len(s)-4:]
}

// schemeSummary is a scheme as the list shows it, without its secret
// in full.
func schemeSummary(c signature.Config) string {
	parts := []string{string(c.Scheme), secretHint(c.Secret)}
	if c.Scheme == signature.HMAC {
		parts = append(parts, c.Header, orDefault(c.Alg, "sha256"), orDefault(c.Enc, "hex"))
	}
	switch {
	case c.Tolerance < 0 && isTimestamped(c.Scheme):
		parts = append(parts, "tolerance off")
	case c.Tolerance > 0 && isTimestamped(c.Scheme):
		parts = append(parts, "tolerance "+c.Tolerance.String())
	}
	return strings.Join(parts, " · ")
}

// config reads the form; errors name the field.
func (e *sigEditor) config() (string, signature.Config, error) {
	var c signature.Config
	raw := strings.TrimSpace(e.Endpoint.Text)
	if raw == "" {
		return "", c, fmt.Errorf("endpoint: give one, e.g. /stripe")
	}
	ep := capture.Endpoint(raw)
	if strings.Trim(raw, "/") != ep && raw != "/" {
		return "", c, fmt.Errorf("endpoint: %q has more than one path segment; schemes apply to the first one, e.g. /%s", raw, ep)
	}
	c.Scheme = signature.Scheme(e.Scheme.Selected)
	if c.Scheme == "" {
		return "", c, fmt.Errorf("scheme: choose one")
	}
	c.Secret = e.Secret.Text
	if c.Secret == "" {
		old, ok := e.saved[ep]
		if !ok {
			return "", c, fmt.Errorf("secret: give the endpoint's signing secret")
		}
		c.Secret = old.Secret
	}
	if isTimestamped(c.Scheme) {
		switch t := strings.TrimSpace(e.Tolerance.Text); t {
		case "":
		case "off":
			c.Tolerance = -1
		default:
			d, err := time.ParseDuration(t)
			if err != nil || d <= 0 {
				return "", c, fmt.Errorf("tolerance: %q is not a duration like 5m, or off", t)
			}
			c.Tolerance = d
		}
	}
	if c.Scheme == signature.HMAC {
		c.Header = strings.TrimSpace(e.Header.Text)
		if c.Header == "" {
			return "", c, fmt.Errorf("header: generic HMAC needs the header that holds the signature")
		}
		c.Alg, c.Enc, c.Prefix = e.Alg.Selected, e.Enc.Selected, e.Prefix.Text
	}
	if c.Scheme == signature.StandardWebhooks {
		if _, err := signature.StandardKey(c.Secret); err != nil {
			return "", c, fmt.Errorf("secret: %w", err)
		}
	}
	return ep, c, nil
}

func (e *sigEditor) save() {
	ep, cfg, err := e.config()
	if err != nil {
		e.showError(err)
		return
	}
	e.errLabel.Hide()
	e.Secret.SetText("")
	e.apply(func() error { return e.c.ws.SetVerification(ep, &cfg) })
}

func (e *sigEditor) remove() {
	raw := strings.TrimSpace(e.Endpoint.Text)
	if raw == "" {
		return
	}
	ep := capture.Endpoint(raw)
	e.apply(func() error { return e.c.ws.SetVerification(ep, nil) })
	e.edit("", signature.Config{Scheme: signature.Stripe})
}

// apply runs a change through the bridge and shows its error; the list
// follows from VerificationChanged.
func (e *sigEditor) apply(change func() error) {
	e.c.bridge.Go(func(context.Context) func() {
		if err := change(); err != nil {
			return func() { e.showError(err) }
		}
		return nil
	})
}

func (e *sigEditor) showError(err error) {
	e.errLabel.SetText(err.Error())
	e.errLabel.Show()
}

// show lists the schemes in force and offers the endpoints that have
// captures.
func (e *sigEditor) show(saved map[string]signature.Config, endpoints []string) {
	e.saved = saved
	e.entries = e.entries[:0]
	for ep, c := range saved {
		e.entries = append(e.entries, sigEntry{endpoint: ep, cfg: c})
	}
	sort.Slice(e.entries, func(i, j int) bool { return e.entries[i].endpoint < e.entries[j].endpoint })
	widgets.SetVisible(e.noSchemes, len(e.entries) == 0)
	e.list.UnselectAll()
	e.list.Refresh()
	opts := make([]string, 0, len(endpoints))
	for _, ep := range endpoints {
		opts = append(opts, endpointLabel(ep))
	}
	e.Endpoint.SetOptions(opts)
	e.showSecretHint()
}

// read reads the schemes in force through the bridge and shows them.
func (e *sigEditor) read() {
	ws := e.c.ws
	e.c.bridge.Load("catcher:signatures", func(context.Context) func() {
		saved := ws.Verifications()
		return func() { e.show(saved, e.c.pager.endpoints) }
	})
}

// verificationChanged shows the schemes after a change, and judges the
// capture on display again.
func (c *Catcher) verificationChanged() {
	if c.sigView != nil {
		c.sigView.read()
	}
	if c.selectedID != "" && c.shown != nil {
		c.detail.load(c.selectedID)
	}
}

func (c *Catcher) showSignatures() {
	e := newSigEditor(c)
	c.sigView = e
	e.show(nil, c.pager.endpoints)
	e.read()
	c.dialogs.Custom("Signatures", "Close", container.NewPadded(e.content), fyne.NewSize(620, 660))
}
