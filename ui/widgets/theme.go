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

// ColorNameRedirect is the text colour of a 3xx status.
const ColorNameRedirect fyne.ThemeColorName = "hooklabRedirect"

// textColours are colours that are written as text on the background
// (a status, "Valid JSON", an error), each reading at 4.5:1 or better
// in its variant (TestStatusAndValidityContrast). Fyne's own success,
// warning and error are too light for text on white (1.5:1 for green);
// the dark variant keeps Fyne's where they read well.
var textColours = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		ColorNameMuted:         color.NRGBA{R: 0x61, G: 0x68, B: 0x75, A: 0xff},
		theme.ColorNameSuccess: color.NRGBA{R: 0x1b, G: 0x7a, B: 0x34, A: 0xff},
		theme.ColorNameWarning: color.NRGBA{R: 0xa3, G: 0x55, B: 0x00, A: 0xff},
		theme.ColorNameError:   color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
		ColorNameRedirect:      color.NRGBA{R: 0x1a, G: 0x5f, B: 0xd0, A: 0xff},
	},
	theme.VariantDark: {
		ColorNameMuted:       color.NRGBA{R: 0x9c, G: 0xa3, B: 0xaf, A: 0xff},
		ColorNameRedirect:    color.NRGBA{R: 0x6e, G: 0xa2, B: 0xff, A: 0xff},
		theme.ColorNameError: color.NRGBA{R: 0xff, G: 0x6b, B: 0x5e, A: 0xff},
	},
}

func (t *hooklabTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := textColours[v][n]; ok {
		return c
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
