package catcher

import (
	"net/http/httptest"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/uitest"
	"hooklab/ui/widgets"
)

var loop *uitest.Loop

func TestMain(m *testing.M) {
	loop = uitest.Install()
	os.Exit(m.Run())
}

// rig is a catcher alone in a window, fed by a capture server of its own.
type rig struct {
	c       *Catcher
	loop    *uitest.Loop
	store   *capture.MemoryStore
	catcher *httptest.Server
	win     fyne.Window
	dialogs *dialogstest.Fake
	// replays are the requests Replay handed on, oldest first.
	replays []requester.Request
}

func newRig(t *testing.T) *rig {
	t.Helper()
	store := capture.NewMemoryStore(0, 0)
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	rules := &capture.MemoryRules{}
	srv := capture.NewServer(store)
	srv.Rules = rules
	ts := httptest.NewServer(srv)
	dlg := &dialogstest.Fake{}
	c := New(Config{
		Dialogs:        dlg,
		Store:          store,
		Rules:          rules,
		OnRulesChanged: func() { _ = srv.ReloadRules() },
		URL:            ts.URL + "/",
		ReplayDir:      t.TempDir(),
	})
	r := &rig{c: c, loop: loop, store: store, catcher: ts, dialogs: dlg}
	c.OnReplay = func(req requester.Request) { r.replays = append(r.replays, req) }
	r.win = test.NewTempWindow(t, c.Content())
	r.win.Resize(fyne.NewSize(700, 900))

	// Feed the list as the window's bridge does, without its throttle;
	// the first reload here, so no test sees it arrive late.
	c.Apply(c.Query())
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-store.Changed():
				q := c.Query()
				widgets.Do(func() { c.Apply(q) })
			}
		}
	}()
	t.Cleanup(func() {
		close(stop)
		loop.RunUntil(done)
		ts.Close()
	})
	return r
}
