package catcher

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/widgets"
	"hooklab/workspace"
	"hooklab/workspace/forward"
)

// forwardLine is the detail's line that says how forwarding the shown
// capture went: "Forwarded to http://localhost:3000/hooks · 202 · 35 ms"
// in the success colour with Response (the target's answer), or
// "Forward failed: connection refused" in the error colour with Retry.
// The result is read with the capture (Workspace.Forwarded: this run's,
// or one kept in the database), and follows CaptureForwarded events.
// The line is hidden for a capture of an endpoint that is not forwarded
// and has no result; for one that is forwarded it keeps its height
// while the result is on its way, so nothing below it moves when it
// arrives.
type forwardLine struct {
	c        *Catcher
	text     *widget.RichText
	retry    *widget.Button
	response *widget.Button
	row      *fyne.Container
	// keep holds the line's height while it waits for a result.
	keep *canvas.Rectangle
	line *fyne.Container

	shown  string         // the capture whose forward is on the line
	result forward.Result // its forward, once shown
	// view is the response dialog shown last.
	view *forwardResponseView
}

// forwardState is what the detail reads of a capture's forward with the
// capture, off the UI goroutine.
type forwardState struct {
	result forward.Result
	has    bool
	// ruled: the capture's endpoint is forwarded, so a result may come.
	ruled bool
}

// readForward reads how forwarding cp went, and whether its endpoint is
// forwarded. It may read the database: never on the UI goroutine.
func readForward(ws *workspace.Workspace, cp *capture.Capture) forwardState {
	var st forwardState
	st.result, st.has = ws.Forwarded(cp.ID)
	ep := capture.Endpoint(cp.Path)
	for _, r := range ws.ForwardRules() {
		if r.Endpoint == ep {
			st.ruled = true
		}
	}
	return st
}

func newForwardLine(c *Catcher) *forwardLine {
	l := &forwardLine{c: c}
	l.text = widget.NewRichText(&widget.TextSegment{})
	l.text.Truncation = fyne.TextTruncateEllipsis
	l.retry = widgets.LowButton("Retry", theme.ViewRefreshIcon(), l.retryShown)
	l.response = widgets.LowButton("Response", theme.DocumentIcon(), l.openResponse)
	// On a narrow panel Response and Retry keep their icons only, so the
	// line keeps room for the status and time after the URL.
	l.row = container.New(widgets.NewBar(380, l.response, l.retry), canvas.NewRectangle(nil), l.text, container.NewHBox(l.response, l.retry))
	l.row.Hide()
	l.keep = canvas.NewRectangle(nil)
	l.keep.SetMinSize(fyne.NewSize(0, l.retry.MinSize().Height))
	l.line = container.NewStack(l.keep, l.row)
	l.line.Hide()
	c.bridge.Handle(l.handle)
	return l
}

// handle reads the shown capture's forward again when another process
// sharing the data directory wrote (`hooklab listen` forwards and keeps
// its results there too).
func (l *forwardLine) handle(events []workspace.Event) {
	if l.shown == "" || l.c.detail == nil || l.c.detail.shown == nil {
		return
	}
	for _, e := range events {
		if _, ok := e.(workspace.CapturesChanged); ok {
			l.reload(l.c.detail.shown)
			return
		}
	}
}

// reload reads the forward of cp through the bridge and shows it.
func (l *forwardLine) reload(cp *capture.Capture) {
	ws, id := l.c.ws, cp.ID
	l.c.bridge.Load("catcher:forward", func(context.Context) func() {
		st := readForward(ws, cp)
		return func() {
			if id == l.shown {
				l.set(id, st)
			}
		}
	})
}

// set shows the forward of capture id as the detail read it.
func (l *forwardLine) set(id string, st forwardState) {
	l.shown = id
	if st.has {
		l.show(st.result)
		return
	}
	l.result = forward.Result{}
	l.row.Hide()
	widgets.SetVisible(l.line, st.ruled)
}

