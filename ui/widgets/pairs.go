package widgets

import (
	"strings"

	"hooklab/capture"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Pair is one row of a PairTable: a header, a query parameter, a field.
type Pair = capture.NameValue

// maxNameWidth keeps a long header name from squeezing the values.
const maxNameWidth = 280

// PairTable shows names and values in two aligned columns, each row with
// its own Copy; Copy all takes every row as text.
type PairTable struct {
	widget.BaseWidget

	pairs []Pair
	sep   string // between name and value when copied as text
	cols  *Columns
	list  *widget.List
	empty *fyne.Container
	hint  *widget.RichText
	all   *widget.Button
}

// NewPairTable returns an empty table; sep joins name and value in
// Copy all (": " for headers, " = " for parameters); emptyText shows
// when there are no rows.
func NewPairTable(sep, emptyText string) *PairTable {
	t := &PairTable{sep: sep}
	t.cols = &Columns{Widths: []float32{120, 0, 0}, Flex: 1, Gap: theme.Padding() * 2}
	t.list = widget.NewList(func() int { return len(t.pairs) }, t.newRow, t.updateRow)
	t.list.OnSelected = func(id widget.ListItemID) { t.list.Unselect(id) }
	t.hint = NewMutedFull(emptyText, fyne.TextStyle{Italic: true})
	t.empty = container.NewCenter(t.hint)
	t.all = LowButton("Copy all", theme.ContentCopyIcon(), func() { CopyText(t.Text()) })
	t.all.Hide()
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer lays Copy all above the rows.
func (t *PairTable) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewHBox(layout.NewSpacer(), t.all)
	return widget.NewSimpleRenderer(container.NewBorder(top, nil, nil, nil, container.NewStack(t.list, t.empty)))
}

// SetPairs shows pairs in the order given.
func (t *PairTable) SetPairs(pairs []Pair) {
	t.pairs = pairs
	w := float32(60)
	size := theme.TextSize()
	for _, p := range pairs {
		// The label pads its text by InnerPadding on each side.
		w = max(w, fyne.MeasureText(p.Name, size, MonoBold).Width+theme.InnerPadding()*2+theme.Padding())
	}
	t.cols.Widths[0] = min(w, maxNameWidth)
	t.cols.Widths[2] = t.newCopyButton().MinSize().Width
	SetVisible(t.empty, len(pairs) == 0)
	SetVisible(t.all, len(pairs) > 0)
	t.list.Refresh()
	t.list.ScrollToTop()
}

// Text returns the rows as "name<sep>value" lines.
func (t *PairTable) Text() string {
	var b strings.Builder
	for i, p := range t.pairs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Name + t.sep + p.Value)
	}
	return b.String()
}

func (t *PairTable) newCopyButton() *widget.Button {
	return LowButton("", theme.ContentCopyIcon(), nil)
}

func (t *PairTable) newRow() fyne.CanvasObject { return newPairRow(t.cols, t.newCopyButton()) }

func (t *PairTable) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < len(t.pairs) {
		o.(*pairRow).show(t.pairs[id])
	}
}

// pairRow is one row of a PairTable: the name, the value and its Copy,
// in the table's columns.
type pairRow struct {
	widget.BaseWidget
	name, value *widget.Label
	copy        *widget.Button
	content     *fyne.Container
}

func newPairRow(cols *Columns, copyBt *widget.Button) *pairRow {
	r := &pairRow{
		name:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, MonoBold),
		value: widget.NewLabelWithStyle("", fyne.TextAlignLeading, Mono),
		copy:  copyBt,
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.value.Truncation = fyne.TextTruncateEllipsis
	r.value.Selectable = true
	r.content = container.New(cols, r.name, r.value, r.copy)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the row made in newPairRow.
func (r *pairRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// show fills the row with p.
func (r *pairRow) show(p Pair) {
	r.name.SetText(p.Name)
	r.value.SetText(p.Value)
	r.copy.OnTapped = func() { CopyText(p.Value) }
	r.content.Refresh()
}
