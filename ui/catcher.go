package ui

import (
	"fmt"
	"image/color"
	"net/url"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/capture"
	"hooklab/ui/highlight"
)

// Catcher is the left panel: the catcher's URL, the live list of
// captures (newest first) and the detail of the selected one.
type Catcher struct {
	store capture.Store
	url   string
	win   fyne.Window

	items      []capture.Summary // newest first, owned by the UI goroutine
	total      int
	selectedID string
	detailGen  uint64

	list     *widget.List
	count    *widget.RichText
	clearBtn *widget.Button
	copyBtn  *widget.Button
	listArea *fyne.Container
	empty    fyne.CanvasObject

	detailMethod *canvas.Text
	detailPath   *widget.Label
	detailMeta   *widget.RichText
	detailHint   fyne.CanvasObject
	detailStatus *canvas.Text
	detailHead   fyne.CanvasObject
	tabs         *container.AppTabs
	headersTab   *container.TabItem
	queryTab     *container.TabItem
	Body         *CodeView
	Headers      *CodeView
	Query        *CodeView
	detail       *fyne.Container

	// OnUpdated is called after the list took in new captures (tests, demo).
	OnUpdated func()

	content fyne.CanvasObject
}

func newCatcher(store capture.Store, url string, win fyne.Window) *Catcher {
	c := &Catcher{store: store, url: url, win: win}

	title := sectionTitle("CATCHER")
	dot := canvas.NewCircle(theme.Color(theme.ColorNameSuccess))
	dotBox := container.New(&fixedSize{size: fyne.NewSize(10, 10)}, dot)
	urlText := widget.NewLabelWithStyle(url, fyne.TextAlignLeading, mono)
	urlText.Selectable = true
	c.copyBtn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(c.url)
		c.copyBtn.SetText("Copied")
		go func() {
			time.Sleep(1500 * time.Millisecond)
			do(func() { c.copyBtn.SetText("Copy") })
		}()
	})
	c.copyBtn.Importance = widget.LowImportance
	header := container.NewHBox(title, container.NewCenter(dotBox), urlText, c.copyBtn)

	c.count = newMutedFull("0 captured", fyne.TextStyle{})
	c.clearBtn = widget.NewButtonWithIcon("Clear", theme.DeleteIcon(), c.confirmClear)
	c.clearBtn.Importance = widget.LowImportance
	c.clearBtn.Disable()
	toolbar := container.NewBorder(nil, nil, nil, container.NewHBox(c.count, c.clearBtn), header)

	c.list = widget.NewList(func() int { return len(c.items) }, c.newRow, c.updateRow)
	c.list.OnSelected = func(id widget.ListItemID) {
		// The row draws its own selection from selectedID, so the list's
		// index-based selection is dropped: new captures arriving on top
		// must not move it or scroll the list.
		c.list.Unselect(id)
		if id >= 0 && id < len(c.items) {
			c.selectID(c.items[id].ID)
		}
	}
	c.empty = c.emptyState()
	c.listArea = container.NewStack(c.list, c.empty)
	c.list.Hide()

	c.detailMethod = newText("", theme.Color(theme.ColorNameForeground), monoBold)
	c.detailPath = widget.NewLabelWithStyle("", fyne.TextAlignLeading, mono)
	c.detailPath.Truncation = fyne.TextTruncateEllipsis
	c.detailPath.Selectable = true
	c.detailStatus = newText("", theme.Color(theme.ColorNameForeground), monoBold)
	c.detailMeta = newMuted("", fyne.TextStyle{})
	deleteBtn := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		if c.selectedID != "" {
			_ = c.store.Delete(c.selectedID)
		}
	})
	deleteBtn.Importance = widget.LowImportance
	c.detailHead = container.NewVBox(
		container.NewBorder(nil, nil, c.detailMethod, container.NewHBox(c.detailStatus, deleteBtn), c.detailPath),
		c.detailMeta,
	)
	c.Body, c.Headers, c.Query = NewCodeView(), NewCodeView(), NewCodeView()
	c.headersTab = container.NewTabItem("Headers", c.Headers)
	c.queryTab = container.NewTabItem("Query", c.Query)
	c.tabs = container.NewAppTabs(container.NewTabItem("Body", c.Body), c.headersTab, c.queryTab)
	c.detail = container.NewBorder(c.detailHead, nil, nil, nil, c.tabs)
	c.detail.Hide()
	c.detailHint = container.NewCenter(newMuted("Select a capture to see its body and headers", fyne.TextStyle{Italic: true}))
	detailArea := container.NewStack(c.detailHint, c.detail)

	split := container.NewVSplit(c.listArea, detailArea)
	split.Offset = 0.4
	c.content = container.NewBorder(container.NewVBox(toolbar, widget.NewSeparator()), nil, nil, nil, split)
	return c
}