// forwarded takes in results as they come: the shown capture's is shown.
func (l *forwardLine) forwarded(r forward.Result) {
	if r.CaptureID == l.shown && l.shown != "" {
		l.show(r)
	}
}

func (l *forwardLine) show(r forward.Result) {
	l.result = r
	words, ok := forwardWords(r)
	colour := theme.ColorNameSuccess
	if !ok {
		colour = theme.ColorNameError
	}
	seg := l.text.Segments[0].(*widget.TextSegment)
	seg.Text = words
	seg.Style = widget.RichTextStyle{ColorName: colour, TextStyle: fyne.TextStyle{}}
	l.text.Refresh()
	widgets.SetVisible(l.retry, !ok)
	widgets.SetVisible(l.response, r.Status > 0)
	l.retry.Enable()
	l.row.Show()
	l.line.Show()
}

// forwardWords says how a forward went, and whether it went well (an
// answer below 400).
func forwardWords(r forward.Result) (string, bool) {
	if r.Err != "" {
		why := strings.TrimPrefix(r.Err, "not forwarded: ")
		return "Forward failed: " + why, false
	}
	s := fmt.Sprintf("Forwarded to %s · %d · %s", r.URL, r.Status, formatMillis(r))
	if r.Attempts > 1 {
		s += fmt.Sprintf(" · %d attempts", r.Attempts)
	}
	return s, r.Status < 400
}

func formatMillis(r forward.Result) string {
	return fmt.Sprintf("%d ms", r.Time.Milliseconds())
}

// Text is the line as shown, "" while hidden.
func (l *forwardLine) Text() string {
	if !l.row.Visible() || !l.line.Visible() {
		return ""
	}
	return l.text.Segments[0].(*widget.TextSegment).Text
}

// retryShown forwards the shown capture again; the line follows from
// its CaptureForwarded event.
func (l *forwardLine) retryShown() {
	id := l.shown
	if id == "" {
		return
	}
	l.retry.Disable() // until the result
	ws := l.c.ws
	l.c.bridge.Go(func(context.Context) func() {
		if err := ws.RetryForward(id); err != nil {
			return func() {
				l.retry.Enable()
				l.c.showError("Cannot forward this capture again", err)
			}
		}
		return nil
	})
}

// forwardedEvents hands results of forwards to the detail's line.
func (c *Catcher) forwardedEvents(evs []workspace.CaptureForwarded) {
	for _, e := range evs {
		c.detail.forward.forwarded(e.Result)
	}
}

// forwardingEditor edits where each endpoint's captures are forwarded
// (Workspace.SetForwardRules); --forward flags win over it this run.
type forwardingEditor struct {
	c        *Catcher
	rules    []forward.Rule
	list     *widget.List
	none     fyne.CanvasObject
	Endpoint *widget.SelectEntry
	Target   *widget.Entry
	errLabel *widget.Label
	saveBtn  *widget.Button
	removeBt *widget.Button
	content  fyne.CanvasObject
}

