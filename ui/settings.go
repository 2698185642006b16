package ui

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/widgets"
)

// Settings are what Edit › Settings… changes, kept in the app's
// preferences. A command-line flag given wins over its setting for that
// run (--addr, --data-dir, --retain, --retain-mb, --view-cap-mb,
// --theme); HOOKLAB_DATA_DIR wins over the data directory setting too.
type Settings struct {
	// CatcherAddr is where the catcher listens, host:port; "" is the
	// default, 127.0.0.1:8088.
	CatcherAddr string
	// Sandbox runs the built-in sample API.
	Sandbox bool
	// DataDir holds captures, history and collections; "" is the
	// per-user default.
	DataDir string
	// Theme is "system", "light" or "dark".
	Theme string
	// ViewCapMB is how many MiB of a body are shown before Load all.
	ViewCapMB int
	// Retain and RetainMB bound the stored captures: the newest Retain,
	// at most RetainMB MiB of bodies.
	Retain, RetainMB int
	// Notify sends a desktop notification when webhooks arrive while the
	// window is in the background.
	Notify bool
}

// SetBy names, for each setting, what set it for this run instead of
// the setting ("--addr", "HOOKLAB_DATA_DIR"); "" where the setting is
// in force.
type SetBy struct {
	CatcherAddr, Sandbox, DataDir, Theme, ViewCapMB, Retain, RetainMB string
}

// Defaults of the settings, the same as the flags'.
const (
	DefaultViewCapMB = 10
	DefaultRetain    = 100_000
	DefaultRetainMB  = 1024
)

// The preference keys of the settings.
const (
	prefCatcherAddr = "settings.catcherAddr"
	prefSandbox     = "settings.sandbox"
	prefDataDir     = "settings.dataDir"
	prefTheme       = "settings.theme"
	prefViewCapMB   = "settings.viewCapMB"
	prefRetain      = "settings.retain"
	prefRetainMB    = "settings.retainMB"
	prefNotify      = "settings.notify"
)

// themes are the choices of Settings.Theme.
var themes = []string{"system", "light", "dark"}

// LoadSettings reads the settings from p; a value missing or not valid
// (edited by hand, say) reads as its default.
func LoadSettings(p fyne.Preferences) Settings {
	s := Settings{
		CatcherAddr: p.String(prefCatcherAddr),
		Sandbox:     p.BoolWithFallback(prefSandbox, true),
		DataDir:     p.String(prefDataDir),
		Theme:       p.StringWithFallback(prefTheme, "system"),
		ViewCapMB:   p.IntWithFallback(prefViewCapMB, DefaultViewCapMB),
		Retain:      p.IntWithFallback(prefRetain, DefaultRetain),
		RetainMB:    p.IntWithFallback(prefRetainMB, DefaultRetainMB),
		Notify:      p.BoolWithFallback(prefNotify, true),
	}
	d := Settings{Sandbox: true, Theme: "system", ViewCapMB: DefaultViewCapMB, Retain: DefaultRetain, RetainMB: DefaultRetainMB, Notify: true}
	if checkAddr(s.CatcherAddr) != nil {
		s.CatcherAddr = ""
	}
	if checkDir(s.DataDir) != nil {
		s.DataDir = ""
	}
	if !validTheme(s.Theme) {
		s.Theme = d.Theme
	}
	if checkRange(s.ViewCapMB, 1, 1024) != nil {
		s.ViewCapMB = d.ViewCapMB
	}
	if checkRange(s.Retain, 1, 10_000_000) != nil {
		s.Retain = d.Retain
	}
	if checkRange(s.RetainMB, 1, 1<<20) != nil {
		s.RetainMB = d.RetainMB
	}
	return s
}

// Save writes s to p.
func (s Settings) Save(p fyne.Preferences) {
	p.SetString(prefCatcherAddr, s.CatcherAddr)
	p.SetBool(prefSandbox, s.Sandbox)
	p.SetString(prefDataDir, s.DataDir)
	p.SetString(prefTheme, s.Theme)
	p.SetInt(prefViewCapMB, s.ViewCapMB)
	p.SetInt(prefRetain, s.Retain)
	p.SetInt(prefRetainMB, s.RetainMB)
	p.SetBool(prefNotify, s.Notify)
}

// variant is the theme variant Theme names.
func (s Settings) variant() widgets.Variant {
	switch s.Theme {
	case "light":
		return widgets.VariantLight
	case "dark":
		return widgets.VariantDark
	}
	return widgets.VariantSystem
}

func validTheme(t string) bool {
	for _, x := range themes {
		if x == t {
			return true
		}
	}
	return false
}

// checkAddr accepts "" (the default) or host:port with a port number.
func checkAddr(a string) error {
	if a == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("%q is not host:port (e.g. 127.0.0.1:8088)", a)
	}
	if host == "" {
		return fmt.Errorf("%q has no host: write 127.0.0.1:%s to listen on this computer only", a, port)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// checkDir accepts "" (the default), or an absolute path that is a
// folder or does not exist yet.
func checkDir(d string) error {
	if d == "" {
		return nil
	}
	if !filepath.IsAbs(d) {
		return fmt.Errorf("%q is not an absolute path", d)
	}
	if fi, err := os.Stat(d); err == nil && !fi.IsDir() {
		return fmt.Errorf("%q is a file, not a folder", d)
	}
	return nil
}

func checkRange(n, lo, hi int) error {
	if n < lo || n > hi {
		return fmt.Errorf("%d is not from %d to %d", n, lo, hi)
	}
	return nil
}

// parseInt reads a whole number from lo to hi.
func parseInt(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", strings.TrimSpace(s))
	}
	return n, checkRange(n, lo, hi)
}

