package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"hooklab/assets"
	"hooklab/capture"
	"hooklab/ui"
	"hooklab/workspace"
)

// exposeFromPrefs makes the window expose the catcher when the Settings
// switch (workspace.PrefExpose) is on, with the token kept under
// workspace.PrefExposeToken when --token gave none. --expose on the
// command line exposes it whatever the switch says.
func exposeFromPrefs(a *addrFlags, prefs fyne.Preferences) {
	if a.expose || !prefs.Bool(workspace.PrefExpose) {
		return
	}
	a.expose = true
	if a.token == "" {
		a.token = prefs.String(workspace.PrefExposeToken)
	}
}

func runWindow(args []string, stderr io.Writer) int {
	fs, a := newFlagSet("hooklab", stderr)
	demo := fs.Bool("demo", false, "send the example request on start and show its webhook (for screenshots)")
	dark := fs.String("theme", "", "force the theme: light or dark")
	viewCapMB := fs.Int("view-cap-mb", 10, "MiB of a body shown before Load all")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *dark != "" {
		os.Setenv("FYNE_THEME", *dark)
	}
	// From here on SIGTERM (kill, a session manager logging out) and
	// SIGINT (Ctrl+C in the terminal that started it) end the window
	// the way closing it does, instead of ending the process on the spot.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(signals)
	// The app first: its preferences hold the settings the workspace is
	// opened with.
	fyneApp := app.NewWithID("io.hooklab.app")
	settings := ui.LoadSettings(fyneApp.Preferences())
	noSandbox := applySettings(fs, a, viewCapMB, settings)
	logger := log.New(stderr, "", log.LstdFlags)
	ws, err := openWorkspace(a, true)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab: %v\n", err)
		return 1
	}
	// Deferred calls run last first: the producers stop (Stop), then the
	// window saves its tabs (u.Close), then the database closes.
	defer ws.Close()
	exposeFromPrefs(a, fyneApp.Preferences())
	a.noSandbox = noSandbox
	crashes := capture.NewCrashLog(ws.Dir(), Version, stderr)
	// The catcher may panic before the window exists: until then its
	// panics go to the crash log only.
	var window atomic.Pointer[ui.UI]
	a.onPanic = func(v any, stack []byte) {
		if u := window.Load(); u != nil {
			u.ReportPanic("catcher", v, stack)
			return
		}
		crashes.Report("catcher", v, stack)
	}
	served, err := serve(ws, a, logger, nil, nil)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab: %v\n", err)
		return 1
	}
	printExposure(stderr, served)

	fyneApp.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	fyneApp.Settings().SetTheme(ui.Theme())
	win := fyneApp.NewWindow("Hooklab")
	notes := ws.Notes()
	if noSandbox {
		notes = append(notes, "The sandbox is off (Edit › Settings…), so {{sandbox_url}} is empty and the Examples need another API.")
	}
	u := ui.New(fyneApp, win, ui.Deps{
		Workspace: ws,
		Notes:     notes,
		ViewCap:   *viewCapMB << 20,
		Settings:  &settings,
		Theme:     *dark,
		SetBy:     settingsSetBy(fs),
		Crashes:   crashes,
	})
	window.Store(u)
	defer u.Close()
	defer ws.Stop()
	win.SetContent(u.Content)
	win.SetCloseIntercept(func() { u.ConfirmClose(win.Close) })
	win.Resize(u.WindowSize())
	win.SetMaster()
	if *demo {
		u.Demo()
	}
	// Starting parses fonts and lays the window out, garbage the Go
	// runtime would otherwise hand back to the system only slowly: once
	// the window has settled, give it back at once (about 14 MB of
	// resident memory at idle; docs/performance.md, idle memory).
	fyneApp.Lifecycle().SetOnStarted(func() { time.AfterFunc(settleAfter, debug.FreeOSMemory) })
	defer quitOnSignal(signals, fyne.Do, fyneApp.Quit)()
	win.ShowAndRun()
	return 0
}

// quitOnSignal quits the window's app, through do (fyne.Do: on the UI
// goroutine), when a signal comes, so the window ends as when it is
// closed: ShowAndRun returns and runWindow's deferred shutdown runs
// (the catcher stops taking captures and drains, the open tabs are
// saved, the database closes). Unsaved tabs are not asked about: they
// are kept with the open tabs for the next start. The returned function
// stops watching for signals.
func quitOnSignal(signals <-chan os.Signal, do func(func()), quit func()) (stop func()) {
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		select {
		case <-signals:
			do(quit)
		case <-done:
		}
	}()
	return func() {
		close(done)
		<-ended
	}
}

// settingsSetBy names what set a setting for this run in its place (the
// flags applySettings lets win), for the Settings dialog to say.
func settingsSetBy(fs *flag.FlagSet) ui.SetBy {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	flag := func(name string) string {
		if given[name] {
			return "--" + name
		}
		return ""
	}
	by := ui.SetBy{
		CatcherAddr: flag("addr"), Sandbox: flag("sandbox-addr"), DataDir: flag("data-dir"),
		ViewCapMB: flag("view-cap-mb"), Retain: flag("retain"), RetainMB: flag("retain-mb"),
	}
	if by.DataDir == "" && os.Getenv("HOOKLAB_DATA_DIR") != "" {
		by.DataDir = "HOOKLAB_DATA_DIR"
	}
	return by
}

// settleAfter is how long after the window is on screen its start-up
// garbage is returned to the system.
const settleAfter = 3 * time.Second

// applySettings fills what the window's flags left unset from the
// settings (Edit › Settings…): a flag given on the command line wins
// over its setting, and HOOKLAB_DATA_DIR over the data directory
// setting. It reports whether the sandbox is switched off.
func applySettings(fs *flag.FlagSet, a *addrFlags, viewCapMB *int, s ui.Settings) (noSandbox bool) {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["addr"] && s.CatcherAddr != "" {
		a.addr = s.CatcherAddr
	}
	if !given["data-dir"] && os.Getenv("HOOKLAB_DATA_DIR") == "" && s.DataDir != "" {
		a.dataDir = s.DataDir
	}
	if !given["retain"] {
		a.retain = s.Retain
	}
	if !given["retain-mb"] {
		a.retainMB = s.RetainMB
	}
	if !given["view-cap-mb"] {
		*viewCapMB = s.ViewCapMB
	}
	// --sandbox-addr asks for the sandbox, whatever the setting.
	return !s.Sandbox && !given["sandbox-addr"]
}