func newForwardingEditor(c *Catcher) *forwardingEditor {
	e := &forwardingEditor{c: c}
	e.list = widget.NewList(func() int { return len(e.rules) },
		func() fyne.CanvasObject { return widget.NewLabelWithStyle("", fyne.TextAlignLeading, widgets.Mono) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(e.rules) {
				o.(*widget.Label).SetText(e.ruleText(e.rules[id]))
			}
		})
	e.list.OnSelected = func(id widget.ListItemID) {
		if id < len(e.rules) {
			e.Endpoint.SetText(endpointLabel(e.rules[id].Endpoint))
			e.Target.SetText(e.rules[id].Target.String())
		}
		e.list.Unselect(id)
	}
	e.none = container.NewCenter(widgets.NewMutedFull("No endpoint is forwarded.", fyne.TextStyle{Italic: true}))
	e.Endpoint = widget.NewSelectEntry(nil)
	e.Endpoint.SetPlaceHolder("choose or type one, e.g. /stripe")
	var eps []string
	for _, ep := range c.pager.endpoints {
		eps = append(eps, endpointLabel(ep))
	}
	e.Endpoint.SetOptions(eps)
	if sh := c.detail.shown; sh != nil {
		e.Endpoint.SetText(endpointLabel(capture.Endpoint(sh.Path)))
	}
	e.Target = widget.NewEntry()
	e.Target.SetPlaceHolder("http://localhost:3000/hooks")
	e.errLabel = widget.NewLabel("")
	e.errLabel.Importance = widget.DangerImportance
	e.errLabel.Wrapping = fyne.TextWrapWord
	e.errLabel.Hide()
	e.saveBtn = widget.NewButtonWithIcon("Save", theme.ConfirmIcon(), e.save)
	e.saveBtn.Importance = widget.HighImportance
	e.removeBt = widget.NewButtonWithIcon("Stop forwarding", theme.DeleteIcon(), e.remove)
	hint := widgets.NewMutedFull("Each capture of the endpoint is also sent, as received, to this URL; the rest of its path and its query are added. Captures already on their way finish.", fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("Endpoint", e.Endpoint), widget.NewFormItem("Forward to", e.Target))
	listBox := container.New(&widgets.Fixed{Height: 110}, container.NewStack(e.list, e.none))
	e.content = container.NewVBox(widgets.SectionTitle("FORWARDED"), listBox, widget.NewSeparator(), form, hint, e.errLabel,
		container.NewHBox(e.saveBtn, e.removeBt))
	e.reload()
	return e
}

func (e *forwardingEditor) ruleText(r forward.Rule) string {
	s := endpointLabel(r.Endpoint) + " → " + r.Target.String()
	if f, ok := e.c.ws.ForwardFlag(r.Endpoint); ok && f.Target.String() == r.Target.String() {
		s += "  (--forward, this run)"
	}
	return s
}

// reload lists the rules in force.
func (e *forwardingEditor) reload() {
	e.rules = e.c.ws.ForwardRules()
	widgets.SetVisible(e.none, len(e.rules) == 0)
	e.list.Refresh()
}

func (e *forwardingEditor) save() {
	r, err := forward.NewRule(e.Endpoint.Text, e.Target.Text)
	if err != nil {
		e.showError(err)
		return
	}
	rules := e.saved(r.Endpoint)
	e.apply(append(rules, r))
}

func (e *forwardingEditor) remove() {
	ep := strings.TrimSpace(e.Endpoint.Text)
	if ep == "" {
		e.showError(fmt.Errorf("endpoint: give the one to stop forwarding, e.g. /stripe"))
		return
	}
	e.apply(e.saved(capture.Endpoint(ep)))
}

// saved are the rules set in the window but the one of endpoint.
func (e *forwardingEditor) saved(endpoint string) []forward.Rule {
	var out []forward.Rule
	for _, r := range e.c.ws.SavedForwardRules() {
		if r.Endpoint != endpoint {
			out = append(out, r)
		}
	}
	return out
}

// apply sets rules off the UI goroutine (the file is written there) and
// lists the rules in force after.
func (e *forwardingEditor) apply(rules []forward.Rule) {
	ws := e.c.ws
	e.errLabel.Hide()
	e.c.bridge.Go(func(context.Context) func() {
		err := ws.SetForwardRules(rules)
		return func() {
			if err != nil {
				e.showError(err)
			}
			e.reload()
		}
	})
}

func (e *forwardingEditor) showError(err error) {
	e.errLabel.SetText(err.Error())
	e.errLabel.Show()
}

// showForwarding opens the forwarding editor.
func (c *Catcher) showForwarding() {
	e := newForwardingEditor(c)
	c.forwardView = e
	c.dialogs.Custom("Forwarding", "Close", container.NewPadded(e.content), fyne.NewSize(620, 460))
}
