// Package composer is the right panel of Hooklab's window: build a
// request, send it and see the answer, in tabs, beside a sidebar of
// collections and history.
package composer

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/ui/bridge"
	"hooklab/ui/codeview"
	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// watchInterval is how often the collection folders are checked for
// changes made outside the app; zero is collection.DefaultWatchInterval
// (tests make it short).
var watchInterval time.Duration

// Composer is the right panel: build a request, send it, see the answer.
// It edits one request at a time; tabs keep the others.
type Composer struct {
	ws       *workspace.Workspace
	bridge   *bridge.Bridge
	builtins requester.Vars
	dialogs  dialogs.Dialogs
	// session keeps the open tabs between runs; nil without a data
	// directory.
	session *workspace.Session
	// colls is the collections workspace; nil without a data directory.
	colls *workspace.Collections
	life  life
	// answers are the responses of sends not yet both returned and
	// taken by their tab; inflight the tabs sending, by id.
	answers  answers
	inflight map[string]*reqTab

	Method     *widget.SelectEntry
	URL        *sendEntry
	SendButton *widget.Button
	Params     *rowTable
	Headers    *rowTable
	Body       *bodyEditor
	Auth       *authEditor
	Options    *optionsEditor
	autoHdrs   *widget.RichText
	header     *fyne.Container // above the Params, Headers, Body tabs; of fixed height
	reqTabs    *container.AppTabs
	paramsTab  *container.TabItem
	headersTab *container.TabItem
	optionsTab *container.TabItem
	inlineErr  *widget.Label
	varsHint   *widget.RichText
	preview    *widget.RichText // the URL with its variables filled in
	curlNote   *widget.Label
	// flash confirms a copy for flashFor; after runs f on the UI
	// goroutine once d has passed (tests run it when they choose).
	flash  *widget.Label
	after  func(d time.Duration, f func())
	flashN int
	// exampleNote says what an example opened from the Examples menu
	// does, or what the tamper switch did; Load hides it.
	exampleNote *widget.Label
	examplesBtn *widget.Button
	// TimelineButton opens the window's timeline; nil without
	// Config.OnTimeline.
	TimelineButton *widget.Button

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
	// Webhooks lists the captures the exchange shown caused.
	Webhooks *webhooksView
	// Compare compares the response shown with a capture.
	Compare *responseCompare

	Tabs    *requestTabs
	sidebar *sidebar // nil without history and workspace

	// env returns the active environment's name and variables (the
	// collection's and the environment's, merged); nil means none.
	env func() (string, requester.Vars)
	// sendable applies a collection file's inherited settings at send
	// time (collectionsPanel.sendable); nil without collections.
	sendable func(root, rel string, r requester.Request) (requester.Request, []requester.Var, error)
	syncing  bool
	lastURL  string // the URL before the latest edit // URL and params are being synced; edits are not the user's
	loading  bool   // Load is filling the editor
	// OnWebhook is called with a capture's id when a row of the Webhooks
	// tab is tapped (the window selects it in the catcher).
	OnWebhook func(captureID string)
	// OnResponse is called on the UI goroutine after a response or error
	// was shown (tests and the demo use it).
	OnResponse func(*requester.Response, error)

	content fyne.CanvasObject
}

// Config is what a Composer sends with and keeps.
type Config struct {
	// Workspace sends the requests (with its built-in variables and
	// cookie jars) and keeps their history; its data directory holds
	// the collections the app creates, the secret values of
	// environments and the open tabs between runs. Without a data
	// directory there are no collections and no saved tabs; without a
	// history, no history list.
	Workspace *workspace.Workspace
	// Bridge brings the workspace's events and the results of work run
	// off the UI goroutine (sends, history and collection reads) to
	// the composer.
	Bridge *bridge.Bridge
	// Views configures the code view of the response's body; Save is
	// added, asking with Dialogs.
	Views []codeview.Option
	// OnFind is called for Ctrl+F in the URL and body fields; nil leaves
	// the shortcut to them.
	OnFind func()
	// OnFold is called after the sidebar was shown or hidden, so the
	// window can give the composer more room while it shows.
	OnFold func(shown bool)
	// Dialogs asks the user (whether to drop edits, names, files).
	Dialogs dialogs.Dialogs
	// OnTimeline, when set, adds a Timeline button to the tab bar that
	// calls it (the window opens its timeline).
	OnTimeline func()
}

// New builds the composer, holding the open tabs of the last run or the
// example request.
func New(cfg Config) *Composer {
	c := newComposer(cfg.Workspace, cfg.Bridge, cfg.Dialogs, cfg.Views)
	c.URL.onFind = cfg.OnFind
	c.Body.Text.onFind = cfg.OnFind
	c.attachSidebar()
	if c.sidebar != nil {
		c.sidebar.onFold = cfg.OnFold
	}
	c.bridge.Handle(c.onUI(c.Webhooks.handle))
	if cfg.OnTimeline != nil {
		c.TimelineButton = widgets.LowButton("Timeline", theme.HistoryIcon(), cfg.OnTimeline)
		c.Tabs.extra.Objects = append([]fyne.CanvasObject{c.TimelineButton}, c.Tabs.extra.Objects...)
		c.Tabs.bar.Shorten(c.TimelineButton)
	}
	c.bridge.Handle(c.onUI(c.handle))
	return c
}

// confirm asks a yes/no question with buttons named yes and no.
func (c *Composer) confirm(title, msg, yes, no string, then func(bool)) {
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	c.dialogs.CustomConfirm(title, yes, no, l, fyne.NewSize(460, 0), then)
}

