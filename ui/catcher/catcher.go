// Package catcher is the left panel of Hooklab's window: the catcher's
// URL, the filter bar, the live list of captures paged from the store,
// the selected capture's detail, the response rules, export and Replay.
package catcher

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/bridge"
	"hooklab/ui/codeview"
	"hooklab/ui/compare"
	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// Filter choices that mean "any": like column headings, they name what
// the select filters on.
const (
	allEndpoints = "Endpoint"
	anyMethod    = "Method"
	anyStatus    = "Status"
	anyEvent     = "Event"
)

var statusChoices = []string{anyStatus, "2xx", "3xx", "4xx", "5xx"}

// searchDelay lets a typist finish a word before the store is asked.
const searchDelay = 150 * time.Millisecond

// Catcher is the left panel: the catcher's URL, the filter bar, the live
// list of captures (newest first, paged from the store) and the detail
// of the selected one. It reads the workspace only through the bridge.
type Catcher struct {
	ws     *workspace.Workspace
	bridge *bridge.Bridge
	// store is the workspace's capture store, read through the bridge
	// (tests count its reads).
	store   capture.Store
	url     string
	dialogs dialogs.Dialogs

	pager      *pager
	follow     follow
	selectedID string
	rowH       float32 // see rowHeight

	list     *captureList
	urlText  *widget.Label
	count    *widget.RichText
	clearBtn *widget.Button
	copyBtn  *widget.Button
	// copied confirms a copy of the URL: the button's tick and
	// "Copied" in the URL's place for widgets.CopiedFor. Its timer runs
	// on the bridge, so closing the window cancels it.
	copied    widgets.Confirmer
	exposed   *exposedBadge // shown when other computers can reach the catcher
	exportBtn *widget.Button
	rulesBtn  *widget.Button
	sigBtn    *widget.Button
	listArea  *fyne.Container
	empty     fyne.CanvasObject
	noMatch   fyne.CanvasObject
	// ClearFilters, under "No capture matches", sets every filter back.
	ClearFilters *widget.Button
	filterBar    *filterRows
	// undo offers to undo a delete; undone is the capture it restores.
	undo   *undoBar
	undone *capture.Capture

	Endpoint *widget.Select
	Method   *widget.Select
	Status   *widget.Select
	// Event offers the event types seen on the list (Filter.Event).
	Event  *widget.Select
	Search *widget.Entry

	*detail

	rulesView *rulesEditor // the rules editor shown last
	sigView   *sigEditor   // the signatures editor shown last
	// compareView shows the differences compared last.
	compareView   *compare.View
	comparePicker *compare.Picker // the picker shown last
	// forwardView is the forwarding editor shown last.
	forwardView *forwardingEditor

	// The live dot, and the bar that says captures are being refused by
	// the store (CaptureRefused) until it is dismissed.
	dot        *canvas.Circle
	storeBar   *fyne.Container
	storeMsg   *widget.Label
	storeFails int // shown in the bar
	// diskRow offers a way out of a full disk under the bar (badge.go).
	diskRow *fyne.Container
	freeBtn *widget.Button

	// OnUpdated is called after the list took in captures that arrived
	// or a read of the store (tests, demo).
	OnUpdated func()
	// OnReplay opens a request that sends the shown capture again (the
	// composer, in a new tab); nil hides Replay.
	OnReplay func(requester.Request)
	// OnOpenRequest opens the history entry id, request and response (the
	// composer); the "caused by" line's button calls it, nil hides it.
	OnOpenRequest func(id int64)

	content fyne.CanvasObject
}

// Config is what a Catcher shows and drives.
type Config struct {
	// Workspace holds the captures and the response rules, and serves
	// the catcher (its URL is shown).
	Workspace *workspace.Workspace
	// Bridge is the window's one bridge: the catcher takes its events
	// from it and reads the workspace through it. Start it once the
	// panels are built.
	Bridge *bridge.Bridge
	// Views configures the code views of the detail; Save is added,
	// asking with Dialogs.
	Views []codeview.Option
	// Dialogs asks the user (whether to clear, where to export).
	Dialogs dialogs.Dialogs
}

