package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/requester"
	"hooklab/ui/highlight"
)

// Methods offered by the method picker.
var Methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// ExampleRequest is what the composer holds on first start: a payment
// on the built-in sandbox whose webhooks come back to the catcher.
func ExampleRequest() requester.Request {
	return requester.Request{
		Method:  "POST",
		URL:     "{{sandbox_url}}/v1/payments",
		Headers: []requester.Header{{Name: "Content-Type", Value: "application/json"}},
		Body: requester.Body{Kind: requester.BodyJSON, Text: `{
  "amount": 1200,
  "currency": "eur",
  "description": "Hooklab demo payment",
  "callback_url": "{{webhook_url}}payments"
}`},
	}
}

// Composer is the right panel: build a request, send it, see the answer.
type Composer struct {
	client *requester.Client
	vars   requester.Vars

	Method     *widget.Select
	URL        *sendEntry
	Body       *sendEntry
	SendButton *widget.Button
	headers    []*headerRow
	headerBox  *fyne.Container
	reqTabs    *container.AppTabs
	headersTab *container.TabItem
	inlineErr  *widget.Label
	varsHint   *widget.RichText

	Status      *canvas.Text
	StatusMeta  *widget.RichText
	RespBody    *CodeView
	RespHeaders *PairTable
	respTabs    *container.AppTabs
	respHdrTab  *container.TabItem

	cancel  context.CancelFunc
	sendGen uint64
	// OnResponse is called on the UI goroutine after a response or error
	// was shown (tests and the demo use it).
	OnResponse func(*requester.Response, error)

	content fyne.CanvasObject
}

func newComposer(client *requester.Client, vars requester.Vars) *Composer {
	c := &Composer{client: client, vars: vars}

	title := sectionTitle("COMPOSER")
	c.Method = widget.NewSelect(Methods, nil)
	c.URL = newSendEntry(false, c.Send)
	c.URL.OnSubmitted = func(string) { c.Send() }
	c.URL.SetPlaceHolder("https://api.example.com/v1/… or {{sandbox_url}}/v1/payments")
	c.URL.OnChanged = func(string) { c.inlineErr.Hide() }
	c.SendButton = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), c.Send)
	c.SendButton.Importance = widget.HighImportance
	methodBox := container.New(&fixed{width: 112}, c.Method)
	urlRow := container.NewBorder(nil, nil, methodBox, c.SendButton, c.URL)
	c.inlineErr = widget.NewLabel("")
	c.inlineErr.Importance = widget.DangerImportance
	c.inlineErr.Wrapping = fyne.TextWrapWord
	c.inlineErr.Hide()

	c.varsHint = newMuted(fmt.Sprintf("{{webhook_url}} = %s    {{sandbox_url}} = %s    Ctrl+Enter sends", vars["webhook_url"], vars["sandbox_url"]), fyne.TextStyle{})

	c.headerBox = container.NewVBox()
	addHeader := widget.NewButtonWithIcon("Add header", theme.ContentAddIcon(), func() { c.addHeader(requester.Header{}) })
	addHeader.Importance = widget.LowImportance
	headersPane := container.NewVScroll(container.NewVBox(c.headerBox, container.NewHBox(addHeader)))
	c.Body = newSendEntry(true, c.Send)
	c.Body.TextStyle = mono
	c.Body.SetPlaceHolder("Request body, e.g. JSON. {{variables}} expand here too.")
	c.headersTab = container.NewTabItem("Headers", headersPane)
	bodyTab := container.NewTabItem("Body", c.Body)
	c.reqTabs = container.NewAppTabs(bodyTab, c.headersTab)

	request := container.NewBorder(
		container.NewVBox(container.NewHBox(title), urlRow, c.inlineErr, c.varsHint),
		nil, nil, nil, c.reqTabs)

	c.Status = newText("", theme.Color(theme.ColorNameForeground), monoBold)
	c.StatusMeta = newMuted("Press Send to see the response here.", fyne.TextStyle{})
	c.RespBody, c.RespHeaders = NewCodeView(), NewPairTable(": ", "no headers")
	c.respHdrTab = container.NewTabItem("Headers", c.RespHeaders)
	c.respTabs = container.NewAppTabs(container.NewTabItem("Body", c.RespBody), c.respHdrTab)
	respTitle := sectionTitle("RESPONSE")
	response := container.NewBorder(
		container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, container.NewHBox(respTitle, c.Status), nil, c.StatusMeta)),
		nil, nil, nil, c.respTabs)

	split := container.NewVSplit(request, response)
	split.Offset = 0.45
	c.content = split
	c.Load(ExampleRequest())
	return c
}

