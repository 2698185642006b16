package catcher

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/alecthomas/chroma/v2"

	"hooklab/capture"
	"hooklab/ui/codeview"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
	"hooklab/workspace/forward"
)

// forwardResponseTitle is the title of the dialog that shows the
// target's answer to a forward.
const forwardResponseTitle = "Forward response"

// forwardResponseView shows the target's answer to a capture's latest
// forward: its status line, then Body (decoded and highlighted as a
// capture's), Headers (in the order received) and Raw tabs.
type forwardResponseView struct {
	status  *canvas.Text
	meta    *widget.RichText
	tabs    *container.AppTabs
	hdrTab  *container.TabItem
	Body    *codeview.CodeView
	Headers *widgets.PairTable
	Raw     *codeview.CodeView
	content fyne.CanvasObject
}

func newForwardResponseView(views []codeview.Option) *forwardResponseView {
	v := &forwardResponseView{}
	v.status = widgets.NewText("", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	v.meta = widgets.NewMuted("", fyne.TextStyle{})
	v.meta.Truncation = fyne.TextTruncateEllipsis
	v.Body, v.Raw = codeview.New(views...), codeview.New(views...)
	v.Headers = widgets.NewPairTable(": ", "no headers")
	v.hdrTab = container.NewTabItem("Headers", v.Headers)
	v.tabs = container.NewAppTabs(container.NewTabItem("Body", v.Body), v.hdrTab, container.NewTabItem("Raw", v.Raw))
	head := container.NewBorder(nil, nil, v.status, nil, v.meta)
	v.content = container.NewBorder(head, nil, nil, nil, v.tabs)
	return v
}

// show puts r, the answer to the forward f, on the view.
func (v *forwardResponseView) show(f forward.Result, r *forward.Response) {
	v.status.Text, v.status.Color = r.StatusLine(), widgets.StatusColor(f.Status)
	v.status.Refresh()
	meta := []string{f.URL, formatMillis(f)}
	if !f.At.IsZero() {
		meta = append(meta, f.At.Format("2006-01-02 15:04:05.000"))
	}
	widgets.SetMuted(v.meta, strings.Join(meta, " · "))

	fields := r.Fields()
	v.Headers.SetPairs(fields)
	v.hdrTab.Text = fmt.Sprintf("Headers (%d)", len(fields))
	v.tabs.Refresh()

	h := r.Header()
	body, note := r.Body, ""
	decoded, enc, err := capture.DecodeBody(h, r.Body)
	switch {
	case err != nil:
		note = "shown raw: " + err.Error()
	case enc != "":
		body = decoded
		note = fmt.Sprintf("decoded from %s, %s on the wire", enc, capture.FormatSize(int64(len(r.Body))))
	}
	if r.Truncated {
		got := "more than " + capture.FormatSize(int64(len(r.Body)))
		if r.Size >= 0 {
			got = capture.FormatSize(r.Size)
		}
		note = codeview.JoinNotes(note, fmt.Sprintf("truncated: %s received, the first %s kept", got, capture.FormatSize(int64(len(r.Body)))))
	}
	v.Body.SetBodyNote(h.Get("Content-Type"), body, note)

	raw := append([]highlight.Line{statusLineTokens(r.StatusLine())}, codeview.HeaderLines(fields)...)
	raw = append(raw, highlight.Line{})
	raw = append(raw, codeview.RawBodyLines(r.Body)...)
	v.Raw.SetLines(raw, []byte(linesText(raw)))
}

// statusLineTokens colours a status line as the Raw tab colours a
// request line: the protocol, then the code and reason.
func statusLineTokens(line string) highlight.Line {
	proto, rest, _ := strings.Cut(line, " ")
	return highlight.Line{{Text: visibleBytes(proto), Type: chroma.KeywordReserved}, {Text: " " + visibleBytes(rest), Type: chroma.NameNamespace}}
}

// openResponse reads the answer to the shown capture's forward off the
// UI goroutine and shows it in a dialog.
func (l *forwardLine) openResponse() {
	id, res := l.shown, l.result
	if id == "" {
		return
	}
	ws := l.c.ws
	l.c.bridge.Go(func(ctx context.Context) func() {
		resp, err := ws.ForwardResponse(ctx, id)
		if ctx.Err() != nil {
			return nil
		}
		return func() {
			if err != nil {
				l.c.showError("Cannot show the forward's response", err)
				return
			}
			v := newForwardResponseView(l.c.detail.detailViews)
			v.show(res, resp)
			l.view = v
			l.c.dialogs.Custom(forwardResponseTitle, "Close", v.content, fyne.NewSize(720, 520))
		}
	})
}
