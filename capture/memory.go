package capture

import (
	"context"
	"sort"
	"sync"
)

// DefaultMemoryLimit is how many captures a MemoryStore keeps before it
// drops the oldest.
const DefaultMemoryLimit = 10000

// MemoryStore is a Store held in memory, bounded by count and body bytes.
// It backs tests and runs where durability is not wanted.
type MemoryStore struct {
	changes
	// wmu makes each write and its report one step, so observers see
	// changes in the order they were made; mu alone guards the data,
	// which observers may read.
	wmu       sync.Mutex
	mu        sync.RWMutex
	items     []*Capture // oldest first
	byID      map[string]*Capture
	bodyBytes int64
	maxItems  int
	maxBytes  int64
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
	}
}

// Add keeps c, evicting the oldest captures beyond the limits.
func (s *MemoryStore) Add(c *Capture) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
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
	var added []Summary
	if s.watched() {
		added = []Summary{c.Summary()}
	}
	s.report(Change{Added: added})
	if drop > 0 {
		s.report(Change{Pruned: drop})
	}
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

// ctxCheckEvery is how many captures a MemoryStore looks at between
// checks of its context.
const ctxCheckEvery = 1024

// List returns summaries matching f, newest first.
func (s *MemoryStore) List(f Filter, offset, limit int) ([]Summary, error) {
	return s.ListContext(context.Background(), f, offset, limit)
}

// ListContext is List that stops when ctx ends.
func (s *MemoryStore) ListContext(ctx context.Context, f Filter, offset, limit int) ([]Summary, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if offset < 0 {
		offset = 0
	}
	var out []Summary
	for i := len(s.items) - 1; i >= 0 && len(out) < limit; i-- {
		if i%ctxCheckEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
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
	return s.CountContext(context.Background(), f)
}

// CountContext is Count that stops when ctx ends.
func (s *MemoryStore) CountContext(ctx context.Context, f Filter) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if f == (Filter{}) {
		return len(s.items), nil
	}
	n := 0
	for i, c := range s.items {
		if i%ctxCheckEvery == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if f.Match(c) {
			n++
		}
	}
	return n, nil
}

// Endpoints lists the endpoints with captures, sorted.
func (s *MemoryStore) Endpoints() ([]string, error) {
	return s.EndpointsContext(context.Background())
}

// EndpointsContext is Endpoints that stops when ctx ends.
func (s *MemoryStore) EndpointsContext(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]bool{}
	for i, c := range s.items {
		if i%ctxCheckEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
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
	s.wmu.Lock()
	defer s.wmu.Unlock()
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
	s.report(Change{Deleted: id})
	return nil
}

// Clear removes every capture.
func (s *MemoryStore) Clear() error {
	_, err := s.ClearCount()
	return err
}

// ClearCount removes every capture and returns how many it removed.
func (s *MemoryStore) ClearCount() (int64, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	n := int64(len(s.items))
	s.items = nil
	s.byID = make(map[string]*Capture)
	s.bodyBytes = 0
	s.mu.Unlock()
	s.report(Change{Cleared: true})
	return n, nil
}

// Close does nothing: memory needs no closing.
func (s *MemoryStore) Close() error { return nil }
