package workspace

import (
	"context"
	"database/sql"
	"errors"
	"log"
	"sync"

	"hooklab/capture"
	"hooklab/requester/history"
	"hooklab/workspace/link"
)

// Linking webhooks to the calls that caused them (hooklab/workspace/link).
// A response's identifiers are indexed once, as Send keeps it in history;
// a capture's are looked up as it arrives, off the writer's goroutine,
// by the linker, which takes every capture queued since it last looked
// in one write. Both are in the database, so a capture caught by
// `hooklab listen` links to a request sent by the window.

// CaptureLinked: the capture CaptureID was found to be caused by the
// request RequestID (a history entry): they share SharedID.
type CaptureLinked struct {
	CaptureID string
	RequestID int64
	SharedID  string
}

func (CaptureLinked) isEvent() {}

// linker links captures as they arrive, on a goroutine of its own.
type linker struct {
	mu      sync.Mutex
	queue   []capture.Summary
	pruned  bool // the store pruned captures: drop their links
	stopped bool
	signal  chan struct{}
	done    chan struct{}
}

// startLinker starts linking the captures the store reports. Open calls
// it when the store is the database (w.links is set), but for a tool.
func (w *Workspace) startLinker() {
	w.linker = &linker{signal: make(chan struct{}, 1), done: make(chan struct{})}
	go w.linkLoop()
}

// queueLinks hands added captures to the linker. It runs on the store's
// writer goroutine (relay), so it only appends.
func (w *Workspace) queueLinks(added []capture.Summary) {
	l := w.linker
	if l == nil {
		return
	}
	l.mu.Lock()
	if !l.stopped {
		l.queue = append(l.queue, added...)
	}
	l.mu.Unlock()
	select {
	case l.signal <- struct{}{}:
	default:
	}
}

// queuePrune tells the linker that the store pruned captures, so it
// drops their links. It runs on the store's writer goroutine too.
func (w *Workspace) queuePrune() {
	l := w.linker
	if l == nil {
		return
	}
	l.mu.Lock()
	l.pruned = !l.stopped
	l.mu.Unlock()
	select {
	case l.signal <- struct{}{}:
	default:
	}
}

// stopLinker links what is queued, then ends the linker and waits for
// it. Stop calls it once the catcher no longer stores anything.
func (w *Workspace) stopLinker() {
	l := w.linker
	if l == nil {
		return
	}
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
	select {
	case l.signal <- struct{}{}:
	default:
	}
	<-l.done
}

func (w *Workspace) linkLoop() {
	l := w.linker
	defer close(l.done)
	for range l.signal {
		l.mu.Lock()
		batch, pruned, stopped := l.queue, l.pruned, l.stopped
		l.queue, l.pruned = nil, false
		l.mu.Unlock()
		if len(batch) > 0 {
			w.linkBatch(batch)
		}
		if pruned {
			_, err := w.links.DropPruned(context.Background())
			w.linkDone(err)
			w.dropPrunedForwards()
		}
		if stopped {
			return
		}
	}
}

// linkBatch reads the identifiers of each capture and links them, in
// one write. A capture deleted meanwhile is skipped. Errors are not
// the sender's: a capture that could not be linked stays unlinked, and
// the error is logged (linkDone).
func (w *Workspace) linkBatch(batch []capture.Summary) {
	cs := make([]link.Capture, 0, len(batch))
	for _, s := range batch {
		c, err := w.store.Get(s.ID)
		if err != nil {
			continue
		}
		if ids := link.Identifiers(c.Header, c.Body); len(ids) > 0 {
			cs = append(cs, link.Capture{ID: c.ID, Time: c.Time, IDs: ids})
		}
	}
	if len(cs) == 0 {
		return
	}
	made, err := w.links.LinkCaptures(context.Background(), cs, w.now())
	w.linkDone(err)
	w.publishLinks(made)
}

func (w *Workspace) publishLinks(made []link.Link) {
	for _, l := range made {
		w.hub.Publish(CaptureLinked{CaptureID: l.CaptureID, RequestID: l.Request.ID, SharedID: l.SharedID})
	}
}

