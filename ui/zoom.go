package ui

import (
	"fyne.io/fyne/v2/theme"

	"hooklab/ui/widgets"
)

// zoomSteps are the sizes View › Zoom in and Zoom out step through.
var zoomSteps = []float32{0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2}

// presentZoom is presentation mode's first zoom, over the user's.
const presentZoom = 1.3

const prefZoom = "window.zoom"

// lookState is how the window is drawn now.
type lookState struct {
	zoom float32 // the user's zoom, remembered
	// presenting is presentation mode; present is its zoom (on top of
	// zoom), changed by zooming while presenting and not remembered.
	presenting bool
	present    float32
	// before is what presentation mode changed, to put back.
	before shellState
}

// shellState is the part of the window presentation mode changes.
type shellState struct {
	sidebar bool
	notes   bool
	split   float64
}

// Zoom is the user's zoom (1 is 100 %), outside presentation mode.
func (u *UI) Zoom() float32 { return u.look.zoom }

// ZoomIn makes everything in the window one step bigger (Ctrl+=).
func (u *UI) ZoomIn() { u.stepZoom(+1) }

// ZoomOut makes everything in the window one step smaller (Ctrl+-).
func (u *UI) ZoomOut() { u.stepZoom(-1) }

// ZoomReset draws the window at 100 % (Ctrl+0); in presentation mode,
// at presentation mode's first size.
func (u *UI) ZoomReset() {
	if u.look.presenting {
		u.look.present = presentZoom
	} else {
		u.setZoom(1)
	}
	u.applyLook()
}

func (u *UI) stepZoom(dir int) {
	z := &u.look.zoom
	if u.look.presenting {
		z = &u.look.present
	}
	*z = nextStep(*z, dir)
	if !u.look.presenting {
		u.setZoom(*z)
	}
	u.applyLook()
}

// nextStep is the zoom step after z in direction dir, or z at the end.
func nextStep(z float32, dir int) float32 {
	if dir > 0 {
		for _, s := range zoomSteps {
			if s > z+0.001 {
				return s
			}
		}
		return z
	}
	for i := len(zoomSteps) - 1; i >= 0; i-- {
		if zoomSteps[i] < z-0.001 {
			return zoomSteps[i]
		}
	}
	return z
}

// setZoom keeps z as the user's zoom, remembered for the next start.
func (u *UI) setZoom(z float32) {
	u.look.zoom = z
	u.prefs.SetFloat(prefZoom, float64(z))
}

// loadZoom reads the remembered zoom, within the steps.
func (u *UI) loadZoom() {
	z := float32(u.prefs.FloatWithFallback(prefZoom, 1))
	z = max(zoomSteps[0], min(z, zoomSteps[len(zoomSteps)-1]))
	u.look.zoom = z
}

// applyLook sets the app's theme to the zoom, presentation mode and
// theme variant in force; Fyne redraws the window.
func (u *UI) applyLook() {
	v := u.settings.variant()
	if u.themeFlag != "" {
		v = Settings{Theme: u.themeFlag}.variant()
	}
	l := widgets.Look{Scale: u.look.zoom, Variant: v}
	if u.look.presenting {
		l.Scale *= u.look.present
		l.Contrast = true
	}
	if cur, ok := widgets.LookOf(u.app.Settings().Theme()); ok && cur == l {
		return
	}
	u.app.Settings().SetTheme(widgets.ThemeWith(l))
}

// TextSize is the size text is drawn at in the window now.
func (u *UI) TextSize() float32 {
	return u.app.Settings().Theme().Size(theme.SizeNameText)
}
