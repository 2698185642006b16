package widgets

import (
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Colour carries meaning only: the HTTP method, the status class and
// the state of a signature.

// Methods are the HTTP methods offered by method pickers and filters;
// a composer method picker takes any other token typed.
var Methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// MethodColor returns the colour of an HTTP method, readable on both
// the light and the dark theme.
func MethodColor(method string) color.Color {
	switch strings.ToUpper(method) {
	case "GET":
		return color.NRGBA{R: 0x2f, G: 0x81, B: 0xf7, A: 0xff}
	case "POST":
		return color.NRGBA{R: 0x1f, G: 0xa8, B: 0x5a, A: 0xff}
	case "PUT":
		return color.NRGBA{R: 0xd9, G: 0x7e, B: 0x06, A: 0xff}
	case "PATCH":
		return color.NRGBA{R: 0x9b, G: 0x59, B: 0xd6, A: 0xff}
	case "DELETE":
		return color.NRGBA{R: 0xe0, G: 0x3e, B: 0x3e, A: 0xff}
	}
	return MutedColor()
}

// StatusColor returns the colour of a status class; 0 means no response.
func StatusColor(status int) color.Color {
	switch {
	case status >= 200 && status < 300:
		return theme.Color(theme.ColorNameSuccess)
	case status >= 300 && status < 400:
		return theme.Color(ColorNameRedirect)
	case status >= 400 && status < 500:
		return theme.Color(theme.ColorNameWarning)
	}
	return theme.Color(theme.ColorNameError)
}

// SignatureColor is the colour of a signature verdict: the theme's
// success colour for valid, error for invalid, warning for not signed
// on an endpoint that expects a signature. It fills a badge; its text
// takes TextOn.
func SignatureColor(valid, signed bool) color.Color {
	switch {
	case valid:
		return theme.Color(theme.ColorNameSuccess)
	case !signed:
		return theme.Color(theme.ColorNameWarning)
	}
	return theme.Color(theme.ColorNameError)
}

// TextOn returns black or white, whichever reads better on bg: the
// theme's success, error and warning colours are too light to be text on
// a light background, so badges write on them instead.
func TextOn(bg color.Color) color.Color {
	black, white := color.NRGBA{A: 0xff}, color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	if Contrast(bg, black) >= Contrast(bg, white) {
		return black
	}
	return white
}

// Contrast is the WCAG contrast ratio of two opaque colours, 1 to 21.
func Contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// NewText returns canvas text in the theme's text size.
func NewText(s string, c color.Color, style fyne.TextStyle) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextStyle = style
	t.TextSize = theme.TextSize()
	keepText(t) // a theme change resizes it (RestyleTexts)
	return t
}

// SectionTitle is a panel's quiet capitalised heading.
func SectionTitle(s string) *widget.RichText {
	return NewMutedFull(s, Bold)
}

// Text styles the panels share.
var (
	Mono     = fyne.TextStyle{Monospace: true}
	MonoBold = fyne.TextStyle{Monospace: true, Bold: true}
	Bold     = fyne.TextStyle{Bold: true}
)

// NewWarningBar is a full-width warning: an icon, msg (wrapping, in the
// warning colour) and a dismiss button calling onDismiss, with a
// separator under it.
func NewWarningBar(onDismiss func()) (bar *fyne.Container, msg *widget.Label) {
	msg = widget.NewLabel("")
	msg.Importance = widget.WarningImportance
	msg.Wrapping = fyne.TextWrapWord
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), onDismiss)
	dismiss.Importance = widget.LowImportance
	return container.NewBorder(nil, widget.NewSeparator(), widget.NewIcon(theme.WarningIcon()), dismiss, msg), msg
}

// LowButton is a button of low importance: a toolbar's, a row's.
func LowButton(label string, icon fyne.Resource, tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon(label, icon, tapped)
	b.Importance = widget.LowImportance
	return b
}

// SetVisible shows or hides o.
func SetVisible(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// CopyText puts s on the clipboard.
func CopyText(s string) {
	if app := fyne.CurrentApp(); app != nil {
		app.Clipboard().SetContent(s)
	}
}

// ShowMenuBelow pops a menu up under anchor, as a drop-down, on the
// canvas anchor is shown on.
func ShowMenuBelow(anchor fyne.CanvasObject, items []*fyne.MenuItem) {
	d := fyne.CurrentApp().Driver()
	c := d.CanvasForObject(anchor)
	if c == nil {
		return // not on screen
	}
	pos := d.AbsolutePositionForObject(anchor)
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos.AddXY(0, anchor.Size().Height))
}
