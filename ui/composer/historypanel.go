package composer

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester/history"
	"hooklab/ui/widgets"
)

// historyShown is how many of the newest matching entries the panel
// lists; the search narrows older ones in.
const historyShown = 500

// historyPanel lists every request sent, newest first, searchable;
// tapping one opens it, with its response, in a new tab. It reads the
// history through the bridge, again whenever the workspace says it
// changed.
type historyPanel struct {
	c      *Composer
	Search *widget.Entry
	List   *widget.List
	count  *widget.RichText

	items []history.Summary
	total int
	query string

	content fyne.CanvasObject
}

func newHistoryPanel(c *Composer) *historyPanel {
	h := &historyPanel{c: c}
	h.Search = widget.NewEntry()
	h.Search.SetPlaceHolder("Search method, URL, status…")
	h.Search.OnChanged = func(q string) {
		h.query = q
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
	h.reload()
	return h
}

func (h *historyPanel) say(msg string) { widgets.SetMuted(h.count, msg) }

// reload reads the newest entries matching the search off the UI
// goroutine and shows them; a newer reload replaces one under way.
func (h *historyPanel) reload() {
	store, q := h.c.ws.History(), h.query
	h.c.bridge.Load("history:list", func(ctx context.Context) func() {
		items, err := store.ListContext(ctx, q, 0, historyShown)
		total := 0
		if err == nil {
			total, err = store.CountContext(ctx, q)
		}
		return h.c.applying(func() {
			if err != nil {
				h.say("History unavailable: " + err.Error())
				return
			}
			h.items, h.total = items, total
			switch {
			case total == 0 && q != "":
				h.say("Nothing sent matches.")
			case total == 0:
				h.say("Requests you send are kept here.")
			default:
				h.say(fmt.Sprintf("%d sent", total))
			}
			h.List.Refresh()
		})
	})
}

func (h *historyPanel) openID(id int64) {
	store := h.c.ws.History()
	h.c.bridge.Load("history:open", func(ctx context.Context) func() {
		// With its secrets: the request opens as it was sent.
		e, err := store.Unmasked(ctx, id)
		return h.c.applying(func() {
			if err != nil {
				h.say("Could not open: " + err.Error())
				return
			}
			h.c.openHistory(e)
		})
	})
}

func (h *historyPanel) askClear() {
	h.c.dialogs.Confirm("Clear history?", "Every request in the history is deleted. Collections are not touched.", func(ok bool) {
		if ok {
			h.clear()
		}
	})
}

// clear deletes every entry; the workspace's HistoryChanged brings the
// empty list.
func (h *historyPanel) clear() {
	ws := h.c.ws
	h.c.bridge.Go(func(context.Context) func() {
		if err := ws.ClearHistory(); err != nil {
			return h.c.applying(func() { h.say("Could not clear: " + err.Error()) })
		}
		return nil
	})
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
	r.url.SetText(historyTarget(s.Name, s.URL))
	r.when.Text, r.when.Color = historyTime(s.Time, now), widgets.MutedColor()
	r.method.Refresh()
	r.status.Refresh()
	r.when.Refresh()
}

// historyTarget is what a history row says of a request: its name when it
// has one of its own, then the path and query, then the host; a cut row
// loses the host first, and rows to one server differ where their paths
// do.
func historyTarget(name, rawURL string) string {
	target := rawURL
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		target = u.RequestURI() + "  ·  " + u.Host
	}
	if name != "" && !isUntitled(name) {
		return name + " · " + target
	}
	return target
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
