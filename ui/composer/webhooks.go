package composer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// noWebhooks is what the Webhooks tab says while the exchange shown has
// caused none.
const noWebhooks = "No webhooks linked to this call yet. Webhooks that share an id with this response appear here."

// exchange is the history entry a tab's result was kept as: the request
// whose webhooks the Webhooks tab lists. A zero id is none (not sent
// yet, not kept, or its HistoryAdded still on its way).
type exchange struct {
	id int64
	at time.Time // when it was sent: delays are counted from it
}

// webhooksView is the response's Webhooks tab: the captures the
// exchange on display caused (Workspace.Caused), oldest first, kept up
// to date by the workspace's events (CaptureLinked, and the capture
// changes that may remove one) and read through the bridge.
type webhooksView struct {
	c    *Composer
	tab  *container.TabItem
	List *widget.List

	items []capture.Summary
	shown exchange
	empty *widget.RichText
	// entries is the exchange each tab's result was kept as; sent the
	// time of each tab's latest send whose HistoryAdded is yet to come
	// (SendFinished.At, equal to that entry's time).
	entries map[*reqTab]exchange
	sent    map[*reqTab]time.Time
}

func newWebhooksView(c *Composer) *webhooksView {
	v := &webhooksView{c: c, entries: map[*reqTab]exchange{}, sent: map[*reqTab]time.Time{}}
	v.List = widget.NewList(func() int { return len(v.items) }, func() fyne.CanvasObject { return newWebhookRow() }, v.updateRow)
	v.List.OnSelected = func(i widget.ListItemID) {
		v.List.Unselect(i)
		if i < len(v.items) && v.c.OnWebhook != nil {
			v.c.OnWebhook(v.items[i].ID)
		}
	}
	v.empty = widgets.NewMutedFull(noWebhooks, fyne.TextStyle{Italic: true})
	v.empty.Wrapping = fyne.TextWrapWord
	v.tab = container.NewTabItem("Webhooks", container.NewStack(v.List, container.NewPadded(v.empty)))
	v.render()
	return v
}

// handle follows what happened: a send's answer and its history entry
// name the exchange of a tab; links and capture changes refresh the
// list when they may concern the exchange shown.
func (v *webhooksView) handle(events []workspace.Event) {
	reload := false
	for _, e := range events {
		switch e := e.(type) {
		case workspace.SendFinished:
			if t := v.c.Tabs.byID(e.Tab); t != nil {
				v.sent[t] = e.At
				delete(v.entries, t)
			}
		case workspace.HistoryAdded:
			for t, at := range v.sent {
				if at.Equal(e.Entry.Time) {
					v.entries[t] = exchange{id: e.Entry.ID, at: e.Entry.Time}
					delete(v.sent, t)
				}
			}
		case workspace.CaptureLinked:
			reload = reload || (v.shown.id != 0 && e.RequestID == v.shown.id)
		case workspace.CaptureDeleted, workspace.CapturesCleared, workspace.CapturesPruned, workspace.CapturesChanged:
			reload = reload || v.shown.id != 0
		}
	}
	if !v.follow() && reload {
		v.reload()
	}
}

// opened notes that t shows the history entry id, sent at at.
func (v *webhooksView) opened(t *reqTab, id int64, at time.Time) {
	v.entries[t] = exchange{id: id, at: at}
	delete(v.sent, t)
}

// follow shows the webhooks of the tab in view, reading them when its
// exchange is not the one shown; it reports whether it read.
func (v *webhooksView) follow() bool {
	var ex exchange
	if v.c.Tabs != nil && len(v.c.Tabs.tabs) > 0 {
		ex = v.entries[v.c.Tabs.current()]
	}
	for t := range v.entries {
		if !v.c.Tabs.has(t) {
			delete(v.entries, t)
			delete(v.sent, t)
		}
	}
	if ex == v.shown {
		return false
	}
	v.shown = ex
	v.items = nil
	v.render()
	v.reload()
	return true
}

// reload reads the webhooks of the exchange shown through the bridge; a
// newer read replaces one under way.
func (v *webhooksView) reload() {
	ex, ws := v.shown, v.c.ws
	if ex.id == 0 {
		return
	}
	v.c.bridge.Load("composer:webhooks", func(ctx context.Context) func() {
		items, err := ws.Caused(ctx, ex.id)
		return v.c.applying(func() {
			if ex != v.shown {
				return
			}
			switch {
			case errors.Is(err, workspace.ErrNoLinks):
				v.items = nil
				v.render()
				widgets.SetMuted(v.empty, "Webhooks are not linked to calls: captures are kept in memory only.")
			case err != nil:
				v.render()
				widgets.SetMuted(v.empty, "Could not read the linked webhooks: "+err.Error())
				v.empty.Show()
			default:
				v.items = items
				v.render()
			}
		})
	})
}

// render shows the items read last, and their count in the tab's title.
func (v *webhooksView) render() {
	v.tab.Text = tabLabel("Webhooks", len(v.items))
	widgets.SetMuted(v.empty, noWebhooks)
	widgets.SetVisible(v.empty, len(v.items) == 0)
	widgets.SetVisible(v.List, len(v.items) > 0)
	v.List.Refresh()
	if v.c.respTabs != nil {
		v.c.respTabs.Refresh()
	}
}

