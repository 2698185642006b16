// Package catcher is the left panel of Hooklab's window: the catcher's
// URL, the filter bar, the live list of captures paged from the store,
// the selected capture's detail, the response rules, export and Replay.
package catcher

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/codeview"
	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
)

// Filter choices that mean "any": like column headings, they name what
// the select filters on.
const (
	allEndpoints = "Endpoint"
	anyMethod    = "Method"
	anyStatus    = "Status"
)

var statusChoices = []string{anyStatus, "2xx", "3xx", "4xx", "5xx"}

// searchDelay lets a typist finish a word before the store is asked.
const searchDelay = 150 * time.Millisecond

// Catcher is the left panel: the catcher's URL, the filter bar, the live
// list of captures (newest first, paged from the store) and the detail
// of the selected one.
type Catcher struct {
	store capture.Store
	rules capture.RuleStore
	// onRulesChanged tells the catcher server to reload its rules.
	onRulesChanged func()
	url            string
	dialogs        dialogs.Dialogs

	pager      *pager
	selectedID string
	rowH       float32 // see rowHeight
	endpoints  []string

	list      *widget.List
	count     *widget.RichText
	clearBtn  *widget.Button
	copyBtn   *widget.Button
	exportBtn *widget.Button
	rulesBtn  *widget.Button
	listArea  *fyne.Container
	empty     fyne.CanvasObject
	noMatch   fyne.CanvasObject

	Endpoint    *widget.Select
	Method      *widget.Select
	Status      *widget.Select
	Search      *widget.Entry
	searchTimer *time.Timer

	*detail

	rulesView *rulesEditor // the rules editor shown last

	// The live dot, and the bar that says captures are being refused by
	// the store (StoreFailed) until it is dismissed.
	dot        *canvas.Circle
	storeBar   *fyne.Container
	storeMsg   *widget.Label
	storeFails int // shown in the bar (UI goroutine)
	refused    refusals

	// OnUpdated is called after the list took in a reload (tests, demo).
	OnUpdated func()
	// OnReplay opens a request that sends the shown capture again (the
	// composer, in a new tab); nil hides Replay. Bodies that go as files
	// are written to replayDir.
	OnReplay  func(requester.Request)
	replayDir string

	content fyne.CanvasObject
}

// Config is what a Catcher shows and drives.
type Config struct {
	Store capture.Store
	// Rules, when set, makes the catcher's responses editable; call
	// OnRulesChanged after a change so the server reloads them.
	Rules          capture.RuleStore
	OnRulesChanged func()
	URL            string // the catcher's, with a trailing slash
	// Views configures the code views of the detail; Save is added,
	// asking with Dialogs.
	Views []codeview.Option
	// ReplayDir is where Replay writes bodies that go as files (the OS
	// temp dir when empty).
	ReplayDir string
	// Dialogs asks the user (whether to clear, where to export).
	Dialogs dialogs.Dialogs
}

