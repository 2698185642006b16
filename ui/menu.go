package ui

import (
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// command is one thing the menus offer, with its shortcut if it has
// one. The main menu, the canvas's shortcuts and the Keyboard shortcuts
// dialog are all made from the one table, commands.
type command struct {
	menu  string // File, Edit, View or Help
	label string
	// key and mod are the shortcut; key "" has none. mod 0 is a key
	// pressed alone.
	key fyne.KeyName
	mod fyne.KeyModifier
	// alone is a second key, pressed alone (F11), that runs the command
	// while no text field has the focus; the shortcut works always.
	alone fyne.KeyName
	run   func()
	// sub are the items of a submenu instead of run.
	sub []*fyne.MenuItem
	// gap puts a separator above the item.
	gap bool
	// quit marks the item that quits (macOS moves it to the app menu).
	quit bool
}

// menus are the main menu's menus, in order.
var menus = []string{"File", "Edit", "View", "Help"}

// shortcutKey is Ctrl on Linux and Windows, Cmd on macOS.
const shortcutKey = fyne.KeyModifierShortcutDefault

// commands is what the window's menus and shortcuts do.
func (u *UI) commands() []command {
	tabs := u.Composer.Tabs
	var exports []*fyne.MenuItem
	for _, f := range workspace.ExportFormats() {
		exports = append(exports, fyne.NewMenuItem("As "+f.Label+"…", func() { u.Catcher.Export(f.Name) }))
	}
	return []command{
		{menu: "File", label: "New tab", key: fyne.KeyT, mod: shortcutKey, run: tabs.New},
		{menu: "File", label: "Close tab", key: fyne.KeyW, mod: shortcutKey, run: tabs.CloseCurrent},
		{menu: "File", label: "Save request", key: fyne.KeyS, mod: shortcutKey, run: tabs.Save},
		{menu: "File", label: "Send request", key: fyne.KeyReturn, mod: shortcutKey, run: u.Composer.Send},
		{menu: "File", label: "Import…", run: u.Composer.AskImport, gap: true},
		{menu: "File", label: "Import cURL…", run: u.Composer.AskCurl},
		{menu: "File", label: "Export collection…", run: u.Composer.AskExportCollection},
		{menu: "File", label: "Export captures", sub: exports},
		{menu: "File", label: "Clear captures…", key: fyne.KeyK, mod: shortcutKey | fyne.KeyModifierShift, run: u.Catcher.ConfirmClear},
		{menu: "File", label: "Quit", key: fyne.KeyQ, mod: shortcutKey, run: u.quit, gap: true, quit: true},

		{menu: "Edit", label: "Find in body", key: fyne.KeyF, mod: shortcutKey, run: u.Find},
		{menu: "Edit", label: "Go to URL", key: fyne.KeyL, mod: shortcutKey, run: u.Composer.FocusURL},
		{menu: "Edit", label: "Settings…", key: fyne.KeyComma, mod: shortcutKey, run: u.ShowSettings, gap: true},

		{menu: "View", label: "Zoom in", key: fyne.KeyEqual, mod: shortcutKey, run: u.ZoomIn},
		{menu: "View", label: "Zoom out", key: fyne.KeyMinus, mod: shortcutKey, run: u.ZoomOut},
		{menu: "View", label: "Actual size", key: fyne.Key0, mod: shortcutKey, run: u.ZoomReset},
		{menu: "View", label: "Presentation mode", key: fyne.KeyP, mod: shortcutKey | fyne.KeyModifierShift, alone: fyne.KeyF11, run: u.TogglePresentation, gap: true},
		{menu: "View", label: "Collections sidebar", key: fyne.KeyB, mod: shortcutKey, run: u.ToggleSidebar},
		{menu: "View", label: "Timeline", key: fyne.KeyT, mod: shortcutKey | fyne.KeyModifierShift, run: u.ShowTimeline, gap: true},

		{menu: "Help", label: "Keyboard shortcuts", key: fyne.KeySlash, mod: shortcutKey, run: u.ShowShortcuts},
		{menu: "Help", label: "About Hooklab", run: u.ShowAbout},
	}
}

// shortcut is the command's shortcut, nil for none.
func (c command) shortcut() fyne.Shortcut {
	if c.key == "" {
		return nil
	}
	return &desktop.CustomShortcut{KeyName: c.key, Modifier: c.mod}
}

// keys names the command's shortcut as people write it: "Ctrl+Shift+K",
// "Cmd+T" on macOS (the key pressed alone, alone, is listed on its own).
func (c command) keys() string {
	if c.key == "" {
		return ""
	}
	var parts []string
	mod := c.mod
	if mod&fyne.KeyModifierShortcutDefault != 0 && runtime.GOOS == "darwin" {
		parts = append(parts, "Cmd")
		mod &^= fyne.KeyModifierShortcutDefault
	}
	for _, m := range []struct {
		bit  fyne.KeyModifier
		name string
	}{{fyne.KeyModifierControl, "Ctrl"}, {fyne.KeyModifierAlt, "Alt"}, {fyne.KeyModifierShift, "Shift"}, {fyne.KeyModifierSuper, "Super"}} {
		if mod&m.bit != 0 {
			parts = append(parts, m.name)
		}
	}
	key := string(c.key)
	switch c.key {
	case fyne.KeyReturn:
		key = "Enter"
	case fyne.KeyEqual:
		key = "="
	case fyne.KeyMinus:
		key = "-"
	case fyne.KeyComma:
		key = ","
	case fyne.KeySlash:
		key = "/"
	}
	return strings.Join(append(parts, key), "+")
}

// MainMenu is the window's menu bar: File, Edit, View and Help, each
// item with its shortcut.
func (u *UI) MainMenu() *fyne.MainMenu {
	byMenu := map[string][]*fyne.MenuItem{}
	for _, c := range u.cmds {
		if c.gap && len(byMenu[c.menu]) > 0 {
			byMenu[c.menu] = append(byMenu[c.menu], fyne.NewMenuItemSeparator())
		}
		item := fyne.NewMenuItem(c.label, c.run)
		if c.sub != nil {
			item.ChildMenu = fyne.NewMenu("", c.sub...)
		}
		// A key pressed alone would be shown but never matched as a
		// menu shortcut by Fyne's driver (it matches keys with a
		// modifier only): the canvas takes those (see alone).
		item.Shortcut = c.shortcut()
		item.IsQuit = c.quit
		byMenu[c.menu] = append(byMenu[c.menu], item)
	}
	var ms []*fyne.Menu
	for _, name := range menus {
		ms = append(ms, fyne.NewMenu(name, byMenu[name]...))
	}
	return fyne.NewMainMenu(ms...)
}

// addShortcuts gives the canvas the commands' shortcuts too. The main
// menu's are matched first, whatever has the focus; the canvas's serve
// when the window has no menu, and for the keys a menu item cannot hold:
// the keypad's Enter, Ctrl+Shift+= (Ctrl++), and F11 when no text
// field has the focus.
func (u *UI) addShortcuts(cv fyne.Canvas) {
	keyed := map[fyne.KeyName]func(){}
	for _, c := range u.cmds {
		if c.alone != "" {
			keyed[c.alone] = c.run
		}
		if c.key == "" {
			continue
		}
		if c.mod == 0 {
			keyed[c.key] = c.run
			continue
		}
		run := c.run
		cv.AddShortcut(c.shortcut().(*desktop.CustomShortcut), func(fyne.Shortcut) { run() })
	}
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: shortcutKey}, func(fyne.Shortcut) { u.Composer.Send() })
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEqual, Modifier: shortcutKey | fyne.KeyModifierShift}, func(fyne.Shortcut) { u.ZoomIn() })
	cv.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if run := keyed[e.Name]; run != nil {
			run()
		}
	})
}

