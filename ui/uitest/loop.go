// Package uitest is the test rig the ui packages share: a stand-in for
// Fyne's event goroutine that the test goroutine drives.
package uitest

import (
	"testing"
	"time"

	"hooklab/ui/widgets"
)

// Loop stands in for Fyne's event goroutine: work handed to widgets.Do
// is queued and run by the test goroutine while it waits.
type Loop struct{ Q chan func() }

var loop = &Loop{Q: make(chan func(), 4096)}

// Install points widgets.Do at the loop and returns it. Call it from
// TestMain: there is one loop per test binary, so a goroutine left over
// from an earlier test never races with a swap of widgets.Do.
func Install() *Loop {
	widgets.Do = func(f func()) { loop.Q <- f }
	return loop
}

// Drain runs the UI work queued so far.
func (l *Loop) Drain() {
	for {
		select {
		case f := <-l.Q:
			f()
		default:
			return
		}
	}
}

// WaitFor runs queued UI work until cond holds, failing after 30 s (a
// safety net for a loaded machine, not a timing assertion).
func (l *Loop) WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case f := <-l.Q:
			f()
		case <-tick.C: // conditions not driven by UI work, e.g. a goroutine ending
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// RunUntil runs queued UI work until done is closed, e.g. while a Close
// that waits for UI work runs on another goroutine.
func (l *Loop) RunUntil(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case f := <-l.Q:
			f()
		}
	}
}
