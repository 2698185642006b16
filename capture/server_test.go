package capture

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

func post(t *testing.T, method, url, ctype string, body io.Reader) (int, ack) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("X-Test", "yes")
	req.Header.Add("X-Multi", "a")
	req.Header.Add("X-Multi", "b")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a ack
	if method != http.MethodHead {
		if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
			t.Fatalf("ack is not JSON: %v", err)
		}
	}
	return res.StatusCode, a
}

func TestServerCapturesAnyMethodAndPath(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	cases := []struct {
		method, path, query, body string
	}{
		{"POST", "/stripe/events", "a=1&a=2&b=x%20y", `{"type":"payment.succeeded"}`},
		{"PUT", "/", "", "plain"},
		{"PATCH", "/deep/nested/path", "", ""},
		{"DELETE", "/x", "k=v", ""},
		{"GET", "/github", "", ""},
		{"OPTIONS", "/opt", "", ""},
		{"CUSTOM", "/custom-method", "", "body"},
	}
	for _, tc := range cases {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			url := srv.URL + tc.path
			if tc.query != "" {
				url += "?" + tc.query
			}
			status, a := post(t, tc.method, url, "application/json; charset=utf-8", strings.NewReader(tc.body))
			if status != 200 || !a.OK || !strings.HasPrefix(a.ID, "cap_") {
				t.Fatalf("got %d %+v, want 200 ok with a cap_ id", status, a)
			}
			c, err := store.Get(a.ID)
			if err != nil {
				t.Fatalf("capture %s not in store", a.ID)
			}
			if c.Method != tc.method || c.Path != tc.path || c.RawQuery != tc.query || string(c.Body) != tc.body {
				t.Errorf("stored %s %s ?%s %q", c.Method, c.Path, c.RawQuery, c.Body)
			}
			if c.Header.Get("X-Test") != "yes" || len(c.Header.Values("X-Multi")) != 2 {
				t.Errorf("headers not kept: %v", c.Header)
			}
			if c.Status != 200 || c.BodySize != int64(len(tc.body)) || c.Truncated {
				t.Errorf("status %d size %d truncated %v", c.Status, c.BodySize, c.Truncated)
			}
			if s := c.Summary(); s.ContentType != "application/json" {
				t.Errorf("content type %q", s.ContentType)
			}
		})
	}
	if n, _ := store.Count(Filter{}); n != len(cases) {
		t.Fatalf("store has %d, want %d", n, len(cases))
	}
	list, _ := store.List(Filter{}, 0, 100)
	if list[0].Method != "CUSTOM" || list[len(list)-1].Method != "POST" {
		t.Errorf("list is not newest first: %v … %v", list[0].Method, list[len(list)-1].Method)
	}
}

func TestServerBodyLimit(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	exact := bytes.Repeat([]byte("a"), DefaultMaxBody)
	status, a := post(t, "POST", srv.URL+"/exact", "text/plain", bytes.NewReader(exact))
	if status != 200 {
		t.Fatalf("a body of exactly the limit got %d", status)
	}
	if c, _ := store.Get(a.ID); c == nil || c.Truncated || int64(len(c.Body)) != DefaultMaxBody {
		t.Fatalf("exact body: truncated=%v len=%d", c.Truncated, len(c.Body))
	}

	over := bytes.Repeat([]byte("b"), DefaultMaxBody+12345)
	status, a = post(t, "POST", srv.URL+"/over", "text/plain", bytes.NewReader(over))
	if status != http.StatusRequestEntityTooLarge || a.OK || a.ID == "" || a.Error == "" {
		t.Fatalf("over limit: got %d %+v, want 413 with id and error", status, a)
	}
	c, err := store.Get(a.ID)
	if err != nil {
		t.Fatal("over-limit capture not recorded")
	}
	if !c.Truncated || int64(len(c.Body)) != DefaultMaxBody || c.BodySize != int64(len(over)) || c.Status != 413 {
		t.Fatalf("over limit stored: truncated=%v kept=%d size=%d status=%d", c.Truncated, len(c.Body), c.BodySize, c.Status)
	}
	var recorded ack
	if err := json.Unmarshal(c.RespBody, &recorded); err != nil || recorded != a {
		t.Fatalf("recorded answer %s, sent %+v", c.RespBody, a)
	}
	if c.RespHeader.Get("Connection") != "close" || c.RespHeader.Get("Content-Type") != "application/json" {
		t.Fatalf("recorded headers %v", c.RespHeader)
	}
}