// New builds the panel and starts reading the list through the bridge.
func New(cfg Config) *Catcher { return newCatcher(cfg, cfg.Workspace.Store()) }

// newCatcher is New reading captures from store (tests wrap the
// workspace's to count its reads).
func newCatcher(cfg Config, store capture.Store) *Catcher {
	c := &Catcher{ws: cfg.Workspace, bridge: cfg.Bridge, store: store, url: cfg.Workspace.CatcherURL(), dialogs: cfg.Dialogs}
	c.pager = newPager(store, cfg.Bridge)
	c.pager.onPage = func() {
		c.setEvents(c.pager.events)
		c.list.Refresh()
	}

	dot := canvas.NewCircle(theme.Color(theme.ColorNameSuccess))
	c.dot = dot
	urlText := widget.NewLabelWithStyle(c.url, fyne.TextAlignLeading, widgets.Mono)
	urlText.Selectable = true
	c.urlText = urlText
	c.copyBtn = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), c.copyURL)
	c.copyBtn.Importance = widget.LowImportance
	// The buttons lose their words before the URL is cut; on a panel
	// too narrow even then, the URL gives way (cut with an ellipsis;
	// Copy copies it whole).
	urlText.Truncation = fyne.TextTruncateEllipsis
	urlWidth := fyne.MeasureText(c.url, theme.TextSize(), widgets.Mono).Width + 2*theme.InnerPadding()
	title := widgets.SectionTitle("CATCHER")
	c.exposed = newExposedBadge(cfg.Workspace, cfg.Dialogs)
	header := container.NewHBox(title, container.NewCenter(container.New(&widgets.Fixed{Width: 10, Height: 10}, dot)), c.exposed)

	// The count sits in the filter row, whose minimum width is well
	// under half the window, so its changing text never moves the split.
	c.count = widgets.NewMutedFull("0 captured", fyne.TextStyle{})
	c.rulesBtn = widgets.LowButton("Responses", theme.SettingsIcon(), c.showRules)
	c.sigBtn = widgets.LowButton("Signatures", theme.AccountIcon(), c.showSignatures)
	c.exportBtn = widgets.LowButton("Export", theme.DocumentSaveIcon(), c.showExportMenu)
	c.clearBtn = widgets.LowButton("Clear", theme.DeleteIcon(), c.confirmClear)
	c.clearBtn.Disable()
	c.exportBtn.Disable()
	bar := widgets.NewBar(urlWidth, c.rulesBtn, c.sigBtn, c.exportBtn, c.clearBtn)
	if c.exposed.Visible() {
		// On a narrow row the badge keeps its warning icon; tapped, it
		// still says what it means. (Hidden, its words must not count.)
		bar.Shorten(c.exposed.Button)
	}
	toolbar := container.New(&titledBar{Bar: bar, title: title, header: header, url: urlWidth, buttons: 5}, header, urlText,
		container.NewHBox(c.copyBtn, c.rulesBtn, c.sigBtn, c.exportBtn, c.clearBtn))

	c.Endpoint = widget.NewSelect([]string{allEndpoints}, nil)
	c.Endpoint.SetSelected(allEndpoints)
	c.Method = widget.NewSelect(append([]string{anyMethod}, widgets.Methods...), nil)
	c.Method.SetSelected(anyMethod)
	c.Status = widget.NewSelect(statusChoices, nil)
	c.Status.SetSelected(anyStatus)
	c.Event = widget.NewSelect([]string{anyEvent}, nil)
	c.Event.SetSelected(anyEvent)
	for _, s := range []*widget.Select{c.Endpoint, c.Method, c.Status, c.Event} {
		s.OnChanged = func(string) { c.filterChanged(0) }
	}
	c.Search = widget.NewEntry()
	c.Search.SetPlaceHolder("Search…")
	c.Search.ActionItem = widget.NewIcon(theme.SearchIcon())
	c.Search.OnChanged = func(string) { c.filterChanged(searchDelay) }
	// The selects keep the width of their choice; on a narrow panel the
	// search and the count go to a second row.
	c.filterBar = &filterRows{selects: []*widget.Select{c.Endpoint, c.Method, c.Status, c.Event}, search: c.Search, count: c.count}
	filters := container.New(c.filterBar, c.Endpoint, c.Method, c.Status, c.Event, c.Search, c.count)

	c.list = newCaptureList(c)
	c.list.OnSelected = func(id widget.ListItemID) {
		// The row draws its own selection from selectedID, so the list's
		// index-based selection is dropped: new captures arriving on top
		// must not move it or scroll the list.
		c.list.Unselect(id)
		c.Select(id)
	}
	c.empty = c.emptyState()
	c.ClearFilters = widget.NewButtonWithIcon("Clear filters", theme.ContentClearIcon(), c.clearFilters)
	c.noMatch = container.NewCenter(container.NewVBox(
		widgets.NewMutedFull("No capture matches these filters.", fyne.TextStyle{Italic: true}),
		container.NewCenter(c.ClearFilters)))
	c.noMatch.Hide()
	c.undo = newUndoBar(c.undoDelete)
	c.listArea = container.NewStack(c.list, c.empty, c.noMatch, c.undo.holder)
	c.list.Hide()

	c.detail = newDetail(c, cfg.Views)
	split := container.NewVSplit(c.listArea, c.detail.area)
	split.Offset = 0.4
	c.storeBar, c.storeMsg = widgets.NewWarningBar(c.dismissStoreFailures)
	c.storeBar.Hide()
	c.diskRow = c.newDiskFullRow()
	c.content = container.NewBorder(container.NewVBox(toolbar, filters, widget.NewSeparator(), c.storeBar, c.diskRow), nil, nil, nil, split)
	content := c.content.(*fyne.Container)
	c.filterBar.onRows = func() {
		// Laid out again once this layout is done: the bar's height
		// changed with its rows.
		widgets.Do(content.Refresh)
	}
	c.bridge.Handle(c.handle)
	c.reload(0) // the first fill
	return c
}

