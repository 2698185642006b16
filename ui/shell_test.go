package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/uitest"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

const ctrl = fyne.KeyModifierShortcutDefault

// focusSearch puts the focus in the catcher's search field, a plain
// Entry (which swallows the shortcuts it does not know), as a click
// does.
func (r *rig) focusSearch() {
	r.win.Canvas().Focus(r.ui.Catcher.Search)
}

// asked reports whether a dialog of kind titled title was asked for.
func (r *rig) asked(kind, title string) bool {
	for _, a := range r.dialogs.Asked {
		if a.Kind == kind && a.Title == title {
			return true
		}
	}
	return false
}

// TestShortcutsWorkWhereverTheFocusIs: every shortcut of the menus does
// its thing with the focus in a text field (which takes shortcuts
// itself) and with nothing focused, dispatched as the desktop driver
// does.
func TestShortcutsWorkWhereverTheFocusIs(t *testing.T) {
	for _, focus := range []string{"entry", "none"} {
		t.Run(focus, func(t *testing.T) {
			r := newRig(t)
			c, u := r.ui.Composer, r.ui
			press := func(k fyne.KeyName, m fyne.KeyModifier) {
				t.Helper()
				if focus == "entry" {
					r.focusSearch()
				} else {
					r.win.Canvas().Unfocus()
				}
				uitest.Press(r.win, k, m)
			}
			n := len(c.Tabs.Titles())
			press(fyne.KeyT, ctrl)
			if got := len(c.Tabs.Titles()); got != n+1 {
				t.Fatalf("Ctrl+T: %d tabs, want %d", got, n+1)
			}
			// The new tab is a scratch tab: saving it asks where (the
			// first-start tab is tied to its file and saves at once).
			r.dialogs.Answer = func(dialogstest.Asked) bool { return false }
			press(fyne.KeyS, ctrl)
			if len(r.dialogs.Asked) == 0 {
				t.Error("Ctrl+S did not ask where to save the scratch tab")
			}
			press(fyne.KeyW, ctrl)
			if got := len(c.Tabs.Titles()); got != n {
				t.Fatalf("Ctrl+W: %d tabs, want %d", got, n)
			}
			press(fyne.KeyComma, ctrl)
			if !r.asked(dialogstest.Form, "Settings") {
				t.Error("Ctrl+, did not open Settings")
			}
			press(fyne.KeyK, ctrl|fyne.KeyModifierShift)
			if !r.asked(dialogstest.Confirm, "Clear all captures?") {
				t.Error("Ctrl+Shift+K did not ask before clearing the captures")
			}
			press(fyne.KeySlash, ctrl)
			if !r.asked(dialogstest.Custom, "Keyboard shortcuts") {
				t.Error("Ctrl+/ did not list the shortcuts")
			}
			if focus == "entry" { // zooming redraws the whole window: slow under -race, once is enough
				zoomKeys(t, u, press)
			}
			shown := c.SidebarShown()
			press(fyne.KeyB, ctrl)
			if c.SidebarShown() == shown {
				t.Error("Ctrl+B did not fold or unfold the sidebar")
			}
			press(fyne.KeyB, ctrl)

			r.win.Canvas().Unfocus()
			press(fyne.KeyL, ctrl)
			if r.win.Canvas().Focused() != c.URL {
				t.Errorf("Ctrl+L focused %T, not the URL", r.win.Canvas().Focused())
			}

			press(fyne.KeyReturn, ctrl)
			r.loop.WaitFor(t, "the response of Ctrl+Enter", func() bool { return c.Status.Text == "201 Created" && c.RespBody.Text() != "" })
			press(fyne.KeyF, ctrl)
			found := false
			for _, o := range test.LaidOutObjects(c.RespBody) {
				if f, ok := o.(fyne.Focusable); ok && f == r.win.Canvas().Focused() {
					found = true
				}
			}
			if !found {
				t.Errorf("Ctrl+F focused %T, not the response body's find field", r.win.Canvas().Focused())
			}
		})
	}
}

