package signature

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The published vectors, checked against the documents they come from:
//   - GitHub, "Validating webhook deliveries": secret "It's a Secret to
//     Everybody", payload "Hello, World!".
//   - Standard Webhooks / Svix, the example in the specification and the
//     reference libraries' tests.
//
// Stripe, Shopify, Slack and the generic scheme have no vector this file
// could confirm; their cases are made with Sign and checked here against
// MACs computed independently (see TestSignMatchesStdlib).
func TestPublishedVectors(t *testing.T) {
	cases := []struct {
		name string
		c    Config
		h    http.Header
		body string
		now  time.Time
	}{
		{
			"github docs", Config{Scheme: GitHub, Secret: "It's a Secret to Everybody"},
			http.Header{"X-Hub-Signature-256": {"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}},
			"Hello, World!", time.Unix(0, 0),
		},
		{
			"standard webhooks spec", Config{Scheme: StandardWebhooks, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
			http.Header{
				"Webhook-Id":        {"msg_p5jXN8AQM9LWM0D4loKWxJek"},
				"Webhook-Timestamp": {"1614265330"},
				"Webhook-Signature": {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
			},
			`{"test": 2432232314}`, time.Unix(1614265330, 0),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Verify(tc.c, Input{Header: tc.h, Body: []byte(tc.body)}, tc.now)
			if !r.Valid {
				t.Fatalf("Verify = %v, want valid", r)
			}
			r = Verify(tc.c, Input{Header: tc.h, Body: []byte(tc.body + " ")}, tc.now)
			if r.Reason != Mismatch {
				t.Fatalf("altered body: %v, want %q", r, Mismatch)
			}
		})
	}
}

var signedAt = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func configs() []Config {
	return []Config{
		{Scheme: Stripe, Secret: "whsec_test_stripe"},
		{Scheme: GitHub, Secret: "gh-secret"},
		{Scheme: Shopify, Secret: "shpss_secret"},
		{Scheme: Slack, Secret: "slack-signing-secret"},
		{Scheme: StandardWebhooks, Secret: "whsec_c2VjcmV0LWtleS1ieXRlcw=="},
		{Scheme: HMAC, Secret: "k", Header: "X-Sig", Alg: "sha512", Enc: "base64", Prefix: "sha512="},
		{Scheme: HMAC, Secret: "k", Header: "X-Sig", Alg: "sha1"},
	}
}

func timed(s Scheme) bool { return s == Stripe || s == Slack || s == StandardWebhooks }

// sigHeader is the header each scheme's signature is in.
func sigHeader(c Config) string {
	switch c.Scheme {
	case Stripe:
		return "Stripe-Signature"
	case GitHub:
		return "X-Hub-Signature-256"
	case Shopify:
		return "X-Shopify-Hmac-Sha256"
	case Slack:
		return "X-Slack-Signature"
	case StandardWebhooks:
		return "webhook-signature"
	}
	return c.Header
}

func TestSchemes(t *testing.T) {
	body := []byte(`{"type":"payment.succeeded","id":"evt_1"}`)
	for _, c := range configs() {
		h, err := Sign(c, Message{ID: "msg_1", Time: signedAt, Body: body})
		if err != nil {
			t.Fatalf("%s: Sign: %v", c.Scheme, err)
		}
		wrong := c
		wrong.Secret = "whsec_d3JvbmcgYnV0IGJhc2U2NA==" // base64, so Standard Webhooks takes it
		malformed := h.Clone()
		malformed.Set(sigHeader(c), "%%%")
		missing := h.Clone()
		missing.Del(sigHeader(c))
		cases := []struct {
			name      string
			c         Config
			h         http.Header
			body      []byte
			truncated bool
			now       time.Time
			want      Reason
		}{
			{"valid", c, h, body, false, signedAt.Add(time.Minute), OK},
			{"wrong secret", wrong, h, body, false, signedAt, Mismatch},
			{"altered body", c, h, append(body[:len(body):len(body)], ' '), false, signedAt, Mismatch},
			{"truncated body", c, h, body[:10], true, signedAt, BodyIncomplete},
			{"malformed", c, malformed, body, false, signedAt, Malformed},
			{"missing", c, missing, body, false, signedAt, NoSignature},
		}
		if timed(c.Scheme) {
			cases = append(cases,
				struct {
					name      string
					c         Config
					h         http.Header
					body      []byte
					truncated bool
					now       time.Time
					want      Reason
				}{"stale", c, h, body, false, signedAt.Add(7 * time.Minute), Stale},
				struct {
					name      string
					c         Config
					h         http.Header
					body      []byte
					truncated bool
					now       time.Time
					want      Reason
				}{"tolerance off", Config{Scheme: c.Scheme, Secret: c.Secret, Tolerance: -1}, h, body, false, signedAt.Add(time.Hour), OK},
			)
		}
		for _, tc := range cases {
			t.Run(string(c.Scheme)+"/"+c.Alg+"/"+tc.name, func(t *testing.T) {
				r := Verify(tc.c, Input{Header: tc.h, Body: tc.body, Truncated: tc.truncated}, tc.now)
				if r.Reason != tc.want || r.Valid != (tc.want == OK) || r.Scheme != c.Scheme {
					t.Fatalf("Verify = %+v, want reason %q", r, tc.want)
				}
			})
		}
	}
}

func TestStaleSaysHowFar(t *testing.T) {
	c := Config{Scheme: Stripe, Secret: "s"}
	h, _ := Sign(c, Message{Time: signedAt, Body: []byte("x")})
	r := Verify(c, Input{Header: h, Body: []byte("x")}, signedAt.Add(7*time.Minute+12*time.Second))
	if r.Reason != Stale || r.Skew != 7*time.Minute+12*time.Second || !strings.Contains(r.Detail, "7m12s old") {
		t.Fatalf("got %+v", r)
	}
	r = Verify(c, Input{Header: h, Body: []byte("x")}, signedAt.Add(-6*time.Minute))
	if r.Reason != Stale || !strings.Contains(r.Detail, "6m0s in the future") {
		t.Fatalf("future: got %+v", r)
	}
	c.Tolerance = 10 * time.Minute
	if r := Verify(c, Input{Header: h, Body: []byte("x")}, signedAt.Add(7*time.Minute)); !r.Valid {
		t.Fatalf("10m tolerance: got %+v", r)
	}
}

// Several signatures: a sender rolling its secret signs with the old and
// the new one; either secret verifies.
func TestSeveralSignatures(t *testing.T) {
	body := []byte("payload")
	for _, s := range []Scheme{Stripe, StandardWebhooks} {
		oldC := Config{Scheme: s, Secret: "whsec_b2xkLXNlY3JldA=="}
		newC := Config{Scheme: s, Secret: "whsec_bmV3LXNlY3JldA=="}
		m := Message{ID: "msg_2", Time: signedAt, Body: body}
		h1, _ := Sign(oldC, m)
		h2, _ := Sign(newC, m)
		h := h1.Clone()
		switch s {
		case Stripe:
			_, v1, _ := strings.Cut(h2.Get("Stripe-Signature"), ",")
			h.Set("Stripe-Signature", h1.Get("Stripe-Signature")+","+v1+",v0=ignored")
		case StandardWebhooks:
			h.Set("webhook-signature", h1.Get("webhook-signature")+" v1a,c29tZQ== "+h2.Get("webhook-signature"))
		}
		for _, c := range []Config{oldC, newC} {
			if r := Verify(c, Input{Header: h, Body: body}, signedAt); !r.Valid {
				t.Errorf("%s %s: %+v", s, c.Secret, r)
			}
		}
		third := Config{Scheme: s, Secret: "whsec_dGhpcmQ="}
		if r := Verify(third, Input{Header: h, Body: body}, signedAt); r.Reason != Mismatch {
			t.Errorf("%s third secret: %+v", s, r)
		}
	}
}

func TestGitHubLegacySHA1(t *testing.T) {
	// HMAC-SHA1("k", "x") computed with crypto/hmac for this test.
	h := http.Header{"X-Hub-Signature": {"sha1=" + hexMAC("sha1", "k", "x")}}
	if r := Verify(Config{Scheme: GitHub, Secret: "k"}, Input{Header: h, Body: []byte("x")}, signedAt); !r.Valid {
		t.Fatalf("%+v", r)
	}
}

func TestSvixHeaders(t *testing.T) {
	c := Config{Scheme: StandardWebhooks, Secret: "whsec_c2VjcmV0"}
	h, _ := Sign(c, Message{ID: "m", Time: signedAt, Body: []byte("b")})
	svix := http.Header{}
	for k, v := range h {
		svix[strings.Replace(k, "Webhook-", "Svix-", 1)] = v
	}
	if r := Verify(c, Input{Header: svix, Body: []byte("b")}, signedAt); !r.Valid {
		t.Fatalf("%+v", r)
	}
}

func TestBadSecretAndScheme(t *testing.T) {
	h := http.Header{"Webhook-Signature": {"v1,AAAA"}}
	if r := Verify(Config{Scheme: StandardWebhooks, Secret: "whsec_!!"}, Input{Header: h}, signedAt); r.Reason != BadSecret {
		t.Errorf("%+v", r)
	}
	if r := Verify(Config{Scheme: "nope"}, Input{}, signedAt); r.Reason != UnknownScheme {
		t.Errorf("%+v", r)
	}
}
