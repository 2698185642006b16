package forward

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestDrainDeliversWhatIsQueued: Drain takes no more captures but
// delivers those queued; Close after Drain cuts it short.
func TestDrainDeliversWhatIsQueued(t *testing.T) {
	gate := make(chan struct{})
	var delivered atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
		delivered.Add(1)
	}))
	defer srv.Close()
	var res results
	f := New([]Rule{rule(t, "/s="+srv.URL)}, Options{OnResult: res.add, Backoff: instant, Attempts: 1})
	for _, p := range []string{"/s/1", "/s/2", "/s/3"} {
		if !f.Enqueue(hook(p, "", "{}")) {
			t.Fatal("not taken")
		}
	}
	done := make(chan struct{})
	go func() { f.Drain(); close(done) }()
	close(gate)
	<-done
	if n := delivered.Load(); n != 3 {
		t.Fatalf("%d of the 3 queued captures delivered", n)
	}
	for _, r := range res.get() {
		if r.Err != "" {
			t.Errorf("result %+v", r)
		}
	}
	if f.Enqueue(hook("/s/late", "", "{}")) {
		t.Error("a drained forwarder took a capture")
	}

	// Close after Drain, on a target that never answers, returns.
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer stuck.Close()
	g := New([]Rule{rule(t, "/s="+stuck.URL)}, Options{Attempts: 1})
	g.Enqueue(hook("/s/x", "", "{}"))
	drained := make(chan struct{})
	go func() { g.Drain(); close(drained) }()
	g.Close()
	<-drained
}
