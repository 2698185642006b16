package bridge

import (
	"context"
	"os"
	"runtime"
	"strings"
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

// TestADeliveryWaitsForTheLastToBeApplied: while the UI goroutine has
// not applied a delivery (a loaded machine), what is published
// meanwhile is not queued behind it as deliveries of their own, each a
// refresh of the list, but gathers into the next one.
func TestADeliveryWaitsForTheLastToBeApplied(t *testing.T) {
	loop.Drain()
	hub := workspace.NewHub()
	b := New(hub)
	b.wait = func(time.Duration) <-chan time.Time { // no spacing: only the UI holds deliveries back
		c := make(chan time.Time, 1)
		c <- time.Time{}
		return c
	}
	var got [][]string
	b.Handle(func(evs []workspace.Event) {
		var ids []string
		for _, e := range evs {
			ids = append(ids, e.(workspace.CapturesAdded).Summaries[0].ID)
		}
		got = append(got, ids)
	})
	b.Start()
	t.Cleanup(func() {
		done := make(chan struct{})
		go func() { b.Close(); close(done) }()
		loop.RunUntil(done)
	})
	hub.Publish(workspace.CapturesAdded{Summaries: []capture.Summary{{ID: "1"}}})
	first := <-loop.Q // handed to the UI goroutine, which is busy: not run yet
	for i := 2; i <= 50; i++ {
		hub.Publish(workspace.CapturesAdded{Summaries: []capture.Summary{{ID: itoa(i)}}})
	}
	// The old bridge queued another delivery at once; give it time to
	// show (this cannot happen now, so the window cannot make the test
	// fail, only miss the old behaviour on a very slow machine).
	deadline := time.NewTimer(500 * time.Millisecond)
	defer deadline.Stop()
	for waiting := true; waiting; {
		select {
		case <-deadline.C:
			waiting = false
		default:
			if n := len(loop.Q); n > 0 {
				t.Fatalf("%d more deliveries queued for the UI goroutine before it applied the first", n)
			}
			runtime.Gosched()
		}
	}
	first()
	loop.WaitFor(t, "the next delivery", func() bool { return len(got) == 2 })
	want := []string{}
	for i := 2; i <= 50; i++ {
		want = append(want, itoa(i))
	}
	if len(got[0]) != 1 || strings.Join(got[1], ",") != strings.Join(want, ",") {
		t.Fatalf("deliveries %v, want [1] then 2…50 in one, in order", got)
	}
}

// TestCloseWaitsForAnApplyUnderWay: Close does not return while a
// function the bridge applies runs on the UI goroutine (it may touch
// what closes after Close, the database), and one queued behind it is
// dropped.
func TestCloseWaitsForAnApplyUnderWay(t *testing.T) {
	loop.Drain()
	b := New(workspace.NewHub())
	inApply, release := make(chan struct{}), make(chan struct{})
	var ended atomic.Bool
	b.Go(func(context.Context) func() {
		return func() {
			close(inApply)
			<-release
			ended.Store(true)
		}
	})
	running := <-loop.Q
	ui := make(chan struct{}) // a goroutine stands in for the UI goroutine
	go func() {
		defer close(ui)
		running()
	}()
	<-inApply
	b.Go(func(context.Context) func() { return func() { t.Error("applied after Close") } })
	waits := make(chan struct{})
	b.closeWaits = func() { close(waits) }
	closed := make(chan struct{})
	go func() {
		b.Close()
		close(closed)
	}()
	select {
	case <-waits:
	case <-closed:
		t.Fatal("Close returned while an applied function ran on the UI goroutine")
	}
	close(release)
	<-closed
	if !ended.Load() {
		t.Fatal("Close returned before the applied function ended")
	}
	<-ui
	loop.Drain() // the second apply, queued: dropped
}