// showRefusals says that captures were refused by the store (a full
// disk, say) and their senders answered 503: a bar above the list says
// why and how many until it is dismissed, and the live dot turns to the
// warning colour. The bridge hands a flood of them over in few batches.
func (c *Catcher) showRefusals(refused []workspace.CaptureRefused) {
	c.storeFails += len(refused)
	last := refused[len(refused)-1]
	at, cause := last.Time, last.Cause
	if at.IsZero() {
		at = time.Now()
	}
	if cause == "" && last.Err != nil {
		cause = capture.RefusalCause(last.Err)
	}
	switch {
	case c.sayDiskFull(last, at):
	case c.storeFails == 1:
		c.storeMsg.SetText(fmt.Sprintf("A webhook was not stored at %s: %s. Its sender was answered 503 Service Unavailable; most senders retry.", at.Format("15:04:05"), cause))
	default:
		c.storeMsg.SetText(fmt.Sprintf("%d webhooks were not stored, the last at %s: %s. Their senders were answered 503 Service Unavailable; most senders retry.", c.storeFails, at.Format("15:04:05"), cause))
	}
	c.storeBar.Show()
	c.restyleDot()
}

func (c *Catcher) dismissStoreFailures() {
	c.storeFails = 0
	c.storeBar.Hide()
	c.diskRow.Hide()
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
	widgets.CopyText(c.url)
	if c.copied.After == nil {
		c.copied.After = func(d time.Duration, f func()) {
			c.bridge.Go(func(ctx context.Context) func() {
				t := time.NewTimer(d)
				defer t.Stop()
				select {
				case <-t.C:
					return f
				case <-ctx.Done():
					return nil
				}
			})
		}
	}
	// The URL's label is cut to its room, so a shorter text in its
	// place moves nothing.
	c.copied.Show(func() {
		c.copyBtn.SetIcon(theme.ConfirmIcon())
		c.urlText.SetText("Copied")
	}, func() {
		c.copyBtn.SetIcon(theme.ContentCopyIcon())
		c.urlText.SetText(c.url)
	})
}

