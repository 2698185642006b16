package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

// delivery is one request as a test receiver saw it.
type delivery struct {
	header http.Header
	event  Event
}

// receiver is a webhook endpoint that answers each attempt with the status
// chosen by respond (given the event type and the attempt number for that
// type) and records the attempts.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	attempts map[string]int
	accepted []delivery
}

func newReceiver(t *testing.T, respond func(typ string, attempt int) int) *receiver {
	t.Helper()
	rc := &receiver{attempts: map[string]int{}}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			// The sandbox gave up on this attempt part way (it is
			// closing as the test ends): no delivery, nothing to check.
			return
		}
		var ev Event
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("receiver: decoding delivery: %v", err)
		}
		rc.mu.Lock()
		rc.attempts[ev.Type]++
		status := respond(ev.Type, rc.attempts[ev.Type])
		if status/100 == 2 {
			rc.accepted = append(rc.accepted, delivery{r.Header.Clone(), ev})
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) snapshot() (attempts map[string]int, accepted []delivery) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	attempts = make(map[string]int, len(rc.attempts))
	for k, v := range rc.attempts {
		attempts[k] = v
	}
	return attempts, append([]delivery(nil), rc.accepted...)
}

func alwaysOK(string, int) int { return http.StatusOK }

// logRecorder captures Options.Logf output.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logRecorder) matching(substr string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return out
}

// isClosed reports whether ch is closed, for poll.Until.
func isClosed(ch <-chan struct{}) func() bool {
	return func() bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
}

// newSandbox returns a Server with test-speed delays, closed at cleanup
// (before any receiver registered earlier is shut down).
func newSandbox(t *testing.T, opts Options) (*Server, *logRecorder) {
	t.Helper()
	logs := &logRecorder{}
	if opts.Logf == nil {
		opts.Logf = logs.logf
	}
	if opts.LogEvery == 0 {
		opts.LogEvery = -1 // every line: these tests count them
	}
	if opts.CreatedDelay == 0 {
		opts.CreatedDelay = 10 * time.Millisecond
	}
	if opts.SucceededDelay == 0 {
		opts.SucceededDelay = 30 * time.Millisecond
	}
	if opts.JobStepDelay == 0 {
		opts.JobStepDelay = 5 * time.Millisecond
	}
	if opts.PushDelay == 0 {
		opts.PushDelay = time.Millisecond
	}
	if opts.RetryBackoff == 0 {
		opts.RetryBackoff = 5 * time.Millisecond
	}
	s := New(opts)
	t.Cleanup(s.Close)
	return s, logs
}

// do serves one request on s and returns the response.
func do(t *testing.T, s *Server, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(method, target, strings.NewReader(body)))
	return rec
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %q: %v", rec.Body.String(), err)
	}
	return v
}

type errorBody struct {
	Error struct {
		Type    string  `json:"type"`
		Field   *string `json:"field"`
		Message string  `json:"message"`
	} `json:"error"`
}

func createPayment(t *testing.T, s *Server, callback string) Payment {
	t.Helper()
	rec := do(t, s, "POST", "/v1/payments", fmt.Sprintf(`{"amount":1200,"currency":"eur","callback_url":%q}`, callback))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: status %d, body %s", rec.Code, rec.Body)
	}
	return decode[Payment](t, rec)
}

