package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A callback to the cloud metadata address (or any host beyond this
// computer) is refused in the payment's own response, with how to allow
// it; nothing is delivered.
func TestCallbackBeyondLoopbackRefused(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	for _, path := range []string{"/v1/payments", "/v1/jobs", "/v1/repos/o/r/push"} {
		body := `{"amount":1200,"currency":"eur","callback_url":"http://169.254.169.254/latest/meta-data/"}`
		rec := do(t, s, "POST", path, body)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("%s: status %d, want 400: %s", path, rec.Code, rec.Body)
		}
		e := decode[errorBody](t, rec).Error
		if e.Field == nil || *e.Field != "callback_url" || !strings.Contains(e.Message, "169.254.169.254 is not allowed") ||
			!strings.Contains(e.Message, "--sandbox-allow-callback 169.254.169.254") {
			t.Fatalf("%s: error %+v", path, e)
		}
	}
	if rec := do(t, s, "GET", "/v1/payments", ""); strings.Contains(rec.Body.String(), "169.254") {
		t.Fatalf("a refused payment was kept: %s", rec.Body)
	}
}

// Loopback, the catcher's URLs and the hosts the user allowed are
// accepted.
func TestCallbackAllowed(t *testing.T) {
	s, _ := newSandbox(t, Options{AllowCallbacks: []string{"hooks.example.test"}})
	s.AllowCallbacksTo("http://192.0.2.7:8088/")
	for _, cb := range []string{"http://127.0.0.1:9/x", "http://localhost:9/", "http://[::1]:9/", "https://hooks.example.test/in", "http://192.0.2.7:8088/payments"} {
		rec := do(t, s, "POST", "/v1/jobs", `{"callback_url":"`+cb+`"}`)
		if rec.Code != http.StatusAccepted {
			t.Errorf("%s: status %d: %s", cb, rec.Code, rec.Body)
		}
	}
	// The catcher's host on another port is not the catcher.
	if rec := do(t, s, "POST", "/v1/jobs", `{"callback_url":"http://192.0.2.7:22/"}`); rec.Code != http.StatusBadRequest {
		t.Errorf("another port of the catcher's host: status %d", rec.Code)
	}
}

// The default client's dialer keeps to loopback even when a name that
// passed the check resolves elsewhere.
func TestCallbackDialerKeepsToLoopback(t *testing.T) {
	s := New(Options{Logf: func(string, ...any) {}})
	t.Cleanup(s.Close)
	if err := s.controlDial("tcp", "169.254.169.254:80", nil); err == nil {
		t.Fatal("the dialer would connect to 169.254.169.254")
	}
	if err := s.controlDial("tcp", "127.0.0.1:80", nil); err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL, nil)
	resp, err := s.opts.Client.Do(req)
	if err != nil {
		t.Fatalf("a loopback delivery failed: %v", err)
	}
	resp.Body.Close()
	if hits.Load() != 1 {
		t.Fatalf("%d deliveries arrived", hits.Load())
	}
}
