package compare

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/widgets"
)

// PickerTitle titles the picker; PickerSize is its size.
const PickerTitle = "Compare with…"

// PickerSize fits a 1024×700 window.
var PickerSize = fyne.NewSize(560, 380)

// Choice is one thing the shown message may be compared with.
type Choice struct {
	Label string
	Pick  func()
}

// Group is a run of choices under its title ("Webhooks this call
// caused"); an empty title shows none.
type Group struct {
	Title   string
	Choices []Choice
}

// pickerRow is a group's title (choice nil) or a choice.
type pickerRow struct {
	text   string
	choice *Choice
}

// Picker lists what the shown message may be compared with, by group.
// A list, not a row of buttons: the labels are long and there may be
// several. It stays open under the differences, so another can be
// picked after.
type Picker struct {
	rows []pickerRow
	List *widget.List
	// Content is what a dialog shows.
	Content fyne.CanvasObject
}

// NewPicker lists the choices of groups under head ("Compare … with:").
// Groups without choices are left out.
func NewPicker(head string, groups ...Group) *Picker {
	p := &Picker{}
	for _, g := range groups {
		if len(g.Choices) == 0 {
			continue
		}
		if g.Title != "" {
			p.rows = append(p.rows, pickerRow{text: g.Title})
		}
		for i := range g.Choices {
			p.rows = append(p.rows, pickerRow{text: g.Choices[i].Label, choice: &g.Choices[i]})
		}
	}
	p.List = widget.NewList(func() int { return len(p.rows) },
		func() fyne.CanvasObject { return widget.NewRichText(&widget.TextSegment{}) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(p.rows) {
				p.showRow(o.(*widget.RichText), p.rows[id])
			}
		})
	p.List.OnSelected = func(id widget.ListItemID) {
		p.List.Unselect(id)
		if id < len(p.rows) && p.rows[id].choice != nil {
			p.rows[id].choice.Pick()
		}
	}
	p.Content = container.NewBorder(widgets.NewMutedFull(head, fyne.TextStyle{}), nil, nil, nil, p.List)
	return p
}

func (p *Picker) showRow(rt *widget.RichText, r pickerRow) {
	seg := rt.Segments[0].(*widget.TextSegment)
	seg.Text = r.text
	if r.choice == nil {
		seg.Style = widget.RichTextStyle{TextStyle: widgets.Bold, ColorName: theme.ColorNameForeground}
	} else {
		seg.Style = widget.RichTextStyle{TextStyle: widgets.Mono, ColorName: theme.ColorNameForeground}
	}
	rt.Truncation = fyne.TextTruncateEllipsis
	rt.Refresh()
}

// Rows lists the rows as shown, group titles included.
func (p *Picker) Rows() []string {
	out := make([]string, len(p.rows))
	for i, r := range p.rows {
		out[i] = r.text
	}
	return out
}

// Empty reports whether there is nothing to pick.
func (p *Picker) Empty() bool { return len(p.rows) == 0 }

// CaptureLabel names a capture in a line: "12:01:03.412 POST /payments
// · payment.succeeded".
func CaptureLabel(s capture.Summary) string {
	l := s.Time.Format("15:04:05.000") + " " + s.Method + " " + s.Path
	if s.Event != "" {
		l += " · " + s.Event
	}
	return l
}

// ResponseLabel names the response to a call in a line:
// "12:01:02.608 POST /v1/payments → 201 Created"; a zero time, or a
// call not known, is left out.
func ResponseLabel(at time.Time, method, target, status string) string {
	l := strings.TrimSpace(method + " " + target)
	if l != "" {
		l += " → "
	}
	l += status
	if !at.IsZero() {
		l = at.Format("15:04:05.000") + " " + l
	}
	return l
}