// indexResponse indexes the identifiers of a response kept in history
// as sum, and links the captures that arrived before it was recorded.
func (w *Workspace) indexResponse(sum history.Summary, entry history.Entry) {
	if w.links == nil || entry.Status == 0 {
		return
	}
	ids := link.Identifiers(entry.RespHeader, entry.RespBody)
	r := link.Request{ID: sum.ID, Time: sum.Time, Method: sum.Method, URL: sum.URL, Status: sum.Status}
	made, err := w.links.IndexRequest(context.Background(), r, ids, w.now())
	w.linkDone(err)
	w.publishLinks(made)
	w.forgetDropped()
}

// forgetDropped forgets the identifiers of the history entries dropped
// to keep the history within its limit (history.Options.Retain): every
// entry older than the oldest kept. The history is in the same
// database; its ids are its rowids, so the oldest is one index read.
func (w *Workspace) forgetDropped() {
	if w.links == nil || w.hist == nil {
		return
	}
	var first sql.NullInt64
	err := w.sqlite.ReadDB().QueryRowContext(context.Background(), `SELECT min(id) FROM history`).Scan(&first)
	if err == nil && first.Valid {
		err = w.links.ForgetRequestsBefore(context.Background(), first.Int64)
	}
	w.linkDone(err)
}

// linkFailure is how linking went: a failure is logged once, not again
// for every capture while it lasts, and its end is logged too.
type linkFailure struct {
	mu     sync.Mutex
	failed bool
}

// linkDone notes how a write of the link tables went, logging the first
// failure after a success, and the first success after failures.
func (w *Workspace) linkDone(err error) {
	f := &w.linkFail
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case err != nil && !f.failed:
		f.failed = true
		w.linkLog().Printf("linking webhooks to requests failed: %v (webhooks stay unlinked; not logged again until it works)", err)
	case err == nil && f.failed:
		f.failed = false
		w.linkLog().Printf("linking webhooks to requests works again")
	}
}

// linkLog is where linking logs: the servers' logger once serving.
func (w *Workspace) linkLog() *log.Logger {
	if s := w.services(); s != nil {
		return s.logger
	}
	return log.Default()
}

// ErrNoLinks is returned by CausedBy and Caused when captures are not
// kept in the database (they are in memory), so nothing is linked.
var ErrNoLinks = errors.New("webhooks are not linked to requests: captures are not kept in a database")

// CausedBy returns the request that caused the capture captureID, and
// false when none is known.
func (w *Workspace) CausedBy(ctx context.Context, captureID string) (link.Link, bool, error) {
	if w.links == nil {
		return link.Link{}, false, ErrNoLinks
	}
	return w.links.CausedBy(ctx, captureID)
}

// Caused returns the summaries of the captures the request requestID (a
// history entry) caused, in the order they arrived; deleted captures
// are left out.
func (w *Workspace) Caused(ctx context.Context, requestID int64) ([]capture.Summary, error) {
	if w.links == nil {
		return nil, ErrNoLinks
	}
	ids, err := w.links.Caused(ctx, requestID)
	if err != nil {
		return nil, err
	}
	out := make([]capture.Summary, 0, len(ids))
	for _, id := range ids {
		c, err := w.store.Get(id)
		if errors.Is(err, capture.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c.Summary())
	}
	return out, nil
}

// linkDB is the link tables' database: the capture store's.
func (w *Workspace) linkDB() link.DB {
	return link.DB{
		Read: w.sqlite.ReadDB(),
		Write: func(ctx context.Context, fn func(context.Context, link.Tx) error) error {
			return w.sqlite.WriteTx(ctx, func(ctx context.Context, tx capture.Tx) error { return fn(ctx, tx) })
		},
	}
}

// forgetRequests drops the indexed identifiers of deleted history
// entries (all of them without ids).
func (w *Workspace) forgetRequests(ids ...int64) {
	if w.links != nil {
		w.linkDone(w.links.ForgetRequests(context.Background(), ids...))
	}
}
