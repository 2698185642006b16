package capture

import (
	"sync"
	"sync/atomic"
)

// Change is one report of what a write did to a store, so an observer
// knows what changed without reading the store again. Exactly one of
// its fields is set.
type Change struct {
	// Added are the captures one commit stored, oldest first.
	Added []Summary
	// Pruned is how many of the oldest captures were deleted to keep the
	// store within its limits.
	Pruned int
	// Deleted is the id of a capture that was deleted.
	Deleted string
	// Cleared: every capture was deleted.
	Cleared bool
	// External: another process (or another store on the same database)
	// committed to the database; what changed is unknown, read it again.
	External bool
}

// changes is what both stores share for telling others what they did:
// the observers of OnChange.
type changes struct {
	mu        sync.Mutex // serializes updates of observers
	observers atomic.Pointer[[]*observer]
}

type observer struct{ fn func(Change) }

// OnChange makes fn see every change from now on, in the order the
// store made them, until the returned function is called (a report
// already under way may still reach fn after that). fn runs on the
// goroutine that wrote (for a SQLiteStore, its writer): it must return
// quickly and must not write to the store.
func (n *changes) OnChange(fn func(Change)) (remove func()) {
	o := &observer{fn: fn}
	n.mu.Lock()
	defer n.mu.Unlock()
	var list []*observer
	if p := n.observers.Load(); p != nil {
		list = append(list, *p...)
	}
	list = append(list, o)
	n.observers.Store(&list)
	var once sync.Once
	return func() {
		once.Do(func() {
			n.mu.Lock()
			defer n.mu.Unlock()
			var kept []*observer
			for _, x := range *n.observers.Load() {
				if x != o {
					kept = append(kept, x)
				}
			}
			n.observers.Store(&kept)
		})
	}
}

// watched reports whether anyone observes the changes, so a writer
// builds the summaries of a commit only when they will be read.
func (n *changes) watched() bool {
	p := n.observers.Load()
	return p != nil && len(*p) > 0
}

// report hands c to every observer.
func (n *changes) report(c Change) {
	if p := n.observers.Load(); p != nil {
		for _, o := range *p {
			o.fn(c)
		}
	}
}
