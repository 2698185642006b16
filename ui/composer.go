package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/requester/curl"
	"hooklab/ui/codeview"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

// ExampleRequest is what the composer holds on first start: a payment
// on the built-in sandbox whose webhooks come back to the catcher.
func ExampleRequest() requester.Request {
	return requester.Request{
		Name:    "Create payment",
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
// It edits one request at a time; tabs keep the others.
type Composer struct {
	client   *requester.Client
	builtins requester.Vars
	win      func() fyne.Window

	Method     *widget.SelectEntry
	URL        *sendEntry
	SendButton *widget.Button
	Params     *rowTable
	Headers    *rowTable
	Body       *bodyEditor
	Auth       *authEditor
	Options    *optionsEditor
	autoHdrs   *widget.RichText
	reqTabs    *container.AppTabs
	paramsTab  *container.TabItem
	headersTab *container.TabItem
	optionsTab *container.TabItem
	inlineErr  *widget.Label
	varsHint   *widget.RichText
	preview    *widget.RichText // the URL with its variables filled in
	curlNote   *widget.Label

	Status      *canvas.Text
	StatusMeta  *widget.RichText
	RespBody    *codeview.CodeView
	RespHeaders *widgets.PairTable
	Cookies     *widgets.PairTable
	Timing      *Waterfall
	RespRaw     *codeview.CodeView
	respTabs    *container.AppTabs
	respHdrTab  *container.TabItem
	cookiesTab  *container.TabItem

	Tabs    *requestTabs
	sidebar *sidebar // nil without history and workspace

	// env returns the active environment's name and variables (the
	// collection's and the environment's, merged); nil means none.
	env func() (string, requester.Vars)
	// OnSent is called off the UI goroutine after every exchange, with
	// the request as edited (history keeps it).
	OnSent func(r requester.Request, resp *requester.Response, err error, at time.Time)

	syncing bool
	lastURL string // the URL before the latest edit // URL and params are being synced; edits are not the user's
	loading bool   // Load is filling the editor
	// confirm asks a yes/no question; tests replace it. Without a
	// window the answer is no.
	confirm func(title, msg, yes, no string, then func(bool))
	// OnResponse is called on the UI goroutine after a response or error
	// was shown (tests and the demo use it).
	OnResponse func(*requester.Response, error)

	content fyne.CanvasObject
}

func newComposer(client *requester.Client, vars requester.Vars, win func() fyne.Window, views []codeview.Option) *Composer {
	c := &Composer{client: client, builtins: vars, win: win}
	c.loading = true // widgets report their initial values as edits
	c.confirm = func(title, msg, yes, no string, then func(bool)) {
		w := win()
		if w == nil {
			then(false)
			return
		}
		l := widget.NewLabel(msg)
		l.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustomConfirm(title, yes, no, l, then, w)
		d.Resize(fyne.NewSize(460, 0))
		d.Show()
	}

	c.Method = widget.NewSelectEntry(widgets.Methods)
	c.Method.OnChanged = func(s string) {
		if up := strings.ToUpper(s); up != s {
			c.Method.SetText(up)
			return
		}
		c.edited()
	}
	c.URL = newSendEntry(false, c.Send)
	c.URL.OnSubmitted = func(string) { c.Send() }
	c.URL.SetPlaceHolder("https://api.example.com/v1/…, {{sandbox_url}}/v1/payments, or paste a cURL command")
	c.URL.OnChanged = c.urlChanged
	c.SendButton = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), c.Send)
	c.SendButton.Importance = widget.HighImportance
	methodBox := container.New(&widgets.Fixed{Width: 124}, c.Method)
	urlRow := container.NewBorder(nil, nil, methodBox, c.SendButton, c.URL)
	c.inlineErr = widget.NewLabel("")
	c.inlineErr.Importance = widget.DangerImportance
	c.inlineErr.Wrapping = fyne.TextWrapWord
	c.inlineErr.Hide()
	c.curlNote = widget.NewLabel("")
	c.curlNote.Importance = widget.WarningImportance
	c.curlNote.Wrapping = fyne.TextWrapWord
	c.curlNote.Hide()
	c.preview = widget.NewRichText()
	c.preview.Truncation = fyne.TextTruncateEllipsis
	c.preview.Hide()
	c.varsHint = widgets.NewMuted(fmt.Sprintf("{{webhook_url}} = %s    {{sandbox_url}} = %s    Ctrl+Enter sends", vars["webhook_url"], vars["sandbox_url"]), fyne.TextStyle{})

	c.Params = newRowTable("Parameter", "Value", c.Send)
	c.Params.onChanged = c.paramsChanged
	c.Headers = newRowTable("Header", "Value", c.Send, withNames(commonHeaders))
	c.Headers.onChanged = c.edited
	c.autoHdrs = widgets.NewMutedFull("", fyne.TextStyle{Italic: true})
	c.autoHdrs.Wrapping = fyne.TextWrapWord
	c.Body = newBodyEditor(c.Send, c.edited, win)
	c.Auth = newAuthEditor(c.Send, c.edited)
	c.Options = newOptionsEditor(c.Send, c.edited, win)
	// A collection's file paths are relative to its folder.
	base := func() string { return c.Tabs.current().coll }
	c.Body.Parts.base = base
	for _, f := range []*filePicker{c.Body.File, c.Options.CACert, c.Options.ClientCert, c.Options.ClientKey} {
		f.base = base
	}

	c.paramsTab = container.NewTabItem("Params", c.Params.content)
	c.headersTab = container.NewTabItem("Headers", container.NewBorder(nil, c.autoHdrs, nil, nil, c.Headers.content))
	c.optionsTab = container.NewTabItem("Options", c.Options.content)
	c.reqTabs = container.NewAppTabs(c.paramsTab, c.headersTab,
		container.NewTabItem("Body", c.Body.content), container.NewTabItem("Auth", c.Auth.content), c.optionsTab)
	c.reqTabs.SelectIndex(2)

	c.Tabs = newRequestTabs(c)
	request := container.NewBorder(
		container.NewVBox(c.Tabs.content, urlRow, c.preview, c.inlineErr, c.curlNote, c.varsHint),
		nil, nil, nil, c.reqTabs)

	c.Status = widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	c.StatusMeta = widgets.NewMuted("Press Send to see the response here.", fyne.TextStyle{})
	c.RespBody, c.RespHeaders = codeview.New(views...), widgets.NewPairTable(": ", "no headers")
	c.Cookies = widgets.NewPairTable("=", "no cookies")
	c.Timing = NewWaterfall()
	c.RespRaw = codeview.New()
	c.respHdrTab = container.NewTabItem("Headers", c.RespHeaders)
	clearJar := widgets.LowButton("Clear cookie jar", theme.DeleteIcon(), c.clearCookies)
	c.cookiesTab = container.NewTabItem("Cookies", container.NewBorder(container.NewHBox(clearJar), nil, nil, nil, c.Cookies))
	c.respTabs = container.NewAppTabs(container.NewTabItem("Body", c.RespBody), c.respHdrTab, c.cookiesTab,
		container.NewTabItem("Timing", container.NewVScroll(c.Timing)), container.NewTabItem("Raw", c.RespRaw))
	respTitle := widgets.SectionTitle("RESPONSE")
	response := container.NewBorder(
		container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, container.NewHBox(respTitle, c.Status), nil, c.StatusMeta)),
		nil, nil, nil, c.respTabs)

	split := container.NewVSplit(request, response)
	split.Offset = 0.45
	c.content = split
	c.loading = false
	c.Tabs.open(ExampleRequest(), "", "")
	return c
}

