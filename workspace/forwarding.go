package workspace

import (
	"sync"

	"hooklab/capture"
	"hooklab/workspace/forward"
)

// CaptureForwarded: a capture was forwarded by its endpoint's rule (or
// could not be); Result says how it went.
type CaptureForwarded struct{ Result forward.Result }

func (CaptureForwarded) isEvent() {}

// keptForwards bounds the forward results kept in memory for the
// window to show next to their captures.
const keptForwards = 10_000

// forwards keeps the latest result of each forwarded capture, newest
// keptForwards, in memory: they last as long as the process. It also
// holds the forwarder in force while the catcher serves
// (forward_rules.go).
type forwards struct {
	mu    sync.Mutex
	byID  map[string]forward.Result
	order []string

	live liveForwarding
}

func (f *forwards) put(r forward.Result) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byID == nil {
		f.byID = map[string]forward.Result{}
	}
	if _, ok := f.byID[r.CaptureID]; !ok {
		f.order = append(f.order, r.CaptureID)
	}
	f.byID[r.CaptureID] = r
	for len(f.order) > keptForwards {
		delete(f.byID, f.order[0])
		f.order = f.order[1:]
	}
}

// Forwarded returns how forwarding the capture id went, false when it
// was not forwarded by this process (or long ago).
func (w *Workspace) Forwarded(id string) (forward.Result, bool) {
	w.fwd.mu.Lock()
	defer w.fwd.mu.Unlock()
	r, ok := w.fwd.byID[id]
	return r, ok
}

// startForwarding forwards by o.Forward (the flags) merged with the
// rules saved in the data directory, the flags winning, and wraps
// o.OnCapture to queue each capture after o's own. stop ends it; note
// says why saved rules were left out, "" when none were.
func (w *Workspace) startForwarding(o *ServeOptions) (stop func(), note string) {
	l := &w.fwd.live
	note = w.loadForwardRules()
	onForward := o.OnForward
	l.mu.Lock()
	l.serving = true
	l.flags = append([]forward.Rule(nil), o.Forward...)
	l.opts = forward.Options{OnResult: func(c *capture.Capture, r forward.Result) {
		w.fwd.put(r)
		w.hub.Publish(CaptureForwarded{Result: r})
		if onForward != nil {
			onForward(c, r)
		}
	}}
	l.restartLocked()
	l.mu.Unlock()
	onCapture := o.OnCapture
	o.OnCapture = func(c *capture.Capture) {
		if onCapture != nil {
			onCapture(c)
		}
		l.enqueue(c) // never waits: the sender's answer is not held back
	}
	return l.stop, note
}
