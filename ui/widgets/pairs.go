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

func (t *PairTable) newRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, MonoBold)
	name.Truncation = fyne.TextTruncateEllipsis
	value := widget.NewLabelWithStyle("", fyne.TextAlignLeading, Mono)
	value.Truncation = fyne.TextTruncateEllipsis
	value.Selectable = true
	return container.New(t.cols, name, value, t.newCopyButton())
}

func (t *PairTable) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(t.pairs) {
		return
	}
	p := t.pairs[id]
	objs := o.(*fyne.Container).Objects
	objs[0].(*widget.Label).SetText(p.Name)
	objs[1].(*widget.Label).SetText(p.Value)
	objs[2].(*widget.Button).OnTapped = func() { CopyText(p.Value) }
	o.(*fyne.Container).Refresh()
}
