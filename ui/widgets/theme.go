package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ColorNameMuted is secondary text that must stay readable: timestamps,
// sizes, meta lines. Fyne's "disabled" colour is too faint for that.
const ColorNameMuted fyne.ThemeColorName = "hooklabMuted"

// Theme is Fyne's default theme plus the muted text colour.
func Theme() fyne.Theme { return &hooklabTheme{Theme: theme.DefaultTheme()} }

type hooklabTheme struct{ fyne.Theme }

func (t *hooklabTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == ColorNameMuted {
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x9c, G: 0xa3, B: 0xaf, A: 0xff}
		}
		return color.NRGBA{R: 0x6b, G: 0x72, B: 0x80, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

// MutedColor is the muted colour in the current theme.
func MutedColor() color.Color { return theme.Color(ColorNameMuted) }

// NewMuted returns one line of muted text, cut with an ellipsis when it
// does not fit (so it belongs where the layout stretches it).
func NewMuted(s string, style fyne.TextStyle) *widget.RichText {
	rt := NewMutedFull(s, style)
	rt.Truncation = fyne.TextTruncateEllipsis
	return rt
}

// NewMutedFull returns muted text that always shows in full.
func NewMutedFull(s string, style fyne.TextStyle) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyle{
		ColorName: ColorNameMuted, TextStyle: style, SizeName: theme.SizeNameText, Inline: true,
	}})
}

// SetMuted replaces the text of a label made by NewMuted.
func SetMuted(rt *widget.RichText, s string) {
	seg := rt.Segments[0].(*widget.TextSegment)
	if seg.Text == s {
		return
	}
	seg.Text = s
	rt.Refresh()
}

// MutedText returns the text of a label made by NewMuted.
func MutedText(rt *widget.RichText) string {
	return rt.Segments[0].(*widget.TextSegment).Text
}
