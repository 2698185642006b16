package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// colorNameMuted is secondary text that must stay readable: timestamps,
// sizes, meta lines. Fyne's "disabled" colour is too faint for that.
const colorNameMuted fyne.ThemeColorName = "hooklabMuted"

// Theme is Fyne's default theme plus Hooklab's muted text colour.
func Theme() fyne.Theme { return &hooklabTheme{Theme: theme.DefaultTheme()} }

type hooklabTheme struct{ fyne.Theme }

func (t *hooklabTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == colorNameMuted {
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x9c, G: 0xa3, B: 0xaf, A: 0xff}
		}
		return color.NRGBA{R: 0x6b, G: 0x72, B: 0x80, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

// mutedColor is the muted colour in the current theme.
func mutedColor() color.Color { return theme.Color(colorNameMuted) }

// newMuted returns one line of muted text, cut with an ellipsis when it
// does not fit (so it belongs where the layout stretches it).
func newMuted(s string, style fyne.TextStyle) *widget.RichText {
	rt := newMutedFull(s, style)
	rt.Truncation = fyne.TextTruncateEllipsis
	return rt
}

// newMutedFull returns muted text that always shows in full.
func newMutedFull(s string, style fyne.TextStyle) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyle{
		ColorName: colorNameMuted, TextStyle: style, SizeName: theme.SizeNameText, Inline: true,
	}})
}

// setMuted replaces the text of a label made by newMuted.
func setMuted(rt *widget.RichText, s string) {
	seg := rt.Segments[0].(*widget.TextSegment)
	if seg.Text == s {
		return
	}
	seg.Text = s
	rt.Refresh()
}

// mutedText returns the text of a label made by newMuted.
func mutedText(rt *widget.RichText) string {
	return rt.Segments[0].(*widget.TextSegment).Text
}
