package capture

import (
	"sort"
	"sync"
)

// DefaultMemoryLimit is how many captures a MemoryStore keeps before it
// drops the oldest.
const DefaultMemoryLimit = 10000

// MemoryStore is a Store held in memory, bounded by count and body bytes.
// It backs tests and runs where durability is not wanted.
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
func (s *MemoryStore) Get(id string) (*Capture, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.byID[id]
	if !ok {
		return nil, ErrNotFound
	}
	return c, nil
}

// List returns summaries matching f, newest first.
func (s *MemoryStore) List(f Filter, offset, limit int) ([]Summary, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if offset < 0 {
		offset = 0
	}
	var out []Summary
	for i := len(s.items) - 1; i >= 0 && len(out) < limit; i-- {
		c := s.items[i]
		if !f.Match(c) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		out = append(out, c.Summary())
	}
	return out, nil
}

// Count returns how many captures match f.
func (s *MemoryStore) Count(f Filter) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if f == (Filter{}) {
		return len(s.items), nil
	}
	n := 0
	for _, c := range s.items {
		if f.Match(c) {
			n++
		}
	}
	return n, nil
}

// Endpoints lists the endpoints with captures, sorted.
func (s *MemoryStore) Endpoints() ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]bool{}
	for _, c := range s.items {
		seen[Endpoint(c.Path)] = true
	}
	out := make([]string, 0, len(seen))
	for e := range seen {
		out = append(out, e)
	}
	sort.Strings(out)
	return out, nil
}

// Scan calls fn for each capture matching f, oldest first.
func (s *MemoryStore) Scan(f Filter, fn func(*Capture) error) error {
	s.mu.RLock()
	items := append([]*Capture(nil), s.items...)
	s.mu.RUnlock()
	for _, c := range items {
		if !f.Match(c) {
			continue
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes the capture with id, or returns ErrNotFound.
func (s *MemoryStore) Delete(id string) error {
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
	if !ok {
		return ErrNotFound
	}
	s.signal()
	return nil
}

// Clear removes every capture.
func (s *MemoryStore) Clear() error {
	s.mu.Lock()
	s.items = nil
	s.byID = make(map[string]*Capture)
	s.bodyBytes = 0
	s.mu.Unlock()
	s.signal()
	return nil
}

// Changed returns the coalescing change signal.
func (s *MemoryStore) Changed() <-chan struct{} { return s.changed }

// Close does nothing: memory needs no closing.
func (s *MemoryStore) Close() error { return nil }

func (s *MemoryStore) signal() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}