// Load puts r into the editor, replacing what it held.
func (c *Composer) Load(r requester.Request) {
	c.loading = true
	defer func() { c.loading = false }()
	method := r.Method
	if method == "" {
		method = "GET"
	}
	c.Method.SetText(method)
	c.syncing = true
	c.lastURL = r.URL
	c.URL.SetText(r.URL)
	params := r.Params
	if params == nil {
		params = requester.ParamsFromURL(r.URL)
	}
	c.Params.SetRows(params, nil)
	c.syncing = false
	hdrs := make([]requester.Param, len(r.Headers))
	for i, h := range r.Headers {
		hdrs[i] = requester.Param(h)
	}
	c.Headers.SetRows(hdrs, nil)
	c.Body.Set(r.Body)
	c.Auth.Set(r.Auth)
	c.Options.Set(r.Options)
	c.inlineErr.Hide()
	c.curlNote.Hide()
	c.refreshCounts()
}

// Request returns what the editor holds.
func (c *Composer) Request() requester.Request {
	r := requester.Request{Name: c.Tabs.current().title, Method: strings.TrimSpace(c.Method.Text), URL: c.URL.Text,
		Params: c.Params.Rows(), Body: c.Body.Body(), Auth: c.Auth.Auth()}
	for _, h := range c.Headers.Rows() {
		r.Headers = append(r.Headers, requester.Header(h))
	}
	r.Options, _ = c.Options.Options()
	return r
}