// zoomKeys presses Ctrl+=, Ctrl+0, Ctrl+- and Ctrl+0 and checks the text
// size after each.
func zoomKeys(t *testing.T, u *UI, press func(fyne.KeyName, fyne.KeyModifier)) {
	t.Helper()
	size := u.TextSize()
	press(fyne.KeyEqual, ctrl)
	if u.TextSize() <= size {
		t.Errorf("Ctrl+= left the text at %v", u.TextSize())
	}
	press(fyne.Key0, ctrl)
	press(fyne.KeyMinus, ctrl)
	if u.TextSize() >= size {
		t.Errorf("Ctrl+- after Ctrl+0 left the text at %v, was %v", u.TextSize(), size)
	}
	press(fyne.Key0, ctrl)
	if u.TextSize() != size {
		t.Errorf("Ctrl+0: text at %v, want %v", u.TextSize(), size)
	}
}

// TestF11TogglesPresentationWithoutFocus: F11 (no modifier) reaches the
// window while no text field has the focus.
func TestF11TogglesPresentationWithoutFocus(t *testing.T) {
	r := newRig(t)
	r.win.Canvas().Unfocus()
	uitest.Press(r.win, fyne.KeyF11, 0)
	if !r.ui.Presenting() {
		t.Fatal("F11 did not start presentation mode")
	}
	uitest.Press(r.win, fyne.KeyF11, 0)
	if r.ui.Presenting() {
		t.Fatal("F11 did not end presentation mode")
	}
}

// TestShortcutsDialogListsEveryMenuShortcut: the dialog and the menus
// come from one table, so every shortcut a menu item has is listed.
func TestShortcutsDialogListsEveryMenuShortcut(t *testing.T) {
	r := newRig(t)
	r.ui.ShowShortcuts()
	a, _ := r.dialogs.Last()
	var listed []string
	for _, o := range test.LaidOutObjects(a.Content) {
		if l, ok := o.(*widget.Label); ok {
			listed = append(listed, l.Text)
		}
	}
	text := strings.Join(listed, "\n")
	n := 0
	for _, cmd := range r.ui.cmds {
		if cmd.key == "" {
			continue
		}
		n++
		if !strings.Contains(text, cmd.keys()) || !strings.Contains(text, strings.TrimSuffix(cmd.label, "…")) {
			t.Errorf("the dialog does not list %s (%s)", cmd.label, cmd.keys())
		}
	}
	for _, want := range []string{"Ctrl+T", "Ctrl+W", "Ctrl+S", "Ctrl+Enter", "Ctrl+F", "Ctrl+L", "Ctrl+,", "Ctrl+Shift+K", "Ctrl+=", "Ctrl+-", "Ctrl+0", "F11"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog does not list %s", want)
		}
	}
	if n < 12 {
		t.Errorf("only %d shortcuts", n)
	}
	menu := r.win.MainMenu()
	var names []string
	for _, m := range menu.Items {
		names = append(names, m.Label)
	}
	if strings.Join(names, " ") != "File Edit View Help" {
		t.Errorf("the menus are %v", names)
	}
}

// TestZoomIsRememberedAcrossARestart: the zoom changes the text size
// and the next window in the same app (its preferences) opens at it.
func TestZoomIsRememberedAcrossARestart(t *testing.T) {
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	r := newRigOn(t, app)
	base := r.ui.TextSize()
	label := widget.NewLabel("Hooklab")
	before := label.MinSize().Height
	r.ui.ZoomIn()
	r.ui.ZoomIn()
	if got := r.ui.TextSize(); got <= base {
		t.Fatalf("zoomed in twice, the text is %v, was %v", got, base)
	}
	if label.MinSize().Height <= before {
		t.Errorf("a label is %v high zoomed in, %v before", label.MinSize().Height, before)
	}
	zoom := r.ui.Zoom()
	r.close()

	r2 := newRigOn(t, app)
	if r2.ui.Zoom() != zoom || r2.ui.TextSize() != base*zoom {
		t.Errorf("after a restart the zoom is %v (text %v), want %v (text %v)", r2.ui.Zoom(), r2.ui.TextSize(), zoom, base*zoom)
	}
}

// TestZoomStepsStopAtTheEnds: zooming past 80 % or 200 % stays there.
func TestZoomStepsStopAtTheEnds(t *testing.T) {
	z := float32(1)
	for range 20 {
		z = nextStep(z, -1)
	}
	if z != 0.8 {
		t.Errorf("zoomed out all the way to %v", z)
	}
	for range 20 {
		z = nextStep(z, +1)
	}
	if z != 2 {
		t.Errorf("zoomed in all the way to %v", z)
	}
}

