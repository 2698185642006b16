package composer

import (
	"io"
	"log"
	"os"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hooklab/sandbox"
	"hooklab/ui/bridge"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/uitest"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

var loop *uitest.Loop

func TestMain(m *testing.M) {
	loop = uitest.Install()
	os.Exit(m.Run())
}

// rig is a composer alone in a window, on a workspace of its own
// (history kept, a data directory for collections and tabs) serving on
// free ports: the built-in sandbox, with webhooks that come quickly, as
// {{sandbox_url}}, and the catcher as {{webhook_url}}.
type rig struct {
	c          *Composer
	ws         *workspace.Workspace
	bridge     *bridge.Bridge
	loop       *uitest.Loop
	win        fyne.Window
	dialogs    *dialogstest.Fake
	dir        string // the data directory
	webhookURL string
	quitOnce   sync.Once
	saveErr    error // what quit's session save said
}

// inDir opens the rig's workspace in dir (a restart opens the same one
// again), not a new temporary one.
func inDir(dir string) func(*string) { return func(d *string) { *d = dir } }

func newRig(t *testing.T, opts ...func(*string)) *rig {
	t.Helper()
	dir := t.TempDir()
	for _, o := range opts {
		o(&dir)
	}
	ws, err := workspace.Open(workspace.Options{DataDir: dir, History: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Serve(workspace.ServeOptions{
		Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0",
		Logger:  log.New(io.Discard, "", 0),
		Sandbox: sandbox.Options{CreatedDelay: 20 * time.Millisecond, SucceededDelay: 60 * time.Millisecond},
	}); err != nil {
		t.Fatal(err)
	}
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	dlg := &dialogstest.Fake{}
	b := bridge.New(ws.Events())
	c := New(Config{Workspace: ws, Bridge: b, Dialogs: dlg})
	b.Start()
	win := test.NewTempWindow(t, c.Content())
	win.Resize(fyne.NewSize(900, 900))
	r := &rig{c: c, ws: ws, bridge: b, loop: loop, win: win, dialogs: dlg, dir: dir, webhookURL: ws.Vars()["webhook_url"]}
	t.Cleanup(func() {
		r.quit()
		if err := ws.Close(); err != nil {
			t.Error(err)
		}
	})
	return r
}

// quit shuts down the way the window does (ui.UI.Close, after the
// workspace's Stop): the producers stop, the composer stops, the bridge
// closes, the open tabs are saved, the composer closes. The UI work
// queued meanwhile runs here, as the window's loop would run it. Only
// the first call does anything.
func (r *rig) quit() {
	r.quitOnce.Do(func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			r.ws.Stop()
			r.c.Stop()
			r.bridge.Close()
			r.saveErr = r.c.SaveSession()
			r.c.Close()
		}()
		r.loop.RunUntil(done)
		r.loop.Drain()
	})
}