// urlChanged keeps the params table in step with the URL, and turns a
// pasted cURL command into a request.
func (c *Composer) urlChanged(s string) {
	c.inlineErr.Hide()
	c.showPreview()
	if c.syncing {
		return
	}
	prev := c.lastURL
	c.lastURL = s
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "curl ") || strings.HasPrefix(t, "curl.exe ") || strings.HasPrefix(t, "$ curl ") {
		// Only a paste (many characters at once) is imported: typing
		// "curl h…" must not replace the request at its first letter.
		if len(s)-len(prev) > 1 && c.importCurl(t) {
			return
		}
		c.curlNote.SetText("This looks like a cURL command: paste it whole, or use ⋯ › Import cURL.")
		c.curlNote.Show()
	}
	c.syncing = true
	c.Params.SetRows(requester.SyncParams(c.Params.Rows(), requester.ParamsFromURL(s)), nil)
	c.syncing = false
	c.edited()
}

// showPreview shows the URL as it will be sent when it holds variables:
// known values in the accent colour, unknown names in red.
func (c *Composer) showPreview() {
	u := c.URL.Text
	if !strings.Contains(u, "{{") {
		c.preview.Hide()
		return
	}
	_, vars := c.vars()
	seg := func(text string, color fyne.ThemeColorName, style fyne.TextStyle) widget.RichTextSegment {
		return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: color, Inline: true, TextStyle: style, SizeName: theme.SizeNameText}}
	}
	segs := []widget.RichTextSegment{seg("→ ", widgets.ColorNameMuted, fyne.TextStyle{})}
	_ = requester.EachVar(u, func(text string, isVar bool) error {
		name := requester.VarName(text)
		v, known := vars[name]
		switch {
		case !isVar:
			segs = append(segs, seg(text, widgets.ColorNameMuted, widgets.Mono))
		case known:
			segs = append(segs, seg(v, theme.ColorNamePrimary, widgets.Mono))
		case requester.IsBuiltin(name):
			segs = append(segs, seg(text, theme.ColorNamePrimary, widgets.MonoBold)) // a fresh value each send
		default:
			segs = append(segs, seg(text+" (unknown)", theme.ColorNameError, widgets.MonoBold))
		}
		return nil
	})
	c.preview.Segments = segs
	c.preview.Show()
	c.preview.Refresh()
}

// paramsChanged rewrites the URL's query from the table.
func (c *Composer) paramsChanged() {
	if c.syncing {
		return
	}
	c.syncing = true
	if u := requester.URLWithParams(c.URL.Text, c.Params.Rows()); u != c.URL.Text {
		c.URL.SetText(u)
	}
	c.syncing = false
	c.edited()
}

// importCurl replaces the editor's request by the one cmd describes and
// reports whether cmd parsed; warnings show under the URL.
func (c *Composer) importCurl(cmd string) bool {
	r, warnings, err := curl.Parse(cmd)
	if err != nil {
		c.curlNote.SetText("Not imported as cURL: " + err.Error())
		c.curlNote.Show()
		return false
	}
	r.Name = c.Tabs.current().title
	c.Load(r)
	c.edited()
	if len(warnings) > 0 {
		c.curlNote.SetText("Imported from cURL. " + strings.Join(warnings, "; "))
		c.curlNote.Show()
	}
	return true
}

// CopyAsCurl puts the request, variables expanded where they are known,
// on the clipboard as a cURL command.
func (c *Composer) CopyAsCurl() string {
	cmd := curl.Generate(c.Request())
	widgets.CopyText(cmd)
	return cmd
}

// edited runs after every user edit: counts, the automatic headers and
// the tab's unsaved mark follow.
func (c *Composer) edited() {
	if c.loading {
		return
	}
	c.refreshCounts()
	c.Tabs.edited()
}

func (c *Composer) refreshCounts() {
	count := func(rows []requester.Param) int {
		n := 0
		for _, r := range rows {
			if !r.Disabled {
				n++
			}
		}
		return n
	}
	c.paramsTab.Text = tabLabel("Params", count(c.Params.Rows()))
	c.headersTab.Text = tabLabel("Headers", count(c.Headers.Rows()))
	c.optionsTab.Text = "Options"
	if !c.Options.Verify.Checked {
		c.optionsTab.Text = "Options ⚠ TLS off"
	}
	c.reqTabs.Refresh()
	widgets.SetMuted(c.autoHdrs, c.autoHeaders())
}

