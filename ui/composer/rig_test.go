package composer

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hooklab/requester"
	"hooklab/sandbox"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/uitest"
	"hooklab/ui/widgets"
)

var loop *uitest.Loop

func TestMain(m *testing.M) {
	loop = uitest.Install()
	os.Exit(m.Run())
}

// rig is a composer alone in a window, with the built-in sandbox as
// {{sandbox_url}} and a server that takes any webhook as {{webhook_url}}.
type rig struct {
	c          *Composer
	loop       *uitest.Loop
	win        fyne.Window
	dialogs    *dialogstest.Fake
	webhookURL string
}

func newRig(t *testing.T, opts ...func(*Config)) *rig {
	t.Helper()
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	sb := sandbox.New(sandbox.Options{CreatedDelay: 20 * time.Millisecond, SucceededDelay: 60 * time.Millisecond})
	sbSrv := httptest.NewServer(sb)
	hooks := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	dlg := &dialogstest.Fake{}
	cfg := Config{
		Dialogs: dlg,
		Client:  requester.NewClient(),
		Vars:    requester.Vars{"webhook_url": hooks.URL + "/", "sandbox_url": sbSrv.URL},
	}
	for _, o := range opts {
		o(&cfg)
	}
	c := New(cfg)
	win := test.NewTempWindow(t, c.Content())
	win.Resize(fyne.NewSize(900, 900))
	t.Cleanup(func() {
		c.Close()
		sb.Close()
		sbSrv.Close()
		hooks.Close()
	})
	return &rig{c: c, loop: loop, win: win, dialogs: dlg, webhookURL: hooks.URL + "/"}
}
