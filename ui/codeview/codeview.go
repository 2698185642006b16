// Package codeview is Hooklab's virtual code view: a body highlighted,
// with line numbers, find, JSONPath of a tapped line, a pretty/raw toggle
// and a cap past which the rest is offered. It is a widget any window can
// use, configured by options when made; package highlight under it does
// the language work.
package codeview

import (
	"context"
	"fmt"
	"mime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

const tabWidth = 4

// Option configures a CodeView when it is made.
type Option func(*CodeView)

// WithCap sets how many bytes of a body the view shows before offering
// the rest (Load all, Save to file); n ≤ 0 keeps the default, 10 MiB.
func WithCap(n int) Option {
	return func(v *CodeView) {
		if n > 0 {
			v.viewCap = n
		}
	}
}

// WithSave shows Save, which hands the body and a file name for it to
// save; without it there is no Save.
func WithSave(save func(name string, data []byte)) Option {
	return func(v *CodeView) { v.saveFile = save }
}

// WithSaveFile hands Save the file holding the whole of a body shown
// with SetBodyFile, instead of the part shown.
func WithSaveFile(save func(name, path string)) Option {
	return func(v *CodeView) { v.saveStream = save }
}

// CodeView shows a body: highlighted, with line numbers, in a lineGrid
// that draws only the rows on screen. Work that grows with the body
// (pretty-printing, tokenizing, indexing lines, finding, JSONPath) runs
// off the UI goroutine; applying a body costs the rows in view.
type CodeView struct {
	widget.BaseWidget

	grid   *lineGrid
	find   *finder
	findBt *widget.Button
	note   *widget.RichText
	copy   *widget.Button
	save   *widget.Button
	pretty *widget.Button
	bg     *canvas.Rectangle
	busy   *widget.ProgressBarInfinite
	// busyBox holds busy in the header row, where it moves nothing.
	busyBox *fyne.Container
	// rendering: a render is under way; busyStop stops the timer that
	// shows busy when it takes longer than busyAfter.
	rendering bool
	busyStop  func() bool
	// after runs f after d on a goroutine of its own, and returns what
	// stops it (time.AfterFunc; tests inject a clock).
	after func(d time.Duration, f func()) (stop func() bool)
	// renderBody renders a body off the UI goroutine
	// (highlight.RenderContext; tests inject a slow one).
	renderBody func(ctx context.Context, contentType string, body []byte, pretty bool, limit int) (highlight.Result, error)
	// pathBar shows the JSONPath of the tapped line, with Copy path and
	// Copy value. It stays below every JSON body, a hint until a line
	// is tapped, so tapping a line moves nothing.
	pathBar     *fyne.Container
	pathText    *widget.Label
	pathHint    fyne.CanvasObject
	copyPathBt  *widgets.CopyButton
	copyValueBt *widgets.CopyButton
	// copied says "Copied" left of the tools, for widgets.CopiedFor,
	// while the Copy of the body shows a tick; copyConfirm times it.
	copied      *widget.RichText
	copyConfirm widgets.Confirmer
	closePathBt *widget.Button
	pathGen     uint64
	// capBar offers the rest of a body cut at the view's limit.
	capBar  *fyne.Container
	capText *widget.RichText
	// frame is the laid-out content, top the bars above the lines; both
	// are laid out again when a bar appears or goes. head is the row of
	// the note and the tools, of one height whatever it shows, so the
	// tools never cover a line and a note never moves one.
	frame, top, head *fyne.Container

	raw    []byte // what Copy and Save take
	result highlight.Result
	gen    uint64 // drops results of a body that was replaced meanwhile

	// The body as given, so the pretty toggle and Load all can render
	// it again.
	ctype    string
	body     []byte
	bodyNote string
	showRaw  bool // show JSON and XML as they arrived, not pretty-printed
	limit    int  // bytes shown before the cap bar; 0 means all
	viewCap  int  // the limit each new body starts with
	saveName string
	saveFile func(name string, data []byte) // nil hides Save
	// bodyFile, when set, holds the whole body of which body is the
	// first part (a big response); Save copies it from there.
	bodyFile   string
	saveStream func(name, path string)
	cancel     context.CancelFunc // stops the render in progress
}

// New returns an empty code view configured by opts.
func New(opts ...Option) *CodeView {
	v := &CodeView{grid: newLineGrid(), note: widgets.NewMuted("", fyne.TextStyle{Italic: true}), viewCap: highlight.MaxShown,
		renderBody: highlight.RenderContext,
		after:      func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop },
	}
	v.note.Truncation, v.note.Wrapping = fyne.TextTruncateOff, fyne.TextWrapWord
	for _, o := range opts {
		o(v)
	}
	v.find = newFinder(v)
	v.grid.onTapRow = v.showPath
	v.grid.marksOn = v.find.marksOn
	v.pathText = widget.NewLabelWithStyle("", fyne.TextAlignLeading, widgets.Mono)
	v.pathText.Truncation = fyne.TextTruncateEllipsis
	v.pathText.Truncation = fyne.TextTruncateEllipsis
	v.pathText.Selectable = true
	v.copyPathBt = widgets.NewCopyButton("Copy path", func() {
		widgets.CopyText(v.pathText.Text)
		v.copyPathBt.Copied()
	})
	v.copyValueBt = widgets.NewCopyButton("Copy value", v.copyValue)
	// The confirmations are timed by the view's clock, read when they
	// start (SetClock may come after New).
	after := func(d time.Duration, f func()) { v.after(d, func() { widgets.Do(f) }) }
	v.copyPathBt.Confirm.After, v.copyValueBt.Confirm.After, v.copyConfirm.After = after, after, after
	v.copied = widgets.NewMutedFull("Copied", fyne.TextStyle{Italic: true})
	v.copied.Hide()
	v.closePathBt = widgets.LowButton("", theme.CancelIcon(), v.hidePath)
	hint := widgets.NewMutedFull("tap a line to see its JSONPath", fyne.TextStyle{Italic: true})
	// Cut rather than widen the view: a narrow panel (half a 1024 px
	// window) must not scroll sideways for a hint.
	hint.Truncation = fyne.TextTruncateEllipsis
	v.pathHint = hint
	v.pathBar = container.NewBorder(nil, nil, widgets.NewMutedFull("Path", fyne.TextStyle{}),
		container.NewHBox(v.copyPathBt, v.copyValueBt, v.closePathBt), container.NewStack(v.pathHint, v.pathText))
	v.pathBar.Hide()
	v.setPath("")
	v.findBt = widget.NewButtonWithIcon("", theme.SearchIcon(), v.Find)
	v.findBt.Importance = widget.LowImportance
	v.findBt.Hide()
	v.note.Hide()
	v.copy = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), v.copyBody)
	v.copy.Importance = widget.LowImportance
	v.copy.Hide()
	v.save = widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), v.saveBody)
	v.save.Importance = widget.LowImportance
	v.save.Hide()
	v.pretty = widget.NewButton("Raw", v.togglePretty)
	v.pretty.Importance = widget.LowImportance
	v.pretty.Hide()
	v.limit = v.viewCap
	v.busy = widget.NewProgressBarInfinite()
	v.busy.Hide()
	v.capText = widgets.NewMuted("", fyne.TextStyle{})
	loadAll := widget.NewButton("Load all", v.loadAll)
	saveAll := widget.NewButtonWithIcon("Save to file", theme.DocumentSaveIcon(), v.saveBody)
	v.capBar = container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), container.NewHBox(loadAll, saveAll), v.capText)
	v.capBar.Hide()
	v.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	v.bg.CornerRadius = theme.InputRadiusSize()
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer lays the note and the tools in a row above the grid,
// the other bars under it, and the path bar below.
func (v *CodeView) CreateRenderer() fyne.WidgetRenderer {
	// The tools are anchored right: "Copied" appearing at their left
	// moves none of them.
	tools := container.NewHBox(v.copied, v.pretty, v.findBt, v.save, v.copy)
	// A thin bar and a word, centred in the row's height.
	bar := container.NewCenter(container.New(&widgets.Fixed{Width: 80, Height: 6}, v.busy))
	v.busyBox = container.NewHBox(bar, widgets.NewMutedFull("highlighting…", fyne.TextStyle{Italic: true}))
	v.busyBox.Hide()
	v.head = container.New(&minHeight{h: v.copy.MinSize().Height}, container.NewBorder(nil, nil, v.busyBox, tools, v.note))
	v.top = container.NewVBox(v.head, v.capBar, v.find.bar)
	v.frame = container.NewBorder(v.top, v.pathBar, nil, nil, container.NewStack(v.bg, container.NewPadded(v.grid)))
	// Build now what apply shows, while nothing else runs: the first big
	// body shown would otherwise pay for it (decoding icons, allocating
	// while its render's garbage is being collected).
	for _, o := range []fyne.CanvasObject{v.capBar, v.findBt, v.copy, v.save, v.pretty} {
		o.Refresh()
	}
	return widget.NewSimpleRenderer(v.frame)
}

