package capture

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

// TestBodyBudgetSpentIs503: while bodies in flight hold the whole
// budget, a new sender is answered 503 with Retry-After and nothing is
// stored; once they are stored the budget is free again.
func TestBodyBudgetSpentIs503(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := NewServer(store)
	srv.Budget = NewBodyBudget(1000)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	// A sender holds a nearly complete body of 800 bytes.
	conn := dialRaw(t, strings.TrimPrefix(ts.URL, "http://"))
	if _, err := io.WriteString(conn, "POST /held HTTP/1.1\r\nHost: h\r\nContent-Length: 800\r\n\r\n"+strings.Repeat("a", 799)); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the held body to take its part of the budget", func() bool { return srv.Budget.InUse() == 800 })

	res, err := http.Post(ts.URL+"/next", "text/plain", strings.NewReader(strings.Repeat("b", 500)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "5" {
		t.Fatalf("over the budget: %d, Retry-After %q, %s; want 503 with Retry-After 5", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if n := mustCount(t, store, Filter{}); n != 0 {
		t.Fatalf("%d captures stored, want none yet", n)
	}

	// A chunked body grows past what is left and is refused too.
	res, err = http.Post(ts.URL+"/chunked", "text/plain", io.MultiReader(strings.NewReader(strings.Repeat("c", 300))))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("chunked over the budget: %d, want 503 with Retry-After", res.StatusCode)
	}

	if _, err := io.WriteString(conn, "a"); err != nil {
		t.Fatal(err)
	}
	held, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || held.StatusCode != 200 {
		t.Fatalf("held body: %v %v", held, err)
	}
	held.Body.Close()
	poll.Until(t, "the budget to be let go", func() bool { return srv.Budget.InUse() == 0 })
	status, _ := post(t, "POST", ts.URL+"/next", "text/plain", strings.NewReader(strings.Repeat("b", 500)))
	if status != 200 {
		t.Fatalf("after the budget was let go: %d", status)
	}
}

// TestBodyBudgetIsLetGoBeforeADelay: a rule's delay does not hold the
// body's part of the budget.
func TestBodyBudgetIsLetGoBeforeADelay(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := NewServer(store)
	srv.Budget = NewBodyBudget(1000)
	fire := make(chan time.Time)
	srv.after = func(time.Duration) <-chan time.Time { return fire }
	rules := &MemoryRules{}
	mustSetRule(t, rules, "/slow=200:delay=20s")
	srv.Rules = rules
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	done := make(chan int)
	go func() {
		res, err := http.Post(ts.URL+"/slow", "text/plain", strings.NewReader(strings.Repeat("a", 900)))
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	poll.Until(t, "the capture to be stored", func() bool { return mustCount(t, store, Filter{}) == 1 })
	poll.Until(t, "the budget to be let go during the delay", func() bool { return srv.Budget.InUse() == 0 })
	fire <- time.Now()
	if got := <-done; got != 200 {
		t.Fatalf("delayed answer %d", got)
	}
}

// TestOversizedBodySize: a body over the limit is recorded with its
// real size: the declared length, or what was counted of an undeclared
// one, said to be "more than" when counting stopped.
func TestOversizedBodySize(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := NewServer(store)
	srv.MaxBody = 1024
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	// Declared: 100 KiB, of which the catcher reads only the first KiB.
	_, a := post(t, "POST", ts.URL+"/declared", "text/plain", bytes.NewReader(make([]byte, 100<<10)))
	c, err := store.Get(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.BodySize != 100<<10 || len(c.Body) != 1024 || !c.Truncated {
		t.Fatalf("declared: size %d, kept %d, truncated %v; want size %d", c.BodySize, len(c.Body), c.Truncated, 100<<10)
	}
	// Undeclared, within the count: its size is what was sent.
	_, a = post(t, "POST", ts.URL+"/chunked", "text/plain", io.MultiReader(bytes.NewReader(make([]byte, 3000))))
	if c, _ = store.Get(a.ID); c == nil || c.BodySize != 3000 || !c.Truncated {
		t.Fatalf("chunked 3000: %+v", c)
	}
	// Undeclared, past the count: "more than".
	_, a = post(t, "POST", ts.URL+"/chunked", "text/plain", io.MultiReader(bytes.NewReader(make([]byte, 10000))))
	if c, _ = store.Get(a.ID); c == nil || c.BodySize != 5*1024+1 || !strings.Contains(a.Error, "more than 5121 bytes") {
		t.Fatalf("chunked 10000: size %d, answer %q; want 5121 and \"more than\"", c.BodySize, a.Error)
	}
}

// TestPanicInHandlerIsRecovered: a hook that panics costs its request a
// 500, OnPanic hears of it with the stack, and the next request is served.
func TestPanicInHandlerIsRecovered(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := NewServer(store)
	var panics atomic.Int32
	var stack atomic.Value
	srv.OnPanic = func(v any, st []byte) {
		panics.Add(1)
		stack.Store(string(st))
	}
	var first atomic.Bool
	srv.OnCapture = func(c *Capture) {
		if first.CompareAndSwap(false, true) {
			panic("injected")
		}
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	res, err := http.Post(ts.URL+"/boom", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("panicking request answered %d, want 500", res.StatusCode)
	}
	if panics.Load() != 1 || !strings.Contains(stack.Load().(string), "TestPanicInHandlerIsRecovered") {
		t.Fatalf("OnPanic told %d times, stack %q", panics.Load(), stack.Load())
	}
	if status, _ := post(t, "POST", ts.URL+"/after", "text/plain", strings.NewReader("y")); status != 200 {
		t.Fatalf("after a panic: %d", status)
	}
}
