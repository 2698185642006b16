package composer

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/history"
	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
)

// historyShown is how many of the newest matching entries the panel
// lists; the search narrows older ones in.
const historyShown = 500

// historyPanel lists every request sent, newest first, searchable;
// tapping one opens it, with its response, in a new tab.
type historyPanel struct {
	store   *history.Store
	open    func(history.Entry)
	dialogs dialogs.Dialogs
	Search  *widget.Entry
	List    *widget.List
	count   *widget.RichText

	items []history.Summary
	total int
	mu    sync.Mutex // guards query
	query string
	gen   uint64
	stop  chan struct{}

	content fyne.CanvasObject
}

func newHistoryPanel(store *history.Store, open func(history.Entry), dlg dialogs.Dialogs) *historyPanel {
	h := &historyPanel{store: store, open: open, dialogs: dlg, stop: make(chan struct{})}
	h.Search = widget.NewEntry()
	h.Search.SetPlaceHolder("Search method, URL, status…")
	h.Search.OnChanged = func(q string) {
		h.mu.Lock()
		h.query = q
		h.mu.Unlock()
		h.reload()
	}
	h.count = widgets.NewMuted("", fyne.TextStyle{})
	h.List = widget.NewList(func() int { return len(h.items) }, h.newRow, h.updateRow)
	h.List.OnSelected = func(id widget.ListItemID) {
		h.List.Unselect(id)
		if id < len(h.items) {
			h.openID(h.items[id].ID)
		}
	}
	clear := widgets.LowButton("Clear", theme.DeleteIcon(), h.askClear)
	top := container.NewVBox(h.Search, container.NewBorder(nil, nil, nil, clear, h.count))
	h.content = container.NewBorder(top, nil, nil, nil, h.List)
	go h.watch()
	h.reload()
	return h
}

// watch reloads the list whenever the store changes.
func (h *historyPanel) watch() {
	for {
		select {
		case <-h.stop:
			return
		case <-h.store.Changed():
			h.reload()
		}
	}
}

func (h *historyPanel) close() { close(h.stop) }

// reload queries the store off the UI goroutine and shows the answer
// unless a newer query overtook it.
func (h *historyPanel) reload() {
	h.mu.Lock()
	h.gen++
	gen, q := h.gen, h.query
	h.mu.Unlock()
	go func() {
		items, err := h.store.List(q, 0, historyShown)
		total, cerr := h.store.Count(q)
		if err == nil {
			err = cerr
		}
		widgets.Do(func() {
			h.mu.Lock()
			stale := gen != h.gen
			h.mu.Unlock()
			if stale {
				return
			}
			if err != nil {
				widgets.SetMuted(h.count, "History unavailable: "+err.Error())
				return
			}
			h.items, h.total = items, total
			switch {
			case total == 0 && q != "":
				widgets.SetMuted(h.count, "Nothing sent matches.")
			case total == 0:
				widgets.SetMuted(h.count, "Requests you send are kept here.")
			default:
				widgets.SetMuted(h.count, fmt.Sprintf("%d sent", total))
			}
			h.List.Refresh()
		})
	}()
}

func (h *historyPanel) openID(id int64) {
	go func() {
		e, err := h.store.Get(id)
		widgets.Do(func() {
			if err != nil {
				widgets.SetMuted(h.count, "Could not open: "+err.Error())
				return
			}
			h.open(e)
		})
	}()
}

func (h *historyPanel) askClear() {
	h.dialogs.Confirm("Clear history?", "Every request in the history is deleted. Collections are not touched.", func(ok bool) {
		if ok {
			h.clear()
		}
	})
}

func (h *historyPanel) clear() {
	go func() {
		if err := h.store.Clear(); err != nil {
			widgets.Do(func() { widgets.SetMuted(h.count, "Could not clear: "+err.Error()) })
		}
	}()
}

func (h *historyPanel) newRow() fyne.CanvasObject { return newHistoryRow() }

func (h *historyPanel) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < len(h.items) {
		o.(*historyRow).show(h.items[id], time.Now())
	}
}

// historyRow is one request sent: method, status, name or URL, and when.
type historyRow struct {
	widget.BaseWidget
	method, status, when *canvas.Text
	url                  *widget.Label
	content              fyne.CanvasObject
}

func newHistoryRow() *historyRow {
	r := &historyRow{
		// Sample texts so a row measured before any is shown has its size.
		method: widgets.NewText("DELETE", theme.Color(theme.ColorNameForeground), widgets.MonoBold),
		status: widgets.NewText("000", theme.Color(theme.ColorNameForeground), widgets.MonoBold),
		url:    widget.NewLabel(""),
		when:   widgets.NewText("00:00", widgets.MutedColor(), fyne.TextStyle{}),
	}
	r.url.Truncation = fyne.TextTruncateEllipsis
	left := container.NewHBox(container.New(&widgets.Fixed{Width: 58}, r.method), container.New(&widgets.Fixed{Width: 30}, r.status))
	r.content = container.NewBorder(nil, nil, left, r.when, r.url)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the row made in newHistoryRow.
func (r *historyRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// show fills the row with s, its time as seen at now.
func (r *historyRow) show(s history.Summary, now time.Time) {
	r.method.Text, r.method.Color = s.Method, widgets.MethodColor(s.Method)
	if s.Err != "" {
		r.status.Text, r.status.Color = "ERR", theme.Color(theme.ColorNameError)
	} else {
		r.status.Text, r.status.Color = strconv.Itoa(s.Status), widgets.StatusColor(s.Status)
	}
	name := s.URL
	if s.Name != "" && !isUntitled(s.Name) {
		name = s.Name + " · " + s.URL
	}
	r.url.SetText(name)
	r.when.Text, r.when.Color = historyTime(s.Time, now), widgets.MutedColor()
	r.method.Refresh()
	r.status.Refresh()
	r.when.Refresh()
}

func isUntitled(name string) bool {
	var n int
	_, err := fmt.Sscanf(name, "Untitled %d", &n)
	return err == nil
}

// historyTime shows today's entries by the clock and older ones by date.
func historyTime(t, now time.Time) string {
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04:05")
	}
	return t.Format("Jan 2")
}

// responseFromEntry rebuilds what a history entry keeps of a response,
// for showing it again; nil with an error when the request failed.
func responseFromEntry(e history.Entry) (*requester.Response, error) {
	if e.Status == 0 {
		return nil, fmt.Errorf("%s", e.Err)
	}
	return &requester.Response{
		Status: e.Status, StatusText: e.StatusText, Proto: e.Proto, Header: e.RespHeader,
		Body: e.RespBody, Size: e.RespSize, Truncated: e.Truncated, Timings: e.Timings, RemoteAddr: e.RemoteAddr,
		Request: &requester.Prepared{Method: e.Method, URL: e.URL, Header: e.SentHeader, Body: e.SentBody},
	}, nil
}