func TestServerConcurrentSenders(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	const senders, each = 16, 25
	ids := make(chan string, senders*each)
	var wg sync.WaitGroup
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				body := fmt.Sprintf(`{"g":%d,"i":%d}`, g, i)
				res, err := http.Post(srv.URL+"/load", "application/json", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				var a ack
				_ = json.NewDecoder(res.Body).Decode(&a)
				res.Body.Close()
				ids <- a.ID
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
		if _, err := store.Get(id); err != nil {
			t.Fatalf("acknowledged id %s not stored", id)
		}
	}
	if n, _ := store.Count(Filter{}); n != senders*each {
		t.Fatalf("stored %d, want %d", n, senders*each)
	}
}

func TestServerOnCaptureBeforeAck(t *testing.T) {
	store := NewMemoryStore(0, 0)
	s := NewServer(store)
	var got []string
	s.OnCapture = func(c *Capture) { got = append(got, c.ID) }
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/hook?x=1", strings.NewReader("hi")))
	var a ack
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != a.ID {
		t.Fatalf("OnCapture got %v, ack id %s", got, a.ID)
	}
}

// countingRules is a RuleStore that counts reads, to show the catcher
// does not read rules per request.
type countingRules struct {
	MemoryRules
	reads atomic.Int32
	err   error  // returned by Rules when set
	extra []Rule // returned as stored, bypassing SetRule's validation
}

func (c *countingRules) Rules() ([]Rule, error) {
	c.reads.Add(1)
	if c.err != nil {
		return nil, c.err
	}
	rules, _ := c.MemoryRules.Rules()
	return append(rules, c.extra...), nil
}

func mustSetRule(t *testing.T, rs RuleStore, spec string) {
	t.Helper()
	r, err := ParseRespond(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.SetRule(r); err != nil {
		t.Fatal(err)
	}
}

func TestServerDefaultRuleAckAndRecordedResponse(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	res, err := http.Post(srv.URL+"/anything", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var a ack
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	if want := `{"ok":true,"id":"` + a.ID + `"}`; res.StatusCode != 200 || string(body) != want {
		t.Fatalf("got %d %s, want 200 %s", res.StatusCode, body, want)
	}
	if res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("content type %q", res.Header.Get("Content-Type"))
	}
	c, err := store.Get(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != 200 || string(c.RespBody) != string(body) || c.RespHeader.Get("Content-Type") != "application/json" {
		t.Fatalf("recorded %d %v %s", c.Status, c.RespHeader, c.RespBody)
	}
}

func TestServerAnswersByRule(t *testing.T) {
	store := NewMemoryStore(0, 0)
	rules := &MemoryRules{}
	mustSetRule(t, rules, "/github=202")
	mustSetRule(t, rules, "/=201")
	mustSetRule(t, rules, `/stripe=500:body={"received":true,"delivery":"{{request.header.x-delivery}}"}`)
	if err := rules.SetRule(Rule{Endpoint: "teapot", Status: 418, Header: http.Header{
		"Content-Type": {"text/plain"}, "X-Capture": {"{{capture.id}}"},
	}, Body: "short and stout"}); err != nil {
		t.Fatal(err)
	}
	s := NewServer(store)
	s.Rules = rules
	srv := httptest.NewServer(s)
	defer srv.Close()

	cases := []struct {
		path       string
		wantStatus int
		wantBody   string // "{ack}" for the default acknowledgement
		wantCT     string
	}{
		{"/github", 202, "{ack}", "application/json"},
		{"/github/push/deep", 202, "{ack}", "application/json"},
		{"/", 201, "{ack}", "application/json"},
		{"/stripe/events?x=1", 500, `{"received":true,"delivery":"d-7"}`, "application/json"},
		{"/teapot", 418, "short and stout", "text/plain"},
		{"/unruled", 200, "{ack}", "application/json"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+tc.path, strings.NewReader("{}"))
			req.Header.Set("X-Delivery", "d-7")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tc.wantStatus || res.Header.Get("Content-Type") != tc.wantCT {
				t.Fatalf("got %d %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			caps, _ := store.List(Filter{}, 0, 1)
			c, _ := store.Get(caps[0].ID)
			want := tc.wantBody
			if want == "{ack}" {
				want = `{"ok":true,"id":"` + c.ID + `"}`
			}
			if string(body) != want {
				t.Fatalf("body %s, want %s", body, want)
			}
			if c.Status != tc.wantStatus || string(c.RespBody) != want || c.RespHeader.Get("Content-Type") != tc.wantCT {
				t.Fatalf("recorded %d %v %s", c.Status, c.RespHeader, c.RespBody)
			}
			if tc.path == "/teapot" && (res.Header.Get("X-Capture") != c.ID || c.RespHeader.Get("X-Capture") != c.ID) {
				t.Fatalf("X-Capture %q, recorded %q, want %s", res.Header.Get("X-Capture"), c.RespHeader.Get("X-Capture"), c.ID)
			}
		})
	}
}

func TestServerCachesRulesUntilReload(t *testing.T) {
	store := NewMemoryStore(0, 0)
	rules := &countingRules{}
	mustSetRule(t, rules, "/hook=202")
	s := NewServer(store)
	s.Rules = rules
	srv := httptest.NewServer(s)
	defer srv.Close()

	// Concurrent first requests load the rules once between them.
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, _ := post(t, "POST", srv.URL+"/hook", "", nil); status != 202 {
				t.Errorf("status %d, want 202", status)
			}
		}()
	}
	wg.Wait()
	if n := rules.reads.Load(); n != 1 {
		t.Fatalf("rules read %d times for 16 requests, want 1", n)
	}

	mustSetRule(t, rules, "/hook=503")
	if status, _ := post(t, "POST", srv.URL+"/hook", "", nil); status != 202 {
		t.Fatalf("status %d before ReloadRules, want the cached 202", status)
	}
	if err := s.ReloadRules(); err != nil {
		t.Fatal(err)
	}
	if status, _ := post(t, "POST", srv.URL+"/hook", "", nil); status != 503 {
		t.Fatalf("status %d after ReloadRules, want 503", status)
	}
	if err := rules.DeleteRule("hook"); err != nil {
		t.Fatal(err)
	}
	if err := s.ReloadRules(); err != nil {
		t.Fatal(err)
	}
	if status, _ := post(t, "POST", srv.URL+"/hook", "", nil); status != 200 {
		t.Fatalf("status %d after the rule was deleted, want the default 200", status)
	}
	if n := rules.reads.Load(); n != 3 {
		t.Fatalf("rules read %d times, want 3 (first use and two reloads)", n)
	}
}