// SetNote shows s above the grid, or nothing when s is empty, in place
// of the note of the body shown.
func (v *CodeView) SetNote(s string) {
	widgets.SetMuted(v.note, s)
	if hide := s == ""; hide != v.note.Hidden {
		v.note.Hidden = hide
	}
	v.relayout() // a long note wraps to another line
}

// relayout lays the view out again after a bar appeared or went. It
// only places things: a Refresh of the frame would refresh every widget
// in the view, the hidden bars' too.
func (v *CodeView) relayout() {
	if v.frame == nil {
		return
	}
	v.frame.Layout.Layout(v.frame.Objects, v.frame.Size())
	v.top.Layout.Layout(v.top.Objects, v.top.Size())
	if row, ok := v.head.Objects[0].(*fyne.Container); ok {
		row.Layout.Layout(row.Objects, row.Size())
	}
	canvas.Refresh(v.top)
	if v.pathBar.Visible() {
		canvas.Refresh(v.pathBar)
	}
}

// Find opens the find bar (Ctrl+F).
func (v *CodeView) Find() {
	if len(v.grid.Rows) > 0 {
		v.find.open()
	}
}

// SetBody shows body, choosing the language from contentType. It returns
// at once; the highlighted rows replace the old ones when ready.
func (v *CodeView) SetBody(contentType string, body []byte) {
	v.SetBodyNote(contentType, body, "")
}

