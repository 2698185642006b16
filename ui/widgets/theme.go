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

// Look is how the window is drawn: the zoom, the colours of
// presentation mode, and a theme variant chosen in Settings.
type Look struct {
	// Scale multiplies every size of the theme (text, padding, icons);
	// 0 means 1.
	Scale float32
	// Contrast uses black on white (or white on black): readable on a
	// projector.
	Contrast bool
	// Variant forces the light or the dark theme; VariantSystem follows
	// the system.
	Variant Variant
}

// Variant is a theme variant chosen by the user.
type Variant int

// The variants: the system's, light, dark.
const (
	VariantSystem Variant = iota
	VariantLight
	VariantDark
)

// Theme is Fyne's default theme plus the muted text colour.
func Theme() fyne.Theme { return ThemeWith(Look{}) }

// ThemeWith is Theme drawn as l says.
func ThemeWith(l Look) fyne.Theme {
	if l.Scale <= 0 {
		l.Scale = 1
	}
	return &hooklabTheme{Theme: theme.DefaultTheme(), look: l}
}

type hooklabTheme struct {
	fyne.Theme
	look Look
}

// LookOf returns the look a theme made by ThemeWith draws, and whether
// t is one.
func LookOf(t fyne.Theme) (Look, bool) {
	h, ok := t.(*hooklabTheme)
	if !ok {
		return Look{}, false
	}
	return h.look, true
}

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
	switch t.look.Variant {
	case VariantLight:
		v = theme.VariantLight
	case VariantDark:
		v = theme.VariantDark
	}
	dark := v == theme.VariantDark
	if t.look.Contrast {
		if c, ok := contrastColor(n, dark); ok {
			return c
		}
	}
	if c, ok := textColours[v][n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

// contrastColor is presentation mode's colour for n: pure black and
// white for text and background, muted text nearly as dark as text,
// separators and borders that show on a washed-out projector.
func contrastColor(n fyne.ThemeColorName, dark bool) (color.Color, bool) {
	black, white := color.NRGBA{A: 0xff}, color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	fg, bg := black, white
	muted := color.NRGBA{R: 0x26, G: 0x26, B: 0x26, A: 0xff}
	line := color.NRGBA{R: 0x40, G: 0x40, B: 0x40, A: 0xff}
	if dark {
		fg, bg = white, black
		muted = color.NRGBA{R: 0xe0, G: 0xe0, B: 0xe0, A: 0xff}
		line = color.NRGBA{R: 0xb0, G: 0xb0, B: 0xb0, A: 0xff}
	}
	switch n {
	case theme.ColorNameForeground:
		return fg, true
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground, theme.ColorNameHeaderBackground:
		return bg, true
	case ColorNameMuted, theme.ColorNamePlaceHolder:
		return muted, true
	case theme.ColorNameSeparator, theme.ColorNameInputBorder:
		return line, true
	}
	// Status colours that stay readable as text: at least 4.5:1 on the
	// background (Fyne's light green on white is about 1.5:1).
	light := map[fyne.ThemeColorName]color.NRGBA{
		theme.ColorNameSuccess: {R: 0x11, G: 0x6b, B: 0x2e, A: 0xff},
		theme.ColorNameWarning: {R: 0x8a, G: 0x4b, B: 0x00, A: 0xff},
		theme.ColorNameError:   {R: 0xb3, G: 0x16, B: 0x16, A: 0xff},
		theme.ColorNamePrimary: {R: 0x0b, G: 0x57, B: 0xd0, A: 0xff},
	}
	darkC := map[fyne.ThemeColorName]color.NRGBA{
		theme.ColorNameSuccess: {R: 0x4a, G: 0xde, B: 0x80, A: 0xff},
		theme.ColorNameWarning: {R: 0xfb, G: 0xbf, B: 0x24, A: 0xff},
		theme.ColorNameError:   {R: 0xff, G: 0x7a, B: 0x7a, A: 0xff},
		// Primary stays Fyne's: it fills buttons under white text too.
	}
	m := light
	if dark {
		m = darkC
	}
	if c, ok := m[n]; ok {
		return c, true
	}
	return nil, false
}

func (t *hooklabTheme) Size(n fyne.ThemeSizeName) float32 {
	return t.Theme.Size(n) * t.look.Scale
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
