package catcher

import (
	"context"
	"fmt"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// rulesEditor edits how the catcher answers, per endpoint.
type rulesEditor struct {
	c     *Catcher
	rules []capture.Rule
	// edited: rules from RulesChanged are shown, newer than the ones
	// read when the editor opened.
	edited bool

	list      *widget.List
	noRules   fyne.CanvasObject
	Endpoint  *widget.SelectEntry
	Status    *widget.Entry
	Delay     *widget.Entry
	Headers   *widget.Entry
	Body      *widget.Entry
	errLabel  *widget.Label
	saveBtn   *widget.Button
	removeBtn *widget.Button
	options   []string // the endpoints offered
	content   fyne.CanvasObject
}

func newRulesEditor(c *Catcher) *rulesEditor {
	e := &rulesEditor{c: c}
	e.list = widget.NewList(func() int { return len(e.rules) }, func() fyne.CanvasObject { return newRuleRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(e.rules) {
				o.(*ruleRow).show(e.rules[id])
			}
		})
	e.list.OnSelected = func(id widget.ListItemID) {
		if id < len(e.rules) {
			e.edit(e.rules[id])
		}
	}
	e.Endpoint = widget.NewSelectEntry(nil)
	// A hint that cannot be taken for a value: an empty field does not
	// save.
	e.Endpoint.SetPlaceHolder("choose or type one, e.g. /github")
	e.Endpoint.OnChanged = func(string) { e.updateRemove() }
	e.Status = widget.NewEntry()
	e.Status.SetPlaceHolder("200")
	e.Delay = widget.NewEntry()
	e.Delay.SetPlaceHolder("0s (up to 30s)")
	e.Headers = widget.NewMultiLineEntry()
	e.Headers.TextStyle = widgets.Mono
	e.Headers.SetPlaceHolder("Content-Type: application/json")
	e.Headers.SetMinRowsVisible(3)
	e.Body = widget.NewMultiLineEntry()
	e.Body.TextStyle = widgets.Mono
	e.Body.SetPlaceHolder(`{"ok":true,"id":"{{capture.id}}"}`)
	e.Body.SetMinRowsVisible(4)
	e.errLabel = widget.NewLabel("")
	e.errLabel.Importance = widget.DangerImportance
	e.errLabel.Wrapping = fyne.TextWrapWord
	e.errLabel.Hide()

	form := widget.NewForm(
		widget.NewFormItem("Endpoint", e.Endpoint),
		widget.NewFormItem("Status", e.Status),
		widget.NewFormItem("Delay", e.Delay),
		widget.NewFormItem("Headers", e.Headers),
		widget.NewFormItem("Body", e.Body),
	)
	hint := widgets.NewMutedFull("The body may use {{capture.id}} and {{request.header.X-Name}}.", fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	e.saveBtn = widget.NewButtonWithIcon("Save rule", theme.ConfirmIcon(), e.save)
	e.saveBtn.Importance = widget.HighImportance
	e.removeBtn = widget.NewButtonWithIcon("Remove rule", theme.DeleteIcon(), e.remove)
	// Forwarding is set per endpoint too, in a dialog of its own.
	buttons := container.NewHBox(e.saveBtn, e.removeBtn, layout.NewSpacer(),
		widgets.LowButton("Forwarding…", theme.MailForwardIcon(), c.showForwarding))
	e.noRules = container.NewCenter(widgets.NewMutedFull("No rules yet: every endpoint answers 200 {\"ok\":true,…}.", fyne.TextStyle{Italic: true}))
	listBox := container.New(&widgets.Fixed{Height: 120}, container.NewStack(e.list, e.noRules))
	e.content = container.NewVBox(widgets.SectionTitle("RULES"), listBox, widget.NewSeparator(), form, hint, e.errLabel, buttons)
	e.edit(capture.DefaultRule())
	e.Endpoint.SetText("")
	if sh := c.detail.shown; sh != nil {
		// The endpoint of the capture on display is the likely one.
		e.Endpoint.SetText(endpointLabel(capture.Endpoint(sh.Path)))
	}
	e.updateRemove()
	return e
}

// updateRemove enables Remove rule only when the endpoint names a rule.
func (e *rulesEditor) updateRemove() {
	if e.removeBtn == nil {
		return // still being built
	}
	ep := strings.TrimSpace(e.Endpoint.Text)
	for _, r := range e.rules {
		if ep != "" && r.Endpoint == capture.Endpoint(ep) {
			e.removeBtn.Enable()
			return
		}
	}
	e.removeBtn.Disable()
}

// setEndpoints offers the endpoints that have captures, as they arrive.
func (e *rulesEditor) setEndpoints(endpoints []string) {
	opts := make([]string, 0, len(endpoints))
	for _, ep := range endpoints {
		opts = append(opts, endpointLabel(ep))
	}
	if strings.Join(opts, "\n") == strings.Join(e.options, "\n") {
		return
	}
	e.options = opts
	e.Endpoint.SetOptions(opts)
}

func endpointLabel(ep string) string {
	if ep == "/" {
		return "/"
	}
	return "/" + ep
}

func ruleSummary(r capture.Rule) string {
	s := fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status))
	if r.Delay > 0 {
		s += " after " + r.Delay.String()
	}
	return s
}