func TestServerReloadRulesErrors(t *testing.T) {
	rules := &countingRules{extra: []Rule{{Endpoint: "broken", Status: 42}}}
	mustSetRule(t, rules, "/good=202")
	s := NewServer(NewMemoryStore(0, 0))
	s.Rules = rules
	err := s.ReloadRules()
	if err == nil || !strings.Contains(err.Error(), `"broken"`) || !strings.Contains(err.Error(), "status") {
		t.Fatalf("error %v, want one naming the broken endpoint and its status", err)
	}
	serve := func(path string) int {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("POST", path, nil))
		return rec.Code
	}
	if serve("/good") != 202 || serve("/broken") != 200 {
		t.Fatalf("good %d broken %d, want 202 and the default 200", serve("/good"), serve("/broken"))
	}

	rules.err = errors.New("database is locked")
	if err := s.ReloadRules(); err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Fatalf("error %v, want the store's", err)
	}
	if serve("/good") != 202 {
		t.Fatal("a failed reload dropped the rules in use")
	}

	// A store that fails at first use serves defaults and is not retried
	// per request.
	fresh := NewServer(NewMemoryStore(0, 0))
	fresh.Rules = rules
	before := rules.reads.Load()
	for range 3 {
		rec := httptest.NewRecorder()
		fresh.ServeHTTP(rec, httptest.NewRequest("POST", "/good", nil))
		if rec.Code != 200 {
			t.Fatalf("status %d, want the default 200", rec.Code)
		}
	}
	if n := rules.reads.Load() - before; n != 1 {
		t.Fatalf("failing store read %d times for 3 requests, want 1", n)
	}
}

// eventLog records what happened, in order, from any goroutine.
type eventLog struct {
	mu   sync.Mutex
	list []string
}

func (l *eventLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, fmt.Sprintf(format, args...))
}

func (l *eventLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.list)
}

func (l *eventLog) String() string { return fmt.Sprintf("events: %q", l.get()) }

// loggedStore logs each Add once the store has it.
type loggedStore struct {
	Store
	log *eventLog
}

func (s loggedStore) Add(c *Capture) error {
	err := s.Store.Add(c)
	s.log.add("stored %s (err %v)", c.Path, err)
	return err
}