func (c *Catcher) emptyState() fyne.CanvasObject {
	icon := widget.NewIcon(theme.DownloadIcon())
	title := widget.NewLabelWithStyle("Waiting for webhooks", fyne.TextAlignCenter, widgets.Bold)
	hint := widget.NewRichText(&widget.TextSegment{
		// Short lines: the panel may be narrow (a 1024 px window), and
		// the empty state must fit it without a sideways scrollbar.
		Text:  "Point any sender at the URL above:\nevery method and path is caught.\nOr press Send on the right\nto call the built-in sandbox.",
		Style: widget.RichTextStyle{ColorName: widgets.ColorNameMuted, Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameText},
	})
	// The command on two lines, joined by the shell's backslash, so it
	// still pastes as one.
	curl := widget.NewLabelWithStyle("curl -d '{\"hello\":\"hooklab\"}' \\\n  "+c.url+"demo", fyne.TextAlignLeading, widgets.Mono)
	curl.Selectable = true
	return container.NewCenter(container.NewVBox(container.NewCenter(container.New(&widgets.Fixed{Width: 48, Height: 48}, icon)), title, hint, container.NewCenter(curl)))
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
	if e := c.Event.Selected; e != "" && e != anyEvent {
		f.Event = e
	}
	f.Text = strings.TrimSpace(c.Search.Text)
	return f
}

// filterChanged reads the list again under the filter bar's filter,
// after delay (typing) or at once.
func (c *Catcher) filterChanged(delay time.Duration) {
	c.pager.setFilter(c.currentFilter())
	c.reload(delay)
}

func (c *Catcher) setEndpoints(eps []string) {
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

// setEvents offers the event types seen in the Event filter.
func (c *Catcher) setEvents(events []string) {
	if len(c.Event.Options) == len(events)+1 {
		return // events only grow
	}
	c.Event.Options = append([]string{anyEvent}, events...)
	c.Event.Refresh()
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

// confirmClear asks, then clears off the UI goroutine; the list
// follows from the event.
func (c *Catcher) confirmClear() {
	c.dialogs.Confirm("Clear all captures?", fmt.Sprintf("This removes all %d captured requests.", c.pager.all), func(ok bool) {
		if ok {
			c.write("Could not clear the captures", c.ws.ClearCaptures)
		}
	})
}

// clearFilters sets every filter back to "any" and empties the search.
func (c *Catcher) clearFilters() {
	for _, s := range []*widget.Select{c.Endpoint, c.Method, c.Status, c.Event} {
		s.OnChanged = nil
	}
	c.Endpoint.SetSelected(allEndpoints)
	c.Method.SetSelected(anyMethod)
	c.Status.SetSelected(anyStatus)
	c.Event.SetSelected(anyEvent)
	for _, s := range []*widget.Select{c.Endpoint, c.Method, c.Status, c.Event} {
		s.OnChanged = func(string) { c.filterChanged(0) }
	}
	c.Search.OnChanged = nil
	c.Search.SetText("")
	c.Search.OnChanged = func(string) { c.filterChanged(searchDelay) }
	c.filterChanged(0)
}

// write runs a change of the workspace through the bridge and says
// what went wrong, titled title.
func (c *Catcher) write(title string, change func() error) {
	c.bridge.Go(func(context.Context) func() {
		if err := change(); err != nil {
			return func() { c.showError(title, err) }
		}
		return nil
	})
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
