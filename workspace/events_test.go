package workspace

import (
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