// New builds the panel; call Apply with what Query reads to fill it.
func New(cfg Config) *Catcher {
	c := &Catcher{store: cfg.Store, rules: cfg.Rules, onRulesChanged: cfg.OnRulesChanged, url: cfg.URL, dialogs: cfg.Dialogs, replayDir: cfg.ReplayDir}
	c.pager = newPager(cfg.Store)
	c.pager.onPage = func() { c.list.Refresh() }

	dot := canvas.NewCircle(theme.Color(theme.ColorNameSuccess))
	c.dot = dot
	urlText := widget.NewLabelWithStyle(c.url, fyne.TextAlignLeading, widgets.Mono)
	urlText.Selectable = true
	c.copyBtn = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), c.copyURL)
	c.copyBtn.Importance = widget.LowImportance
	header := container.NewHBox(widgets.SectionTitle("CATCHER"),
		container.NewCenter(container.New(&widgets.Fixed{Width: 10, Height: 10}, dot)), urlText, c.copyBtn)

	// The count sits in the filter row, whose minimum width is well
	// under half the window, so its changing text never moves the split.
	c.count = widgets.NewMutedFull("0 captured", fyne.TextStyle{})
	c.rulesBtn = widgets.LowButton("Responses", theme.SettingsIcon(), c.showRules)
	c.rulesBtn.Hidden = c.rules == nil
	c.exportBtn = widgets.LowButton("Export", theme.DocumentSaveIcon(), c.showExportMenu)
	c.clearBtn = widgets.LowButton("Clear", theme.DeleteIcon(), c.confirmClear)
	c.clearBtn.Disable()
	c.exportBtn.Disable()
	toolbar := container.NewBorder(nil, nil, header,
		container.NewHBox(c.rulesBtn, c.exportBtn, c.clearBtn))

	c.Endpoint = widget.NewSelect([]string{allEndpoints}, nil)
	c.Endpoint.SetSelected(allEndpoints)
	c.Method = widget.NewSelect(append([]string{anyMethod}, widgets.Methods...), nil)
	c.Method.SetSelected(anyMethod)
	c.Status = widget.NewSelect(statusChoices, nil)
	c.Status.SetSelected(anyStatus)
	for _, s := range []*widget.Select{c.Endpoint, c.Method, c.Status} {
		s.OnChanged = func(string) { c.filterChanged(0) }
	}
	c.Search = widget.NewEntry()
	c.Search.SetPlaceHolder("Search…")
	c.Search.ActionItem = widget.NewIcon(theme.SearchIcon())
	c.Search.OnChanged = func(string) { c.filterChanged(searchDelay) }
	filters := container.NewBorder(nil, nil, container.NewHBox(
		container.New(&widgets.Fixed{Width: 145}, c.Endpoint),
		container.New(&widgets.Fixed{Width: 110}, c.Method),
		container.New(&widgets.Fixed{Width: 100}, c.Status),
	), c.count, c.Search)

	c.list = widget.NewList(func() int { return c.pager.total }, c.newRow, c.updateRow)
	c.list.OnSelected = func(id widget.ListItemID) {
		// The row draws its own selection from selectedID, so the list's
		// index-based selection is dropped: new captures arriving on top
		// must not move it or scroll the list.
		c.list.Unselect(id)
		c.Select(id)
	}
	c.empty = c.emptyState()
	c.noMatch = container.NewCenter(widgets.NewMutedFull("No capture matches these filters.", fyne.TextStyle{Italic: true}))
	c.noMatch.Hide()
	c.listArea = container.NewStack(c.list, c.empty, c.noMatch)
	c.list.Hide()

	c.detail = newDetail(c, cfg.Views)
	split := container.NewVSplit(c.listArea, c.detail.area)
	split.Offset = 0.4
	c.storeBar, c.storeMsg = widgets.NewWarningBar(c.dismissStoreFailures)
	c.storeBar.Hide()
	c.content = container.NewBorder(container.NewVBox(toolbar, filters, widget.NewSeparator(), c.storeBar), nil, nil, nil, split)
	return c
}

// StoreFailed reports a capture the store refused (a full disk, say),
// whose sender was answered 503: a bar above the list says why and how
// many until it is dismissed, and the live dot turns to the warning
// colour. Safe to call from any goroutine, as often as captures come:
// reports between two updates of the bar are counted into one.
func (c *Catcher) StoreFailed(err error) {
	r := &c.refused
	r.mu.Lock()
	r.n++
	r.last, r.err = time.Now(), err
	queue := !r.queued
	r.queued = true
	r.mu.Unlock()
	if queue {
		widgets.Do(c.showRefusals)
	}
}

// refusals gathers StoreFailed reports until the UI goroutine shows them.
type refusals struct {
	mu     sync.Mutex
	n      int // reported since they were last shown
	last   time.Time
	err    error
	queued bool // showRefusals is queued
}

func (c *Catcher) showRefusals() {
	r := &c.refused
	r.mu.Lock()
	n, last, err := r.n, r.last, r.err
	r.n, r.queued = 0, false
	r.mu.Unlock()
	if n == 0 {
		return
	}
	c.storeFails += n
	at, cause := last.Format("15:04:05"), refusalCause(err)
	if c.storeFails == 1 {
		c.storeMsg.SetText(fmt.Sprintf("A webhook was not stored at %s: %s. Its sender was answered 503 Service Unavailable; most senders retry.", at, cause))
	} else {
		c.storeMsg.SetText(fmt.Sprintf("%d webhooks were not stored, the last at %s: %s. Their senders were answered 503 Service Unavailable; most senders retry.", c.storeFails, at, cause))
	}
	c.storeBar.Show()
	c.restyleDot()
}

// sqliteCode is the result code SQLite's messages end with, " (13)".
var sqliteCode = regexp.MustCompile(`\s*\(\d+\)$`)

