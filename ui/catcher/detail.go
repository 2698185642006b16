package catcher

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/capture"
	"hooklab/ui/codeview"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
)

// detail is the lower half of the catcher: the selected capture's
// request line, body, headers, query, and form fields or parts.
type detail struct {
	c   *Catcher
	gen uint64

	method *canvas.Text
	path   *widget.Label
	event  *widget.RichText
	status *canvas.Text
	meta   *widget.RichText
	// The signature line: the verdict as a badge and in words.
	sigBadge *widgets.SigBadge
	sigText  *widget.RichText
	pathEv   *fyne.Container
	tabs     *container.AppTabs
	bodyTab  *container.TabItem
	hdrTab   *container.TabItem
	qryTab   *container.TabItem
	formTab  *container.TabItem
	partTab  *container.TabItem
	rawTab   *container.TabItem
	imgTab   *container.TabItem

	Body    *codeview.CodeView
	Headers *widgets.PairTable
	Query   *widgets.PairTable
	Form    *widgets.PairTable
	Raw     *codeview.CodeView
	Image   *imageView
	parts   []capture.Part
	Parts   *widget.List

	pane     *fyne.Container
	hint     fyne.CanvasObject
	hintText *widget.RichText
	area     *fyne.Container

	// shown is the capture on display; replayBtn opens it in the composer.
	shown     *capture.Capture
	replayBtn *widget.Button
	// compareBtn compares it with another capture (compare.go).
	compareBtn *widget.Button
	// detailViews configures the code views the detail opens.
	detailViews []codeview.Option
	// cause is the line naming the request that caused the capture.
	cause *causedBy
	// forward says how forwarding it went (forwardline.go).
	forward *forwardLine
}

// view is a capture made ready for the detail off the UI goroutine.
type view struct {
	cp *capture.Capture
	// verdict is cp's signature judged again under its endpoint's scheme
	// as set now (Workspace.Verify); cp.Signature is the one on arrival.
	verdict  *capture.Verdict
	body     []byte
	bodyNote string
	form     []capture.Field
	parts    []capture.Part
	partsErr error
	// forward is how forwarding cp went (forwardline.go).
	forward forwardState
}

func newDetail(c *Catcher, views []codeview.Option) *detail {
	d := &detail{c: c}
	d.method = widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	d.path = widget.NewLabelWithStyle("", fyne.TextAlignLeading, widgets.Mono)
	d.path.Truncation = fyne.TextTruncateEllipsis
	d.path.Selectable = true
	d.status = widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	d.event = widgets.NewMuted("", widgets.Mono)
	d.meta = widgets.NewMuted("", fyne.TextStyle{})
	// The meta line wraps, so the capture id at its end is never cut.
	d.meta.Truncation, d.meta.Wrapping = fyne.TextTruncateOff, fyne.TextWrapWord
	d.sigBadge = widgets.NewSigBadge()
	d.sigText = widgets.NewMuted("", fyne.TextStyle{})
	del := widgets.LowButton("", theme.DeleteIcon(), c.deleteSelected)
	d.replayBtn = widgets.LowButton("Replay", theme.MediaReplayIcon(), c.replaySelected)
	d.compareBtn = widgets.LowButton("Compare", theme.ViewRestoreIcon(), c.compareSelected)
	d.pathEv = container.New(&packedPair{}, d.path, d.event)
	pathEv := d.pathEv
	d.cause = newCausedBy(c)
	d.forward = newForwardLine(c)
	head := container.NewVBox(
		// On a narrow panel Compare and Replay keep their icons only, so
		// the path keeps room and the panel is not pushed wider.
		container.New(widgets.NewBar(160, d.compareBtn, d.replayBtn), d.method, pathEv, container.NewHBox(d.status, d.compareBtn, d.replayBtn, del)),
		d.meta,
		container.NewBorder(nil, nil, container.NewCenter(d.sigBadge), nil, d.sigText),
		d.cause.line,
		d.forward.line,
	)
	views = slices.Concat(views, dialogs.CodeViewSave(c.dialogs))
	d.detailViews = views
	d.Body, d.Raw = codeview.New(views...), codeview.New(views...)
	d.Headers = widgets.NewPairTable(": ", "no headers")
	d.Query = widgets.NewPairTable(" = ", "no query parameters")
	d.Form = widgets.NewPairTable(" = ", "no fields")
	d.Image = newImageView()
	d.Parts = widget.NewList(func() int { return len(d.parts) }, d.newPartRow, d.updatePartRow)
	d.bodyTab = container.NewTabItem("Body", d.Body)
	d.hdrTab = container.NewTabItem("Headers", d.Headers)
	d.qryTab = container.NewTabItem("Query", d.Query)
	d.formTab = container.NewTabItem("Form", d.Form)
	d.partTab = container.NewTabItem("Parts", d.Parts)
	d.rawTab = container.NewTabItem("Raw", d.Raw)
	d.imgTab = container.NewTabItem("Image", container.NewPadded(d.Image.content))
	d.tabs = container.NewAppTabs(d.bodyTab, d.hdrTab, d.qryTab, d.rawTab)
	d.pane = container.NewBorder(head, nil, nil, nil, d.tabs)
	d.pane.Hide()
	d.hintText = widgets.NewMutedFull(selectHint, fyne.TextStyle{Italic: true})
	d.hint = container.NewCenter(d.hintText)
	d.area = container.NewStack(d.hint, d.pane)
	return d
}

