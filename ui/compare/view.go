// Package compare shows how two HTTP messages differ (workspace/diff):
// the picker that asks what to compare with, and the view of the
// differences. The catcher compares a capture with its neighbours or
// with the response of the call that caused it, the composer a
// response with the webhooks its call caused or recent captures.
package compare

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/ui/codeview"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
	"hooklab/workspace/diff"
)

// Title titles the differences' dialog; DialogSize is its size.
const Title = "Differences"

// DialogSize fits a 1024×700 window.
var DialogSize = fyne.NewSize(760, 620)

// Comparison is what a View shows: the two messages named, and how
// they differ.
type Comparison struct {
	// Old and New name the two sides: "12:01:03.412 POST /payments ·
	// payment.succeeded".
	Old, New string
	Result   diff.Result
	// Within, when set, is the path of the new body (diff.Within) that
	// Narrowed compares the old body with; the view shows Narrowed first
	// and offers the whole bodies.
	Within   string
	Narrowed diff.Result
}

// Compute compares old with new, and, when both bodies are JSON and
// new's carries an object like old's body (diff.Within), old with new's
// body narrowed to it. Call it off the UI goroutine: the bodies may be
// large.
func Compute(oldLabel string, old diff.Message, newLabel string, new diff.Message) Comparison {
	cmp := Comparison{Old: oldLabel, New: newLabel, Result: diff.Compare(old, new)}
	if !cmp.Result.JSON {
		// Not both JSON (or the same bytes, which Within never narrows).
		return cmp
	}
	if path, ok := diff.Within(old.Body, new.Body); ok {
		if at, err := new.At(path); err == nil {
			cmp.Within, cmp.Narrowed = path, diff.Compare(old, at)
		}
	}
	return cmp
}

// row is a line of the differences: a heading, or one difference
// coloured by what happened to it.
type row struct {
	heading bool
	kind    diff.Kind
	text    string
}

// View shows how two messages differ: the first lines, the headers
// added, removed and changed, and the bodies (JSON as a list of paths,
// text as a line diff in a code view).
type View struct {
	cmp  Comparison
	rows []row
	List *widget.List
	// Lines is the line diff of text bodies; nil unless they differ.
	Lines *codeview.CodeView
	// Narrow, when the new body carries an object like the old one
	// (Comparison.Within), switches between comparing the old body
	// with that object and with the whole new body.
	Narrow *widget.Check
	// Content is what a dialog shows.
	Content fyne.CanvasObject
}

// NewView lays cmp out; views configures the code view of a line diff.
func NewView(cmp Comparison, views ...codeview.Option) *View {
	v := &View{cmp: cmp}
	v.rows = rows(cmp.Result, "")
	v.List = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject { return widget.NewRichText(&widget.TextSegment{}) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.rows) {
				showRow(o.(*widget.RichText), v.rows[id])
			}
		})
	head := container.NewVBox(
		widgets.NewMuted("Old: "+cmp.Old, widgets.Mono),
		widgets.NewMuted("New: "+cmp.New, widgets.Mono),
	)
	if cmp.Within != "" {
		v.Narrow = widget.NewCheck("Compare the old body with "+cmp.Within+" of the new one", v.narrow)
		v.Narrow.SetChecked(true)
		head.Add(v.Narrow)
	}
	head.Add(widget.NewSeparator())
	var center fyne.CanvasObject = v.List
	if r := cmp.Result; len(r.Lines) > 0 {
		v.Lines = codeview.New(views...)
		lines := diffLines(r.Lines)
		v.Lines.SetLines(lines, []byte(linesText(lines)))
		v.Lines.SetNote(r.BodyNote)
		split := container.NewVSplit(v.List, v.Lines)
		split.Offset = 0.35
		center = split
	}
	v.Content = container.NewBorder(head, nil, nil, nil, center)
	return v
}

// narrow shows the comparison with the new body narrowed, or whole.
// Both were computed before: switching reads nothing.
func (v *View) narrow(on bool) {
	if on {
		v.rows = rows(v.cmp.Narrowed, v.cmp.Within)
	} else {
		v.rows = rows(v.cmp.Result, "")
	}
	v.List.Refresh()
	v.List.ScrollToTop()
}

// Texts lists the rows as shown, headings included.
func (v *View) Texts() []string {
	out := make([]string, len(v.rows))
	for i, r := range v.rows {
		out[i] = r.text
	}
	return out
}

// rows lays a result out: a heading per part that differs, then its
// differences; one row saying so when nothing does. within names the
// path of the new body the old body was compared with, "" for all of
// it; then the body comes first, as it is what the comparison is about
// (a response and a webhook differ in every header anyway).
func rows(r diff.Result, within string) []row {
	if r.Same() {
		what := "the first lines, headers and bodies"
		if within != "" {
			what = "the first lines, headers, and the old body and " + within + " of the new one,"
		}
		return []row{{heading: true, text: "No differences: " + what + " are the same."}}
	}
	if within != "" {
		return append(bodyRows(r, "Body against "+within+" of the new one"), headRows(r)...)
	}
	return append(headRows(r), bodyRows(r, "Body")...)
}

// headRows are the rows of the first lines and the headers.
func headRows(r diff.Result) []row {
	var out []row
	if r.StartOld != r.StartNew {
		out = append(out, row{heading: true, text: "First line"},
			row{kind: diff.Changed, text: "~ " + r.StartOld + " → " + r.StartNew})
	}
	if len(r.Headers) > 0 {
		out = append(out, row{heading: true, text: fmt.Sprintf("Headers (%d differ)", len(r.Headers))})
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
			out = append(out, row{kind: h.Kind, text: t})
		}
	}
	return out
}

// bodyRows are the rows of the bodies, under a heading that starts with
// body.
func bodyRows(r diff.Result, body string) []row {
	switch {
	case r.BodySame():
		return []row{{heading: true, text: body + ": the same"}}
	case r.JSON:
		out := []row{{heading: true, text: fmt.Sprintf("%s, as JSON (%d differ)", body, len(r.Values))}}
		for _, val := range r.Values {
			mark := map[diff.Kind]string{diff.Added: "+ ", diff.Removed: "− ", diff.Changed: "~ "}[val.Kind]
			out = append(out, row{kind: val.Kind, text: mark + val.String()})
		}
		if r.BodyNote != "" {
			out = append(out, row{heading: true, text: r.BodyNote})
		}
		return out
	case len(r.Lines) > 0:
		return []row{{heading: true, text: body + ": the lines that differ are marked below"}}
	}
	return []row{{heading: true, text: body + ": " + r.BodyNote}}
}

// colour is the colour of a difference: added in the theme's success
// colour, removed in its error colour, changed in its warning colour,
// each readable as text (ui/widgets).
func colour(k diff.Kind) fyne.ThemeColorName {
	switch k {
	case diff.Added:
		return theme.ColorNameSuccess
	case diff.Removed:
		return theme.ColorNameError
	}
	return theme.ColorNameWarning
}

func showRow(rt *widget.RichText, r row) {
	seg := rt.Segments[0].(*widget.TextSegment)
	seg.Text = r.text
	if r.heading {
		seg.Style = widget.RichTextStyle{TextStyle: widgets.Bold, ColorName: theme.ColorNameForeground}
	} else {
		seg.Style = widget.RichTextStyle{TextStyle: widgets.Mono, ColorName: colour(r.kind)}
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

// linesText is the text of lines, one a line: what Copy and Save of
// the line diff's code view take.
func linesText(lines []highlight.Line) string {
	var b strings.Builder
	for _, l := range lines {
		for _, sp := range l {
			b.WriteString(sp.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