// settingsForm is the dialog's fields.
type settingsForm struct {
	addr, dir, viewCap, retain, retainMB *widget.Entry
	sandbox, notify                      *widget.Check
	theme                                *widget.RadioGroup
}

func newSettingsForm(s Settings) *settingsForm {
	f := &settingsForm{
		addr: widget.NewEntry(), dir: widget.NewEntry(), viewCap: widget.NewEntry(),
		retain: widget.NewEntry(), retainMB: widget.NewEntry(),
		sandbox: widget.NewCheck("Run the built-in sample API", nil),
		notify:  widget.NewCheck("Notify me of webhooks while the window is in the background", nil),
		theme:   widget.NewRadioGroup(themes, nil),
	}
	f.addr.SetPlaceHolder("127.0.0.1:8088 (default)")
	f.addr.SetText(s.CatcherAddr)
	f.dir.SetPlaceHolder("the per-user default")
	f.dir.SetText(s.DataDir)
	f.viewCap.SetText(strconv.Itoa(s.ViewCapMB))
	f.retain.SetText(strconv.Itoa(s.Retain))
	f.retainMB.SetText(strconv.Itoa(s.RetainMB))
	f.sandbox.SetChecked(s.Sandbox)
	f.notify.SetChecked(s.Notify)
	f.theme.Horizontal = true
	f.theme.Required = true
	f.theme.SetSelected(s.Theme)
	return f
}

// items are the form's fields, each with its hint: what it takes and
// when it applies, or what set it for this run instead (by), since the
// field then shows the setting kept for other starts, not what is in
// force.
func (f *settingsForm) items(by SetBy) []*widget.FormItem {
	item := func(name string, o fyne.CanvasObject, takes, applies, setBy string) *widget.FormItem {
		it := widget.NewFormItem(name, o)
		if setBy != "" {
			applies = "set by " + setBy + " for this run"
		}
		it.HintText = takes
		if applies != "" {
			if it.HintText != "" {
				it.HintText += "; "
			}
			it.HintText += applies
		}
		if it.HintText != "" {
			it.HintText = strings.ToUpper(it.HintText[:1]) + it.HintText[1:]
		}
		return it
	}
	const restart = "restart to apply"
	return []*widget.FormItem{
		item("Catcher address", f.addr, "host:port", restart, by.CatcherAddr),
		item("Sandbox", f.sandbox, "", restart, by.Sandbox),
		item("Data directory", f.dir, "absolute path", restart, by.DataDir),
		item("Theme", f.theme, "", "", by.Theme),
		item("Body view cap (MiB)", f.viewCap, "1 to 1024", restart, by.ViewCapMB),
		item("Keep captures", f.retain, "the newest N", restart, by.Retain),
		item("Keep bodies (MiB)", f.retainMB, "", restart, by.RetainMB),
		item("Notifications", f.notify, "", "", ""),
	}
}

// read returns the settings the form holds, or an error naming the
// first field that is not valid.
func (f *settingsForm) read() (Settings, error) {
	s := Settings{
		CatcherAddr: strings.TrimSpace(f.addr.Text), DataDir: strings.TrimSpace(f.dir.Text),
		Sandbox: f.sandbox.Checked, Notify: f.notify.Checked, Theme: f.theme.Selected,
	}
	var err error
	field := func(name string, e error) error {
		if e != nil && err == nil {
			err = fmt.Errorf("%s: %w", name, e)
		}
		return e
	}
	field("Catcher address", checkAddr(s.CatcherAddr))
	field("Data directory", checkDir(s.DataDir))
	if !validTheme(s.Theme) {
		field("Theme", errors.New("choose system, light or dark"))
	}
	var e error
	s.ViewCapMB, e = parseInt(f.viewCap.Text, 1, 1024)
	field("Body view cap", e)
	s.Retain, e = parseInt(f.retain.Text, 1, 10_000_000)
	field("Keep captures", e)
	s.RetainMB, e = parseInt(f.retainMB.Text, 1, 1<<20)
	field("Keep bodies", e)
	return s, err
}

// Settings are the settings in force.
func (u *UI) Settings() Settings { return u.settings }

// ShowSettings shows the Settings dialog (Edit › Settings…, Ctrl+,). A
// value that is not valid is refused with a message saying which and
// why, and nothing is changed; the theme and notifications apply at
// once, the rest at the next start, which the dialog says.
func (u *UI) ShowSettings() {
	f := newSettingsForm(u.settings)
	u.dialogs.Form("Settings", "Save", "Cancel", f.items(u.setBy), fyne.NewSize(560, 0), func(ok bool) {
		if !ok {
			return
		}
		s, err := f.read()
		if err != nil {
			u.dialogs.Error(fmt.Errorf("%w. The settings were not changed", err))
			return
		}
		u.applySettings(s)
	})
}

// applySettings keeps s, applies what applies at once and says what
// waits for a restart.
func (u *UI) applySettings(s Settings) {
	old := u.settings
	u.settings = s
	s.Save(u.prefs)
	u.applyLook()
	var later []string
	if s.Theme != old.Theme && u.themeFlag != "" {
		later = append(later, "theme")
	}
	if s.CatcherAddr != old.CatcherAddr {
		later = append(later, "catcher address")
	}
	if s.Sandbox != old.Sandbox {
		later = append(later, "sandbox setting")
	}
	if s.DataDir != old.DataDir {
		later = append(later, "data directory")
	}
	if s.ViewCapMB != old.ViewCapMB {
		later = append(later, "body view cap")
	}
	if s.Retain != old.Retain || s.RetainMB != old.RetainMB {
		later = append(later, "limits on what is kept")
	}
	if len(later) > 0 {
		u.dialogs.Information("Restart to apply", "Saved. Hooklab uses the new "+strings.Join(later, ", ")+
			" from its next start. A command-line flag given at start wins over its setting.")
	}
}