func (c *Catcher) emptyState() fyne.CanvasObject {
	icon := widget.NewIcon(theme.DownloadIcon())
	title := widget.NewLabelWithStyle("Waiting for webhooks", fyne.TextAlignCenter, bold)
	hint := widget.NewRichText(&widget.TextSegment{
		Text:  "Point any sender at the URL above: every method and path is caught.\nOr press Send on the right to call the built-in sandbox.",
		Style: widget.RichTextStyle{ColorName: colorNameMuted, Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameText},
	})
	curl := widget.NewLabelWithStyle("curl -d '{\"hello\":\"hooklab\"}' "+c.url+"demo", fyne.TextAlignCenter, mono)
	curl.Selectable = true
	return container.NewCenter(container.NewVBox(container.New(&fixedSize{size: fyne.NewSize(48, 48)}, icon), title, hint, curl))
}

// row widths, measured once in the monospace font.
func (c *Catcher) newRow() fyne.CanvasObject {
	size := theme.TextSize()
	cw := fyne.MeasureText("0", size, mono).Width
	sel := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	sel.CornerRadius = theme.SelectionRadiusSize()
	sel.Hide()
	tm := newText("00:00:00.000", mutedColor(), mono)
	method := newText("OPTIONS", theme.Color(theme.ColorNameForeground), monoBold)
	path := widget.NewLabelWithStyle("/", fyne.TextAlignLeading, mono)
	path.Truncation = fyne.TextTruncateEllipsis
	status := newText("200", theme.Color(theme.ColorNameForeground), monoBold)
	sz := newText("1.2 KB", theme.Color(theme.ColorNameForeground), mono)
	sz.Alignment = fyne.TextAlignTrailing
	ct := newText("", mutedColor(), mono)
	cols := container.New(&columns{widths: []float32{13 * cw, 8 * cw, 0, 4 * cw, 9 * cw, 11 * cw}, flex: 2, gap: cw},
		tm, method, path, status, sz, ct)
	return container.NewStack(sel, container.NewPadded(cols))
}

func (c *Catcher) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(c.items) {
		return
	}
	s := c.items[id]
	stack := o.(*fyne.Container)
	sel := stack.Objects[0].(*canvas.Rectangle)
	cols := stack.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects
	sel.Hidden = s.ID != c.selectedID
	sel.FillColor = theme.Color(theme.ColorNameSelection)
	setText(cols[0].(*canvas.Text), s.Time.Format("15:04:05.000"), mutedColor())
	setText(cols[1].(*canvas.Text), s.Method, methodColor(s.Method))
	cols[2].(*widget.Label).SetText(s.Path)
	setText(cols[3].(*canvas.Text), fmt.Sprint(s.Status), statusColor(s.Status))
	setText(cols[4].(*canvas.Text), highlight.FormatSize(s.Size), theme.Color(theme.ColorNameForeground))
	setText(cols[5].(*canvas.Text), shortType(s.ContentType), mutedColor())
	sel.Refresh()
}

func setText(t *canvas.Text, s string, c color.Color) {
	if t.Text == s && t.Color == c {
		return
	}
	t.Text, t.Color = s, c
	t.Refresh()
}

// shortType names a media type in a few letters: "json", "form", "xml".
func shortType(mt string) string {
	switch {
	case mt == "":
		return ""
	case strings.Contains(mt, "json"):
		return "json"
	case mt == "application/x-www-form-urlencoded":
		return "form"
	case strings.HasPrefix(mt, "multipart/"):
		return "multipart"
	case strings.Contains(mt, "xml"):
		return "xml"
	case mt == "text/html":
		return "html"
	case mt == "text/plain":
		return "text"
	}
	if _, sub, ok := strings.Cut(mt, "/"); ok && len(sub) <= 10 {
		return sub
	}
	return mt
}

// update takes in the newest captures from the bridge.
func (c *Catcher) update(items []capture.Summary, total int) {
	added := 0
	if len(c.items) > 0 {
		added = len(items)
		for i, s := range items {
			if s.ID == c.items[0].ID {
				added = i
				break
			}
		}
	}
	c.items, c.total = items, total
	setMuted(c.count, fmt.Sprintf("%d captured", total))
	if total > 0 {
		c.clearBtn.Enable()
		c.list.Show()
		c.empty.Hide()
	} else {
		c.clearBtn.Disable()
		c.list.Hide()
		c.empty.Show()
	}
	// Keep what the user is looking at in place when rows arrive on top.
	if off := c.list.GetScrollOffset(); off > 0 && added > 0 {
		c.list.ScrollToOffset(off + float32(added)*c.rowHeight())
	}
	c.list.Refresh()
	if c.selectedID != "" && !c.has(c.selectedID) {
		c.selectedID = ""
		c.detail.Hide()
		c.detailHint.Show()
	}
	if c.OnUpdated != nil {
		c.OnUpdated()
	}
}

