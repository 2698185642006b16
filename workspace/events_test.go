package workspace

import (
	"strconv"
	"testing"

	"hooklab/capture"
)

func TestHubQueuesForEachSubscriberAndCoalescesTheSignal(t *testing.T) {
	h := NewHub()
	a, b := h.Subscribe(), h.Subscribe()
	for i := 0; i < 3; i++ {
		h.Publish(CapturesAdded{Summaries: []capture.Summary{{ID: string(rune('a' + i))}}})
	}
	for _, s := range []*Subscription{a, b} {
		select {
		case <-s.Ready():
		default:
			t.Fatal("no signal after Publish")
		}
		select {
		case <-s.Ready():
			t.Fatal("three events gave more than one signal")
		default:
		}
		got := s.Take()
		if len(got) != 3 || got[2].(CapturesAdded).Summaries[0].ID != "c" {
			t.Fatalf("Take = %#v, want three events in order", got)
		}
		if len(s.Take()) != 0 {
			t.Fatal("Take did not empty the queue")
		}
	}
	b.Close()
	h.Publish(CapturesCleared{})
	if len(b.Take()) != 0 {
		t.Fatal("a closed subscription still queues")
	}
	if got := a.Take(); len(got) != 1 {
		t.Fatalf("open subscription got %d events, want 1", len(got))
	}
}

func TestHubBoundsAStalledSubscriber(t *testing.T) {
	h := NewHub()
	s := h.Subscribe()
	for i := 0; i < maxQueued+10; i++ {
		h.Publish(CaptureDeleted{ID: "x"})
	}
	got := s.Take()
	if len(got) > maxQueued {
		t.Fatalf("queue grew to %d, bound is %d", len(got), maxQueued)
	}
	if _, ok := got[0].(CapturesChanged); !ok {
		t.Fatalf("first event after overflow is %T, want CapturesChanged", got[0])
	}
}

// TestHubKeepsASendsAnswerPastTheBound: a stalled subscriber's queue
// overflowing with captures keeps the rarer events it holds (a send's
// answer: without it the composer's tab would wait for ever), and the
// captures become one "read again".
func TestHubKeepsASendsAnswerPastTheBound(t *testing.T) {
	h := NewHub()
	s := h.Subscribe()
	h.Publish(SendStarted{Tab: "t1"})
	h.Publish(SendFinished{Tab: "t1"})
	for i := 0; i < 3*maxQueued; i++ {
		h.Publish(CapturesAdded{Summaries: []capture.Summary{{ID: "x"}}})
	}
	h.Publish(HistoryChanged{})
	got := s.Take()
	if len(got) > maxQueued {
		t.Fatalf("queue grew to %d, bound is %d", len(got), maxQueued)
	}
	if len(got) < 3 {
		t.Fatalf("%d events left: %v", len(got), got)
	}
	if a, ok := got[0].(SendStarted); !ok || a.Tab != "t1" {
		t.Fatalf("first event %T %v, want the send's start", got[0], got[0])
	}
	if a, ok := got[1].(SendFinished); !ok || a.Tab != "t1" {
		t.Fatalf("second event %T %v, want the send's answer", got[1], got[1])
	}
	changed := false
	for _, e := range got[2:] {
		switch e.(type) {
		case CapturesChanged:
			changed = true
		case CapturesAdded:
			if !changed {
				t.Fatal("captures from before the overflow were kept as they were")
			}
		}
	}
	if !changed {
		t.Fatal("no CapturesChanged: the subscriber does not learn to read the store again")
	}
	if _, ok := got[len(got)-1].(HistoryChanged); !ok {
		t.Fatalf("last event %T, want the one published last", got[len(got)-1])
	}
}

// TestHubFloodOfOtherEventsStaysBounded: events that are not about the
// capture list fill the queue too (a flood of refusals); it stays
// within its bound, keeping the newest.
func TestHubFloodOfOtherEventsStaysBounded(t *testing.T) {
	h := NewHub()
	s := h.Subscribe()
	for i := 0; i < 3*maxQueued; i++ {
		h.Publish(CaptureRefused{Path: strconv.Itoa(i)})
	}
	got := s.Take()
	if len(got) > maxQueued {
		t.Fatalf("queue grew to %d, bound is %d", len(got), maxQueued)
	}
	if r, ok := got[len(got)-1].(CaptureRefused); !ok || r.Path != strconv.Itoa(3*maxQueued-1) {
		t.Fatalf("last event %v, want the newest refusal", got[len(got)-1])
	}
}
