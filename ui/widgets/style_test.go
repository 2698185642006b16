package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// The words on a signature badge read at 4.5:1 or better in both
// themes.
func TestSignatureBadgeContrast(t *testing.T) {
	app := test.NewTempApp(t)
	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		app.Settings().SetTheme(theme.DefaultTheme())
		th := Theme()
		for _, state := range []struct {
			name          string
			valid, signed bool
			colour        fyne.ThemeColorName
		}{{"valid", true, true, theme.ColorNameSuccess}, {"invalid", false, true, theme.ColorNameError}, {"unsigned", false, false, theme.ColorNameWarning}} {
			bg := th.Color(state.colour, variant)
			if r := Contrast(bg, TextOn(bg)); r < 4.5 {
				t.Errorf("variant %d, %s: contrast %.2f", variant, state.name, r)
			}
		}
	}
	if r := Contrast(SignatureColor(true, true), TextOn(SignatureColor(true, true))); r < 4.5 {
		t.Errorf("valid badge in the current theme: %.2f", r)
	}
}

// Every colour a status or a validity line is written in reads at 4.5:1
// or better on the background, in both themes (WCAG AA for text).
func TestStatusAndValidityContrast(t *testing.T) {
	app := test.NewTempApp(t)
	th := Theme()
	app.Settings().SetTheme(th)
	names := map[string]fyne.ThemeColorName{
		"2xx and Valid JSON":     theme.ColorNameSuccess,
		"3xx":                    ColorNameRedirect,
		"4xx and a JSON warning": theme.ColorNameWarning,
		"5xx, errors, invalid":   theme.ColorNameError,
		"muted meta lines":       ColorNameMuted,
	}
	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, bgName := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground} {
			bg := th.Color(bgName, variant)
			for what, n := range names {
				if r := Contrast(th.Color(n, variant), bg); r < 4.5 {
					t.Errorf("variant %d, %s on %s: %.2f:1", variant, what, bgName, r)
				}
			}
		}
	}
}

// TestPresentationColoursReadAsText: in presentation mode the status
// colours reach 4.5:1 against the background in both variants.
func TestPresentationColoursReadAsText(t *testing.T) {
	th := ThemeWith(Look{Contrast: true})
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		bg := th.Color(theme.ColorNameBackground, v)
		for _, n := range []fyne.ThemeColorName{theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError, theme.ColorNamePrimary, ColorNameMuted, theme.ColorNameForeground} {
			if c := Contrast(th.Color(n, v), bg); c < 4.5 {
				t.Errorf("variant %d: %s is %.2f:1 on the background", v, n, c)
			}
		}
	}
}
