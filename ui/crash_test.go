package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklab/capture"
	"hooklab/ui/dialogs/dialogstest"
)

// TestPanicsAreLoggedAndShownOnce: a panic in work the window runs is
// written to crash.log each time, and shown to the user once; the
// window goes on working.
func TestPanicsAreLoggedAndShownOnce(t *testing.T) {
	var stderr bytes.Buffer
	var dir string
	r := newRig(t, func(d *Deps, dd *string) {
		dir = *dd
		d.Crashes = capture.NewCrashLog(dir, "test", &stderr)
	})
	r.ui.bridge.Go(func(context.Context) func() { return func() { panic("injected in the window") } })
	r.ui.ReportPanic("catcher", "injected in the catcher", []byte("stack"))
	shown := func() []dialogstest.Asked {
		var out []dialogstest.Asked
		for _, a := range r.dialogs.Asked {
			if a.Kind == dialogstest.Information && strings.Contains(a.Title, "internal error") {
				out = append(out, a)
			}
		}
		return out
	}
	r.loop.WaitFor(t, "the error shown", func() bool { return len(shown()) == 1 })
	data := ""
	r.loop.WaitFor(t, "both panics in crash.log", func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, capture.CrashLogName))
		data = string(b)
		return strings.Contains(data, "injected in the window") && strings.Contains(data, "injected in the catcher")
	})
	if !strings.Contains(shown()[0].Message, capture.CrashLogName) {
		t.Errorf("the dialog does not say where the details are: %q", shown()[0].Message)
	}
	applied := false
	r.ui.bridge.Go(func(context.Context) func() { return func() { applied = true } })
	r.loop.WaitFor(t, "the window working after the panics", func() bool { return applied })
	if n := len(shown()); n != 1 {
		t.Fatalf("shown %d times, want once", n)
	}
}