func (v *webhooksView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < len(v.items) {
		o.(*webhookRow).show(v.items[i], v.shown.at)
	}
}

// Rows is what each row of the Webhooks tab says, in order (tests).
func (v *webhooksView) Rows() []string {
	out := make([]string, len(v.items))
	r := newWebhookRow()
	for i, s := range v.items {
		r.show(s, v.shown.at)
		out[i] = r.text()
	}
	return out
}

// IDs are the ids of the captures listed, in order.
func (v *webhooksView) IDs() []string {
	out := make([]string, len(v.items))
	for i, s := range v.items {
		out[i] = s.ID
	}
	return out
}

// Title is the tab's title: "Webhooks (2)".
func (v *webhooksView) Title() string { return v.tab.Text }

// webhookRow is one linked capture: when it came, method, path, event
// type, signature badge and how long after the call.
type webhookRow struct {
	widget.BaseWidget
	time, method, delay *canvas.Text
	path                *widget.Label
	event               *widget.RichText
	badge               *widgets.SigBadge
	content             fyne.CanvasObject
}

func newWebhookRow() *webhookRow {
	cw := fyne.MeasureText("0", theme.TextSize(), widgets.Mono).Width
	r := &webhookRow{
		// Sample texts so a row measured before any is shown has its size.
		time:   widgets.NewText("00:00:00", widgets.MutedColor(), widgets.Mono),
		method: widgets.NewText("POST", theme.Color(theme.ColorNameForeground), widgets.MonoBold),
		path:   widget.NewLabelWithStyle("/", fyne.TextAlignLeading, widgets.Mono),
		event:  widgets.NewMuted("", widgets.Mono),
		badge:  widgets.NewSigBadge(),
		delay:  widgets.NewText("+0.0 s", widgets.MutedColor(), widgets.Mono),
	}
	r.path.Truncation = fyne.TextTruncateEllipsis
	r.event.Truncation = fyne.TextTruncateEllipsis
	r.delay.Alignment = fyne.TextAlignTrailing
	badgeW := fyne.MeasureText("unsigned", theme.CaptionTextSize(), widgets.Bold).Width + 3*theme.Padding()
	// The time gives way first, then the event type, so the path, the
	// event and the delay stay readable in half of a 1024-pixel window.
	cols := container.New(&widgets.Columns{Widths: []float32{8 * cw, 7 * cw, 0, 20 * cw, badgeW, 7 * cw}, Flex: 2, Gap: cw,
		Drop: []int{0, 3}, MinFlex: 10 * cw},
		r.time, r.method, r.path, r.event, r.badge, r.delay)
	r.content = container.New(widgets.RowInset{}, cols)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the columns made in newWebhookRow.
func (r *webhookRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// show fills the row with s, caused by a call sent at sent.
func (r *webhookRow) show(s capture.Summary, sent time.Time) {
	widgets.SetText(r.time, s.Time.Format("15:04:05"), widgets.MutedColor())
	widgets.SetText(r.method, s.Method, widgets.MethodColor(s.Method))
	r.path.SetText(s.Path)
	widgets.SetMuted(r.event, s.Event)
	r.badge.SetVerdict(s.Signature)
	widgets.SetText(r.delay, delayAfter(s.Time.Sub(sent)), widgets.MutedColor())
}

// text is what the row says, its parts spaced.
func (r *webhookRow) text() string {
	s := r.time.Text + " " + r.method.Text + " " + r.path.Text
	if ev := widgets.MutedText(r.event); ev != "" {
		s += " " + ev
	}
	if w := r.badge.Word(); w != "" {
		s += " " + w
	}
	return s + " " + r.delay.Text
}

// delayAfter says how long after the call a webhook came: "+240 ms",
// "+1.2 s".
func delayAfter(d time.Duration) string {
	switch {
	case d < 0:
		return "−" + delayAfter(-d)[1:]
	case d < time.Second:
		return fmt.Sprintf("+%d ms", d.Milliseconds())
	case d < 100*time.Second:
		return fmt.Sprintf("+%.1f s", d.Seconds())
	}
	return "+" + d.Round(time.Second).String()
}

// byID is the open tab whose sends are named id, nil for none.
func (s *requestTabs) byID(id string) *reqTab {
	for _, t := range s.tabs {
		if t.id == id {
			return t
		}
	}
	return nil
}

// OpenHistory opens the history entry id, request and response, in a
// new tab, as the history list does; the catcher's "caused by" jumps
// here. An entry no longer kept is said so in the sidebar's line.
func (c *Composer) OpenHistory(id int64) {
	store := c.ws.History()
	if store == nil {
		return
	}
	c.bridge.Load("history:open", func(ctx context.Context) func() {
		// With its secrets, as the history list opens it.
		e, err := store.Unmasked(ctx, id)
		return c.applying(func() {
			if err != nil {
				c.ShowNote("That request is no longer in history: " + err.Error())
				return
			}
			c.openHistory(e)
		})
	})
}