// TestServerDelayHonouredAfterStore: a rule's delay starts only once the
// capture is stored, and the answer waits for it. The test owns the
// delay's timer, so it checks the order of events, not the clock.
func TestServerDelayHonouredAfterStore(t *testing.T) {
	var events eventLog
	store := NewMemoryStore(0, 0)
	rules := &MemoryRules{}
	mustSetRule(t, rules, "/slow=202:delay=150ms")
	s := NewServer(loggedStore{store, &events})
	s.Rules = rules
	fire := make(chan time.Time)
	s.after = func(d time.Duration) <-chan time.Time {
		events.add("delay %s started", d)
		return fire
	}
	srv := httptest.NewServer(s)
	defer srv.Close()

	type answer struct {
		status int
		ack    ack
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		var a answer
		res, err := http.Post(srv.URL+"/slow", "text/plain", strings.NewReader("x"))
		if a.err = err; err == nil {
			a.status = res.StatusCode
			a.err = json.NewDecoder(res.Body).Decode(&a.ack)
			res.Body.Close()
		}
		events.add("answered %d", a.status)
		answered <- a
	}()

	poll.Until(t, "the delay to start", func() bool { return len(events.get()) >= 2 }, events.String)
	if got, want := events.get(), []string{"stored /slow (err <nil>)", "delay 150ms started"}; !slices.Equal(got, want) {
		t.Fatalf("events before the timer fired: %q, want %q", got, want)
	}
	list, err := store.List(Filter{}, 0, 10)
	if err != nil || len(list) != 1 || list[0].Status != 202 {
		t.Fatalf("stored while the answer waits: %+v, %v", list, err)
	}
	events.add("timer fired")
	fire <- testEpoch
	var a answer
	poll.Until(t, "the answer", func() bool {
		select {
		case a = <-answered:
			return true
		default:
			return false
		}
	}, events.String)
	if a.err != nil || a.status != 202 || a.ack.ID != list[0].ID {
		t.Fatalf("answer %d %+v %v, want 202 for %s", a.status, a.ack, a.err, list[0].ID)
	}
	if got, want := events.get(), []string{"stored /slow (err <nil>)", "delay 150ms started", "timer fired", "answered 202"}; !slices.Equal(got, want) {
		t.Fatalf("events %q, want %q", got, want)
	}
}

func TestServerDelayCancelledWhenSenderHangsUp(t *testing.T) {
	store := NewMemoryStore(0, 0)
	rules := &MemoryRules{}
	mustSetRule(t, rules, `/slow=503:delay=30s:body={"id":"{{capture.id}}"}`)
	s := NewServer(store)
	s.Rules = rules
	var delays atomic.Int32
	s.after = func(time.Duration) <-chan time.Time {
		delays.Add(1)
		return nil // never fires: only the sender hanging up ends the wait
	}
	returned := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/slow", strings.NewReader("payload"))
	sent := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		sent <- err
	}()

	// The capture, with the answer it will get, is stored before the delay.
	var c *Capture
	poll.Until(t, "the capture stored while the answer is delayed", func() bool {
		if list, _ := store.List(Filter{}, 0, 1); len(list) == 1 {
			c, _ = store.Get(list[0].ID)
		}
		return c != nil
	})
	if c.Status != 503 || string(c.RespBody) != `{"id":"`+c.ID+`"}` || string(c.Body) != "payload" {
		t.Fatalf("stored %d %s %s", c.Status, c.RespBody, c.Body)
	}
	select {
	case <-returned:
		t.Fatal("handler answered before the delay")
	default:
	}

	cancel()
	if err := <-sent; err == nil {
		t.Fatal("the cancelled request got an answer")
	}
	poll.Until(t, "the handler to return after the sender hung up", func() bool {
		select {
		case <-returned:
			return true
		default:
			return false
		}
	})
	if n := delays.Load(); n != 1 {
		t.Fatalf("%d delays started, want 1", n)
	}
}

func TestServerBodylessAnswers(t *testing.T) {
	store := NewMemoryStore(0, 0)
	rules := &MemoryRules{}
	mustSetRule(t, rules, "/empty=204")
	s := NewServer(store)
	s.Rules = rules
	srv := httptest.NewServer(s)
	defer srv.Close()

	for _, tc := range []struct{ method, path string }{{"POST", "/empty"}, {"HEAD", "/x"}} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		list, _ := store.List(Filter{}, 0, 1)
		c, _ := store.Get(list[0].ID)
		if len(body) != 0 || c.RespBody != nil || c.Status != res.StatusCode {
			t.Fatalf("%s %s: answered %d %q, recorded %d %q", tc.method, tc.path, res.StatusCode, body, c.Status, c.RespBody)
		}
	}
}

type failingStore struct{ *MemoryStore }

func (failingStore) Add(*Capture) error { return errors.New("disk full") }