// Content is the panel, to be placed in the window.
func (c *Composer) Content() fyne.CanvasObject { return c.content }

// Open shows r in a new tab.
func (c *Composer) Open(r requester.Request) { c.Tabs.open(r, "", "") }

// Stop ends what produces work for the composer and waits for it: the
// watchers of the collection folders stop, the elapsed-time tickers of
// sends end, and from its return on nothing the bridge delivers or
// applies changes the composer, so the open tabs can be saved while
// the bridge closes. The workspace's Stop cancels the sends in flight.
// Call Stop before the bridge's Close and the session's save; it may be
// called from any goroutine, but not from a function the bridge runs.
func (c *Composer) Stop() {
	if c.colls != nil {
		c.colls.Stop()
	}
	c.life.stop()
}

// Close releases what the tabs hold (the temporary files of big
// responses, answers that never reached their tab). Call it after Stop,
// once the session is saved.
func (c *Composer) Close() {
	c.Stop()
	for _, t := range c.Tabs.tabs {
		t.setResult(nil, nil)
	}
	c.answers.closeUntaken()
	c.sidebar = nil
}

// ShowNote shows msg in the collections sidebar's status line, or hides
// it when msg is ""; without a workspace there is no such line.
func (c *Composer) ShowNote(msg string) {
	if s := c.sidebar; s != nil && s.Collections != nil {
		s.Collections.say(msg)
	}
}

// Note is what the collections sidebar's status line says.
func (c *Composer) Note() string {
	if s := c.sidebar; s != nil && s.Collections != nil && s.Collections.status.Visible() {
		return s.Collections.status.Text
	}
	return ""
}

func newComposer(ws *workspace.Workspace, b *bridge.Bridge, dlg dialogs.Dialogs, views []codeview.Option) *Composer {
	vars := ws.Vars()
	c := &Composer{ws: ws, bridge: b, builtins: vars, dialogs: dlg, inflight: map[string]*reqTab{}}
	c.life.done = make(chan struct{})
	c.loading = true // widgets report their initial values as edits

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
	c.exampleNote = widget.NewLabel("")
	c.exampleNote.Wrapping = fyne.TextWrapWord
	c.exampleNote.Hide()
	c.preview = widget.NewRichText()
	c.preview.Truncation = fyne.TextTruncateEllipsis
	c.preview.Hide()
	c.varsHint = widgets.NewMuted("", fyne.TextStyle{})
	c.varsHint.Truncation = fyne.TextTruncateEllipsis
	c.flash = widget.NewLabel("")
	c.flash.Importance = widget.SuccessImportance
	c.flash.Hide()
	c.after = func(d time.Duration, f func()) { time.AfterFunc(d, func() { widgets.Do(c.applying(f)) }) }

	c.Params = newRowTable("Parameter", "Value", c.Send)
	c.Params.onChanged = c.paramsChanged
	c.Headers = newRowTable("Header", "Value", c.Send, withNames(commonHeaders))
	c.Headers.onChanged = c.edited
	c.autoHdrs = widgets.NewMutedFull("", fyne.TextStyle{Italic: true})
	c.autoHdrs.Wrapping = fyne.TextWrapWord
	c.Body = newBodyEditor(c.Send, c.edited, dlg)
	c.Auth = newAuthEditor(c.Send, c.edited)
	c.Auth.inherited = c.inheritedAuth
	c.Options = newOptionsEditor(c.Send, c.edited, dlg)
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
	c.examplesBtn = c.newExamplesButton()
	c.Tabs.extra.Add(c.examplesBtn)
	c.Tabs.bar.Shorten(c.examplesBtn)
	c.header = container.NewVBox(c.Tabs.content, urlRow, c.notesBox())
	request := container.NewBorder(c.header, nil, nil, nil, c.reqTabs)
	c.Tabs.row.onWrap = request.Refresh

	c.Status = widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	c.StatusMeta = widgets.NewMuted("Press Send to see the response here.", fyne.TextStyle{})
	c.RespBody = codeview.New(slices.Concat(views, dialogs.CodeViewSave(dlg))...)
	c.Compare = newResponseCompare(c, slices.Concat(views, dialogs.CodeViewSave(dlg)))
	c.RespHeaders = widgets.NewPairTable(": ", "no headers")
	c.Cookies = widgets.NewPairTable("=", "no cookies")
	c.Timing = NewWaterfall()
	c.RespRaw = codeview.New()
	c.respHdrTab = container.NewTabItem("Headers", c.RespHeaders)
	clearJar := widgets.LowButton("Clear cookie jar", theme.DeleteIcon(), c.clearCookies)
	c.cookiesTab = container.NewTabItem("Cookies", container.NewBorder(container.NewHBox(clearJar), nil, nil, nil, c.Cookies))
	c.Webhooks = newWebhooksView(c)
	c.respTabs = container.NewAppTabs(container.NewTabItem("Body", c.RespBody), c.respHdrTab, c.cookiesTab,
		container.NewTabItem("Timing", container.NewVScroll(c.Timing)), c.Webhooks.tab, container.NewTabItem("Raw", c.RespRaw))
	respTitle := widgets.SectionTitle("RESPONSE")
	respLine := container.NewBorder(nil, nil, container.NewHBox(respTitle, c.Status), c.Compare.Button, c.StatusMeta)
	response := container.NewBorder(container.NewVBox(widget.NewSeparator(), respLine), nil, nil, nil, c.respTabs)

	split := container.NewVSplit(request, response)
	split.Offset = 0.45
	c.content = split
	c.loading = false
	c.Tabs.open(workspace.ExampleRequest(), "", "")
	c.showHint()
	return c
}
