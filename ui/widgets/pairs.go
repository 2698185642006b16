package widgets

import (
	"strings"
	"time"

	"hooklab/capture"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	all   *CopyButton
	// note says which row was copied, left of Copy all, while that
	// row's Copy shows a tick; confirm times it.
	note    *widget.RichText
	confirm Confirmer
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
	t.all = NewCopyButton("Copy all", nil)
	t.all.OnTapped = func() {
		CopyText(t.Text())
		t.all.Copied()
	}
	t.all.Hide()
	t.note = NewMuted("", fyne.TextStyle{Italic: true})
	t.note.Hide()
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer lays Copy all above the rows.
func (t *PairTable) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, nil, t.all, t.note)
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
	r := newPairRow(t.cols, t.newCopyButton())
	r.copied = t.copied
	return r
}

// SetAfter sets how the "Copied" confirmations are timed (tests run f
// when they choose); nil uses a timer.
func (t *PairTable) SetAfter(after func(d time.Duration, f func())) {
	t.confirm.After = after
	t.all.Confirm.After = after
}

// copied confirms that row r's value was copied: its Copy shows a tick
// and the note above the rows names it, for CopiedFor.
func (t *PairTable) copied(r *pairRow, name string) {
	t.confirm.Show(func() {
		r.copy.SetIcon(theme.ConfirmIcon())
		SetMuted(t.note, "Copied the value of "+name)
		t.note.Show()
	}, func() {
		r.copy.SetIcon(theme.ContentCopyIcon())
		t.note.Hide()
	})
}

// Note returns the confirmation shown above the rows, "" when none is.
func (t *PairTable) Note() string {
	if !t.note.Visible() {
		return ""
	}
	return MutedText(t.note)
}

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
	copied      func(r *pairRow, name string)
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
	r.copy.SetIcon(theme.ContentCopyIcon())
	r.copy.OnTapped = func() {
		CopyText(p.Value)
		if r.copied != nil {
			r.copied(r, p.Name)
		}
	}
	r.content.Refresh()
}