// selectHint is what the detail says with no capture shown.
const selectHint = "Select a capture to see its body and headers"

func (d *detail) clear() {
	d.gen++
	d.shown = nil
	d.Body.Clear() // and any progress shown for a capture on its way
	d.pane.Hide()
	widgets.SetMuted(d.hintText, selectHint)
	d.hint.Show()
}

// load reads the capture and prepares its body through the bridge:
// selecting another capture replaces the read, so only the last one
// chosen is shown; clear drops one under way.
func (d *detail) load(id string) {
	d.gen++
	gen := d.gen
	// Reading and decoding a big body takes a moment: the body view
	// shows its progress indicator if it has not arrived within 100 ms;
	// with no capture shown yet, the hint says it is on its way.
	d.Body.Pending()
	if d.pane.Hidden {
		widgets.SetMuted(d.hintText, "Loading the capture…")
	}
	store, ws := d.c.store, d.c.ws
	d.c.bridge.Load("catcher:detail", func(ctx context.Context) func() {
		cp, err := store.Get(id)
		if ctx.Err() != nil {
			return nil // another capture was chosen meanwhile
		}
		var v view
		if err == nil {
			v = prepare(cp)
			v.verdict = ws.Verify(cp)
			v.forward = readForward(ws, cp)
		}
		return func() {
			if gen != d.gen {
				return
			}
			if err != nil {
				d.clear()
				return
			}
			d.show(v)
		}
	})
}

// prepare decodes the body and parses forms and multipart parts.
func prepare(cp *capture.Capture) view {
	v := view{cp: cp, body: cp.Body}
	decoded, enc, err := capture.DecodeBody(cp.Header, cp.Body)
	switch {
	case err != nil:
		v.bodyNote = "shown raw: " + err.Error()
	case enc != "":
		v.body = decoded
		v.bodyNote = fmt.Sprintf("decoded from %s, %s on the wire", enc, capture.FormatSize(int64(len(cp.Body))))
	}
	if cp.Truncated {
		v.bodyNote = codeview.JoinNotes(v.bodyNote, fmt.Sprintf("truncated: %s received, the first %s kept",
			capture.FormatSize(cp.BodySize), capture.FormatSize(int64(len(cp.Body)))))
	}
	mt, _, _ := mime.ParseMediaType(cp.Header.Get("Content-Type"))
	switch {
	case mt == "application/x-www-form-urlencoded":
		v.form, _ = capture.ParseForm(v.body)
	case strings.HasPrefix(mt, "multipart/"):
		v.parts, v.partsErr = capture.ParseMultipart(cp.Header.Get("Content-Type"), v.body)
	}
	return v
}

