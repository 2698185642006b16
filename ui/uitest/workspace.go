package uitest

import (
	"io"
	"log"
	"testing"
	"time"

	"hooklab/sandbox"
	"hooklab/workspace"
)

// Workspace opens a workspace with history in dir (a new temporary
// folder when dir is ""), serving the catcher and the sandbox on free
// ports, with webhooks that come quickly and logs discarded. The caller
// shuts it down in the app's order: Stop, then close the window's
// parts, then Close.
func Workspace(t testing.TB, dir string) *workspace.Workspace {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	ws, err := workspace.Open(workspace.Options{DataDir: dir, History: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Serve(workspace.ServeOptions{
		Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0",
		Logger: log.New(io.Discard, "", 0),
		Sandbox: sandbox.Options{CreatedDelay: 20 * time.Millisecond, SucceededDelay: 60 * time.Millisecond,
			JobStepDelay: 20 * time.Millisecond, PushDelay: 20 * time.Millisecond},
	}); err != nil {
		ws.Close()
		t.Fatal(err)
	}
	return ws
}
