package catcher

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/requester"
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

// rig is a catcher alone in a window, on a workspace of its own that
// serves on free ports.
type rig struct {
	c      *Catcher
	loop   *uitest.Loop
	ws     *workspace.Workspace
	bridge *bridge.Bridge
	// store is the workspace's store; reads counts the catcher's reads
	// of it.
	store   capture.Store
	reads   *countingStore
	url     string // the catcher's, without the trailing slash
	win     fyne.Window
	dialogs *dialogstest.Fake
	// replays are the requests Replay handed on, oldest first.
	replays []requester.Request
}

func newRig(t testing.TB) *rig {
	t.Helper()
	ws := uitest.Workspace(t, t.TempDir())
	app := test.NewTempApp(t)
	app.Settings().SetTheme(widgets.Theme())
	b := bridge.New(ws.Events())
	dlg := &dialogstest.Fake{}
	reads := &countingStore{Store: ws.Store()}
	c := newCatcher(Config{Workspace: ws, Bridge: b, Dialogs: dlg}, reads)
	r := &rig{c: c, loop: loop, ws: ws, bridge: b, store: ws.Store(), reads: reads,
		url: strings.TrimSuffix(ws.CatcherURL(), "/"), dialogs: dlg}
	c.OnReplay = func(req requester.Request) { r.replays = append(r.replays, req) }
	r.win = test.NewTempWindow(t, c.Content())
	r.win.Resize(fyne.NewSize(700, 900))
	b.Start()
	t.Cleanup(func() {
		// The app's order: producers stop, the bridge closes while UI
		// work drains, the database closes.
		ws.Stop()
		done := make(chan struct{})
		go func() { b.Close(); close(done) }()
		loop.RunUntil(done)
		if err := ws.Close(); err != nil {
			t.Error(err)
		}
	})
	// The first fill, so no test sees it arrive late.
	loop.WaitFor(t, "the first fill", func() bool { return !c.follow.reading })
	return r
}

// countingStore counts the reads made of the store it wraps; the next
// ListContext panics while panicList is set (it clears it).
type countingStore struct {
	capture.Store
	n         atomic.Int64
	panicList atomic.Bool
}

func (s *countingStore) reads() int64 { return s.n.Load() }

func (s *countingStore) Get(id string) (*capture.Capture, error) {
	s.n.Add(1)
	return s.Store.Get(id)
}

func (s *countingStore) List(f capture.Filter, offset, limit int) ([]capture.Summary, error) {
	s.n.Add(1)
	return s.Store.List(f, offset, limit)
}

func (s *countingStore) ListContext(ctx context.Context, f capture.Filter, offset, limit int) ([]capture.Summary, error) {
	s.n.Add(1)
	if s.panicList.CompareAndSwap(true, false) {
		panic("injected in a read of the list")
	}
	return s.Store.ListContext(ctx, f, offset, limit)
}

func (s *countingStore) Count(f capture.Filter) (int, error) {
	s.n.Add(1)
	return s.Store.Count(f)
}

func (s *countingStore) CountContext(ctx context.Context, f capture.Filter) (int, error) {
	s.n.Add(1)
	return s.Store.CountContext(ctx, f)
}

func (s *countingStore) Endpoints() ([]string, error) {
	s.n.Add(1)
	return s.Store.Endpoints()
}

func (s *countingStore) EndpointsContext(ctx context.Context) ([]string, error) {
	s.n.Add(1)
	return s.Store.EndpointsContext(ctx)
}

func (s *countingStore) Scan(f capture.Filter, fn func(*capture.Capture) error) error {
	s.n.Add(1)
	return s.Store.Scan(f, fn)
}
