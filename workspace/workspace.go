package workspace

import (
	"context"
	"errors"
	"sync"
	"time"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/requester/history"
	"hooklab/workspace/link"
)

// ErrStopped is returned by what would start new work (a send, a rule
// edit, serving) once Stop has begun.
var ErrStopped = errors.New("the workspace is shutting down")

// Workspace is what the window and the commands work on: the data
// directory with its one database (captures, response rules and request
// history), the catcher and the sandbox once serving, the requests in
// flight, and a hub of typed events about all of them.
//
// Shutting down takes two steps, so the window can save its open tabs
// in between, while nothing writes any more and everything can still
// be read: Stop ends every producer and waits for it, Close then closes
// the database.
type Workspace struct {
	dir    string // the data directory; "" when it could not be named
	store  capture.Store
	sqlite *capture.SQLiteStore // store, when it is durable
	rules  capture.RuleStore
	hist   *history.Store // nil without history
	links  *link.Store    // nil when captures are in memory
	fwd    forwards       // results of --forward rules
	linker *linker        // nil but in the window and listen
	// linkFail is how the link tables' last write went (linkDone).
	linkFail linkFailure
	client   *requester.Client
	hub      *Hub
	unwatch  func() // ends the relay of store changes into hub
	now      func() time.Time

	// Notes, in the order Notes returns them.
	storeNotes, serveNotes, historyNotes []string

	// ctx ends when Stop begins: sends in flight are cancelled with it.
	ctx    context.Context
	cancel context.CancelFunc
	life   life

	edits   ruleQueue
	refusal observers
	verify  verifier

	smu     sync.Mutex
	serving *services // nil until Serve

	stopOnce, closeOnce sync.Once
	closeErr            error
}

// life counts the work in flight (sends, queued rule writes) so Stop
// can wait for it, and refuses new work once Stop began.
type life struct {
	mu       sync.Mutex
	stopping bool
	wg       sync.WaitGroup
}

// begin counts one piece of work in, or reports false once stopping.
func (l *life) begin() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopping {
		return false
	}
	l.wg.Add(1)
	return true
}

func (l *life) end() { l.wg.Done() }

// stop refuses new work and waits for what is in flight.
func (l *life) stop() {
	l.mu.Lock()
	l.stopping = true
	l.mu.Unlock()
	l.wg.Wait()
}

// Store returns the capture store.
func (w *Workspace) Store() capture.Store { return w.store }

// Rules returns the response rules' store. Edits the window makes go
// through SetRule and DeleteRule, which keep them in order and reload
// the catcher.
func (w *Workspace) Rules() capture.RuleStore { return w.rules }

// History returns the request history, or nil when there is none (it
// was not asked for, or could not be opened: Notes says why).
func (w *Workspace) History() *history.Store { return w.hist }

// Dir returns the data directory: where collections the app creates,
// secrets and saved tabs go. It is "" when no data directory could be
// named (Notes says why).
func (w *Workspace) Dir() string { return w.dir }

// Client returns the client Send uses, with its cookie jars.
func (w *Workspace) Client() *requester.Client { return w.client }

// Events returns the hub the workspace publishes its events on.
func (w *Workspace) Events() *Hub { return w.hub }

// Notes returns what a user should know about how the workspace runs,
// for the top of the window or the terminal: fallbacks of the database,
// busy ports, a history that could not be opened.
func (w *Workspace) Notes() []string {
	w.smu.Lock()
	defer w.smu.Unlock()
	var out []string
	out = append(out, w.storeNotes...)
	out = append(out, w.serveNotes...)
	return append(out, w.historyNotes...)
}

// Stop ends everything that writes, and waits for it: the catcher and
// the sandbox stop serving (requests being answered are finished, the
// sandbox's pending webhook deliveries are dropped), requests in flight
// are cancelled, and rule edits already asked for are applied. From
// then on nothing writes to the database, which stays open for reading
// and for the window to save its open tabs; Close closes it. Stop may
// be called more than once; later calls return at once.
func (w *Workspace) Stop() {
	w.stopOnce.Do(func() {
		w.cancel()
		// A Serve under way is work in flight too: once life stopped,
		// what serves is known and is stopped next.
		w.life.stop()
		w.stopServing()
		w.stopLinker()
	})
}

// Close calls Stop if it has not run, then closes the history and the
// capture store, the database last. It may be called more than once
// and returns the first call's error.
func (w *Workspace) Close() error {
	w.closeOnce.Do(func() {
		w.Stop()
		var errs []error
		if w.hist != nil {
			errs = append(errs, w.hist.Close())
		}
		w.unwatch()
		errs = append(errs, w.store.Close())
		w.closeErr = errors.Join(errs...)
	})
	return w.closeErr
}

// DeleteCapture deletes the capture id (ErrNotFound when there is none);
// the store's report of it is published as CaptureDeleted.
func (w *Workspace) DeleteCapture(id string) error {
	if !w.life.begin() {
		return ErrStopped
	}
	defer w.life.end()
	w.stashForward(id) // for RestoreCapture
	return w.store.Delete(id)
}

// RestoreCapture stores c again as it was, e.g. when a delete is
// undone, with how forwarding it went when DeleteCapture deleted it
// lately; the store's report of it is published as CapturesAdded.
func (w *Workspace) RestoreCapture(c *capture.Capture) error {
	if !w.life.begin() {
		return ErrStopped
	}
	defer w.life.end()
	if err := w.store.Add(c); err != nil {
		return err
	}
	w.restoreForward(c)
	return nil
}

// ClearCaptures deletes every capture; the store's report of it is
// published as CapturesCleared.
func (w *Workspace) ClearCaptures() error {
	if !w.life.begin() {
		return ErrStopped
	}
	defer w.life.end()
	return w.store.Clear()
}

// ClearCapturesCount is ClearCaptures, returning how many captures the
// store removed (`hooklab captures clear` prints it).
func (w *Workspace) ClearCapturesCount() (int64, error) {
	if !w.life.begin() {
		return 0, ErrStopped
	}
	defer w.life.end()
	if s, ok := w.store.(interface{ ClearCount() (int64, error) }); ok {
		return s.ClearCount()
	}
	return 0, errors.New("this store cannot count what it clears")
}

// DeleteOldestCaptures deletes the oldest half of the stored captures
// (at least one) and gives the disk space they held back where it can:
// the way out of a full disk that keeps the newest. It returns how many
// it deleted; the store reports them as pruned (CapturesPruned).
func (w *Workspace) DeleteOldestCaptures() (int64, error) {
	if !w.life.begin() {
		return 0, ErrStopped
	}
	defer w.life.end()
	s, ok := w.store.(interface{ DeleteOldest(int64) (int64, error) })
	if !ok {
		return 0, errors.New("captures are kept in memory: there is no disk space to free")
	}
	n, err := w.store.Count(capture.Filter{})
	if err != nil {
		return 0, err
	}
	return s.DeleteOldest(int64(max(n/2, 1)))
}