func TestPaymentDeliversBothEventsInOrder(t *testing.T) {
	rc := newReceiver(t, alwaysOK)
	s, logs := newSandbox(t, Options{})
	api := httptest.NewServer(s)
	defer api.Close()

	// A text/plain Content-Type is tolerated on purpose.
	resp, err := http.Post(api.URL+"/v1/payments", "text/plain", strings.NewReader(
		`{"amount":1200,"currency":"EUR","callback_url":"`+rc.URL+`/hooks","description":"Order 42","metadata":{"order":"42"}}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d, body %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var p Payment
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.ID, "pay_") || len(p.ID) != len("pay_")+14 {
		t.Errorf("id %q is not pay_ + 14 characters", p.ID)
	}
	if loc := resp.Header.Get("Location"); loc != "/v1/payments/"+p.ID {
		t.Errorf("Location = %q", loc)
	}
	want := Payment{ID: p.ID, Object: "payment", Amount: 1200, Currency: "eur", Status: "pending",
		CallbackURL: rc.URL + "/hooks", Created: p.Created, Description: "Order 42", Metadata: map[string]string{"order": "42"}}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("payment = %+v, want %+v", p, want)
	}
	if time.Since(time.Unix(p.Created, 0)) > time.Minute {
		t.Errorf("created %d is not now", p.Created)
	}

	var accepted []delivery
	poll.Until(t, "two deliveries", func() bool { _, accepted = rc.snapshot(); return len(accepted) >= 2 })
	for i, typ := range []string{"payment.created", "payment.succeeded"} {
		d := accepted[i]
		if d.event.Type != typ {
			t.Fatalf("delivery %d is %s, want %s", i, d.event.Type, typ)
		}
		for h, want := range map[string]string{
			"Content-Type":       "application/json",
			"User-Agent":         UserAgent,
			"X-Hooklab-Event":    typ,
			"X-Hooklab-Delivery": d.event.ID,
		} {
			if got := d.header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", typ, h, got, want)
			}
		}
		if !strings.HasPrefix(d.event.ID, "evt_") || d.event.Object != "event" || d.event.Created == 0 {
			t.Errorf("%s: malformed event %+v", typ, d.event)
		}
		if d.event.Data.Object.ID != p.ID {
			t.Errorf("%s: data.object.id = %q, want %q", typ, d.event.Data.Object.ID, p.ID)
		}
	}
	if st := accepted[0].event.Data.Object.Status; st != "pending" {
		t.Errorf("payment.created carries status %q, want pending", st)
	}
	if st := accepted[1].event.Data.Object.Status; st != "succeeded" {
		t.Errorf("payment.succeeded carries status %q, want succeeded", st)
	}

	got := decode[Payment](t, do(t, s, "GET", "/v1/payments/"+p.ID, ""))
	if got.Status != "succeeded" {
		t.Errorf("GET after delivery: status %q, want succeeded", got.Status)
	}
	if lines := logs.matching(""); len(lines) != 0 {
		t.Errorf("unexpected delivery log: %q", lines)
	}
}

func TestCreateRejectsInvalidRequests(t *testing.T) {
	s, _ := newSandbox(t, Options{CreatedDelay: time.Hour})
	const cb = `"callback_url":"http://127.0.0.1:1/hooks"`
	tests := []struct {
		name, body, field string
	}{
		{"invalid JSON", `{"amount":`, ""},
		{"empty body", ``, ""},
		{"trailing garbage", `{"amount":1} x`, ""},
		{"array body", `[1,2]`, ""},
		{"null body", `null`, ""},
		{"missing amount", `{"currency":"eur",` + cb + `}`, "amount"},
		{"null amount", `{"amount":null,"currency":"eur",` + cb + `}`, "amount"},
		{"amount 0", `{"amount":0,"currency":"eur",` + cb + `}`, "amount"},
		{"amount -5", `{"amount":-5,"currency":"eur",` + cb + `}`, "amount"},
		{"amount 1.5", `{"amount":1.5,"currency":"eur",` + cb + `}`, "amount"},
		{"amount string", `{"amount":"12","currency":"eur",` + cb + `}`, "amount"},
		{"amount overflow", `{"amount":99999999999999999999,"currency":"eur",` + cb + `}`, "amount"},
		{"missing currency", `{"amount":1200,` + cb + `}`, "currency"},
		{"empty currency", `{"amount":1200,"currency":"",` + cb + `}`, "currency"},
		{"currency euro", `{"amount":1200,"currency":"euro",` + cb + `}`, "currency"},
		{"currency digits", `{"amount":1200,"currency":"e1r",` + cb + `}`, "currency"},
		{"currency number", `{"amount":1200,"currency":978,` + cb + `}`, "currency"},
		{"missing callback_url", `{"amount":1200,"currency":"eur"}`, "callback_url"},
		{"callback_url ftp", `{"amount":1200,"currency":"eur","callback_url":"ftp://x"}`, "callback_url"},
		{"callback_url not a url", `{"amount":1200,"currency":"eur","callback_url":"not a url"}`, "callback_url"},
		{"callback_url no host", `{"amount":1200,"currency":"eur","callback_url":"http://"}`, "callback_url"},
		{"callback_url bad escape", `{"amount":1200,"currency":"eur","callback_url":"http://x/%zz"}`, "callback_url"},
		{"description number", `{"amount":1200,"currency":"eur",` + cb + `,"description":5}`, "description"},
		{"metadata array", `{"amount":1200,"currency":"eur",` + cb + `,"metadata":["a"]}`, "metadata"},
		{"metadata number value", `{"amount":1200,"currency":"eur",` + cb + `,"metadata":{"n":1}}`, "metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s, "POST", "/v1/payments", tt.body)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", rec.Code, rec.Body)
			}
			e := decode[errorBody](t, rec).Error
			if e.Type != "invalid_request" {
				t.Errorf("type %q, want invalid_request", e.Type)
			}
			if e.Field == nil || *e.Field != tt.field {
				t.Errorf("field = %v, want %q; body %s", e.Field, tt.field, rec.Body)
			}
			if e.Message == "" {
				t.Error("empty message")
			}
		})
	}
	if list := decode[struct{ Data []Payment }](t, do(t, s, "GET", "/v1/payments", "")); len(list.Data) != 0 {
		t.Errorf("rejected requests stored %d payments", len(list.Data))
	}
}

func TestInvalidJSONNamesTheOffset(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	e := decode[errorBody](t, do(t, s, "POST", "/v1/payments", `{"amount": 12,,}`)).Error
	if !strings.Contains(e.Message, "not valid JSON") || !strings.Contains(e.Message, "byte 15") {
		t.Errorf("message %q should say the body is not valid JSON at byte 15", e.Message)
	}
}

func TestRetriedCreatedStillPrecedesSucceeded(t *testing.T) {
	rc := newReceiver(t, func(typ string, attempt int) int {
		if typ == "payment.created" && attempt <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	// succeeded falls due long before created's retries are over.
	s, logs := newSandbox(t, Options{CreatedDelay: time.Millisecond, SucceededDelay: 2 * time.Millisecond, RetryBackoff: 20 * time.Millisecond})
	p := createPayment(t, s, rc.URL)

	var accepted []delivery
	poll.Until(t, "two deliveries", func() bool { _, accepted = rc.snapshot(); return len(accepted) >= 2 })
	if accepted[0].event.Type != "payment.created" || accepted[1].event.Type != "payment.succeeded" {
		t.Fatalf("order %s, %s; want created then succeeded", accepted[0].event.Type, accepted[1].event.Type)
	}
	if accepted[0].event.Data.Object.ID != p.ID {
		t.Errorf("delivered payment %q, want %q", accepted[0].event.Data.Object.ID, p.ID)
	}
	attempts, _ := rc.snapshot()
	if attempts["payment.created"] != 3 || attempts["payment.succeeded"] != 1 {
		t.Errorf("attempts = %v, want created 3, succeeded 1", attempts)
	}
	failures := logs.matching("failed")
	if len(failures) != 2 {
		t.Fatalf("logged failures %q, want 2", failures)
	}
	for i, line := range failures {
		for _, want := range []string{accepted[0].event.ID, "payment.created", rc.URL, fmt.Sprintf("attempt %d/6", i+1), "500"} {
			if !strings.Contains(line, want) {
				t.Errorf("log line %q does not mention %q", line, want)
			}
		}
	}
}

func TestDeliveryGivesUpAfterFourAttempts(t *testing.T) {
	rc := newReceiver(t, func(string, int) int { return http.StatusBadGateway })
	s, logs := newSandbox(t, Options{CreatedDelay: time.Millisecond, SucceededDelay: time.Millisecond, MaxAttempts: 4})
	createPayment(t, s, rc.URL)

	poll.Until(t, "both give-ups", func() bool { return len(logs.matching("giving up")) == 2 })
	s.Close() // no further attempts can happen once Close returns
	attempts, accepted := rc.snapshot()
	if attempts["payment.created"] != 4 || attempts["payment.succeeded"] != 4 || len(accepted) != 0 {
		t.Errorf("attempts = %v, accepted %d; want 4 of each, none accepted", attempts, len(accepted))
	}
	giveUp := logs.matching("giving up on payment.created")
	if len(giveUp) != 1 || !strings.Contains(giveUp[0], rc.URL) || !strings.Contains(giveUp[0], "attempt 4/4") || !strings.Contains(giveUp[0], "502") {
		t.Errorf("give-up log %q should name the URL, attempt 4/4 and the 502", giveUp)
	}
	if n := len(logs.matching("retrying")); n != 6 {
		t.Errorf("%d retry lines, want 6 (3 per event)", n)
	}
}

func TestDeliveryToUnreachableReceiverIsLogged(t *testing.T) {
	rc := newReceiver(t, alwaysOK)
	dead := rc.URL
	rc.Close()
	s, logs := newSandbox(t, Options{CreatedDelay: time.Millisecond, SucceededDelay: time.Hour, MaxAttempts: 4})
	createPayment(t, s, dead)
	poll.Until(t, "give-up", func() bool { return len(logs.matching("giving up")) == 1 })
	if n := len(logs.matching("failed")); n != 4 {
		t.Errorf("%d failure lines, want 4: %q", n, logs.matching(""))
	}
}

func TestCloseCancelsPendingDeliveries(t *testing.T) {
	rc := newReceiver(t, alwaysOK)
	s, logs := newSandbox(t, Options{CreatedDelay: time.Millisecond, SucceededDelay: time.Hour})
	createPayment(t, s, rc.URL)
	poll.Until(t, "payment.created", func() bool { _, a := rc.snapshot(); return len(a) == 1 })

	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	poll.Until(t, "Close to return", isClosed(done))
	s.Close() // a second Close is harmless
	if attempts, _ := rc.snapshot(); attempts["payment.succeeded"] != 0 {
		t.Errorf("payment.succeeded delivered after Close: %v", attempts)
	}
	if lines := logs.matching(""); len(lines) != 0 {
		t.Errorf("cancellation was logged as failure: %q", lines)
	}
	rec := do(t, s, "POST", "/v1/payments", `{"amount":1,"currency":"eur","callback_url":"http://x"}`)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("create after Close: status %d, want 503", rec.Code)
	}
}

// Close ends a delivery in flight: the receiver sees the request
// cancelled (instead of the sandbox waiting for its answer), and Close
// returns without logging it as a failure.
func TestCloseAbortsInFlightDelivery(t *testing.T) {
	started, aborted, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body to EOF is what makes net/http watch for the
		// client hanging up and cancel r.Context().
		io.Copy(io.Discard, r.Body)
		close(started)
		select {
		case <-r.Context().Done():
			close(aborted)
		case <-release: // the test is over
		}
	}))
	defer hook.Close()
	defer close(release)
	s, logs := newSandbox(t, Options{CreatedDelay: time.Millisecond})
	createPayment(t, s, hook.URL)
	poll.Until(t, "the delivery to start", isClosed(started))
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	// The receiver never answers: only the sandbox hanging up ends it.
	poll.Until(t, "the delivery in flight to be cancelled", isClosed(aborted))
	poll.Until(t, "Close to return", isClosed(closed))
	if lines := logs.matching(""); len(lines) != 0 {
		t.Errorf("cancellation was logged as failure: %q", lines)
	}
}

func TestRoutingErrors(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tests := []struct {
		method, path string
		status       int
		allow, typ   string
	}{
		{"GET", "/nope", 404, "", "not_found"},
		{"GET", "/v1/payments/", 404, "", "not_found"},
		{"GET", "/v1/payments/pay_x/refunds", 404, "", "not_found"},
		{"DELETE", "/v1/payments", 405, "GET, HEAD, POST", "method_not_allowed"},
		{"PUT", "/v1/payments/pay_x", 405, "GET, HEAD", "method_not_allowed"},
		{"POST", "/", 405, "GET, HEAD", "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := do(t, s, tt.method, tt.path, "")
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
			if e := decode[errorBody](t, rec).Error; e.Type != tt.typ || e.Message == "" {
				t.Errorf("error %+v, want type %s with a message", e, tt.typ)
			}
		})
	}
}

func TestGetUnknownPayment(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	rec := do(t, s, "GET", "/v1/payments/pay_x", "")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d, want 404", rec.Code)
	}
	if e := decode[errorBody](t, rec).Error; e.Type != "not_found" || e.Message != "no payment pay_x" || e.Field != nil {
		t.Errorf("error %+v, want not_found \"no payment pay_x\" without field", e)
	}
}

func TestIndexDescribesEndpoints(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	rec := do(t, s, "GET", "/", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	doc := decode[struct {
		Name      string
		Version   string
		Endpoints []struct{ Method, Path string }
	}](t, rec)
	if doc.Name == "" || doc.Version == "" || len(doc.Endpoints) != 6 {
		t.Errorf("index %+v lacks name, version or endpoints", doc)
	}
}

func TestListNewestFirst(t *testing.T) {
	s, _ := newSandbox(t, Options{CreatedDelay: time.Hour})
	if rec := do(t, s, "GET", "/v1/payments", ""); rec.Body.String() != "{\n  \"object\": \"list\",\n  \"data\": []\n}\n" {
		t.Errorf("empty list = %q", rec.Body)
	}
	var ids []string
	for range 3 {
		ids = append(ids, createPayment(t, s, "http://127.0.0.1:1/").ID)
	}
	list := decode[struct {
		Object string
		Data   []Payment
	}](t, do(t, s, "GET", "/v1/payments", ""))
	if list.Object != "list" || len(list.Data) != 3 {
		t.Fatalf("list %+v, want 3 payments", list)
	}
	for i, p := range list.Data {
		if want := ids[len(ids)-1-i]; p.ID != want {
			t.Errorf("data[%d] = %s, want %s", i, p.ID, want)
		}
	}
}

func TestStoreKeepsNewest(t *testing.T) {
	st := newStore(150, maxStoredBytes)
	for i := range 200 {
		st.add(&Payment{ID: fmt.Sprint(i)})
	}
	if len(st.byID) != 150 || len(st.order) != 150 {
		t.Fatalf("store holds %d/%d payments, want 150", len(st.byID), len(st.order))
	}
	if _, ok := st.get("49"); ok {
		t.Error("oldest payment 49 not dropped")
	}
	if _, ok := st.get("50"); !ok {
		t.Error("payment 50 dropped too early")
	}
	list := st.newest(maxListed)
	if len(list) != maxListed || list[0].ID != "199" || list[99].ID != "100" {
		t.Errorf("newest: %d payments from %s to %s, want 100 from 199 to 100", len(list), list[0].ID, list[len(list)-1].ID)
	}
}

func TestBodyTooLarge(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	body := `{"amount":1,"currency":"eur","callback_url":"http://x","description":"` + strings.Repeat("x", 1<<20) + `"}`
	rec := do(t, s, "POST", "/v1/payments", body)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", rec.Code)
	}
	if e := decode[errorBody](t, rec).Error; e.Type != "request_too_large" || e.Message == "" {
		t.Errorf("error %+v", e)
	}
}

func TestIDsAreBase62(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := newID("pay_")
		if len(id) != 18 || strings.Trim(id[4:], base62) != "" || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}
