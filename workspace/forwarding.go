package workspace

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"hooklab/capture"
	"hooklab/workspace/forward"
)

// CaptureForwarded: a capture was forwarded by its endpoint's rule (or
// could not be); Result says how it went, without its Response
// (Workspace.ForwardResponse reads it).
type CaptureForwarded struct{ Result forward.Result }

func (CaptureForwarded) isEvent() {}

// keptForwards bounds the forward results kept in memory for the
// window to show next to their captures; keptResponses the responses
// kept in memory (with their bodies, up to forward.MaxBody each) when
// there is no database to keep them; keptUndo the results of deleted
// captures kept for an Undo.
const (
	keptForwards  = 10_000
	keptResponses = 32
	keptUndo      = 16
)

// forwards keeps the latest result of each forwarded capture, newest
// keptForwards, in memory, without their responses; the database keeps
// them all, responses included (forward.Store). It also holds the
// forwarder in force while the catcher serves (forward_rules.go).
type forwards struct {
	mu    sync.Mutex
	byID  map[string]forwardEntry
	order []string
	// responses are the latest answers, only when captures are in
	// memory (no database).
	responses map[string]*forward.Response
	respOrder []string
	// deleted are the results of captures just deleted, for
	// RestoreCapture.
	deleted   map[string]forward.Record
	delOrder  []string
	storeOnce sync.Once
	store     *forward.Store // nil when captures are in memory
	fail      linkFailure    // how the last write of the table went

	live liveForwarding
}

// forwardEntry is a result kept in memory: without its response, with
// its capture's arrival.
type forwardEntry struct {
	r        forward.Result
	captured time.Time
}

// bounded appends id to order unless m has it, and returns the ids to
// drop so that order keeps at most n.
func bounded(order []string, known bool, id string, n int) (kept, drop []string) {
	if !known {
		order = append(order, id)
	}
	if len(order) > n {
		drop, order = order[:len(order)-n], order[len(order)-n:]
	}
	return order, drop
}

// put keeps r in memory (its response only without a database).
func (f *forwards) put(r forward.Result, captured time.Time, keepResponse bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byID == nil {
		f.byID = map[string]forwardEntry{}
	}
	resp := r.Response
	r.Response = nil
	_, known := f.byID[r.CaptureID]
	f.byID[r.CaptureID] = forwardEntry{r: r, captured: captured}
	var drop []string
	f.order, drop = bounded(f.order, known, r.CaptureID, keptForwards)
	for _, id := range drop {
		delete(f.byID, id)
	}
	if !keepResponse {
		return
	}
	if f.responses == nil {
		f.responses = map[string]*forward.Response{}
	}
	_, known = f.responses[r.CaptureID]
	if resp == nil {
		if known {
			delete(f.responses, r.CaptureID)
			f.respOrder = slices.DeleteFunc(f.respOrder, func(id string) bool { return id == r.CaptureID })
		}
		return
	}
	f.responses[r.CaptureID] = resp
	f.respOrder, drop = bounded(f.respOrder, known, r.CaptureID, keptResponses)
	for _, id := range drop {
		delete(f.responses, id)
	}
}

// forget drops what memory holds of capture id (deleted), or of every
// capture when id is "" (cleared).
func (f *forwards) forget(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id == "" {
		f.byID, f.order, f.responses, f.respOrder = nil, nil, nil, nil
		return
	}
	if _, ok := f.byID[id]; ok {
		delete(f.byID, id)
		f.order = slices.DeleteFunc(f.order, func(o string) bool { return o == id })
	}
	if _, ok := f.responses[id]; ok {
		delete(f.responses, id)
		f.respOrder = slices.DeleteFunc(f.respOrder, func(o string) bool { return o == id })
	}
}

// forwardStore is the forwards table of the capture database; nil when
// captures are kept in memory.
func (w *Workspace) forwardStore() *forward.Store {
	w.fwd.storeOnce.Do(func() {
		if w.sqlite == nil {
			return
		}
		s := w.sqlite
		w.fwd.store = forward.NewStore(forward.DB{
			Read: s.ReadDB(),
			Write: func(ctx context.Context, fn func(context.Context, forward.Tx) error) error {
				return s.WriteTx(ctx, func(ctx context.Context, tx capture.Tx) error { return fn(ctx, tx) })
			},
		})
	})
	return w.fwd.store
}

// keepForward keeps the result of forwarding c: in memory, and in the
// database next to c. It runs on a forwarder's worker goroutine, never
// the sender's; a failing write is logged once (forwardDone).
func (w *Workspace) keepForward(c *capture.Capture, r forward.Result) {
	st := w.forwardStore()
	if st != nil {
		_, err := st.Put(context.Background(), r, c.Time)
		w.forwardDone(err)
	}
	// Memory after the database: once Forwarded finds it, it is kept.
	w.fwd.put(r, c.Time, st == nil)
}

