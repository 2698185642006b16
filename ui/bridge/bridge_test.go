package bridge

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/ui/uitest"
	"hooklab/workspace"
)

var loop *uitest.Loop

func TestMain(m *testing.M) {
	loop = uitest.Install()
	os.Exit(m.Run())
}

// manualWait lets a test decide when the bridge may deliver again.
type manualWait chan time.Time

func (w manualWait) after(time.Duration) <-chan time.Time { return w }

func TestBurstIsDeliveredInFewBatchesInOrder(t *testing.T) {
	hub := workspace.NewHub()
	b := New(hub)
	gate := make(manualWait)
	b.wait = gate.after
	var got []string
	deliveries := 0
	b.Handle(func(evs []workspace.Event) {
		deliveries++
		for _, e := range evs {
			got = append(got, e.(workspace.CapturesAdded).Summaries[0].ID)
		}
	})
	b.Start()
	t.Cleanup(b.Close)
	hub.Publish(workspace.CapturesAdded{Summaries: []capture.Summary{{ID: "0"}}})
	loop.WaitFor(t, "the first delivery", func() bool { return deliveries == 1 })
	// While the bridge waits out its interval, a burst queues up.
	for i := 1; i <= 1000; i++ {
		hub.Publish(workspace.CapturesAdded{Summaries: []capture.Summary{{ID: itoa(i)}}})
	}
	gate <- time.Time{}
	loop.WaitFor(t, "the burst", func() bool { return len(got) == 1001 })
	if deliveries != 2 {
		t.Fatalf("a burst of 1000 took %d deliveries, want it in one", deliveries-1)
	}
	for i, id := range got {
		if id != itoa(i) {
			t.Fatalf("event %d is %s: out of order", i, id)
		}
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func TestNewerLoadCancelsAndDropsTheOlder(t *testing.T) {
	b := New(workspace.NewHub())
	t.Cleanup(b.Close)
	started := make(chan struct{})
	var oldCancelled atomic.Bool
	applied := ""
	b.Load("list", func(ctx context.Context) func() {
		close(started)
		<-ctx.Done()
		oldCancelled.Store(true)
		return func() { applied = "old" }
	})
	<-started
	b.Load("list", func(context.Context) func() { return func() { applied = "new" } })
	loop.WaitFor(t, "the newer load applied", func() bool { return applied == "new" })
	loop.WaitFor(t, "the older load cancelled", oldCancelled.Load)
	loop.Drain()
	if applied != "new" {
		t.Fatalf("applied %q after both ended, want the newer load's result only", applied)
	}
}

func TestCloseCancelsWorkWaitsForItAndAppliesNothing(t *testing.T) {
	hub := workspace.NewHub()
	b := New(hub)
	delivered := false
	b.Handle(func([]workspace.Event) { delivered = true })
	b.Start()
	running := make(chan struct{})
	var finished atomic.Bool
	applied := false
	b.Go(func(ctx context.Context) func() {
		close(running)
		<-ctx.Done()
		finished.Store(true)
		return func() { applied = true }
	})
	<-running
	hub.Publish(workspace.CapturesCleared{})
	b.Close()
	if !finished.Load() {
		t.Fatal("Close returned before the work in flight ended")
	}
	loop.Drain()
	if applied || delivered {
		t.Fatalf("after Close: applied=%v delivered=%v, want neither", applied, delivered)
	}
	b.Load("late", func(context.Context) func() { t.Error("work started after Close"); return nil })
}

func TestGoCancelStopsOneJob(t *testing.T) {
	b := New(workspace.NewHub())
	t.Cleanup(b.Close)
	var cancelled atomic.Bool
	cancel := b.Go(func(ctx context.Context) func() {
		<-ctx.Done()
		cancelled.Store(true)
		return nil
	})
	cancel()
	loop.WaitFor(t, "the job cancelled", cancelled.Load)
}

// TestPanicsAreRecovered: a handler, a work function or an apply that
// panics is reported to OnPanic, and the bridge goes on delivering and
// running work.
func TestPanicsAreRecovered(t *testing.T) {
	hub := workspace.NewHub()
	b := New(hub)
	var panics atomic.Int32
	b.OnPanic = func(v any, stack []byte) {
		if len(stack) == 0 {
			t.Error("no stack")
		}
		panics.Add(1)
	}
	delivered := 0
	b.Handle(func([]workspace.Event) {
		delivered++
		if delivered == 1 {
			panic("injected in a handler")
		}
	})
	b.Start()
	t.Cleanup(b.Close)
	hub.Publish(workspace.CapturesAdded{Summaries: []capture.Summary{{ID: "1"}}})
	loop.WaitFor(t, "the first delivery", func() bool { return delivered == 1 && panics.Load() == 1 })
	hub.Publish(workspace.CapturesAdded{Summaries: []capture.Summary{{ID: "2"}}})
	loop.WaitFor(t, "a delivery after the panic", func() bool { return delivered == 2 })

	b.Go(func(context.Context) func() { panic("injected in work") })
	loop.WaitFor(t, "the work's panic", func() bool { return panics.Load() == 2 })
	b.Go(func(context.Context) func() { return func() { panic("injected in apply") } })
	loop.WaitFor(t, "the apply's panic", func() bool { return panics.Load() == 3 })
	applied := false
	b.Go(func(context.Context) func() { return func() { applied = true } })
	loop.WaitFor(t, "work after the panics", func() bool { return applied })
}