func tabLabel(name string, n int) string {
	if n == 0 {
		return name
	}
	return fmt.Sprintf("%s (%d)", name, n)
}

// autoHeaders describes the headers the client adds to what the table
// holds, so nothing on the wire is a surprise.
func (c *Composer) autoHeaders() string {
	has := map[string]bool{}
	for _, h := range c.Headers.Rows() {
		if !h.Disabled {
			has[http.CanonicalHeaderKey(strings.TrimSpace(h.Name))] = true
		}
	}
	var out []string
	_, vars := c.vars()
	if full, err := requester.Expand(c.URL.Text, vars); err == nil {
		if u, err := url.Parse(strings.TrimSpace(full)); err == nil && u.Host != "" {
			out = append(out, "Host: "+u.Host)
		}
	}
	if !has["User-Agent"] {
		out = append(out, "User-Agent: "+requester.UserAgent)
	}
	body := c.Body.Body()
	if ct := autoContentType(body.Kind); ct != "" && !has["Content-Type"] {
		out = append(out, "Content-Type: "+ct)
	}
	if body.Kind != requester.BodyNone {
		out = append(out, "Content-Length: (computed)")
	}
	switch a := c.Auth.Auth(); {
	case a.Kind == requester.AuthAPIKey && !a.InQuery && a.Key != "":
		out = append(out, a.Key+": (from Auth)")
	case a.Kind != requester.AuthNone && a.Kind != requester.AuthAPIKey:
		out = append(out, "Authorization: (from Auth)")
	}
	return "Added when sent:  " + strings.Join(out, "   ·   ")
}

func autoContentType(k requester.BodyKind) string {
	switch k {
	case requester.BodyJSON, requester.BodyGraphQL:
		return "application/json"
	case requester.BodyXML:
		return "application/xml"
	case requester.BodyText:
		return "text/plain; charset=utf-8"
	case requester.BodyForm:
		return "application/x-www-form-urlencoded"
	case requester.BodyMultipart:
		return "multipart/form-data; boundary=…"
	case requester.BodyFile:
		return "(from the file's extension)"
	}
	return ""
}

// vars returns the variables a send expands: the built-ins, overridden by
// the active collection and environment.
func (c *Composer) vars() (string, requester.Vars) {
	vars := requester.Vars{}
	for k, v := range c.builtins {
		vars[k] = v
	}
	if c.env == nil {
		return "", vars
	}
	name, env := c.env()
	for k, v := range env {
		vars[k] = v
	}
	return name, vars
}

// Send sends the tab's request, or cancels the one it has in flight.
// The answer goes to the tab that sent, even if another is in view by
// then.
func (c *Composer) Send() {
	t := c.Tabs.current()
	if t.cancel != nil {
		t.cancel()
		return
	}
	r := c.Request()
	if _, err := c.Options.Options(); err != nil {
		c.showInline(err)
		c.reqTabs.Select(c.optionsTab)
		return
	}
	jar, vars := c.vars()
	if t.coll != "" {
		// File paths in a collection are relative to its folder.
		r = collection.ResolvePaths(r, t.coll)
	}
	if _, err := requester.Prepare(r, vars); err != nil {
		c.showInline(err)
		return
	}
	c.inlineErr.Hide()
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel, t.sentAt = cancel, time.Now()
	c.showSending(t)
	done := make(chan struct{})
	go c.tickElapsed(t, done)
	go func() {
		resp, err := c.client.SendIn(ctx, jar, r, vars)
		close(done)
		cookies := c.client.Cookies(jar)
		widgets.Do(func() { c.finish(t, resp, err, cookies) })
		if c.OnSent != nil {
			// Only reads resp (its in-memory part), as the UI does.
			c.OnSent(r, resp, err, t.sentAt)
		}
	}()
}

// busy reports whether the tab in view has a request in flight.
func (c *Composer) busy() bool { return c.Tabs.current().cancel != nil }

// showSending shows t's request in flight: Cancel and the time waited.
func (c *Composer) showSending(t *reqTab) {
	c.SendButton.SetText("Cancel")
	c.SendButton.SetIcon(theme.CancelIcon())
	c.SendButton.Importance = widget.MediumImportance
	c.SendButton.Refresh()
	c.Status.Text = ""
	c.Status.Refresh()
	widgets.SetMuted(c.StatusMeta, fmt.Sprintf("Sending… %.1f s", time.Since(t.sentAt).Seconds()))
}