// forwardDone notes how a write of the forwards table went, logging the
// first failure after a success, and the first success after failures.
func (w *Workspace) forwardDone(err error) {
	f := &w.fwd.fail
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case err != nil && !f.failed:
		f.failed = true
		w.linkLog().Printf("keeping forward results failed: %v (they are shown this run only; not logged again until it works)", err)
	case err == nil && f.failed:
		f.failed = false
		w.linkLog().Printf("keeping forward results works again")
	}
}

// Forwarded returns how forwarding the capture id went, without its
// response (ForwardResponse reads it): from memory when this process
// forwarded it, else from the database (results of earlier runs, or of
// `hooklab listen` sharing the data directory). False when it was not
// forwarded, or the result could not be read.
func (w *Workspace) Forwarded(id string) (forward.Result, bool) {
	w.fwd.mu.Lock()
	e, ok := w.fwd.byID[id]
	w.fwd.mu.Unlock()
	if ok {
		return e.r, true
	}
	st := w.forwardStore()
	if st == nil {
		return forward.Result{}, false
	}
	rec, ok, err := st.Get(context.Background(), id, false)
	if err != nil || !ok {
		return forward.Result{}, false
	}
	rec.Result.Response = nil
	return rec.Result, true
}

// ErrNoForwardResponse is ForwardResponse's answer for a capture whose
// forward has no response kept: never forwarded, not answered, or (when
// captures are in memory) answered too long ago.
var ErrNoForwardResponse = errors.New("no response to this capture's forward is kept")

// ForwardResponse returns the target's answer to the latest forward of
// the capture id: head as received, body up to forward.MaxBody.
func (w *Workspace) ForwardResponse(ctx context.Context, id string) (*forward.Response, error) {
	st := w.forwardStore()
	if st == nil {
		w.fwd.mu.Lock()
		resp := w.fwd.responses[id]
		w.fwd.mu.Unlock()
		if resp == nil {
			return nil, ErrNoForwardResponse
		}
		return resp, nil
	}
	rec, ok, err := st.Get(ctx, id, true)
	switch {
	case err != nil:
		return nil, err
	case !ok || rec.Result.Response == nil:
		return nil, ErrNoForwardResponse
	}
	return rec.Result.Response, nil
}

// forwardRecord is the result of forwarding id with its response, and
// its capture's arrival, for an Undo; false when there is none.
func (w *Workspace) forwardRecord(id string) (forward.Record, bool) {
	if st := w.forwardStore(); st != nil {
		rec, ok, err := st.Get(context.Background(), id, true)
		return rec, ok && err == nil
	}
	w.fwd.mu.Lock()
	defer w.fwd.mu.Unlock()
	e, ok := w.fwd.byID[id]
	if !ok {
		return forward.Record{}, false
	}
	e.r.Response = w.fwd.responses[id]
	return forward.Record{Result: e.r, Captured: e.captured}, true
}

// stashForward keeps the forward of capture id, about to be deleted,
// for restoreForward; the delete drops its row and its memory.
func (w *Workspace) stashForward(id string) {
	rec, ok := w.forwardRecord(id)
	if !ok {
		return
	}
	f := &w.fwd
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.deleted == nil {
		f.deleted = map[string]forward.Record{}
	}
	_, known := f.deleted[id]
	f.deleted[id] = rec
	var drop []string
	f.delOrder, drop = bounded(f.delOrder, known, id, keptUndo)
	for _, d := range drop {
		delete(f.deleted, d)
	}
}

// restoreForward keeps again the forward of c, restored after a delete.
func (w *Workspace) restoreForward(c *capture.Capture) {
	f := &w.fwd
	f.mu.Lock()
	rec, ok := f.deleted[c.ID]
	if ok {
		delete(f.deleted, c.ID)
		f.delOrder = slices.DeleteFunc(f.delOrder, func(o string) bool { return o == c.ID })
	}
	f.mu.Unlock()
	if ok {
		w.keepForward(c, rec.Result)
	}
}

// dropPrunedForwards deletes the forwards of the captures the store
// pruned; the linker calls it after the store reports a prune.
func (w *Workspace) dropPrunedForwards() {
	if st := w.forwardStore(); st != nil {
		_, err := st.DropPruned(context.Background())
		w.forwardDone(err)
	}
}

// exportForward returns the "forward" of a capture's JSON line; nil when
// it was not forwarded.
func (w *Workspace) exportForward(ctx context.Context, id string) (*capture.Forward, error) {
	if st := w.forwardStore(); st != nil {
		rec, ok, err := st.Get(ctx, id, false)
		if err != nil || !ok {
			return nil, err
		}
		return rec.Result.JSON(), nil
	}
	if r, ok := w.Forwarded(id); ok {
		return r.JSON(), nil
	}
	return nil, nil
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
		// Kept before it is published, so that a reader the event sends
		// finds it, response included.
		w.keepForward(c, r)
		ev := r
		ev.Response = nil // events stay small; ForwardResponse reads it
		w.hub.Publish(CaptureForwarded{Result: ev})
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
