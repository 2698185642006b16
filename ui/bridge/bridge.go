// Package bridge is the one place where the workspace crosses into the
// window. It subscribes to the workspace's typed events, coalesces a
// burst into one delivery (about 30 a second at most, and never more
// than the UI goroutine keeps up with) and hands it to the panels on
// the UI goroutine; and it runs the reads and sends a
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
	// applying is held while a handler or an applied function runs on
	// the UI goroutine, so Close can wait for the one under way; those
	// after it find ctx ended and do nothing.
	applying sync.Mutex
	// closeWaits, when set (tests), is called when Close finds a
	// handler or an applied function under way and waits for it.
	closeWaits func()

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

// run delivers what was published, one delivery at a time: the next
// is taken only once the UI goroutine applied the last and Interval
// passed since it was handed over. While the UI goroutine is slow (a
// loaded machine), what arrives meanwhile gathers into the next
// delivery instead of queueing behind it as deliveries of their own,
// each costing a refresh of the list: the window stays one delivery
// behind the store at most, however slow it is.
func (b *Bridge) run() {
	defer close(b.done)
	for {
		select {
		case <-b.stop:
			return
		case <-b.sub.Ready():
		}
		spaced := b.wait(Interval)
		applied := b.deliver(b.sub.Take())
		select {
		case <-b.stop:
			return
		case <-applied:
		}
		select {
		case <-b.stop:
			return
		case <-spaced:
		}
	}
}

// deliver hands events to the handlers on the UI goroutine; the
// returned channel is closed once they ran (or were dropped).
func (b *Bridge) deliver(events []workspace.Event) <-chan struct{} {
	applied := make(chan struct{})
	if len(events) == 0 {
		close(applied)
		return applied
	}
	b.mu.Lock()
	handlers := append([]func([]workspace.Event){}, b.handlers...)
	b.mu.Unlock()
	widgets.Do(func() {
		defer close(applied)
		b.onUI(b.ctx, func() {
			for _, h := range handlers {
				b.protect(func() { h(events) })
			}
		})
	})
	return applied
}

// onUI runs fn, on the UI goroutine, unless ctx ended (the window
// closed, or the work was replaced, while fn was queued). Close waits
// for an fn under way.
func (b *Bridge) onUI(ctx context.Context, fn func()) {
	b.applying.Lock()
	defer b.applying.Unlock()
	if ctx.Err() != nil {
		return
	}
	fn()
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
			b.onUI(ctx, func() { b.protect(apply) })
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
		b.Recovered(v, debug.Stack())
	}()
	fn()
}

// Recovered tells OnPanic (or the log) of a panic that a caller
// recovered itself, to end its work its own way (the list turns a
// panic in its read into a failed read, so it does not wait for ever).
func (b *Bridge) Recovered(v any, stack []byte) {
	if b.OnPanic != nil {
		b.OnPanic(v, stack)
		return
	}
	log.Printf("hooklab: internal error in the window, recovered: %v\n%s", v, stack)
}

// Close stops delivering, cancels all work and waits for it, and for a
// handler or an applied function running on the UI goroutine, so
// nothing reads a store after Close returns and nothing is delivered or
// applied after it. Call it before the workspace closes its database,
// and not from a handler or an applied function (it would wait for
// itself).
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
	// ctx ended above: what runs on the UI goroutine from now on does
	// nothing; wait for what began before.
	if !b.applying.TryLock() {
		if b.closeWaits != nil {
			b.closeWaits()
		}
		b.applying.Lock()
	}
	b.applying.Unlock()
	b.sub.Close()
}