// refusalCause is what a user needs of a store error: the innermost
// cause ("database or disk is full"), without the steps wrapped around
// it (which name a capture that was never stored) or SQLite's code.
func refusalCause(err error) string {
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			break
		}
		err = inner
	}
	return sqliteCode.ReplaceAllString(err.Error(), "")
}

func (c *Catcher) dismissStoreFailures() {
	c.storeFails = 0
	c.storeBar.Hide()
	c.restyleDot()
}

// restyleDot colours the live dot: green while captures are stored,
// the warning colour while refused ones are being reported.
func (c *Catcher) restyleDot() {
	name := theme.ColorNameSuccess
	if c.storeFails > 0 {
		name = theme.ColorNameWarning
	}
	c.dot.FillColor = theme.Color(name)
	c.dot.Refresh()
}

func (c *Catcher) copyURL() {
	fyne.CurrentApp().Clipboard().SetContent(c.url)
	c.copyBtn.SetIcon(theme.ConfirmIcon())
	time.AfterFunc(1500*time.Millisecond, func() { widgets.Do(func() { c.copyBtn.SetIcon(theme.ContentCopyIcon()) }) })
}

func (c *Catcher) emptyState() fyne.CanvasObject {
	icon := widget.NewIcon(theme.DownloadIcon())
	title := widget.NewLabelWithStyle("Waiting for webhooks", fyne.TextAlignCenter, widgets.Bold)
	hint := widget.NewRichText(&widget.TextSegment{
		Text:  "Point any sender at the URL above: every method and path is caught.\nOr press Send on the right to call the built-in sandbox.",
		Style: widget.RichTextStyle{ColorName: widgets.ColorNameMuted, Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameText},
	})
	curl := widget.NewLabelWithStyle("curl -d '{\"hello\":\"hooklab\"}' "+c.url+"demo", fyne.TextAlignCenter, widgets.Mono)
	curl.Selectable = true
	return container.NewCenter(container.NewVBox(container.NewCenter(container.New(&widgets.Fixed{Width: 48, Height: 48}, icon)), title, hint, curl))
}

// currentFilter reads the filter bar.
func (c *Catcher) currentFilter() capture.Filter {
	var f capture.Filter
	if e := c.Endpoint.Selected; e != "" && e != allEndpoints {
		f.Endpoint = strings.TrimPrefix(e, "/")
		if f.Endpoint == "" {
			f.Endpoint = "/"
		}
	}
	if m := c.Method.Selected; m != "" && m != anyMethod {
		f.Method = m
	}
	if s := c.Status.Selected; len(s) == 3 && strings.HasSuffix(s, "xx") {
		f.Status = int(s[0] - '0')
	}
	f.Text = strings.TrimSpace(c.Search.Text)
	return f
}

// filterChanged asks the store again after delay (typing) or at once.
func (c *Catcher) filterChanged(delay time.Duration) {
	gen := c.pager.setFilter(c.currentFilter())
	if c.searchTimer != nil {
		c.searchTimer.Stop()
	}
	run := func() {
		r := c.pager.query()
		widgets.Do(func() { c.Apply(r) })
	}
	if delay == 0 {
		go run()
		return
	}
	c.searchTimer = time.AfterFunc(delay, func() {
		if _, cur := c.pager.snapshot(); cur == gen {
			run()
		}
	})
}

// Query reads what the list needs from the store: the count and first
// page under the filter, and the endpoints. It runs off the UI goroutine;
// hand what it returns to Apply on the UI goroutine.
func (c *Catcher) Query() Reload { return c.pager.query() }

// Apply takes in a fresh count and first page from the store.
func (c *Catcher) Apply(r Reload) {
	if r.err != nil {
		widgets.SetMuted(c.count, "store error: "+r.err.Error())
		return
	}
	filterChanged := r.gen != c.pager.applied
	off := c.list.GetScrollOffset()
	ok, added := c.pager.apply(r)
	if !ok {
		return
	}
	if r.total == r.all {
		widgets.SetMuted(c.count, thousands(r.all)+" captured")
	} else {
		widgets.SetMuted(c.count, thousands(r.total)+" of "+thousands(r.all))
	}
	c.setEndpoints(r.endpoints)
	c.clearBtn.Disable()
	c.exportBtn.Disable()
	if r.all > 0 {
		c.clearBtn.Enable()
		c.exportBtn.Enable()
	}
	c.list.Hidden = r.total == 0
	widgets.SetVisible(c.empty, r.all == 0)
	widgets.SetVisible(c.noMatch, r.all > 0 && r.total == 0)
	c.listArea.Refresh()
	switch {
	case filterChanged:
		c.list.ScrollToTop()
	case off > 0 && added > 0:
		// Keep what the user is looking at in place when rows arrive on top.
		c.list.ScrollToOffset(off + float32(added)*c.rowHeight())
	}
	c.list.Refresh()
	if c.selectedID != "" && r.all == 0 {
		c.selectedID = ""
		c.detail.clear()
	}
	if c.OnUpdated != nil {
		c.OnUpdated()
	}
}