// TestPresentationModeEnlargesHidesAndRestores: presentation mode makes
// the text bigger and high-contrast, folds the sidebar and hides the
// notes, and turning it off puts back exactly what was there.
func TestPresentationModeEnlargesHidesAndRestores(t *testing.T) {
	r := newRig(t, func(d *Deps, _ *string) { d.Notes = []string{"The catcher's port was busy."} })
	u, c := r.ui, r.ui.Composer
	c.ShowSidebar(true)
	u.split.SetOffset(0.37)
	base := u.TextSize()
	txt := widgets.NewText("12:01:03.412", nil, widgets.Mono) // as the rows of the list make theirs

	u.TogglePresentation()
	r.loop.WaitFor(t, "texts made before to grow", func() bool { return txt.TextSize >= base*1.25 },
		func() string { return fmt.Sprint(txt.TextSize) })
	if u.TextSize() < base*1.25 {
		t.Errorf("presentation text %v, normal %v", u.TextSize(), base)
	}
	if c.SidebarShown() || u.notesBar.Visible() {
		t.Errorf("presenting: sidebar shown %v, notes shown %v", c.SidebarShown(), u.notesBar.Visible())
	}
	th := r.ui.app.Settings().Theme()
	fg := th.Color("foreground", r.ui.app.Settings().ThemeVariant())
	bg := th.Color("background", r.ui.app.Settings().ThemeVariant())
	if cr := contrastOf(fg, bg); cr < 15 {
		t.Errorf("presentation contrast %.1f:1", cr)
	}
	u.ZoomIn() // zooming while presenting does not change the user's zoom
	u.TogglePresentation()
	if u.TextSize() != base || !c.SidebarShown() || !u.notesBar.Visible() || u.split.Offset != 0.37 || u.Zoom() != 1 {
		t.Errorf("after presenting: text %v (was %v), sidebar %v, notes %v, split %v, zoom %v",
			u.TextSize(), base, c.SidebarShown(), u.notesBar.Visible(), u.split.Offset, u.Zoom())
	}
}

// TestInvalidSettingIsRefusedAndTheOldKept: a port that is no number is
// refused with a message naming the field, and nothing changes; a valid
// change is kept in the preferences and says it needs a restart.
func TestInvalidSettingIsRefusedAndTheOldKept(t *testing.T) {
	r := newRig(t)
	set := func(label, value string) func(dialogstest.Asked) bool {
		return func(a dialogstest.Asked) bool {
			for _, it := range a.Items {
				if it.Text == label {
					it.Widget.(*widget.Entry).SetText(value)
				}
			}
			return true
		}
	}
	r.dialogs.Answer = set("Catcher address", "127.0.0.1:http")
	r.ui.ShowSettings()
	a, _ := r.dialogs.Last()
	if a.Kind != dialogstest.Error || !strings.Contains(a.Message, "Catcher address") || !strings.Contains(a.Message, "not changed") {
		t.Fatalf("a port that is no number got %+v", a)
	}
	if got := LoadSettings(r.ui.prefs).CatcherAddr; got != "" || r.ui.Settings().CatcherAddr != "" {
		t.Errorf("the refused address was kept: %q", got)
	}
	r.dialogs.Answer = set("Keep captures", "-3")
	r.ui.ShowSettings()
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Error || !strings.Contains(a.Message, "Keep captures") {
		t.Errorf("a negative count got %+v", a)
	}
	if LoadSettings(r.ui.prefs).Retain != DefaultRetain {
		t.Error("the refused count was kept")
	}

	r.dialogs.Answer = set("Catcher address", "127.0.0.1:9099")
	r.ui.ShowSettings()
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Information || !strings.Contains(a.Message, "catcher address") {
		t.Errorf("a valid address got %+v", a)
	}
	if got := LoadSettings(r.ui.prefs).CatcherAddr; got != "127.0.0.1:9099" {
		t.Errorf("the address kept is %q", got)
	}
}

