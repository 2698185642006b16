package catcher

import (
	"context"
	"fmt"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/widgets"
	"hooklab/workspace"
	"hooklab/workspace/link"
)

// causedBy is the detail's line that names the request a capture was
// caused by (Workspace.CausedBy): "caused by POST /v1/payments
// (12:01:02, 201)", with a button that opens that request and its
// response in the composer. The line keeps its height while it is
// empty, so a link that arrives while the capture is shown moves
// nothing below it.
type causedBy struct {
	c *Catcher

	label          *canvas.Text // "caused by"
	method, status *canvas.Text
	target         *widget.Label
	when           *canvas.Text // "(12:01:02, " … ")"
	open           *widget.Button
	row            *fyne.Container
	line           fyne.CanvasObject

	shown  string // the capture whose cause is on the line
	linked link.Link
	has    bool
}

func newCausedBy(c *Catcher) *causedBy {
	b := &causedBy{c: c}
	b.label = widgets.NewText("caused by", widgets.MutedColor(), fyne.TextStyle{})
	b.method = widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	b.target = widget.NewLabelWithStyle("", fyne.TextAlignLeading, widgets.Mono)
	b.target.Truncation = fyne.TextTruncateEllipsis
	b.when = widgets.NewText("", widgets.MutedColor(), fyne.TextStyle{})
	b.status = widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	b.open = widgets.LowButton("Open request", theme.NavigateNextIcon(), b.jump)
	left := container.NewHBox(b.label, b.method)
	// "(12:01:02, 201)" reads as one piece: no gaps inside it.
	tight := layout.NewCustomPaddedHBoxLayout(0)
	when := container.New(tight, b.when, b.status, widgets.NewText(")", widgets.MutedColor(), fyne.TextStyle{}))
	b.row = container.NewBorder(nil, nil, left, b.open, container.New(packedLead{}, b.target, when))
	b.row.Hide()
	// The line's height is the button's, shown or not.
	keep := canvas.NewRectangle(nil)
	keep.SetMinSize(fyne.NewSize(0, b.open.MinSize().Height))
	b.line = container.NewStack(keep, b.row)
	c.bridge.Handle(b.handle)
	return b
}

// handle reads the cause again when the capture shown was linked (its
// webhook can arrive before its response is recorded), or when another
// process sharing the data directory wrote (it links what it catches).
func (b *causedBy) handle(events []workspace.Event) {
	if b.shown == "" {
		return
	}
	for _, e := range events {
		switch e := e.(type) {
		case workspace.CaptureLinked:
			if e.CaptureID != b.shown {
				continue
			}
		case workspace.CapturesChanged:
		default:
			continue
		}
		b.load(b.shown)
		return
	}
}

// load reads the cause of the capture id through the bridge and shows
// it; until then the line shows the cause of id if it had it already.
func (b *causedBy) load(id string) {
	if id != b.shown {
		b.shown, b.has = id, false
		b.render()
	}
	ws := b.c.ws
	b.c.bridge.Load("catcher:cause", func(ctx context.Context) func() {
		l, ok, err := ws.CausedBy(ctx, id)
		return func() {
			if id != b.shown {
				return
			}
			b.linked, b.has = l, ok && err == nil
			b.render()
		}
	})
}

func (b *causedBy) render() {
	if !b.has {
		b.row.Hide()
		return
	}
	r := b.linked.Request
	b.method.Text, b.method.Color = r.Method, widgets.MethodColor(r.Method)
	b.method.Refresh()
	b.target.SetText(requestPath(r.URL))
	b.when.Text = "(" + r.Time.Format("15:04:05") + ", "
	b.when.Refresh()
	b.status.Text, b.status.Color = fmt.Sprint(r.Status), widgets.StatusColor(r.Status)
	b.status.Refresh()
	widgets.SetVisible(b.open, b.c.OnOpenRequest != nil)
	b.row.Show()
}

func (b *causedBy) jump() {
	if b.has && b.c.OnOpenRequest != nil {
		b.c.OnOpenRequest(b.linked.Request.ID)
	}
}

// text is what the line says: "caused by POST /v1/payments (12:01:02,
// 201)", "" when the capture has no known cause.
func (b *causedBy) text() string {
	if b.row.Hidden {
		return ""
	}
	return fmt.Sprintf("%s %s %s %s%s)", b.label.Text, b.method.Text, b.target.Text, b.when.Text, b.status.Text)
}

// packedLead lays out a label and what follows it on one line, the
// label as wide as its text when there is room, so the second follows
// it closely; cut with an ellipsis when there is not.
type packedLead struct{}

func (packedLead) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	rest := objs[1].MinSize().Width
	first := size.Width - rest
	if l, ok := objs[0].(*widget.Label); ok {
		want := fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width + 2*theme.InnerPadding() + 2*theme.Padding()
		first = min(want, first)
	}
	first = max(first, 0)
	for i, o := range objs {
		h := o.MinSize().Height
		y := (size.Height - h) / 2
		if i == 0 {
			o.Move(fyne.NewPos(0, y))
			o.Resize(fyne.NewSize(first, h))
		} else {
			o.Move(fyne.NewPos(first, y))
			o.Resize(fyne.NewSize(rest, h))
		}
	}
}

func (packedLead) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h, w := float32(0), float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	if len(objs) == 2 {
		w = objs[1].MinSize().Width
	}
	return fyne.NewSize(w, h)
}

// requestPath is the path and query of a request's URL, the URL itself
// when it has none.
func requestPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return raw
	}
	return u.RequestURI()
}

// CausedBy is what the detail says of the shown capture's cause:
// "caused by POST /v1/payments (12:01:02, 201)", "" for none.
func (c *Catcher) CausedBy() string { return c.detail.cause.text() }

// ShowCapture selects the capture id and shows it in the detail, as
// tapping its row does (the composer's Webhooks tab calls it), and
// scrolls the list to its row when a page held in memory has it.
func (c *Catcher) ShowCapture(id string) {
	c.selectID(id)
	for n, pg := range c.pager.pages {
		if pg.version != c.pager.version {
			continue
		}
		for j, s := range pg.items {
			if s.ID == id {
				c.list.ScrollTo(n*pageSize + j)
				return
			}
		}
	}
}
