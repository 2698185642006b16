package capture

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hooklab/capture/signature"
)

// The catcher works out the event type and the signature verdict as a
// capture arrives; both reach the summary, the JSON line and the exports.
func TestServerEventAndVerdict(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := NewServer(store)
	now := time.Unix(1700000000, 0)
	srv.Now = func() time.Time { return now }
	cfg := signature.Config{Scheme: signature.Stripe, Secret: "whsec_test"}
	srv.Verify = func(c *Capture) *Verdict {
		if Endpoint(c.Path) != "stripe" {
			return nil
		}
		return VerdictOf(signature.Verify(cfg, signature.Input{Header: c.Header, Body: c.Body, Truncated: c.Truncated}, now))
	}
	body := []byte(`{"type":"charge.succeeded"}`)
	sig, err := signature.Sign(cfg, signature.Message{Time: now, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	post := func(path string, h http.Header, body []byte) {
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		for k, v := range h {
			req.Header[k] = v
		}
		req.Header.Set("Content-Type", "application/json")
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	post("/stripe", sig, body)
	post("/stripe", sig, []byte(`{"type":"charge.refunded"}`))
	post("/stripe", nil, body)
	post("/other", nil, []byte(`{"action":"opened"}`))

	list, err := store.List(Filter{}, 0, 10)
	if err != nil || len(list) != 4 {
		t.Fatalf("%d captures, %v", len(list), err)
	}
	// Newest first.
	want := []struct {
		event   string
		verdict string
	}{{"opened", ""}, {"charge.succeeded", "not signed"}, {"charge.refunded", "invalid: " + string(signature.Mismatch)}, {"charge.succeeded", "valid"}}
	for i, w := range want {
		if list[i].Event != w.event || list[i].Signature.String() != w.verdict {
			t.Errorf("capture %d: event %q verdict %q, want %q %q", i, list[i].Event, list[i].Signature.String(), w.event, w.verdict)
		}
	}
	if n, _ := store.Count(Filter{Event: "Charge.Succeeded"}); n != 2 {
		t.Errorf("event filter matched %d, want 2", n)
	}
	if m, decided := (Filter{Event: "opened"}).MatchSummary(list[1]); m || !decided {
		t.Errorf("MatchSummary on another event: %v %v", m, decided)
	}

	var jl bytes.Buffer
	if _, err := WriteJSONL(&jl, store, Filter{Endpoint: "stripe"}); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(jl.String(), "\n")
	var line map[string]any
	if err := json.Unmarshal([]byte(first), &line); err != nil {
		t.Fatal(err)
	}
	sigField, _ := line["signature"].(map[string]any)
	if line["event"] != "charge.succeeded" || sigField["scheme"] != "stripe" || sigField["valid"] != true || sigField["reason"] != "" {
		t.Errorf("JSON line: %s", first)
	}
	var har bytes.Buffer
	if _, err := WriteHAR(&har, store, Filter{Endpoint: "other"}, "test"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(har.String(), `"_event":"opened"`) || strings.Contains(har.String(), `"_signature"`) {
		t.Errorf("HAR: %s", har.String())
	}
	if strings.Contains(jl.String()+har.String(), "whsec_test") {
		t.Error("an export holds the secret")
	}
}
