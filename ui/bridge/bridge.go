// Package bridge is the one place where the workspace crosses into the
// window. It subscribes to the workspace's typed events, coalesces a
// burst into one delivery (about 30 a second at most) and hands it to
// the panels on the UI goroutine; and it runs the reads and sends a
// panel asks for (a page of captures, a history search, a request) off
// the UI goroutine with a context, applying their results on the UI
// goroutine unless a newer read replaced them or the window closed.
package bridge

import (
	"context"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// Interval spaces deliveries of events, so a burst of a thousand
// webhooks costs about 30 list refreshes a second, not a thousand.
const Interval = 33 * time.Millisecond

// Bridge delivers workspace events and runs work for the panels. Its
// methods are safe from any goroutine; handlers and the functions that
// work returns run on the UI goroutine.
type Bridge struct {
	sub  *workspace.Subscription
	stop chan struct{}
	done chan struct{}
	// wait spaces deliveries (time.After; tests may replace it before
	// Start).
	wait func(time.Duration) <-chan time.Time
	// OnPanic is told of a panic recovered in a handler, a work function
	// or what it returned, with its stack (set it before Start; nil logs
	// it). The panic ends that call only: the window goes on, and the
	// bridge keeps delivering.
	OnPanic func(v any, stack []byte)

	ctx    context.Context // ends at Close: every read's parent
	cancel context.CancelFunc
	reads  sync.WaitGroup

	mu       sync.Mutex
	handlers []func([]workspace.Event)
	keyed    map[string]*job
	started  bool
	closed   bool
}

type job struct{ cancel context.CancelFunc }

// New subscribes to hub; call Start once the handlers are in.
func New(hub *workspace.Hub) *Bridge {
	ctx, cancel := context.WithCancel(context.Background())
	return &Bridge{
		sub: hub.Subscribe(), stop: make(chan struct{}), done: make(chan struct{}),
		wait: time.After, ctx: ctx, cancel: cancel, keyed: map[string]*job{},
	}
}

// Handle adds fn to the handlers of each delivery: the events published
// since the last one, oldest first, on the UI goroutine.
func (b *Bridge) Handle(fn func([]workspace.Event)) {
	b.mu.Lock()
	b.handlers = append(b.handlers, fn)
	b.mu.Unlock()
}

// Start begins delivering events.
func (b *Bridge) Start() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started || b.closed {
		return
	}
	b.started = true
	go b.run()
}

func (b *Bridge) run() {
	defer close(b.done)
	for {
		select {
		case <-b.stop:
			return
		case <-b.sub.Ready():
		}
		b.deliver(b.sub.Take())
		select {
		case <-b.stop:
			return
		case <-b.wait(Interval):
		}
	}
}

func (b *Bridge) deliver(events []workspace.Event) {
	if len(events) == 0 {
		return
	}
	b.mu.Lock()
	handlers := append([]func([]workspace.Event){}, b.handlers...)
	b.mu.Unlock()
	widgets.Do(func() {
		if b.ctx.Err() != nil {
			return // the window closed while this was queued
		}
		for _, h := range handlers {
			b.protect(func() { h(events) })
		}
	})
}

// Load runs work off the UI goroutine and the function it returns on
// the UI goroutine. A newer Load with the same key cancels work's
// context and drops its result, so a search nobody waits for any more
// stops; Close does the same for every Load. A nil result applies
// nothing.
func (b *Bridge) Load(key string, work func(ctx context.Context) func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if prev := b.keyed[key]; prev != nil {
		prev.cancel()
	}
	// Keys are few (the list's filter, a page, the detail, a history
	// search), so finished jobs stay in the map until replaced.
	if j := b.startLocked(work); j != nil {
		b.keyed[key] = j
	}
}

// Go runs work like Load, without a key: only its cancel function, the
// returned one, or Close cancels it.
func (b *Bridge) Go(work func(ctx context.Context) func()) (cancel func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j := b.startLocked(work)
	if j == nil {
		return func() {}
	}
	return j.cancel
}

// startLocked starts work under b.mu; nil once the bridge closed.
func (b *Bridge) startLocked(work func(ctx context.Context) func()) *job {
	if b.closed {
		return nil
	}
	ctx, cancel := context.WithCancel(b.ctx)
	j := &job{cancel: cancel}
	b.reads.Add(1)
	go func() {
		defer b.reads.Done()
		var apply func()
		b.protect(func() { apply = work(ctx) })
		if apply == nil || ctx.Err() != nil {
			cancel()
			return
		}
		widgets.Do(func() {
			defer cancel()
			if ctx.Err() != nil {
				return // replaced, or the window closed, while queued
			}
			b.protect(apply)
		})
	}()
	return j
}

// protect runs fn, recovering a panic in it and telling OnPanic.
func (b *Bridge) protect(fn func()) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		stack := debug.Stack()
		if b.OnPanic != nil {
			b.OnPanic(v, stack)
			return
		}
		log.Printf("hooklab: internal error in the window, recovered: %v\n%s", v, stack)
	}()
	fn()
}

// Close stops delivering, cancels all work and waits for it, so nothing
// reads a store after Close returns and no result is applied after it.
// Call it before the workspace closes its database.
func (b *Bridge) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	started := b.started
	b.mu.Unlock()
	b.cancel()
	close(b.stop)
	if started {
		<-b.done
	}
	b.reads.Wait()
	b.sub.Close()
}
