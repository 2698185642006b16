package workspace

import (
	"net/http"
	"sync"
	"time"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/requester/history"
)

// Event is something that happened in the workspace that a window (or
// any other subscriber) may show. The concrete types below are all the
// events there are; a subscriber switches on them.
type Event interface{ isEvent() }

// CapturesAdded: captures were stored by this process, newest last.
type CapturesAdded struct{ Summaries []capture.Summary }

// CaptureDeleted: one capture was deleted.
type CaptureDeleted struct{ ID string }

// CapturesCleared: every capture was deleted.
type CapturesCleared struct{}

// CapturesPruned: the N oldest captures were deleted to keep the store
// within its limits (--retain, --retain-mb).
type CapturesPruned struct{ N int }

// CapturesChanged: the store changed in a way no finer event describes
// (another process sharing the data directory wrote to it, or a
// subscriber fell behind); read it again.
type CapturesChanged struct{}

// CaptureRefused: the store refused a capture (a full disk, say); its
// sender was answered 503.
type CaptureRefused struct {
	Method, Path string
	Time         time.Time
	Err          error
	// Cause is what a user needs of Err (capture.RefusalCause): "database
	// or disk is full".
	Cause string
}

// HistoryAdded: a sent request was written to history.
type HistoryAdded struct{ Entry history.Summary }

// HistoryChanged: history entries were deleted or cleared.
type HistoryChanged struct{}

// HistoryNotKept: the request of tab Tab was answered (or failed), but
// writing it to history failed with Err.
type HistoryNotKept struct {
	Tab string
	Err error
}

// RulesChanged: a response rule was set or deleted (Workspace.SetRule,
// DeleteRule) and the catcher answers by Rules, all the rules now,
// sorted by endpoint. Err is what went wrong with the writes or with
// reading the rules back, if anything.
type RulesChanged struct {
	Rules []capture.Rule
	Err   error
}

// CollectionChanged: files of a collection changed on disk (outside
// edits); Files are relative to Root.
type CollectionChanged struct {
	Root  string
	Files []string
}

// SendStarted: a request went out for the composer tab Tab.
type SendStarted struct{ Tab string }

// SendFinished: the request of tab Tab was answered (Resp) or failed
// (Err, which may be a cancellation). Cookies are what the cookie jar
// of the send holds after it. Resp may hold a temporary file: whoever
// shows it closes it (requester.Response.Close) once it is no longer
// shown.
type SendFinished struct {
	Tab     string
	Resp    *requester.Response
	Err     error
	Cookies []*http.Cookie
	// At is when the request was sent: the Entry.Time of the
	// HistoryAdded that follows for this exchange, which names the
	// history entry (and so the webhooks linked to it).
	At time.Time
}

func (CapturesAdded) isEvent()     {}
func (CaptureDeleted) isEvent()    {}
func (CapturesCleared) isEvent()   {}
func (CapturesPruned) isEvent()    {}
func (HistoryNotKept) isEvent()    {}
func (RulesChanged) isEvent()      {}
func (CapturesChanged) isEvent()   {}
func (CaptureRefused) isEvent()    {}
func (HistoryAdded) isEvent()      {}
func (HistoryChanged) isEvent()    {}
func (CollectionChanged) isEvent() {}
func (SendStarted) isEvent()       {}
func (SendFinished) isEvent()      {}

// maxQueued bounds what one subscriber holds unread. Past it the
// queue is compacted (see compact), so a subscriber that stalls costs
// bounded memory and still learns to read the store again.
const maxQueued = 4096

// Hub hands events to subscribers. Publish never blocks: each subscriber
// has a queue and a coalescing signal, and takes everything queued at
// once with Take, so a burst of a thousand captures costs the
// subscriber one wake-up, not a thousand.
type Hub struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// NewHub returns a hub with no subscribers.
func NewHub() *Hub { return &Hub{subs: map[*Subscription]struct{}{}} }

// Subscription is one subscriber's queue.
type Subscription struct {
	hub    *Hub
	mu     sync.Mutex
	queue  []Event
	signal chan struct{}
}

// Subscribe starts queueing events for a new subscriber.
func (h *Hub) Subscribe() *Subscription {
	s := &Subscription{hub: h, signal: make(chan struct{}, 1)}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Publish queues e for every subscriber.
func (h *Hub) Publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		s.push(e)
	}
}

func (s *Subscription) push(e Event) {
	s.mu.Lock()
	if len(s.queue) >= maxQueued {
		s.queue = compact(s.queue)
	}
	s.queue = append(s.queue, e)
	s.mu.Unlock()
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

// compact makes room in a full queue. The events about the capture list
// (captures added, deleted, cleared, pruned, changed), the ones that
// come by the thousand, become one CapturesChanged: read the store
// again, which loses nothing. The others, such as a send's answer, are
// kept in order, unless they alone fill half the queue (a flood of
// refusals): then only the newer half of them is.
func compact(q []Event) []Event {
	kept := make([]Event, 0, len(q)/4)
	list := false
	for _, e := range q {
		switch e.(type) {
		case CapturesAdded, CaptureDeleted, CapturesCleared, CapturesPruned, CapturesChanged:
			list = true
			continue
		}
		kept = append(kept, e)
	}
	if len(kept) >= maxQueued/2 {
		kept = append([]Event(nil), kept[len(kept)-maxQueued/4:]...)
	}
	if list {
		kept = append(kept, CapturesChanged{})
	}
	return kept
}

// Ready receives a value when events are queued. One value stands for
// any number of events.
func (s *Subscription) Ready() <-chan struct{} { return s.signal }

// Take returns the queued events, oldest first, and empties the queue.
func (s *Subscription) Take() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

// Close stops queueing for s.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	delete(s.hub.subs, s)
	s.hub.mu.Unlock()
}