func (c *Catcher) setEndpoints(eps []string) {
	c.endpoints = eps
	opts := make([]string, 0, len(eps)+1)
	opts = append(opts, allEndpoints)
	for _, e := range eps {
		if e == "/" {
			opts = append(opts, "/")
		} else {
			opts = append(opts, "/"+e)
		}
	}
	if strings.Join(opts, "\n") == strings.Join(c.Endpoint.Options, "\n") {
		return
	}
	c.Endpoint.Options = opts
	c.Endpoint.Refresh()
}

func (c *Catcher) newRow() fyne.CanvasObject { return newCaptureRow() }

func (c *Catcher) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	row := o.(*captureRow)
	s, ok := c.pager.item(id)
	if !ok {
		row.loading() // the page is on its way from the store
		return
	}
	row.show(s, s.ID == c.selectedID)
}

// shortType names a media type in a few letters: "json", "form", "xml".
func shortType(mt string) string {
	switch {
	case mt == "":
		return ""
	case strings.Contains(mt, "json"):
		return "json"
	case mt == "application/x-www-form-urlencoded":
		return "form"
	case strings.HasPrefix(mt, "multipart/"):
		return "multipart"
	case strings.Contains(mt, "xml"):
		return "xml"
	case mt == "text/html":
		return "html"
	case mt == "text/plain":
		return "text"
	}
	if _, sub, ok := strings.Cut(mt, "/"); ok && len(sub) <= 10 {
		return sub
	}
	return mt
}

// rowHeight is the list's row pitch, measured once per theme.
func (c *Catcher) rowHeight() float32 {
	if c.rowH == 0 {
		c.rowH = c.newRow().MinSize().Height + theme.Padding()
	}
	return c.rowH
}

// Content is the panel, to be placed in the window.
func (c *Catcher) Content() fyne.CanvasObject { return c.content }

// Total is how many captures the list shows (those the filter lets
// through).
func (c *Catcher) Total() int { return c.pager.total }

// Selected is the id of the capture shown in the detail, "" for none.
func (c *Catcher) Selected() string { return c.selectedID }

// DetailShown reports whether the detail of a capture is on screen.
func (c *Catcher) DetailShown() bool { return !c.pane.Hidden }

// Restyle draws the panel again in the current theme.
func (c *Catcher) Restyle() {
	c.Body.Restyle()
	c.Raw.Restyle()
	c.rowH = 0 // the theme may size text differently
	c.list.Refresh()
	c.restyleDot()
}

// Select shows the capture at list row i.
func (c *Catcher) Select(i int) {
	if s, ok := c.pager.item(i); ok {
		c.selectID(s.ID)
	}
}

func (c *Catcher) selectID(id string) {
	c.selectedID = id
	c.list.Refresh()
	c.detail.load(id)
}

func (c *Catcher) confirmClear() {
	clearAll := func() {
		go func() {
			if err := c.store.Clear(); err != nil {
				widgets.Do(func() { c.showError("Could not clear the captures", err) })
			}
		}()
	}
	c.dialogs.Confirm("Clear all captures?", fmt.Sprintf("This removes all %d captured requests.", c.pager.all), func(ok bool) {
		if ok {
			clearAll()
		}
	})
}

func (c *Catcher) deleteSelected() {
	id := c.selectedID
	if id == "" {
		return
	}
	c.selectedID = ""
	c.detail.clear()
	go func() {
		if err := c.store.Delete(id); err != nil && err != capture.ErrNotFound {
			widgets.Do(func() { c.showError("Could not delete the capture", err) })
		}
	}()
}

func (c *Catcher) showError(title string, err error) {
	c.dialogs.Error(fmt.Errorf("%s: %w", title, err))
}

// thousands writes n with separators: 100000 → "100,000".
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
