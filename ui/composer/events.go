package composer

import (
	"sync"

	"hooklab/requester"
	"hooklab/workspace"
)

// life is the composer's side of shutting down. The bridge drops what
// it queued only once it closes, and the shell saves the open tabs after
// that, off the UI goroutine (in tests the UI loop keeps running
// meanwhile). So every function the bridge runs for the composer goes
// through run: Stop waits for one that is running and turns away the
// ones after it, and the tabs the shell saves cannot change under it.
type life struct {
	mu      sync.Mutex // held while a bridge function runs
	stopped bool
	done    chan struct{} // closed by stop: elapsed-time tickers end
	tickers sync.WaitGroup
}

// run runs fn unless stop has begun. Functions run through it must not
// nest: the lock is not reentrant.
func (l *life) run(fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return
	}
	fn()
}

// startTicker counts a ticker in, or reports false once stopped (so no
// Add races with stop's Wait).
func (l *life) startTicker() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return false
	}
	l.tickers.Add(1)
	return true
}

// stop turns away every later run, ends the tickers and waits for them.
func (l *life) stop() {
	l.mu.Lock()
	first := !l.stopped
	l.stopped = true
	l.mu.Unlock()
	if first {
		close(l.done)
	}
	l.tickers.Wait()
}

// applying wraps fn, applied on the UI goroutine by the bridge, so it
// does nothing once Stop has begun.
func (c *Composer) applying(fn func()) func() {
	return func() { c.life.run(fn) }
}

// onUI wraps a handler of the bridge's deliveries the way applying
// wraps an applied function.
func (c *Composer) onUI(fn func([]workspace.Event)) func([]workspace.Event) {
	return func(events []workspace.Event) { c.life.run(func() { fn(events) }) }
}

// handle applies what happened in the workspace: answers to the tabs
// that sent, history and collection changes to the sidebar.
func (c *Composer) handle(events []workspace.Event) {
	historyChanged := false
	for _, e := range events {
		switch e := e.(type) {
		case workspace.SendFinished:
			c.sendFinished(e)
		case workspace.HistoryAdded, workspace.HistoryChanged:
			historyChanged = true
		case workspace.HistoryNotKept:
			if s := c.sidebar; s != nil && s.History != nil {
				s.History.say("Not kept in history: " + e.Err.Error())
			}
		case workspace.CollectionChanged:
			if s := c.sidebar; s != nil && s.Collections != nil {
				s.Collections.changedOnDisk(e.Root, e.Files)
			}
		}
	}
	if s := c.sidebar; historyChanged && s != nil && s.History != nil {
		s.History.reload()
	}
}

// answers makes sure each response a send returned is closed once: by
// the tab it reaches through SendFinished, or by Close when that event
// was never applied (the bridge closed first), so no temporary file of
// a big response is left behind.
type answers struct {
	mu sync.Mutex
	// A response is here when one side has seen it: true once a tab
	// took it, false once its send returned it and no tab has yet.
	m map[*requester.Response]bool
}

// returned notes that a send returned r.
func (a *answers) returned(r *requester.Response) { a.see(r, false) }

// taken notes that a tab took r (or closed it, its tab being gone).
func (a *answers) taken(r *requester.Response) { a.see(r, true) }

func (a *answers) see(r *requester.Response, taken bool) {
	if r == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.m[r]; ok {
		delete(a.m, r) // both sides have seen it: the tab owns it
		return
	}
	if a.m == nil {
		a.m = map[*requester.Response]bool{}
	}
	a.m[r] = taken
}

// closeUntaken closes the responses no tab took.
func (a *answers) closeUntaken() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for r, taken := range a.m {
		if !taken {
			r.Close()
		}
	}
	a.m = nil
}
