package capture

import (
	"sync"
)

// Store keeps captures. Implementations are safe for concurrent use; Add
// returns only once the capture is kept, since the catcher acknowledges
// the sender after Add.
type Store interface {
	Add(c *Capture) error
	Get(id string) (*Capture, bool)
	// List returns up to limit summaries, newest first, skipping offset.
	List(offset, limit int) []Summary
	Len() int
	Delete(id string) bool
	Clear()
	// Changed returns a channel that receives a value after captures were
	// added or removed. Signals coalesce: one pending value stands for
	// any number of changes, so a slow reader never blocks a writer.
	Changed() <-chan struct{}
}

// DefaultMemoryLimit is how many captures a MemoryStore keeps before it
// drops the oldest.
const DefaultMemoryLimit = 10000

// MemoryStore is a Store held in memory, bounded by count and body bytes.
type MemoryStore struct {
	mu        sync.RWMutex
	items     []*Capture // oldest first
	byID      map[string]*Capture
	bodyBytes int64
	maxItems  int
	maxBytes  int64
	changed   chan struct{}
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns a store keeping at most maxItems captures and
// maxBytes of bodies, dropping the oldest first; zero means the defaults
// (DefaultMemoryLimit, 512 MiB).
func NewMemoryStore(maxItems int, maxBytes int64) *MemoryStore {
	if maxItems <= 0 {
		maxItems = DefaultMemoryLimit
	}
	if maxBytes <= 0 {
		maxBytes = 512 << 20
	}
	return &MemoryStore{
		byID:     make(map[string]*Capture),
		maxItems: maxItems,
		maxBytes: maxBytes,
		changed:  make(chan struct{}, 1),
	}
}

// Add keeps c, evicting the oldest captures beyond the limits.
func (s *MemoryStore) Add(c *Capture) error {
	s.mu.Lock()
	s.items = append(s.items, c)
	s.byID[c.ID] = c
	s.bodyBytes += int64(len(c.Body))
	drop := 0
	for len(s.items)-drop > s.maxItems || (s.bodyBytes > s.maxBytes && len(s.items)-drop > 1) {
		old := s.items[drop]
		delete(s.byID, old.ID)
		s.bodyBytes -= int64(len(old.Body))
		s.items[drop] = nil
		drop++
	}
	if drop > 0 {
		s.items = append(s.items[:0:0], s.items[drop:]...)
	}
	s.mu.Unlock()
	s.signal()
	return nil
}

// Get returns the capture with id.
func (s *MemoryStore) Get(id string) (*Capture, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.byID[id]
	return c, ok
}

// List returns summaries newest first.
func (s *MemoryStore) List(offset, limit int) []Summary {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := len(s.items)
	if offset < 0 {
		offset = 0
	}
	if offset >= n || limit <= 0 {
		return nil
	}
	end := min(offset+limit, n)
	out := make([]Summary, 0, end-offset)
	for i := offset; i < end; i++ {
		out = append(out, s.items[n-1-i].Summary())
	}
	return out
}

// Len returns how many captures are kept.
func (s *MemoryStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

// Delete removes the capture with id and reports whether it was there.
func (s *MemoryStore) Delete(id string) bool {
	s.mu.Lock()
	c, ok := s.byID[id]
	if ok {
		delete(s.byID, id)
		s.bodyBytes -= int64(len(c.Body))
		for i, it := range s.items {
			if it == c {
				s.items = append(s.items[:i], s.items[i+1:]...)
				break
			}
		}
	}
	s.mu.Unlock()
	if ok {
		s.signal()
	}
	return ok
}

// Clear removes every capture.
func (s *MemoryStore) Clear() {
	s.mu.Lock()
	s.items = nil
	s.byID = make(map[string]*Capture)
	s.bodyBytes = 0
	s.mu.Unlock()
	s.signal()
}

// Changed returns the coalescing change signal.
func (s *MemoryStore) Changed() <-chan struct{} { return s.changed }

func (s *MemoryStore) signal() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}
