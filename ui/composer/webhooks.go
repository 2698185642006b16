package composer

import (
	"context"
	"errors"
	"fmt"
	"image/color"
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
	badge               *sigBadge
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
		badge:  newSigBadge(),
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
	r.content = container.New(&rowPad{}, cols)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the columns made in newWebhookRow.
func (r *webhookRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// show fills the row with s, caused by a call sent at sent.
func (r *webhookRow) show(s capture.Summary, sent time.Time) {
	setCanvasText(r.time, s.Time.Format("15:04:05"), widgets.MutedColor())
	setCanvasText(r.method, s.Method, widgets.MethodColor(s.Method))
	r.path.SetText(s.Path)
	widgets.SetMuted(r.event, s.Event)
	r.badge.show(s.Signature)
	setCanvasText(r.delay, delayAfter(s.Time.Sub(sent)), widgets.MutedColor())
}

// text is what the row says, its parts spaced.
func (r *webhookRow) text() string {
	s := r.time.Text + " " + r.method.Text + " " + r.path.Text
	if ev := widgets.MutedText(r.event); ev != "" {
		s += " " + ev
	}
	if w := r.badge.text.Text; !r.badge.Hidden && w != "" {
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

func setCanvasText(t *canvas.Text, s string, c color.Color) {
	if t.Text == s && t.Color == c {
		return
	}
	t.Text, t.Color = s, c
	t.Refresh()
}

// rowPad pads a row by a theme padding on the sides and half of one
// above and below, as the catcher's rows are.
type rowPad struct{}

func (rowPad) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	p := theme.Padding()
	for _, o := range objs {
		o.Move(fyne.NewPos(p, p/2))
		o.Resize(fyne.NewSize(size.Width-2*p, size.Height-p))
	}
}

func (rowPad) MinSize(objs []fyne.CanvasObject) fyne.Size {
	p := theme.Padding()
	m := fyne.NewSize(0, 0)
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m.Add(fyne.NewSize(2*p, p))
}

// sigBadge is a signature verdict as the catcher shows it: a small word
// on the verdict's colour (widgets.SignatureColor), hidden without one.
type sigBadge struct {
	widget.BaseWidget
	bg   *canvas.Rectangle
	text *canvas.Text
}

func newSigBadge() *sigBadge {
	b := &sigBadge{bg: canvas.NewRectangle(nil), text: canvas.NewText("", nil)}
	b.bg.CornerRadius = theme.InputRadiusSize()
	b.text.TextStyle = widgets.Bold
	b.text.TextSize = theme.CaptionTextSize()
	b.text.Alignment = fyne.TextAlignCenter
	b.Hidden = true
	b.ExtendBaseWidget(b)
	return b
}

func (b *sigBadge) show(v *capture.Verdict) {
	word := ""
	switch {
	case v == nil:
	case v.Valid:
		word = "valid"
	case !v.Signed():
		word = "unsigned"
	default:
		word = "invalid"
	}
	b.Hidden = word == ""
	if word == "" {
		return
	}
	bg := widgets.SignatureColor(v.Valid, v.Signed())
	b.bg.FillColor = bg
	b.text.Text, b.text.Color = word, widgets.TextOn(bg)
	b.text.TextSize = theme.CaptionTextSize()
	b.Refresh()
}

// CreateRenderer draws the word on its colour.
func (b *sigBadge) CreateRenderer() fyne.WidgetRenderer { return &sigBadgeRenderer{b: b} }

type sigBadgeRenderer struct{ b *sigBadge }

func (r *sigBadgeRenderer) pad() fyne.Size {
	p := theme.Padding()
	return fyne.NewSize(p*1.5, p/2)
}

// Layout fits the rectangle to the word, at the leading edge, centred
// in the height, as the catcher's badges are.
func (r *sigBadgeRenderer) Layout(size fyne.Size) {
	ts := fyne.MeasureText(r.b.text.Text, r.b.text.TextSize, r.b.text.TextStyle)
	w := min(size.Width, ts.Width+2*r.pad().Width)
	h := min(size.Height, ts.Height+2*r.pad().Height)
	pos := fyne.NewPos(0, (size.Height-h)/2)
	r.b.bg.Move(pos)
	r.b.bg.Resize(fyne.NewSize(w, h))
	r.b.text.Move(pos)
	r.b.text.Resize(fyne.NewSize(w, h))
}

func (r *sigBadgeRenderer) MinSize() fyne.Size {
	ts := fyne.MeasureText(r.b.text.Text, r.b.text.TextSize, r.b.text.TextStyle)
	return ts.Add(r.pad()).Add(r.pad())
}

func (r *sigBadgeRenderer) Refresh() {
	r.b.bg.Refresh()
	r.b.text.Refresh()
	r.Layout(r.b.Size())
}

func (r *sigBadgeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.b.bg, r.b.text}
}

func (r *sigBadgeRenderer) Destroy() {}

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
