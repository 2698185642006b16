package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

// TestStoreCapsBytes: payments are kept up to a size as well as a
// count; the newest one is always kept.
func TestStoreCapsBytes(t *testing.T) {
	st := newStore(10_000, 3<<20)
	big := strings.Repeat("d", 1<<20)
	for i := range 10 {
		st.add(&Payment{ID: fmt.Sprintf("pay_%d", i), Description: big})
	}
	if len(st.order) != 2 || st.bytes > 3<<20 {
		t.Fatalf("kept %d payments of %d bytes, want 2 within 3 MiB", len(st.order), st.bytes)
	}
	if _, ok := st.get("pay_9"); !ok {
		t.Fatal("the newest payment was dropped")
	}
	huge := &Payment{ID: "pay_huge", Description: strings.Repeat("h", 4<<20)}
	st.add(huge)
	if _, ok := st.get("pay_huge"); !ok || len(st.order) != 1 {
		t.Fatalf("a payment larger than the cap alone: kept %d", len(st.order))
	}
	if st.bytes != huge.size() {
		t.Fatalf("bytes %d, want %d", st.bytes, huge.size())
	}
}

// TestDeliveredPaymentLeavesItsBodyBehind: once payment.created went
// out, the delivery goroutine no longer holds the payment's description
// and metadata: a payment evicted meanwhile succeeds without them.
func TestDeliveredPaymentLeavesItsBodyBehind(t *testing.T) {
	evicted := make(chan struct{})
	var s *Server
	var once sync.Once
	rc := newReceiver(t, func(typ string, _ int) int {
		if typ == eventCreated {
			once.Do(func() {
				// Evict the payment while its created event is delivered.
				s.mu.Lock()
				s.payments = newStore(1, 1<<20)
				s.payments.add(&Payment{ID: "pay_other"})
				s.mu.Unlock()
				close(evicted)
			})
		}
		return http.StatusOK
	})
	s, _ = newSandbox(t, Options{CreatedDelay: time.Millisecond, SucceededDelay: time.Millisecond})
	rec := do(t, s, "POST", "/v1/payments", fmt.Sprintf(`{"amount":1200,"currency":"eur","callback_url":%q,"description":"a long one","metadata":{"k":"v"}}`, rc.URL))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	<-evicted
	var accepted []delivery
	poll.Until(t, "both events", func() bool { _, accepted = rc.snapshot(); return len(accepted) == 2 })
	created, succeeded := accepted[0].event.Data.Object, accepted[1].event.Data.Object
	if created.Description != "a long one" || created.Metadata["k"] != "v" {
		t.Fatalf("payment.created carries %+v", created)
	}
	if succeeded.Status != statusSucceeded || succeeded.Description != "" || succeeded.Metadata != nil || succeeded.ID != created.ID {
		t.Fatalf("payment.succeeded of an evicted payment carries %+v", succeeded)
	}
}

// TestDeliveryLogIsRateLimited: within an interval only the first
// failure is written; one summary line counts the others.
func TestDeliveryLogIsRateLimited(t *testing.T) {
	logs := &logRecorder{}
	l := newLogLimiter(logs.logf, 5*time.Second)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	var scheduled []func()
	l.after = func(d time.Duration, fn func()) {
		if d <= 0 || d > 5*time.Second {
			t.Errorf("summary scheduled in %v", d)
		}
		scheduled = append(scheduled, fn)
	}
	for i := range 4016 {
		l.printf("sandbox: delivery of payment.created evt_%d to http://dead/ failed (attempt 1/6): refused", i)
		now = now.Add(time.Millisecond)
	}
	if got := logs.matching(""); len(got) != 1 || !strings.Contains(got[0], "evt_0 ") {
		t.Fatalf("before the interval ended: %q", got)
	}
	if len(scheduled) != 1 {
		t.Fatalf("%d summaries scheduled, want 1", len(scheduled))
	}
	now = now.Add(5 * time.Second)
	scheduled[0]()
	got := logs.matching("")
	if len(got) != 2 || !strings.Contains(got[1], "4015 more delivery log lines since 10:00:00") || !strings.Contains(got[1], "evt_4015 ") {
		t.Fatalf("summary %q", got)
	}
	// Past the interval, the next line is written at once.
	now = now.Add(6 * time.Second)
	l.printf("sandbox: giving up on x")
	if got := logs.matching(""); len(got) != 3 || got[2] != "sandbox: giving up on x" {
		t.Fatalf("after the interval: %q", got)
	}
	// Close writes what is counted.
	l.printf("sandbox: one more")
	l.stop()
	if got := logs.matching("1 more delivery log line"); len(got) != 1 {
		t.Fatalf("stop wrote %q", logs.matching(""))
	}
}

// TestPendingDeliveriesAreBounded: payments whose payment.created is
// not delivered yet (a callback that fails, retried) hold their bytes
// until it is; past PendingBytes a new payment is refused 503 with
// Retry-After, and taken again once deliveries let go.
func TestPendingDeliveriesAreBounded(t *testing.T) {
	var mu sync.Mutex
	failing := true
	rc := newReceiver(t, func(string, int) int {
		mu.Lock()
		defer mu.Unlock()
		if failing {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	s, _ := newSandbox(t, Options{CreatedDelay: time.Millisecond, SucceededDelay: time.Millisecond, RetryBackoff: time.Millisecond,
		MaxAttempts: 1000, PendingBytes: 3 << 19})
	desc := strings.Repeat("d", 1<<19)
	create := func() int {
		return do(t, s, "POST", "/v1/payments", fmt.Sprintf(`{"amount":1,"currency":"eur","callback_url":%q,"description":%q}`, rc.URL, desc)).Code
	}
	codes := []int{create(), create(), create(), create()}
	if codes[0] != http.StatusCreated || codes[1] != http.StatusCreated || codes[2] != http.StatusServiceUnavailable || codes[3] != http.StatusServiceUnavailable {
		t.Fatalf("codes %v: want two payments of 512 KiB taken and the rest refused within 1.5 MiB pending", codes)
	}
	rec := do(t, s, "POST", "/v1/payments", `{"amount":1,"currency":"eur","callback_url":"`+rc.URL+`","description":"`+desc+`"}`)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "not delivered yet") {
		t.Fatalf("refusal: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	mu.Lock()
	failing = false
	mu.Unlock()
	poll.Until(t, "the pending deliveries let go", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.pending == 0
	})
	if code := create(); code != http.StatusCreated {
		t.Fatalf("after the deliveries went out: %d", code)
	}
}
