package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/capture/signature"
	"hooklab/workspace/poll"
)

// rawReceiver keeps each delivery's headers and exact bytes, which a
// signature covers.
type rawReceiver struct {
	*httptest.Server
	mu  sync.Mutex
	got []signature.Input
}

func newRawReceiver(t *testing.T) *rawReceiver {
	rc := &rawReceiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, signature.Input{Header: r.Header.Clone(), Body: body})
		rc.mu.Unlock()
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *rawReceiver) deliveries() []signature.Input {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]signature.Input(nil), rc.got...)
}

func postPayment(t *testing.T, api, callback string) {
	t.Helper()
	resp, err := http.Post(api+"/v1/payments", "application/json",
		strings.NewReader(`{"amount":100,"currency":"eur","callback_url":"`+callback+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d", resp.StatusCode)
	}
}

func TestDeliveriesAreSigned(t *testing.T) {
	now := time.Unix(1700000000, 0)
	for _, scheme := range []signature.Scheme{"", signature.Stripe} {
		t.Run(string(scheme), func(t *testing.T) {
			rc := newRawReceiver(t)
			s, _ := newSandbox(t, Options{Signing: scheme, Now: func() time.Time { return now }})
			api := httptest.NewServer(s)
			defer api.Close()
			cfg := s.Signing()
			if want := scheme; want == "" && cfg.Scheme != signature.StandardWebhooks || want != "" && cfg.Scheme != want {
				t.Fatalf("signing scheme %q", cfg.Scheme)
			}
			if !strings.HasPrefix(cfg.Secret, "whsec_") {
				t.Fatalf("secret %q", cfg.Secret)
			}
			if other := New(Options{}); other.Signing().Secret == cfg.Secret {
				t.Fatal("two sandboxes share a secret")
			} else {
				other.Close()
			}

			postPayment(t, api.URL, rc.URL+"/payments")
			poll.Until(t, "two deliveries", func() bool { return len(rc.deliveries()) == 2 })
			s.Tamper()
			postPayment(t, api.URL, rc.URL+"/payments")
			poll.Until(t, "four deliveries", func() bool { return len(rc.deliveries()) == 4 })

			got := rc.deliveries()
			for i, in := range got {
				r := signature.Verify(cfg, in, now)
				want := signature.OK
				if i == 2 {
					// The one after Tamper: payment.created of the second payment.
					want = signature.Mismatch
				}
				if r.Reason != want {
					t.Errorf("delivery %d: %+v, want %q", i, r, want)
				}
			}
			wrong := cfg
			wrong.Secret = "whsec_d3Jvbmc="
			if r := signature.Verify(wrong, got[0], now); r.Reason != signature.Mismatch {
				t.Errorf("another secret: %+v", r)
			}
		})
	}
}