// SetBodyNote is SetBody with a note of the caller's (e.g. how the body
// was decoded) shown before the view's own.
func (v *CodeView) SetBodyNote(contentType string, body []byte, note string) {
	v.bodyFile = ""
	v.ctype, v.body, v.bodyNote = contentType, body, note
	v.limit = v.viewCap
	v.render()
}

// render shows v.body as the toggles and the limit say, off the UI
// goroutine.
func (v *CodeView) render() {
	contentType, body, note := v.ctype, v.body, v.bodyNote
	pretty, limit := !v.showRaw, v.limit
	v.gen++
	gen := v.gen
	v.stopRender()
	ctx, cancel := context.WithCancel(context.Background())
	v.cancel = cancel
	v.raw = body
	if len(body) == 0 {
		v.apply(gen, highlight.Result{Note: JoinNotes(note, "no body")}, lineIndex{})
		return
	}
	v.SetNote(note)
	// A render that takes longer than busyAfter shows that work is going
	// on, whatever the body's size (a loaded machine is slow at any).
	v.rendering = true
	v.busyStop = v.after(busyAfter, func() {
		widgets.Do(func() {
			if gen == v.gen && v.rendering {
				v.showBusy(true)
			}
		})
	})
	render := v.renderBody
	go func() {
		defer cancel()
		res, err := render(ctx, contentType, body, pretty, limit)
		if err != nil {
			return
		}
		if note != "" {
			res.Note = JoinNotes(note, res.Note)
		}
		idx := newLineIndex(res.Lines)
		widgets.Do(func() { v.apply(gen, res, idx) })
	}()
}