// Load puts r into the editor.
func (c *Composer) Load(r requester.Request) {
	method := r.Method
	if method == "" {
		method = "GET"
	}
	c.Method.SetSelected(method)
	c.URL.SetText(r.URL)
	c.Body.SetText(r.Body.Text)
	c.headers = nil
	c.headerBox.RemoveAll()
	for _, h := range r.Headers {
		c.addHeader(h)
	}
	c.refreshHeaderCount()
}

// Request returns what the editor holds.
func (c *Composer) Request() requester.Request {
	r := requester.Request{Method: c.Method.Selected, URL: c.URL.Text, Body: requester.Body{Kind: requester.BodyText, Text: c.Body.Text}}
	for _, h := range c.headers {
		if h.name.Text == "" && h.value.Text == "" {
			continue
		}
		r.Headers = append(r.Headers, requester.Header{Name: h.name.Text, Value: h.value.Text, Disabled: !h.enabled.Checked})
	}
	return r
}

// Send sends the request, or cancels the one in flight.
func (c *Composer) Send() {
	if c.cancel != nil {
		c.cancel()
		return
	}
	r := c.Request()
	if _, err := requester.Prepare(r, c.vars); err != nil {
		c.inlineErr.SetText(err.Error())
		c.inlineErr.Show()
		return
	}
	c.inlineErr.Hide()
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.sendGen++
	gen := c.sendGen
	c.SendButton.SetText("Cancel")
	c.SendButton.SetIcon(theme.CancelIcon())
	c.SendButton.Importance = widget.MediumImportance
	c.SendButton.Refresh()
	c.Status.Text = ""
	c.Status.Refresh()
	setMuted(c.StatusMeta, "Sending…")
	start := time.Now()
	done := make(chan struct{})
	go c.tickElapsed(gen, start, done)
	go func() {
		resp, err := c.client.Send(ctx, r, c.vars)
		close(done)
		do(func() { c.finish(gen, resp, err) })
	}()
}

// tickElapsed shows the time waited so far, ten times a second.
func (c *Composer) tickElapsed(gen uint64, start time.Time, done <-chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			elapsed := time.Since(start)
			do(func() {
				if gen == c.sendGen && c.cancel != nil {
					setMuted(c.StatusMeta, fmt.Sprintf("Sending… %.1f s", elapsed.Seconds()))
				}
			})
		}
	}
}

func (c *Composer) finish(gen uint64, resp *requester.Response, err error) {
	if gen != c.sendGen {
		return
	}
	c.cancel = nil
	c.SendButton.SetText("Send")
	c.SendButton.SetIcon(theme.MailSendIcon())
	c.SendButton.Importance = widget.HighImportance
	c.SendButton.Refresh()
	if err != nil {
		c.showError(err)
	} else {
		c.showResponse(resp)
	}
	if c.OnResponse != nil {
		c.OnResponse(resp, err)
	}
}