func (c *Catcher) rowHeight() float32 {
	return c.newRow().MinSize().Height + theme.Padding()
}

func (c *Catcher) has(id string) bool {
	for _, s := range c.items {
		if s.ID == id {
			return true
		}
	}
	return false
}

// Select shows the capture at list index i.
func (c *Catcher) Select(i int) {
	if i >= 0 && i < len(c.items) {
		c.selectID(c.items[i].ID)
	}
}

func (c *Catcher) selectID(id string) {
	c.selectedID = id
	c.list.Refresh()
	c.detailGen++
	gen := c.detailGen
	go func() {
		cp, err := c.store.Get(id)
		do(func() {
			if gen != c.detailGen {
				return
			}
			if err != nil {
				c.detail.Hide()
				return
			}
			c.showDetail(cp)
		})
	}()
}

func (c *Catcher) showDetail(cp *capture.Capture) {
	c.detailMethod.Text = cp.Method
	c.detailMethod.Color = methodColor(cp.Method)
	c.detailMethod.Refresh()
	c.detailStatus.Text = fmt.Sprint(cp.Status)
	c.detailStatus.Color = statusColor(cp.Status)
	c.detailStatus.Refresh()
	target := cp.Path
	if cp.RawQuery != "" {
		target += "?" + cp.RawQuery
	}
	c.detailPath.SetText(target)
	meta := []string{"from " + cp.Remote, highlight.FormatSize(cp.BodySize)}
	if ct := cp.Header.Get("Content-Type"); ct != "" {
		meta = append(meta, ct)
	}
	if cp.Truncated {
		meta = append(meta, "truncated")
	}
	meta = append(meta, cp.Time.Format("2006-01-02 15:04:05.000"), cp.ID)
	setMuted(c.detailMeta, strings.Join(meta, " · "))

	c.Body.SetBody(cp.Header.Get("Content-Type"), cp.Body)
	head := requestHead(cp)
	c.Headers.SetLines(head, []byte(linesText(head)))
	c.headersTab.Text = fmt.Sprintf("Headers (%d)", len(cp.Header))
	q := queryLines(cp.RawQuery)
	c.Query.SetLines(q, []byte(cp.RawQuery))
	c.queryTab.Text = fmt.Sprintf("Query (%d)", len(q))
	if len(q) == 0 {
		c.Query.SetLines([]highlight.Line{{{Text: "no query parameters", Type: chroma.Comment}}}, nil)
	}
	c.tabs.Refresh()
	c.detailHint.Hide()
	c.detail.Show()
}

// requestHead renders the request line and headers as HTTP text.
func requestHead(cp *capture.Capture) []highlight.Line {
	target := cp.Path
	if cp.RawQuery != "" {
		target += "?" + cp.RawQuery
	}
	lines := []highlight.Line{{
		{Text: cp.Method, Type: chroma.Keyword}, {Text: " " + target + " ", Type: chroma.NameNamespace},
		{Text: cp.Proto, Type: chroma.KeywordReserved},
	}}
	lines = append(lines, headerLines(cp.Host, cp.Header)...)
	return lines
}

// headerLines renders headers sorted by name, Host first when given.
func headerLines(host string, h map[string][]string) []highlight.Line {
	var lines []highlight.Line
	if host != "" {
		lines = append(lines, headerLine("Host", host))
	}
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range h[name] {
			lines = append(lines, headerLine(name, v))
		}
	}
	return lines
}

func headerLine(name, value string) highlight.Line {
	return highlight.Line{{Text: name, Type: chroma.NameAttribute}, {Text: ": ", Type: chroma.Punctuation}, {Text: value, Type: chroma.LiteralString}}
}

// queryLines renders one "name = value" line per parameter, decoded, in
// the order they arrived.
func queryLines(raw string) []highlight.Line {
	var lines []highlight.Line
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		lines = append(lines, highlight.Line{{Text: k, Type: chroma.NameAttribute}, {Text: " = ", Type: chroma.Operator}, {Text: v, Type: chroma.LiteralString}})
	}
	return lines
}

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

func (c *Catcher) confirmClear() {
	clear := func() { go func() { _ = c.store.Clear() }() }
	if c.win == nil {
		clear()
		return
	}
	dialog.ShowConfirm("Clear all captures?", fmt.Sprintf("This removes all %d captured requests.", c.total), func(ok bool) {
		if ok {
			clear()
		}
	}, c.win)
}

// fixedSize gives its objects one fixed size.
type fixedSize struct{ size fyne.Size }

func (f *fixedSize) Layout(objs []fyne.CanvasObject, _ fyne.Size) {
	for _, o := range objs {
		o.Resize(f.size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (f *fixedSize) MinSize([]fyne.CanvasObject) fyne.Size { return f.size }

var _ fyne.Layout = (*fixedSize)(nil)