// Pending says a new body is on its way (being read, decoded): the
// body shown stays, and the progress indicator comes if it has not
// arrived within busyAfter. SetBody, SetLines or Clear ends it.
func (v *CodeView) Pending() {
	v.gen++ // a render under way is of the body being replaced
	v.stopRender()
	gen := v.gen
	v.rendering = true
	v.busyStop = v.after(busyAfter, func() {
		widgets.Do(func() {
			if gen == v.gen && v.rendering {
				v.showBusy(true)
			}
		})
	})
}

// busyAfter is how long a render runs before the view shows that it is
// working: within the 100 ms budget, with time to spare for the UI
// goroutine to show it.
const busyAfter = 60 * time.Millisecond

// showBusy shows or hides the progress indicator in the header row.
func (v *CodeView) showBusy(on bool) {
	if on == v.busy.Visible() && (v.busyBox == nil || on == v.busyBox.Visible()) {
		return
	}
	if on {
		v.busy.Show()
		v.busy.Start()
	} else {
		v.busy.Stop()
		v.busy.Hide()
	}
	if v.busyBox != nil {
		widgets.SetVisible(v.busyBox, on)
		v.relayout()
	}
}

// SetClock replaces time.AfterFunc as what times the progress
// indicator (tests fire it at will).
func (v *CodeView) SetClock(after func(d time.Duration, f func()) (stop func() bool)) {
	v.after = after
}

// Busy reports whether the view shows that it is rendering a body.
func (v *CodeView) Busy() bool { return v.busy.Visible() }

// stopRender cancels a render whose body is no longer wanted.
func (v *CodeView) stopRender() {
	v.rendering = false
	if v.busyStop != nil {
		v.busyStop()
		v.busyStop = nil
	}
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
}

// SetLines shows already tokenized lines, e.g. headers, synchronously.
func (v *CodeView) SetLines(lines []highlight.Line, raw []byte) {
	v.stopRender()
	v.body = nil
	v.gen++
	v.raw = raw
	v.apply(v.gen, highlight.Result{Lines: lines}, newLineIndex(lines))
}

// Clear empties the view.
func (v *CodeView) Clear() {
	v.stopRender()
	v.body = nil
	v.gen++
	v.raw = nil
	v.apply(v.gen, highlight.Result{}, lineIndex{})
}

// apply shows a rendered body. It runs on the UI goroutine and costs the
// rows in view, whatever the body's size: idx was built beforehand.
func (v *CodeView) apply(gen uint64, res highlight.Result, idx lineIndex) {
	if gen != v.gen {
		return
	}
	v.result = res
	v.rendering = false
	if v.busyStop != nil {
		v.busyStop()
		v.busyStop = nil
	}
	v.pathGen++ // a path being worked out is of the old body
	v.setPath("")
	if json := res.Language == highlight.JSON && len(idx.lines) > 0; json == v.pathBar.Hidden {
		widgets.SetVisible(v.pathBar, json)
		v.relayout()
	}
	v.showBusy(false)
	v.find.forget()
	v.grid.setLines(idx)
	v.SetNote(res.Note)
	v.copy.Hidden = len(v.raw) == 0 || res.Language == highlight.Binary
	v.copy.Refresh()
	widgets.SetVisible(v.findBt, len(idx.lines) > 0)
	if !v.find.bar.Hidden {
		v.find.search() // the same query in the new body
	}
	v.save.Hidden = len(v.body) == 0 || v.saveFile == nil
	v.save.Refresh()
	v.pretty.Hidden = v.body == nil || !res.CanPretty
	if v.showRaw {
		v.pretty.SetText("Pretty")
	} else {
		v.pretty.SetText("Raw")
	}
	if res.Total > 0 {
		widgets.SetMuted(v.capText, fmt.Sprintf("Showing the first %s of %s.", capture.FormatSize(int64(res.Shown)), capture.FormatSize(int64(res.Total))))
	}
	if capped := res.Total > 0; capped == v.capBar.Hidden {
		widgets.SetVisible(v.capBar, capped)
		v.relayout()
	}
}

