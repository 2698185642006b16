package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
)

// SigBadge is a signature verdict as a small coloured word: "valid" on
// the success colour, "invalid" on the error colour, "unsigned" on the
// warning colour (the endpoint expects a signature and none came), and
// nothing when there is no verdict. The catcher's rows and detail and
// the composer's Webhooks tab show the same one.
type SigBadge struct {
	widget.BaseWidget
	bg   *canvas.Rectangle
	text *canvas.Text
}

// NewSigBadge returns a hidden badge.
func NewSigBadge() *SigBadge {
	b := &SigBadge{bg: canvas.NewRectangle(nil), text: canvas.NewText("", nil)}
	b.bg.CornerRadius = theme.InputRadiusSize()
	b.text.TextStyle = Bold
	b.text.TextSize = theme.CaptionTextSize()
	b.text.Alignment = fyne.TextAlignCenter
	b.Hidden = true
	b.ExtendBaseWidget(b)
	return b
}

// SignatureWord is what a badge says for v: "" for no verdict.
func SignatureWord(v *capture.Verdict) string {
	switch {
	case v == nil:
		return ""
	case v.Valid:
		return "valid"
	case !v.Signed():
		return "unsigned"
	}
	return "invalid"
}

// SetVerdict sets the badge to v; nil hides it.
func (b *SigBadge) SetVerdict(v *capture.Verdict) {
	word := SignatureWord(v)
	b.Hidden = word == ""
	if word == "" {
		return
	}
	bg := SignatureColor(v.Valid, v.Signed())
	b.bg.FillColor = bg
	b.text.Text, b.text.Color = word, TextOn(bg)
	b.text.TextSize = theme.CaptionTextSize()
	b.Refresh()
}

// Word is what the badge says, "" when hidden.
func (b *SigBadge) Word() string {
	if b.Hidden {
		return ""
	}
	return b.text.Text
}

// CreateRenderer draws the word on its colour.
func (b *SigBadge) CreateRenderer() fyne.WidgetRenderer { return &sigBadgeRenderer{b: b} }

type sigBadgeRenderer struct{ b *SigBadge }

func (r *sigBadgeRenderer) pad() fyne.Size {
	p := theme.Padding()
	return fyne.NewSize(p*1.5, p/2)
}

// Layout fits the rectangle to the word, at the leading edge, centred
// in the height: badges of one column line up on the left.
func (r *sigBadgeRenderer) Layout(size fyne.Size) {
	ts := fyne.MeasureText(r.b.text.Text, r.b.text.TextSize, r.b.text.TextStyle)
	w := min(size.Width, ts.Width+2*r.pad().Width)
	h := min(size.Height, ts.Height+2*r.pad().Height)
	pos := fyne.NewPos(0, (size.Height-h)/2)
	r.b.bg.Move(pos)
	r.b.bg.Resize(fyne.NewSize(w, h))
	r.b.text.Move(pos)
	r.b.text.Resize(fyne.NewSize(w, h))
}

func (r *sigBadgeRenderer) MinSize() fyne.Size {
	ts := fyne.MeasureText(r.b.text.Text, r.b.text.TextSize, r.b.text.TextStyle)
	return ts.Add(r.pad()).Add(r.pad())
}

func (r *sigBadgeRenderer) Refresh() {
	r.b.bg.Refresh()
	r.b.text.Refresh()
	r.Layout(r.b.Size())
}

func (r *sigBadgeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.b.bg, r.b.text}
}
func (r *sigBadgeRenderer) Destroy() {}

// RowInset pads a list row less than container.NewPadded does, so more
// rows fit on screen: a theme padding on the sides, half of one above
// and below.
type RowInset struct{}

// Layout implements fyne.Layout.
func (RowInset) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	p := theme.Padding()
	for _, o := range objs {
		o.Move(fyne.NewPos(p, p/2))
		o.Resize(fyne.NewSize(size.Width-2*p, size.Height-p))
	}
}

// MinSize implements fyne.Layout.
func (RowInset) MinSize(objs []fyne.CanvasObject) fyne.Size {
	p := theme.Padding()
	m := fyne.NewSize(0, 0)
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m.Add(fyne.NewSize(2*p, p))
}

// SetText sets a canvas text's words and colour, refreshing it only
// when they change (list rows are updated on every scroll).
func SetText(t *canvas.Text, s string, c color.Color) {
	if t.Text == s && t.Color == c {
		return
	}
	t.Text, t.Color = s, c
	t.Refresh()
}
