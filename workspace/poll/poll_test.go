package poll

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestUntilReturnsOnceTheConditionHolds(t *testing.T) {
	var n atomic.Int32
	go func() {
		for range 3 {
			n.Add(1)
		}
	}()
	asked := 0
	Until(t, "three", func() bool { asked++; return n.Load() == 3 }, func() string { return "never shown" })
	if asked == 0 {
		t.Fatal("the condition was never asked")
	}
	// A condition true at once is asked once.
	asked = 0
	Until(t, "true", func() bool { asked++; return true })
	if asked != 1 {
		t.Fatalf("a true condition was asked %d times", asked)
	}
}

// fakeTB records Fatalf and, like testing.T's, ends the goroutine that
// called it.
type fakeTB struct {
	testing.TB
	failed string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestUntilFailsAfterTheDeadline(t *testing.T) {
	old := limit
	limit = 20 * time.Millisecond
	t.Cleanup(func() { limit = old })
	f := &fakeTB{}
	asked := 0
	returned := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		Until(f, "the moon", func() bool { asked++; return false }, func() string { return "saw: cheese" }, func() string { return "and: crackers" })
		returned = true
	}()
	<-done
	if returned {
		t.Fatal("Until returned with the condition still false")
	}
	want := "timed out waiting for the moon (20ms)\nsaw: cheese\nand: crackers"
	if f.failed != want {
		t.Fatalf("failed with %q, want %q", f.failed, want)
	}
	if asked == 0 {
		t.Fatal("the condition was never asked")
	}
}