// Restyle redraws the rows in view in the current theme's colours; call
// it when the theme changed.
func (v *CodeView) Restyle() {
	v.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	v.bg.Refresh()
	v.grid.restyle()
}

// showPath shows the JSONPath of row of a JSON body; it is worked out
// off the UI goroutine, as a row far down a big body takes a walk.
func (v *CodeView) showPath(row int) {
	if v.result.Language != highlight.JSON {
		return
	}
	v.pathGen++
	gen, lines := v.pathGen, v.result.Lines
	go func() {
		path, ok := highlight.PathAt(lines, row)
		widgets.Do(func() {
			if gen != v.pathGen || !ok {
				return
			}
			v.setPath(path)
			v.grid.setTapped(row)
		})
	}()
}

// hidePath forgets the tapped line; the bar keeps its place.
func (v *CodeView) hidePath() {
	v.pathGen++
	v.grid.setTapped(-1)
	v.setPath("")
}

// setPath shows path in the path bar, or the hint when it is "".
func (v *CodeView) setPath(path string) {
	v.pathText.SetText(path)
	widgets.SetVisible(v.pathHint, path == "")
	for _, b := range []fyne.Disableable{v.copyPathBt, v.copyValueBt, v.closePathBt} {
		if path == "" {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// PathShown is the JSONPath of the tapped line, "" for none.
func (v *CodeView) PathShown() string { return v.pathText.Text }

// togglePretty switches JSON between pretty-printed and as it arrived;
// the choice stays for the next body shown here.
func (v *CodeView) togglePretty() {
	v.showRaw = !v.showRaw
	v.render()
}

// loadAll shows the whole of a body that was cut at the limit.
func (v *CodeView) loadAll() {
	v.limit = 0
	v.render()
}

// SetBodyFile shows head, the first part of a body whose whole is in the
// file at path; Save copies the whole file.
func (v *CodeView) SetBodyFile(contentType string, head []byte, path, note string) {
	v.SetBodyNote(contentType, head, note)
	v.bodyFile = path
}

func (v *CodeView) saveBody() {
	if v.saveFile != nil && len(v.body) > 0 {
		name := v.saveName
		if name == "" {
			name = "body" + extensionFor(v.ctype, v.body)
		}
		if v.bodyFile != "" && v.saveStream != nil {
			v.saveStream(name, v.bodyFile)
			return
		}
		v.saveFile(name, v.body)
	}
}

// extensionFor names a file extension for a body of this type.
func extensionFor(contentType string, body []byte) string {
	switch highlight.Detect(contentType, body) {
	case highlight.JSON:
		return ".json"
	case highlight.XML:
		return ".xml"
	case highlight.HTML:
		return ".html"
	case highlight.YAML:
		return ".yaml"
	case highlight.Binary:
		if exts, _ := mime.ExtensionsByType(contentType); len(exts) > 0 {
			return exts[0]
		}
		return ".bin"
	}
	return ".txt"
}

// Text returns the text shown, one line per row (for tests and copy).
func (v *CodeView) Text() string { return v.grid.Text() }

// Lines returns the lines shown, as highlighted.
func (v *CodeView) Lines() []highlight.Line { return v.grid.Rows }

// Note returns the note shown above the lines, "" for none.
func (v *CodeView) Note() string { return widgets.MutedText(v.note) }

// JoinNotes joins two notes with a separator, leaving out an empty one.
func JoinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " · " + b
}

// minHeight lays its one object over the whole size, and asks for at
// least h: a row that keeps its height whatever it shows.
type minHeight struct{ h float32 }

func (m *minHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (m *minHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, m.h)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