func (d *detail) show(v view) {
	cp := v.cp
	d.shown = cp
	widgets.SetVisible(d.replayBtn, d.c.OnReplay != nil)
	d.method.Text = cp.Method
	d.method.Color = widgets.MethodColor(cp.Method)
	d.method.Refresh()
	d.status.Text = fmt.Sprint(cp.Status)
	d.status.Color = widgets.StatusColor(cp.Status)
	d.status.Refresh()
	target := cp.Path
	if cp.RawQuery != "" {
		target += "?" + cp.RawQuery
	}
	d.path.SetText(target)
	ev := ""
	if cp.Event != "" {
		ev = "· " + cp.Event
	}
	widgets.SetMuted(d.event, ev)
	d.pathEv.Refresh() // the split follows the texts
	d.showVerdict(cp, v.verdict)
	d.cause.load(cp.ID)
	d.forward.set(cp.ID, v.forward)
	meta := []string{"from " + cp.Remote, capture.FormatSize(cp.BodySize)}
	if ct := cp.Header.Get("Content-Type"); ct != "" {
		meta = append(meta, ct)
	}
	meta = append(meta, cp.Time.Format("2006-01-02 15:04:05.000"), cp.ID)
	widgets.SetMuted(d.meta, strings.Join(meta, " · "))

	if len(v.parts) > 0 && v.partsErr == nil {
		// The parts one under another, a binary one (an image) as a line
		// saying what it is, not the whole body as one hex dump.
		d.Body.SetBodyNote("text/plain", partsText(v.parts), codeview.JoinNotes(v.bodyNote, fmt.Sprintf("multipart: %d parts", len(v.parts))))
	} else {
		d.Body.SetBodyNote(cp.Header.Get("Content-Type"), v.body, v.bodyNote)
	}
	hdrs := headerPairs(cp.Host, cp.Header)
	d.Headers.SetPairs(hdrs)
	d.hdrTab.Text = fmt.Sprintf("Headers (%d)", len(hdrs))
	q := queryPairs(cp.RawQuery)
	d.qryTab.Text = fmt.Sprintf("Query (%d)", len(q))
	d.Query.SetPairs(q)

	raw := rawRequest(cp, v.body)
	d.Raw.SetLines(raw, []byte(linesText(raw)))

	items := []*container.TabItem{d.bodyTab, d.hdrTab, d.qryTab}
	if v.form != nil {
		fields := make([]widgets.Pair, len(v.form))
		for i, f := range v.form {
			fields[i] = widgets.Pair(f)
		}
		d.Form.SetPairs(fields)
		d.formTab.Text = fmt.Sprintf("Form (%d)", len(v.form))
		items = append(items, d.formTab)
	}
	if v.parts != nil || v.partsErr != nil {
		d.parts = v.parts
		d.partTab.Text = fmt.Sprintf("Parts (%d)", len(v.parts))
		d.Parts.Refresh()
		items = append(items, d.partTab)
		if v.partsErr != nil {
			d.Body.SetNote(codeview.JoinNotes(v.bodyNote, "multipart: "+v.partsErr.Error()))
		}
	}
	if mt, data, name, ok := imageOf(cp.Header.Get("Content-Type"), v.body, v.parts); ok {
		d.Image.show(cp.ID+"-"+name, mt, data)
		items = append(items, d.imgTab)
	}
	items = append(items, d.rawTab)
	selected := d.tabs.Selected()
	d.tabs.SetItems(items)
	for _, it := range items {
		if it == selected {
			d.tabs.Select(it)
		}
	}
	d.hint.Hide()
	d.pane.Show()
}

// showVerdict shows the signature line: the verdict under the scheme set
// now, in words with its reason, and the one on arrival when it differs
// (a scheme set or changed since).
func (d *detail) showVerdict(cp *capture.Capture, now *capture.Verdict) {
	d.sigBadge.SetVerdict(now)
	var words string
	switch {
	case now == nil:
		words = "signature not checked: " + endpointLabel(capture.Endpoint(cp.Path)) + " has no scheme (Signatures… sets one)"
	default:
		words = verdictWords(now)
	}
	if was := verdictWords(cp.Signature); was != verdictWords(now) {
		// No badge stands for this one: say the verdict itself.
		was = "not checked"
		if cp.Signature != nil {
			was = cp.Signature.String() + " · " + cp.Signature.Scheme
		}
		words += " · on arrival: " + was
	}
	widgets.SetMuted(d.sigText, words)
}