// showIdle puts the Send button back.
func (c *Composer) showIdle() {
	c.SendButton.SetText("Send")
	c.SendButton.SetIcon(theme.MailSendIcon())
	c.SendButton.Importance = widget.HighImportance
	c.SendButton.Refresh()
}

func (c *Composer) showInline(err error) {
	c.inlineErr.SetText(err.Error())
	c.inlineErr.Show()
}

// tickElapsed shows the time waited so far, ten times a second, while
// the sending tab is in view.
func (c *Composer) tickElapsed(t *reqTab, done <-chan struct{}) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			widgets.Do(func() {
				if t == c.Tabs.current() && t.cancel != nil {
					widgets.SetMuted(c.StatusMeta, fmt.Sprintf("Sending… %.1f s", time.Since(t.sentAt).Seconds()))
				}
			})
		}
	}
}

func (c *Composer) finish(t *reqTab, resp *requester.Response, err error, cookies []*http.Cookie) {
	t.cancel = nil
	if !c.Tabs.has(t) {
		resp.Close() // the tab was closed meanwhile
		return
	}
	t.setResult(resp, err)
	if c.OnResponse != nil {
		defer c.OnResponse(resp, err)
	}
	if t != c.Tabs.current() {
		return // shown when its tab is chosen again
	}
	c.showIdle()
	c.showResult(resp, err)
	var oe *requester.OptionError
	var fe *requester.FileError
	if errors.As(err, &oe) || errors.As(err, &fe) {
		// A setting or a file is wrong, not the network: say so where
		// the request is edited too.
		c.showInline(err)
	}
	c.showCookies(resp, cookies)
}