func (c *Composer) showError(err error) {
	label, msg := "Error", err.Error()
	var se *requester.SendError
	if errors.As(err, &se) {
		msg = se.Msg
		if se.Kind == "canceled" {
			label = "Cancelled"
		}
	}
	c.Status.Text = label
	c.Status.Color = theme.Color(theme.ColorNameError)
	c.Status.Refresh()
	setMuted(c.StatusMeta, msg)
	c.RespBody.SetLines([]highlight.Line{
		{{Text: msg, Type: chroma.GenericError}},
		{},
		{{Text: err.Error(), Type: chroma.Comment}},
	}, []byte(err.Error()))
	c.RespHeaders.SetPairs(nil)
	c.respHdrTab.Text = "Headers"
	c.respTabs.Refresh()
}

func (c *Composer) showResponse(resp *requester.Response) {
	c.Status.Text = resp.StatusText
	c.Status.Color = statusColor(resp.Status)
	c.Status.Refresh()
	size := highlight.FormatSize(resp.Size)
	if resp.Truncated {
		size += " (truncated)"
	}
	setMuted(c.StatusMeta, fmt.Sprintf("%s · %s · %s · %s", formatDuration(resp.Timings.Total), size, resp.Proto, resp.RemoteAddr))
	if len(resp.Body) == 0 {
		c.RespBody.SetLines([]highlight.Line{{{Text: "no body", Type: chroma.Comment}}}, nil)
	} else {
		c.RespBody.SetBody(resp.Header.Get("Content-Type"), resp.Body)
	}
	c.RespHeaders.SetPairs(headerPairs("", resp.Header))
	c.respHdrTab.Text = fmt.Sprintf("Headers (%d)", len(resp.Header))
	c.respTabs.Refresh()
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// headerRow is one editable header: enabled, name, value, remove.
type headerRow struct {
	enabled     *widget.Check
	name, value *sendEntry
	box         *fyne.Container
}

func (c *Composer) addHeader(h requester.Header) {
	row := &headerRow{enabled: widget.NewCheck("", nil), name: newSendEntry(false, c.Send), value: newSendEntry(false, c.Send)}
	row.enabled.SetChecked(!h.Disabled)
	row.name.SetPlaceHolder("Header")
	row.name.SetText(h.Name)
	row.value.SetPlaceHolder("Value")
	row.value.SetText(h.Value)
	remove := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { c.removeHeader(row) })
	remove.Importance = widget.LowImportance
	row.box = container.NewBorder(nil, nil, row.enabled, remove, container.NewGridWithColumns(2, row.name, row.value))
	c.headers = append(c.headers, row)
	c.headerBox.Add(row.box)
	c.refreshHeaderCount()
}

func (c *Composer) removeHeader(row *headerRow) {
	for i, h := range c.headers {
		if h == row {
			c.headers = append(c.headers[:i], c.headers[i+1:]...)
			break
		}
	}
	c.headerBox.Remove(row.box)
	c.refreshHeaderCount()
}

func (c *Composer) refreshHeaderCount() {
	c.headersTab.Text = fmt.Sprintf("Headers (%d)", len(c.headers))
	c.reqTabs.Refresh()
}

// sendEntry is an Entry where Ctrl+Enter (Cmd+Enter on macOS) sends.
type sendEntry struct {
	widget.Entry
	onSend func()
	onFind func() // Ctrl+F; nil ignores it
}

func newSendEntry(multiLine bool, onSend func()) *sendEntry {
	e := &sendEntry{onSend: onSend}
	e.MultiLine = multiLine
	e.Wrapping = fyne.TextWrapOff
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut sends on Ctrl+Enter and passes every other shortcut on.
func (e *sendEntry) TypedShortcut(s fyne.Shortcut) {
	if isSendShortcut(s) {
		e.onSend()
		return
	}
	if isFindShortcut(s) && e.onFind != nil {
		e.onFind()
		return
	}
	e.Entry.TypedShortcut(s)
}

func isFindShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && cs.KeyName == fyne.KeyF && (cs.Modifier == fyne.KeyModifierControl || cs.Modifier == fyne.KeyModifierSuper)
}

func isSendShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) &&
		(cs.Modifier == fyne.KeyModifierControl || cs.Modifier == fyne.KeyModifierSuper)
}
