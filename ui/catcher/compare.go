package catcher

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/capture"
	"hooklab/ui/codeview"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
	"hooklab/workspace/diff"
)

// compareChoices is how many captures "Compare with…" offers: the
// neighbours of the shown one on the list, nearest first.
const compareChoices = 8

// compareTitle titles the picker and the differences.
const compareTitle = "Compare with…"

// compareSelected asks which capture of the list to compare the shown
// one with, then shows how they differ.
func (c *Catcher) compareSelected() {
	cp := c.detail.shown
	if cp == nil {
		return
	}
	others := c.compareCandidates(cp.ID)
	if len(others) == 0 {
		c.dialogs.Information(compareTitle, "There is no other capture on the list to compare this one with. Clear the filters, or wait for another delivery.")
		return
	}
	// A list, not a row of buttons: the labels are long and there may
	// be several. It stays open under the differences, so another
	// capture can be picked after.
	p := &comparePicker{others: others}
	p.List = widget.NewList(func() int { return len(p.others) },
		func() fyne.CanvasObject { return widget.NewLabelWithStyle("", fyne.TextAlignLeading, widgets.Mono) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(p.others) {
				o.(*widget.Label).SetText(summaryLabel(p.others[id]))
			}
		})
	p.List.OnSelected = func(id widget.ListItemID) {
		p.List.Unselect(id)
		if id < len(p.others) {
			c.compare(cp.ID, p.others[id].ID)
		}
	}
	c.comparePicker = p
	head := widgets.NewMutedFull("Compare "+summaryLabel(cp.Summary())+" with:", fyne.TextStyle{})
	c.dialogs.Custom(compareTitle, "Close", container.NewBorder(head, nil, nil, nil, p.List), fyne.NewSize(560, 380))
}

// comparePicker lists the captures the shown one may be compared with.
type comparePicker struct {
	others []capture.Summary
	List   *widget.List
}

// compareCandidates lists the captures listed around id, nearest first,
// the next one down (the delivery before it) first of all.
func (c *Catcher) compareCandidates(id string) []capture.Summary {
	at := c.pager.indexOf(id)
	if at < 0 {
		at = -1 // not on the list (filtered away): offer its top
	}
	var out []capture.Summary
	for d := 1; len(out) < compareChoices && (at+d < c.pager.total || at-d >= 0); d++ {
		for _, i := range []int{at + d, at - d} {
			if len(out) == compareChoices {
				break
			}
			if s, ok := c.pager.item(i); ok && s.ID != id {
				out = append(out, s)
			}
		}
	}
	return out
}

// summaryLabel names a capture in a line: "12:01:03.412 POST /payments · payment.succeeded".
func summaryLabel(s capture.Summary) string {
	l := s.Time.Format("15:04:05.000") + " " + s.Method + " " + s.Path
	if s.Event != "" {
		l += " · " + s.Event
	}
	return l
}

// compare reads both captures off the UI goroutine, the older as the
// old side, and shows how they differ.
func (c *Catcher) compare(a, b string) {
	store := c.store
	c.bridge.Load("catcher:compare", func(ctx context.Context) func() {
		ca, err := store.Get(a)
		var cb *capture.Capture
		if err == nil {
			cb, err = store.Get(b)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return func() { c.showError("Cannot compare these captures", err) }
		}
		if cb.Time.Before(ca.Time) {
			ca, cb = cb, ca
		}
		r := diff.Compare(diff.FromCapture(ca), diff.FromCapture(cb))
		oldL, newL := summaryLabel(ca.Summary()), summaryLabel(cb.Summary())
		return func() {
			c.compareView = newCompareView(c, oldL, newL, r)
			c.dialogs.Custom("Differences", "Close", c.compareView.content, fyne.NewSize(760, 620))
		}
	})
}

// diffRow is a line of the differences: a heading, or one difference
// coloured by what happened to it.
type diffRow struct {
	heading bool
	kind    diff.Kind
	text    string
}

// compareView shows how two messages differ: the first lines, the
// headers added, removed and changed, and the bodies (JSON as a list of
// paths, text as a line diff in a code view).
type compareView struct {
	rows    []diffRow
	List    *widget.List
	Lines   *codeview.CodeView // nil unless the bodies are text that differs
	content fyne.CanvasObject
}