// verdictWords is a verdict in words with its scheme: "valid (stripe)",
// "invalid: timestamp outside tolerance (signed 7m12s old, tolerance
// 5m0s) (stripe)"; "" for none.
func verdictWords(v *capture.Verdict) string {
	if v == nil {
		return ""
	}
	// The badge already says valid or invalid: the words say why, and
	// with which scheme.
	why := strings.TrimPrefix(strings.TrimPrefix(v.String(), "invalid: "), "valid")
	if why == "" {
		return "checked as " + v.Scheme
	}
	return why + " · " + v.Scheme
}

// Verdict is the detail's signature line as shown: the badge's word and
// the words after it.
func (d *detail) Verdict() string { return d.sigBadge.Word() + " " + widgets.MutedText(d.sigText) }

// EventType is the event type the detail's header shows, "" for none.
func (d *detail) EventType() string { return strings.TrimPrefix(widgets.MutedText(d.event), "· ") }

func (d *detail) newPartRow() fyne.CanvasObject { return newPartRow() }

func (d *detail) updatePartRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(d.parts) {
		return
	}
	p := d.parts[id]
	o.(*partRow).show(p, func() { d.savePart(p) })
}

func (d *detail) savePart(p capture.Part) {
	name := p.Filename
	if name == "" {
		name = p.Name + ".txt"
	}
	d.c.saveBytes(name, p.Body)
}

// saveBytes asks where to save data and writes it there.
func (c *Catcher) saveBytes(name string, data []byte) { dialogs.SaveBytes(c.dialogs, name, data) }

// rawRequest renders the whole request as HTTP text: request line,
// headers, a blank line, and the body when it is text.
func rawRequest(cp *capture.Capture, body []byte) []highlight.Line {
	lines := requestHead(cp)
	lines = append(lines, highlight.Line{})
	return append(lines, codeview.RawBodyLines(cp.Body)...)
}

// isImage reports whether body is an image Fyne can draw.
func isImage(contentType string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "" {
		mt = http.DetectContentType(body)
	}
	switch mt {
	case "image/png", "image/jpeg", "image/gif", "image/svg+xml":
		return len(body) > 0
	}
	return false
}

func imageExt(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	if _, sub, ok := strings.Cut(mt, "/"); ok {
		return "." + strings.TrimSuffix(sub, "+xml")
	}
	return ""
}

// requestHead renders the request line and headers as HTTP text: as
// they arrived when the head was recorded (order, case, escapes; bytes
// that are not UTF-8 shown as \xNN), else rebuilt from the parsed
// request.
func requestHead(cp *capture.Capture) []highlight.Line {
	if cp.Head != nil {
		line, fields := capture.HeadFields(cp.Head)
		method, rest, _ := strings.Cut(line, " ")
		target, proto, _ := strings.Cut(rest, " ")
		for i := range fields {
			fields[i].Name, fields[i].Value = visibleBytes(fields[i].Name), visibleBytes(fields[i].Value)
		}
		return append([]highlight.Line{{
			{Text: visibleBytes(method), Type: chroma.Keyword}, {Text: " " + visibleBytes(target) + " ", Type: chroma.NameNamespace},
			{Text: visibleBytes(proto), Type: chroma.KeywordReserved},
		}}, codeview.HeaderLines(fields)...)
	}
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

// headerPairs lists headers sorted by name, Host first when given.
func headerPairs(host string, h map[string][]string) []widgets.Pair {
	return capture.HeaderFields(h, host)
}

// headerLines renders headers as HTTP text, Host first when given.
func headerLines(host string, h map[string][]string) []highlight.Line {
	return codeview.HeaderLines(headerPairs(host, h))
}

// queryPairs lists the query parameters, decoded, in the order they
// arrived, duplicates included.
func queryPairs(raw string) []widgets.Pair {
	var pairs []widgets.Pair
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
		pairs = append(pairs, widgets.Pair{Name: k, Value: v})
	}
	return pairs
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

// visibleBytes is s with each byte that is not UTF-8 written \xNN, so
// the Raw tab shows what arrived instead of U+FFFD.
func visibleBytes(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, "\\x%02X", s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