func (e *rulesEditor) edit(r capture.Rule) {
	e.Endpoint.SetText(endpointLabel(r.Endpoint))
	e.Status.SetText(strconv.Itoa(r.Status))
	e.Delay.SetText(r.Delay.String())
	var hs []string
	for _, line := range headerLines("", r.Header) {
		hs = append(hs, line[0].Text+": "+line[2].Text)
	}
	e.Headers.SetText(strings.Join(hs, "\n"))
	e.Body.SetText(r.Body)
	e.errLabel.Hide()
}

// rule reads the form; errors name the field.
func (e *rulesEditor) rule() (capture.Rule, error) {
	var r capture.Rule
	ep := strings.TrimSpace(e.Endpoint.Text)
	if ep == "" {
		return r, fmt.Errorf("endpoint: give one, e.g. /github")
	}
	r.Endpoint = capture.Endpoint(ep)
	if strings.Trim(ep, "/") != r.Endpoint && ep != "/" {
		return r, fmt.Errorf("endpoint: %q has more than one path segment; rules apply to the first one, e.g. /%s", ep, r.Endpoint)
	}
	st, err := strconv.Atoi(strings.TrimSpace(e.Status.Text))
	if err != nil {
		return r, fmt.Errorf("status: %q is not a number", e.Status.Text)
	}
	r.Status = st
	if d := strings.TrimSpace(e.Delay.Text); d != "" {
		if r.Delay, err = time.ParseDuration(d); err != nil {
			if secs, err2 := strconv.ParseFloat(d, 64); err2 == nil {
				r.Delay, err = time.Duration(secs*float64(time.Second)), nil
			}
		}
		if err != nil {
			return r, fmt.Errorf("delay: %q is not a duration like 2s or 1500ms", d)
		}
	}
	r.Header = http.Header{}
	for i, line := range strings.Split(e.Headers.Text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return r, fmt.Errorf("headers, line %d: %q has no colon (Name: value)", i+1, line)
		}
		r.Header.Add(textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name)), strings.TrimSpace(value))
	}
	r.Body = e.Body.Text
	return r, r.Validate()
}

func (e *rulesEditor) save() {
	r, err := e.rule()
	if err != nil {
		e.showError(err)
		return
	}
	e.errLabel.Hide()
	e.await(e.c.ws.SetRule(r))
}

func (e *rulesEditor) remove() {
	ep := capture.Endpoint(strings.TrimSpace(e.Endpoint.Text))
	e.await(e.c.ws.DeleteRule(ep))
	e.edit(capture.DefaultRule())
	e.Endpoint.SetText("")
}

// await shows what went wrong with an edit once the workspace applied
// it. The workspace applies edits in the order they were made and
// reloads the catcher; the list follows from RulesChanged.
func (e *rulesEditor) await(done <-chan error) {
	e.c.bridge.Go(func(ctx context.Context) func() {
		select {
		case err := <-done:
			if err == nil {
				return nil
			}
			return func() { e.showError(err) }
		case <-ctx.Done():
			return nil
		}
	})
}

func (e *rulesEditor) showError(err error) {
	e.errLabel.SetText(err.Error())
	e.errLabel.Show()
}

// show lists rules, and offers the endpoints that have captures.
func (e *rulesEditor) show(rules []capture.Rule, endpoints []string) {
	e.rules = rules
	widgets.SetVisible(e.noRules, len(rules) == 0)
	e.list.UnselectAll()
	e.list.Refresh()
	e.setEndpoints(endpoints)
	e.updateRemove()
}

// rulesChanged shows the rules in force after edits in the editor shown
// last.
func (c *Catcher) rulesChanged(ev workspace.RulesChanged) {
	e := c.rulesView
	if e == nil {
		return
	}
	if ev.Rules == nil && ev.Err != nil {
		e.showError(ev.Err) // the rules could not be read back
		return
	}
	e.edited = true
	e.show(ev.Rules, c.pager.endpoints)
}

func (c *Catcher) showRules() {
	e := newRulesEditor(c)
	c.rulesView = e
	e.show(nil, c.pager.endpoints)
	rules := c.ws.Rules()
	c.bridge.Load("catcher:rules", func(context.Context) func() {
		list, err := rules.Rules()
		return func() {
			if e.edited {
				return // the rules of an edit, newer, are shown already
			}
			if err != nil {
				e.showError(err)
			}
			e.show(list, c.pager.endpoints)
		}
	})
	c.dialogs.Custom("Responses", "Close", container.NewPadded(e.content), fyne.NewSize(620, 640))
}