func TestServerStoreFailure(t *testing.T) {
	srv := NewServer(failingStore{NewMemoryStore(0, 0)})
	var told []string
	srv.SetStoreErrorHandler(func(c *Capture, err error) { told = append(told, c.Path+": "+err.Error()) })
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("POST", "/x", strings.NewReader("a")))
	var a ack
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 503 || a.OK || !strings.Contains(a.Error, "disk full") {
		t.Fatalf("got %d %+v, want 503 naming the store's error", rec.Code, a)
	}
	if len(told) != 1 || told[0] != "/x: disk full" {
		t.Fatalf("store error handler told %q, want the refused capture once", told)
	}
	srv.SetStoreErrorHandler(nil)
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/y", strings.NewReader("a")))
	if len(told) != 1 {
		t.Fatalf("a removed handler was still told: %q", told)
	}
}

// dialRaw opens a plain connection to addr, closed when the test ends,
// with a deadline so a hung exchange fails instead of hanging.
func dialRaw(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	return conn
}

// rawExchange writes req to the catcher over a plain connection and
// returns the response it reads, for requests net/http's client would
// not send as written.
func rawExchange(t *testing.T, addr, req string) (*http.Response, []byte) {
	t.Helper()
	conn := dialRaw(t, addr)
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func capturedFrom(t *testing.T, store Store, body []byte) *Capture {
	t.Helper()
	var a ack
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("answer %q is not an ack: %v", body, err)
	}
	c, err := store.Get(a.ID)
	if err != nil {
		t.Fatalf("acked id %q not stored", a.ID)
	}
	return c
}

func TestServerRawSenders(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()
	addr := srv.Listener.Addr().String()

	cases := []struct {
		name, req           string
		wantProto, wantHost string
		wantMethod          string
		wantBody            string
	}{
		{"chunked", "POST /chunked HTTP/1.1\r\nHost: h.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
			"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "HTTP/1.1", "h.test", "POST", "hello world"},
		{"http/1.0", "POST /old?v=1 HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello", "HTTP/1.0", "", "POST", "hello"},
		{"http/1.0 get", "GET /old HTTP/1.0\r\n\r\n", "HTTP/1.0", "", "GET", ""},
		{"no body", "GET /nobody HTTP/1.1\r\nHost: h.test\r\nConnection: close\r\n\r\n", "HTTP/1.1", "h.test", "GET", ""},
		{"zero length", "POST /zero HTTP/1.1\r\nHost: h.test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "HTTP/1.1", "h.test", "POST", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := rawExchange(t, addr, tc.req)
			if res.StatusCode != 200 {
				t.Fatalf("status %d %s", res.StatusCode, body)
			}
			c := capturedFrom(t, store, body)
			if c.Proto != tc.wantProto || c.Host != tc.wantHost || c.Method != tc.wantMethod ||
				string(c.Body) != tc.wantBody || c.BodySize != int64(len(tc.wantBody)) || c.Truncated {
				t.Fatalf("stored %s %s host %q body %q size %d truncated %v", c.Method, c.Proto, c.Host, c.Body, c.BodySize, c.Truncated)
			}
			if res.Proto != tc.wantProto {
				t.Errorf("answered with %s to a %s sender", res.Proto, tc.wantProto)
			}
		})
	}
}

func TestServerExpectContinue(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	conn := dialRaw(t, srv.Listener.Addr().String())
	br := bufio.NewReader(conn)
	io.WriteString(conn, "POST /expect HTTP/1.1\r\nHost: h.test\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n")
	// The body goes only after the interim answer, as curl does.
	interim, err := http.ReadResponse(br, nil)
	if err != nil || interim.StatusCode != http.StatusContinue {
		t.Fatalf("interim answer %v %v, want 100 Continue", interim, err)
	}
	io.WriteString(conn, "payload")
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	c := capturedFrom(t, store, body)
	if res.StatusCode != 200 || string(c.Body) != "payload" || c.Header.Get("Expect") != "100-continue" {
		t.Fatalf("got %d, stored body %q header %v", res.StatusCode, c.Body, c.Header)
	}
}

func TestServerSenderGoneMidBody(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	conn := dialRaw(t, srv.Listener.Addr().String())
	io.WriteString(conn, "POST /cut HTTP/1.1\r\nHost: h.test\r\nContent-Length: 100\r\n\r\nonly ten b")
	conn.(*net.TCPConn).CloseWrite()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	c := capturedFrom(t, store, body)
	if res.StatusCode != 400 || c.Status != 400 || !c.Truncated || string(c.Body) != "only ten b" {
		t.Fatalf("answered %d, stored %d truncated=%v body %q", res.StatusCode, c.Status, c.Truncated, c.Body)
	}
	if string(c.RespBody) != string(body) || c.RespHeader.Get("Content-Type") != "application/json" {
		t.Fatalf("recorded answer %v %s, sent %s", c.RespHeader, c.RespBody, body)
	}
}
