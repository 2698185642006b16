package catcher

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

// captureRow is one row of the capture list: time, method, path, event
// type, status, signature badge, size and type in columns, over the
// selection's background (the row draws the selection itself: see
// Catcher.list).
type captureRow struct {
	widget.BaseWidget
	sel                                   *canvas.Rectangle
	time, method, status, size, mediaType *canvas.Text
	path                                  *widget.Label
	event                                 *widget.RichText
	badge                                 *widgets.SigBadge
	content                               fyne.CanvasObject
}

// eventShare and eventMaxChars size the event column: up to 55% of what
// time, method, status and the rest leave, at most 24 characters wide.
const (
	eventShare    = 0.55
	eventMaxChars = 24
)

func newCaptureRow() *captureRow {
	r := &captureRow{}
	cw := fyne.MeasureText("0", theme.TextSize(), widgets.Mono).Width
	r.sel = canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	r.sel.CornerRadius = theme.SelectionRadiusSize()
	r.sel.Hide()
	// Sample texts so a row measured before any is shown has its height.
	r.time = widgets.NewText("00:00:00.000", widgets.MutedColor(), widgets.Mono)
	r.method = widgets.NewText("OPTIONS", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	r.path = widget.NewLabelWithStyle("/", fyne.TextAlignLeading, widgets.Mono)
	r.path.Truncation = fyne.TextTruncateEllipsis
	r.status = widgets.NewText("200", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	r.size = widgets.NewText("1.2 KB", theme.Color(theme.ColorNameForeground), widgets.Mono)
	r.size.Alignment = fyne.TextAlignTrailing
	r.mediaType = widgets.NewText("", widgets.MutedColor(), widgets.Mono)
	r.event = widgets.NewMuted("", widgets.Mono)
	r.badge = widgets.NewSigBadge()
	r.badge.Hide()
	badgeW := fyne.MeasureText("unsigned", theme.CaptionTextSize(), widgets.Bold).Width + 3*theme.Padding()
	pathEv := container.New(&pathEvent{share: eventShare, max: eventMaxChars * cw, gap: 0}, r.path, r.event)
	// On a narrow panel the media type goes first, then the size, so
	// the path and the event keep room to be read.
	cols := container.New(&widgets.Columns{Widths: []float32{12 * cw, 7 * cw, 0, 3 * cw, badgeW, 9 * cw, 9 * cw}, Flex: 2, Gap: cw,
		Drop: []int{6, 5}, MinFlex: 24 * cw},
		r.time, r.method, pathEv, r.status, r.badge, r.size, r.mediaType)
	r.content = container.NewStack(r.sel, container.New(&widgets.RowInset{}, cols))
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the columns made in newCaptureRow.
func (r *captureRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// show fills the row with s, with the selection's background when
// selected.
func (r *captureRow) show(s capture.Summary, selected bool) {
	r.sel.Hidden = !selected
	r.sel.FillColor = theme.Color(theme.ColorNameSelection)
	widgets.SetText(r.time, s.Time.Format("15:04:05.000"), widgets.MutedColor())
	widgets.SetText(r.method, s.Method, widgets.MethodColor(s.Method))
	r.path.SetText(s.Path)
	widgets.SetMuted(r.event, s.Event)
	r.badge.SetVerdict(s.Signature)
	widgets.SetText(r.status, fmt.Sprint(s.Status), widgets.StatusColor(s.Status))
	widgets.SetText(r.size, capture.FormatSize(s.Size), theme.Color(theme.ColorNameForeground))
	widgets.SetText(r.mediaType, shortType(s.ContentType), widgets.MutedColor())
	r.sel.Refresh()
}

// loading shows a row whose page is on its way from the store.
func (r *captureRow) loading() {
	r.sel.Hide()
	widgets.SetText(r.time, "…", widgets.MutedColor())
	for _, t := range []*canvas.Text{r.method, r.status, r.size, r.mediaType} {
		widgets.SetText(t, "", widgets.MutedColor())
	}
	r.path.SetText("")
	widgets.SetMuted(r.event, "")
	r.badge.SetVerdict(nil)
}

// partRow is one part of a multipart body: its name, what it holds and
// a Save button.
type partRow struct {
	widget.BaseWidget
	name    *widget.Label
	info    *widget.RichText
	save    *widget.Button
	content fyne.CanvasObject
}

func newPartRow() *partRow {
	r := &partRow{
		name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, widgets.MonoBold),
		info: widgets.NewMuted("", fyne.TextStyle{}),
		save: widgets.LowButton("Save…", theme.DocumentSaveIcon(), nil),
	}
	r.content = container.NewBorder(nil, nil, r.name, r.save, r.info)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the row made in newPartRow.
func (r *partRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// show fills the row with p: its file name, type and size, and a short
// text value itself; save is what Save does.
func (r *partRow) show(p capture.Part, save func()) {
	r.name.SetText(p.Name)
	desc := []string{}
	if p.Filename != "" {
		desc = append(desc, p.Filename)
	}
	if p.ContentType != "" {
		desc = append(desc, p.ContentType)
	}
	desc = append(desc, capture.FormatSize(p.Size))
	if p.Filename == "" && len(p.Body) <= 200 && !highlight.IsBinary(p.Body) {
		desc = append(desc, fmt.Sprintf("%q", p.Body))
	}
	widgets.SetMuted(r.info, strings.Join(desc, " · "))
	r.save.OnTapped = save
}

// ruleRow is one response rule in the rules editor: the endpoint and
// how it answers.
type ruleRow struct {
	widget.BaseWidget
	endpoint *widget.Label
	summary  *widget.RichText
	content  fyne.CanvasObject
}

func newRuleRow() *ruleRow {
	r := &ruleRow{
		endpoint: widget.NewLabelWithStyle("", fyne.TextAlignLeading, widgets.MonoBold),
		summary:  widgets.NewMuted("", fyne.TextStyle{}),
	}
	r.content = container.NewBorder(nil, nil, r.endpoint, nil, r.summary)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the row made in newRuleRow.
func (r *ruleRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// show fills the row with rule.
func (r *ruleRow) show(rule capture.Rule) {
	r.endpoint.SetText(endpointLabel(rule.Endpoint))
	widgets.SetMuted(r.summary, ruleSummary(rule))
}

// RowText is the row as read: method, path, event, status and the
// signature badge's word, space separated (tests look rows up by it).
func (r *captureRow) RowText() string {
	return strings.Join([]string{r.method.Text, r.path.Text, widgets.MutedText(r.event), r.status.Text, r.badge.Word()}, " ")
}
