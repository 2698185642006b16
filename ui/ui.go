// Package ui is Hooklab's window: the catcher on the left, the composer
// on the right. It holds widgets and layout only; HTTP lives in capture
// and requester, and captures reach the widgets through one bridge.
package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/bridge"
	"hooklab/ui/catcher"
	"hooklab/ui/codeview"
	"hooklab/ui/composer"
	"hooklab/ui/dialogs"
	"hooklab/ui/timeline"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// Deps is what the window shows and drives.
type Deps struct {
	// Workspace is the application layer the window works on: its
	// captures, rules, history and collections, and the catcher and the
	// sandbox, serving. The window reads it only through its bridge.
	Workspace *workspace.Workspace
	// Notes are shown on top of the window, e.g. a port that was busy.
	Notes []string
	// ViewCap is how many bytes of a body code views show at first;
	// 0 keeps their default (10 MiB).
	ViewCap int
	// Dialogs, when set, asks the user instead of Fyne's dialogs over
	// the window (tests answer with a fake).
	Dialogs dialogs.Dialogs
	// Notify, when set, shows desktop notifications instead of the
	// app's SendNotification (tests record them).
	Notify func(*fyne.Notification)
	// Settings are the user's settings (Edit › Settings…) as the window
	// starts; nil reads them from the app's preferences.
	Settings *Settings
	// Theme, when "light" or "dark", is the --theme flag, which wins
	// over the theme setting.
	Theme string
	// SetBy names what set a setting for this run instead of Settings
	// (a flag given, HOOKLAB_DATA_DIR), which the Settings dialog says
	// next to it. --theme is Theme's.
	SetBy SetBy
	// Crashes records panics recovered in the window (crash.log in the
	// data directory); nil logs them to the standard logger.
	Crashes *capture.CrashLog
}

// UI is the built window content; its parts are reachable for tests.
type UI struct {
	Catcher  *catcher.Catcher
	Composer *composer.Composer
	Content  fyne.CanvasObject
	bridge   *bridge.Bridge
	ws       *workspace.Workspace
	notes    *widget.Label // nil without notes
	dialogs  dialogs.Dialogs
	// replayDir keeps the bodies of replays; "" without a workspace.
	replayDir string
	// stopAutosave ends the autosave loop and waits for it; nil when tabs
	// are not kept.
	stopAutosave func()
	// autosaveMsg is what was last said of an autosave failure, "" once
	// saving works (UI goroutine).
	autosaveMsg string
	// The timeline and its window, nil until first opened (timeline.go);
	// started is when the window was built, where "This session" starts.
	timeline    *timeline.Panel
	timelineWin fyne.Window
	started     time.Time
	// askWith is Deps.Dialogs: what other windows ask with too, when set.
	askWith dialogs.Dialogs

	app      fyne.App
	win      fyne.Window
	prefs    fyne.Preferences
	cmds     []command
	split    *container.Split // catcher | composer
	notesBar *fyne.Container  // nil without notes
	settings Settings
	look     lookState
	notifier *notifier
	// themeFlag is Deps.Theme.
	themeFlag string
	setBy     SetBy // Deps.SetBy, with --theme
	crashes   *crashes
}

// autosave writes the open tabs if they changed. A failure (a full disk,
// say) is said in the collections panel and on stderr, once until it
// changes; the next write that works takes the message back.
func (u *UI) autosave() {
	msg := ""
	if err := u.Composer.AutosaveSession(); err != nil {
		msg = "Open tabs could not be saved to " + workspace.SessionFile + ": " + err.Error()
	}
	if msg == u.autosaveMsg {
		return
	}
	prev := u.autosaveMsg
	u.autosaveMsg = msg
	if msg != "" {
		fmt.Fprintln(os.Stderr, "hooklab: "+msg)
	}
	switch {
	case msg != "":
		u.Composer.ShowNote(msg)
	case u.Composer.Note() == prev:
		u.Composer.ShowNote("") // take back our message, not another one said since
	}
}

// autosaveInterval is how often the open tabs are written while the
// window is open, when they changed.
var autosaveInterval = 10 * time.Second

// Theme is the theme the window's widgets are drawn for.
func Theme() fyne.Theme { return widgets.Theme() }