func newCompareView(c *Catcher, oldLabel, newLabel string, r diff.Result) *compareView {
	v := &compareView{rows: diffRows(r)}
	v.List = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject { return widget.NewRichText(&widget.TextSegment{}) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.rows) {
				showDiffRow(o.(*widget.RichText), v.rows[id])
			}
		})
	head := container.NewVBox(
		widgets.NewMuted("Old: "+oldLabel, widgets.Mono),
		widgets.NewMuted("New: "+newLabel, widgets.Mono),
		widget.NewSeparator(),
	)
	var center fyne.CanvasObject = v.List
	if len(r.Lines) > 0 {
		v.Lines = codeview.New(c.detailViews...)
		lines := diffLines(r.Lines)
		v.Lines.SetLines(lines, []byte(linesText(lines)))
		v.Lines.SetNote(r.BodyNote)
		split := container.NewVSplit(v.List, v.Lines)
		split.Offset = 0.35
		center = split
	}
	v.content = container.NewBorder(head, nil, nil, nil, center)
	return v
}

// Texts lists the rows as shown, headings included.
func (v *compareView) Texts() []string {
	out := make([]string, len(v.rows))
	for i, r := range v.rows {
		out[i] = r.text
	}
	return out
}

// diffRows lays a result out as rows: a heading per part that differs,
// then its differences; one row saying so when nothing does.
func diffRows(r diff.Result) []diffRow {
	var rows []diffRow
	if r.Same() {
		return []diffRow{{heading: true, text: "No differences: the request lines, headers and bodies are the same."}}
	}
	if r.StartOld != r.StartNew {
		rows = append(rows, diffRow{heading: true, text: "Request line"},
			diffRow{kind: diff.Changed, text: "~ " + r.StartOld + " → " + r.StartNew})
	}
	if len(r.Headers) > 0 {
		rows = append(rows, diffRow{heading: true, text: fmt.Sprintf("Headers (%d differ)", len(r.Headers))})
		for _, h := range r.Headers {
			var t string
			switch h.Kind {
			case diff.Added:
				t = "+ " + h.Name + ": " + h.New
			case diff.Removed:
				t = "− " + h.Name + ": " + h.Old
			default:
				t = "~ " + h.Name + ": " + h.Old + " → " + h.New
			}
			rows = append(rows, diffRow{kind: h.Kind, text: t})
		}
	}
	switch {
	case r.BodySame():
		rows = append(rows, diffRow{heading: true, text: "Bodies: the same"})
	case r.JSON:
		rows = append(rows, diffRow{heading: true, text: fmt.Sprintf("Body, as JSON (%d differ)", len(r.Values))})
		for _, val := range r.Values {
			mark := map[diff.Kind]string{diff.Added: "+ ", diff.Removed: "− ", diff.Changed: "~ "}[val.Kind]
			rows = append(rows, diffRow{kind: val.Kind, text: mark + val.String()})
		}
		if r.BodyNote != "" {
			rows = append(rows, diffRow{heading: true, text: r.BodyNote})
		}
	case len(r.Lines) > 0:
		rows = append(rows, diffRow{heading: true, text: "Body: the lines that differ are marked below"})
	default:
		rows = append(rows, diffRow{heading: true, text: "Body: " + r.BodyNote})
	}
	return rows
}

// diffColour is the colour of a difference: added in the theme's
// success colour, removed in its error colour, changed in its warning
// colour, each readable as text (ui/widgets).
func diffColour(k diff.Kind) fyne.ThemeColorName {
	switch k {
	case diff.Added:
		return theme.ColorNameSuccess
	case diff.Removed:
		return theme.ColorNameError
	}
	return theme.ColorNameWarning
}

func showDiffRow(rt *widget.RichText, r diffRow) {
	seg := rt.Segments[0].(*widget.TextSegment)
	seg.Text = r.text
	if r.heading {
		seg.Style = widget.RichTextStyle{TextStyle: widgets.Bold, ColorName: theme.ColorNameForeground}
	} else {
		seg.Style = widget.RichTextStyle{TextStyle: widgets.Mono, ColorName: diffColour(r.kind)}
	}
	rt.Truncation = fyne.TextTruncateEllipsis
	rt.Refresh()
}

// diffLines is a line diff as code view lines: "+ " and "− " marked
// and coloured as the highlighter colours inserted and deleted text.
func diffLines(ls []diff.Line) []highlight.Line {
	out := make([]highlight.Line, len(ls))
	for i, l := range ls {
		switch l.Op {
		case '+':
			out[i] = highlight.Line{{Text: "+ " + l.Text, Type: chroma.GenericInserted}}
		case '-':
			out[i] = highlight.Line{{Text: "− " + l.Text, Type: chroma.GenericDeleted}}
		default:
			out[i] = highlight.Line{{Text: "  " + l.Text, Type: chroma.Text}}
		}
	}
	return out
}