// TestNotificationOncePerBurstOnlyInBackground: webhooks arriving while
// the window has the focus notify nobody; a burst arriving while it is
// in the background gives one notification naming them; switched off in
// Settings, none.
func TestNotificationOncePerBurstOnlyInBackground(t *testing.T) {
	var sent []*fyne.Notification
	r := newRig(t, func(d *Deps, _ *string) { d.Notify = func(n *fyne.Notification) { sent = append(sent, n) } })
	n := r.ui.notifier
	var fire []func()
	n.after = func(_ time.Duration, fn func()) func() {
		fire = append(fire, fn)
		return func() {}
	}
	lc := r.ui.app.Lifecycle().(interface {
		OnEnteredForeground() func()
		OnExitedForeground() func()
	})
	burst := func(events ...string) {
		var sums []capture.Summary
		for _, e := range events {
			sums = append(sums, capture.Summary{Method: "POST", Path: "/payments", Event: e})
		}
		n.handle([]workspace.Event{workspace.CapturesAdded{Summaries: sums}})
	}
	fireAll := func() {
		for _, f := range fire {
			f()
		}
		fire = nil
		r.loop.Drain()
	}

	burst("payment.created")
	fireAll()
	if len(sent) != 0 {
		t.Fatalf("focused window notified %q", sent[0].Content)
	}

	lc.OnExitedForeground()()
	burst("payment.created")
	burst("payment.succeeded", "payment.succeeded")
	if len(fire) != 1 {
		t.Fatalf("%d timers for one burst", len(fire))
	}
	fireAll()
	if len(sent) != 1 || sent[0].Content != "3 webhooks: payment.created, payment.succeeded" {
		t.Fatalf("one burst sent %d notifications: %+v", len(sent), sent)
	}
	burst("")
	fireAll()
	if len(sent) != 2 || sent[1].Content != "1 webhook: POST /payments" {
		t.Errorf("the next burst: %+v", sent[1:])
	}

	s := r.ui.Settings()
	s.Notify = false
	r.ui.applySettings(s)
	burst("payment.created")
	fireAll()
	lc.OnEnteredForeground()()
	if len(sent) != 2 {
		t.Errorf("switched off, still notified: %+v", sent[2:])
	}
}

// TestSplitMovesAt1024 is the divider that "did nothing" at 1024×700:
// both panels' minimum widths filled the window, so it could not move.
// Now it moves from 30 % to 70 % and each panel follows.
func TestSplitMovesAt1024(t *testing.T) {
	r := newRig(t)
	r.win.Resize(fyne.NewSize(1024, 700))
	sp := r.ui.split
	for _, off := range []float64{0.3, 0.5, 0.7} {
		sp.SetOffset(off)
		w := sp.Leading.Size().Width + sp.Trailing.Size().Width
		got := float64(sp.Leading.Size().Width / w)
		if got < off-0.03 || got > off+0.03 {
			t.Errorf("divider at %.2f: the catcher has %.0f of %.0f px (%.2f)", off, sp.Leading.Size().Width, w, got)
		}
	}
}

// TestLayoutIsRememberedAcrossARestart: the window's size, the divider
// and the sidebar come back as they were; a size too big for any screen
// is cut down.
func TestLayoutIsRememberedAcrossARestart(t *testing.T) {
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	r := newRigOn(t, app)
	r.win.Resize(fyne.NewSize(1200, 760))
	r.ui.Composer.ShowSidebar(true)
	r.ui.split.SetOffset(0.62)
	r.close()

	r2 := newRigOn(t, app)
	if got := r2.ui.WindowSize(); got != fyne.NewSize(1200, 760) {
		t.Errorf("window size %v, want 1200×760", got)
	}
	if !r2.ui.Composer.SidebarShown() || r2.ui.split.Offset != 0.62 {
		t.Errorf("sidebar shown %v, split %v; want true, 0.62", r2.ui.Composer.SidebarShown(), r2.ui.split.Offset)
	}
	app.Preferences().SetFloat(prefWidth, 9000)
	app.Preferences().SetFloat(prefHeight, 300)
	if got := r2.ui.WindowSize(); got != fyne.NewSize(3840, 700) {
		t.Errorf("a remembered 9000×300 opens at %v", got)
	}
}

func contrastOf(a, b color.Color) float64 {
	return widgets.Contrast(a, b)
}