// ShowShortcuts lists every shortcut, menu by menu (Help › Keyboard
// shortcuts).
func (u *UI) ShowShortcuts() {
	grid := container.New(layout.NewFormLayout())
	for _, name := range menus {
		first := true
		for _, c := range u.cmds {
			if c.menu != name || c.key == "" {
				continue
			}
			if first {
				grid.Add(widgets.SectionTitle(strings.ToUpper(name)))
				grid.Add(widget.NewLabel(""))
				first = false
			}
			grid.Add(widget.NewLabelWithStyle(c.keys(), fyne.TextAlignTrailing, widgets.Mono))
			grid.Add(widget.NewLabel(strings.TrimSuffix(c.label, "…")))
			if c.alone != "" {
				grid.Add(widget.NewLabelWithStyle(string(c.alone), fyne.TextAlignTrailing, widgets.Mono))
				grid.Add(widget.NewLabel(strings.TrimSuffix(c.label, "…") + " (see below)"))
			}
		}
	}
	note := widgets.NewMutedFull("F11 works only while no text field has the focus.", fyne.TextStyle{})
	u.dialogs.Custom("Keyboard shortcuts", "Close", container.NewBorder(nil, note, nil, nil, container.NewVScroll(grid)), fyne.NewSize(480, 560))
}