// showResult shows a response, an error, or nothing when both are nil.
func (c *Composer) showResult(resp *requester.Response, err error) {
	switch {
	case err != nil:
		c.showError(err)
	case resp != nil:
		c.showResponse(resp)
	default:
		c.Status.Text = ""
		c.Status.Refresh()
		widgets.SetMuted(c.StatusMeta, "Press Send to see the response here.")
		c.RespBody.Clear()
		c.RespRaw.Clear()
		c.RespHeaders.SetPairs(nil)
		c.Timing.Clear()
		c.respHdrTab.Text = "Headers"
		c.respTabs.Refresh()
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
	widgets.SetMuted(c.StatusMeta, msg)
	lines := []highlight.Line{
		{{Text: msg, Type: chroma.GenericError}},
		{},
		{{Text: err.Error(), Type: chroma.Comment}},
	}
	c.RespBody.SetLines(lines, []byte(err.Error()))
	c.RespRaw.SetLines(lines, []byte(err.Error()))
	c.RespHeaders.SetPairs(nil)
	c.Timing.Clear()
	c.respHdrTab.Text = "Headers"
	c.respTabs.Refresh()
}

func (c *Composer) showResponse(resp *requester.Response) {
	c.Status.Text = resp.StatusText
	c.Status.Color = widgets.StatusColor(resp.Status)
	c.Status.Refresh()
	size := highlight.FormatSize(resp.Size)
	if resp.Truncated && (resp.BodyFile == "" || resp.Size > requester.MaxBodyBytes) {
		size += " (truncated)"
	}
	widgets.SetMuted(c.StatusMeta, fmt.Sprintf("%s · %s · %s · %s", formatDuration(resp.Timings.Total), size, resp.Proto, resp.RemoteAddr))
	switch {
	case len(resp.Body) == 0:
		c.RespBody.SetLines([]highlight.Line{{{Text: "no body", Type: chroma.Comment}}}, nil)
	case resp.Truncated && resp.BodyFile != "":
		c.RespBody.SetBodyFile(resp.Header.Get("Content-Type"), resp.Body, resp.BodyFile,
			fmt.Sprintf("showing the first %s of %s; Save writes all of it", highlight.FormatSize(int64(len(resp.Body))), highlight.FormatSize(resp.Size)))
	case resp.Truncated:
		c.RespBody.SetBodyNote(resp.Header.Get("Content-Type"), resp.Body,
			fmt.Sprintf("showing the first %s of %s", highlight.FormatSize(int64(len(resp.Body))), highlight.FormatSize(resp.Size)))
	default:
		c.RespBody.SetBody(resp.Header.Get("Content-Type"), resp.Body)
	}
	c.RespHeaders.SetPairs(capture.HeaderFields(resp.Header, ""))
	c.respHdrTab.Text = tabLabel("Headers", len(resp.Header))
	c.Timing.SetTimings(resp.Timings)
	c.RespRaw.SetLines(exchangeLines(resp), nil)
	c.respTabs.Refresh()
}

// exchangeLines renders what was sent and what came back as HTTP text.
func exchangeLines(resp *requester.Response) []highlight.Line {
	var lines []highlight.Line
	if p := resp.Request; p != nil {
		target, host := p.URL, ""
		if u, err := url.Parse(p.URL); err == nil {
			target, host = u.RequestURI(), u.Host
		}
		lines = append(lines, highlight.Line{{Text: p.Method, Type: chroma.Keyword}, {Text: " " + target + " ", Type: chroma.NameNamespace},
			{Text: resp.Proto, Type: chroma.KeywordReserved}})
		lines = append(lines, codeview.HeaderLines(capture.HeaderFields(p.Header, host))...)
		lines = append(lines, highlight.Line{})
		lines = append(lines, codeview.RawBodyLines(p.Body)...)
		lines = append(lines, highlight.Line{}, highlight.Line{{Text: "────────", Type: chroma.Comment}}, highlight.Line{})
	}
	lines = append(lines, highlight.Line{{Text: resp.Proto + " ", Type: chroma.KeywordReserved}, {Text: resp.StatusText, Type: chroma.NameNamespace}})
	lines = append(lines, codeview.HeaderLines(capture.HeaderFields(resp.Header, ""))...)
	lines = append(lines, highlight.Line{})
	return append(lines, codeview.RawBodyLines(resp.Body)...)
}

// showCookies lists what the response set and what the active
// environment's jar holds.
func (c *Composer) showCookies(resp *requester.Response, jar []*http.Cookie) {
	var pairs []widgets.Pair
	set := 0
	if resp != nil {
		set = len(resp.Cookies)
		for _, ck := range resp.Cookies {
			pairs = append(pairs, widgets.Pair{Name: "set · " + ck.Name, Value: ck.Value + cookieAttrs(ck)})
		}
	}
	for _, ck := range jar {
		pairs = append(pairs, widgets.Pair{Name: "jar · " + ck.Name, Value: ck.Value + cookieAttrs(ck)})
	}
	c.Cookies.SetPairs(pairs)
	c.cookiesTab.Text = tabLabel("Cookies", set)
	c.respTabs.Refresh()
}

func cookieAttrs(ck *http.Cookie) string {
	var b strings.Builder
	if ck.Domain != "" {
		b.WriteString("  · " + ck.Domain + ck.Path)
	}
	if !ck.Expires.IsZero() {
		b.WriteString("  · expires " + ck.Expires.UTC().Format("2006-01-02 15:04"))
	}
	if ck.Secure {
		b.WriteString("  · Secure")
	}
	if ck.HttpOnly {
		b.WriteString("  · HttpOnly")
	}
	return b.String()
}

func (c *Composer) clearCookies() {
	jar, _ := c.vars()
	c.client.ClearCookies(jar)
	c.showCookies(nil, nil)
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

// sameRequest reports whether two requests are equal as a collection
// file holds them: only the active body kind, a timeout in whole
// milliseconds.
func sameRequest(a, b requester.Request) bool {
	return reflect.DeepEqual(asSaved(a), asSaved(b))
}

func asSaved(r requester.Request) requester.Request {
	if r.Method == "" {
		r.Method = "GET"
	}
	if len(r.Params) == 0 {
		r.Params = nil
	}
	if len(r.Headers) == 0 {
		r.Headers = nil
	}
	body := requester.Body{Kind: r.Body.Kind}
	switch r.Body.Kind {
	case requester.BodyJSON, requester.BodyXML, requester.BodyText:
		body.Text = r.Body.Text
	case requester.BodyForm:
		body.Form = r.Body.Form
	case requester.BodyMultipart:
		body.Parts = r.Body.Parts
	case requester.BodyFile:
		body.File = r.Body.File
	case requester.BodyGraphQL:
		body.GraphQL = r.Body.GraphQL
	}
	if len(body.Form) == 0 {
		body.Form = nil
	}
	if len(body.Parts) == 0 {
		body.Parts = nil
	}
	r.Body = body
	r.Options.Timeout = r.Options.Timeout.Truncate(time.Millisecond)
	return r
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
	if _, ok := s.(*desktop.CustomShortcut); ok {
		// A focused Entry swallows shortcuts; pass the window's own
		// (Ctrl+T, Ctrl+W, Ctrl+S) on to it.
		if app := fyne.CurrentApp(); app != nil {
			if sc, ok := app.Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
				sc.TypedShortcut(s)
				return
			}
		}
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