// New builds the window content for win, with its shortcuts, and starts
// the bridge.
func New(app fyne.App, win fyne.Window, d Deps) *UI {
	if app == nil {
		app = fyne.CurrentApp()
	}
	u := &UI{app: app, win: win, prefs: app.Preferences(), themeFlag: d.Theme, setBy: d.SetBy, started: time.Now(), askWith: d.Dialogs}
	if d.Theme != "" {
		u.setBy.Theme = "--theme"
	}
	if d.Settings != nil {
		u.settings = *d.Settings
	} else {
		u.settings = LoadSettings(u.prefs)
	}
	dlg := d.Dialogs
	if dlg == nil {
		dlg = dialogs.ForWindow(win)
	}
	u.dialogs = dlg
	views := []codeview.Option{codeview.WithCap(d.ViewCap)}
	ws := d.Workspace
	u.ws = ws
	u.bridge = bridge.New(ws.Events())
	u.crashes = &crashes{log: d.Crashes, show: func(msg string) {
		dlg.Information("Hooklab recovered from an internal error",
			msg+"\n\nThe window and the catcher go on. Please report this error with that file.")
	}}
	u.bridge.OnPanic = func(v any, stack []byte) { u.crashes.report("window", v, stack) }
	dir := ws.Dir()
	replayDir := ""
	if dir != "" {
		// Beside tabs.json, which may refer to them after a restart.
		replayDir = filepath.Join(dir, workspace.ReplaysFolder)
	}
	u.replayDir = replayDir
	u.Catcher = catcher.New(catcher.Config{Workspace: ws, Bridge: u.bridge, Views: views, Dialogs: dlg})
	var split *container.Split
	u.Composer = composer.New(composer.Config{
		Workspace: ws, Bridge: u.bridge, Views: views, Dialogs: dlg,
		OnFind: u.Find, OnTimeline: u.ShowTimeline,
		OnFold: func(shown bool) {
			// Make room for the sidebar, unless the user moved the divider.
			switch {
			case shown && split.Offset == 0.5:
				split.SetOffset(0.4)
			case !shown && split.Offset == 0.4:
				split.SetOffset(0.5)
			}
		},
	})
	u.Catcher.OnReplay = u.Composer.Open
	u.Catcher.OnOpenRequest, u.Composer.OnWebhook = u.Composer.OpenHistory, u.Catcher.ShowCapture
	split = container.NewHSplit(squeezable(u.Catcher.Content()), squeezable(u.Composer.Content()))
	split.Offset = 0.5
	u.split = split

	var top fyne.CanvasObject
	if len(d.Notes) > 0 {
		var bar *fyne.Container
		bar, u.notes = widgets.NewWarningBar(func() { bar.Hide() })
		u.notes.SetText(strings.Join(d.Notes, "\n"))
		u.notesBar = bar
		top = bar
	}
	u.Content = container.NewBorder(top, nil, nil, nil, split)

	app.Settings().AddListener(func(fyne.Settings) {
		widgets.Do(u.restyle)
	})
	u.cmds = u.commands()
	u.addShortcuts(win.Canvas())
	win.SetMainMenu(u.MainMenu())
	u.notifier = newNotifier(u, d.Notify)
	u.bridge.Handle(u.notifier.handle)
	u.restoreLayout()
	// Remembered as the window closes: the app writes its preferences
	// when its loop stops, which is before Close can run.
	win.SetOnClosed(u.saveLayout)
	u.applyLook()
	u.bridge.Start()
	if u.Composer.SessionDir() != "" {
		u.startAutosave()
	}
	return u
}

// startAutosave writes the open tabs every autosaveInterval when they
// changed, so a crash or a killed process keeps the edits too.
func (u *UI) startAutosave() {
	stop, done := make(chan struct{}), make(chan struct{})
	u.stopAutosave = sync.OnceFunc(func() { close(stop); <-done })
	go func() {
		defer close(done)
		tick := time.NewTicker(autosaveInterval)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				widgets.Do(u.autosave)
			}
		}
	}()
}

// Find opens the find bar of the body in view: the selected capture's,
// else the response's.
func (u *UI) Find() {
	if u.Catcher.DetailShown() {
		u.Catcher.Body.Find()
		return
	}
	u.Composer.RespBody.Find()
}

// restyle redraws every code view in the current theme's colours, and
// the texts sized when they were made in its text size.
func (u *UI) restyle() {
	widgets.RestyleTexts()
	u.Catcher.Restyle()
	u.Composer.RespBody.Restyle()
	if u.timeline != nil {
		u.timeline.Diagram.Restyle() // its rows hold the colours they were drawn in
	}
}

// ConfirmClose calls closeWin at once, or after asking when some tabs
// hold edits not saved to their collection files.
func (u *UI) ConfirmClose(closeWin func()) {
	names := u.Composer.Tabs.Unsaved()
	if len(names) == 0 {
		closeWin()
		return
	}
	u.dialogs.CustomConfirm("Quit without saving?", "Quit", "Keep editing",
		widget.NewLabel("Unsaved changes in: "+strings.Join(names, ", ")+"."), fyne.Size{},
		func(quit bool) {
			if quit {
				closeWin()
			}
		})
}

// panelLeast is the narrowest the divider between the catcher and the
// composer makes either. Without it the split can only move as far as
// the two panels' own minimum widths allow, which at 1024 pixels is
// hardly at all: the divider seemed not to move.
const panelLeast = 300

// squeezable lets the divider make a panel narrower than its content
// needs: the panel then scrolls sideways instead of pushing back.
func squeezable(panel fyne.CanvasObject) fyne.CanvasObject {
	s := container.NewHScroll(container.NewPadded(panel))
	s.SetMinSize(fyne.NewSize(panelLeast, 0))
	return s
}

// quit closes the window after asking about unsaved tabs (File › Quit).
func (u *UI) quit() { u.ConfirmClose(u.win.Close) }

// Close stops the autosave, the composer's producers and the bridge,
// keeps the open tabs and releases what they hold; call it when the
// window closes, after the workspace's Stop.
func (u *UI) Close() {
	u.saveLayout()
	u.notifier.stop()
	if u.stopAutosave != nil {
		u.stopAutosave()
	}
	// Nothing changes the tabs once the composer stopped and the bridge
	// closed, so what is saved below is what the window showed last.
	u.Composer.Stop()
	u.bridge.Close()
	if u.Composer.SessionDir() != "" {
		if err := u.Composer.SaveSession(); err != nil {
			fmt.Fprintf(os.Stderr, "hooklab: the open tabs were not kept: %v\n", err)
		} else if u.replayDir != "" {
			workspace.PruneReplays(u.replayDir, u.Composer.Files(), time.Now().Add(-workspace.ReplayKeep))
		}
	}
	u.Composer.Close() // removes the temporary files of big responses
}

// Demo sends the example request and, once its webhooks are in, shows
// the newest one: the round trip in one picture (make screenshot).
func (u *UI) Demo() {
	prev := u.Catcher.OnUpdated
	u.Catcher.OnUpdated = func() {
		if prev != nil {
			prev()
		}
		if u.Catcher.Total() >= 2 && u.Catcher.Selected() == "" {
			u.Catcher.Select(0)
			u.Catcher.OnUpdated = prev
		}
	}
	u.Composer.Send()
}
