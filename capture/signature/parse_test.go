package signature

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the generic scheme's SHA-1
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"net/http"
	"strings"
	"testing"
	"time"
)

func hexMAC(alg, key, msg string) string {
	h := map[string]func() hash.Hash{"sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New}[alg]
	m := hmac.New(h, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// Sign's headers match MACs computed here straight from crypto/hmac, over
// the signed text each scheme documents.
func TestSignMatchesStdlib(t *testing.T) {
	m := Message{ID: "msg_9", Time: time.Unix(1700000000, 0), Body: []byte(`{"a":1}`)}
	cases := []struct {
		c      Config
		header string
		want   string
	}{
		{Config{Scheme: Stripe, Secret: "whsec_x"}, "Stripe-Signature", "t=1700000000,v1=" + hexMAC("sha256", "whsec_x", `1700000000.{"a":1}`)},
		{Config{Scheme: GitHub, Secret: "g"}, "X-Hub-Signature-256", "sha256=" + hexMAC("sha256", "g", `{"a":1}`)},
		{Config{Scheme: Slack, Secret: "s"}, "X-Slack-Signature", "v0=" + hexMAC("sha256", "s", `v0:1700000000:{"a":1}`)},
		{Config{Scheme: HMAC, Secret: "h", Header: "X-Sig", Alg: "sha1", Prefix: "sha1="}, "X-Sig", "sha1=" + hexMAC("sha1", "h", `{"a":1}`)},
	}
	for _, tc := range cases {
		h, err := Sign(tc.c, m)
		if err != nil || h.Get(tc.header) != tc.want {
			t.Errorf("%s: %s = %q (%v), want %q", tc.c.Scheme, tc.header, h.Get(tc.header), err, tc.want)
		}
	}
}

func TestParseStripe(t *testing.T) {
	sig := strings.Repeat("ab", 32)
	good := []string{"t=1,v1=" + sig, "t=1, v1=" + sig + ",v1=" + sig + ",v0=zz"}
	bad := []string{"", "t=1", "v1=" + sig, "t=x,v1=" + sig, "t=1,t=2,v1=" + sig, "t=1,v1=abc", "t=1,junk"}
	for _, v := range good {
		if _, err := ParseStripe(v); err != nil {
			t.Errorf("ParseStripe(%q): %v", v, err)
		}
	}
	for _, v := range bad {
		if _, err := ParseStripe(v); err == nil {
			t.Errorf("ParseStripe(%q) accepted", v)
		}
	}
}

func TestParseStandard(t *testing.T) {
	sig := "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
	if s, err := ParseStandard("v1," + sig + "  v1a,xyz v1," + sig); err != nil || len(s) != 2 {
		t.Errorf("got %d, %v", len(s), err)
	}
	for _, v := range []string{"", "v1a,xyz", "v1", "v1,AAAA", "v1,%%%"} {
		if _, err := ParseStandard(v); err == nil {
			t.Errorf("ParseStandard(%q) accepted", v)
		}
	}
}

func TestParseSpec(t *testing.T) {
	good := map[string]Config{
		"stripe:whsec_a:b":        {Scheme: Stripe, Secret: "whsec_a:b"},
		"GitHub:s":                {Scheme: GitHub, Secret: "s"},
		"slack,tolerance=10m:s":   {Scheme: Slack, Secret: "s", Tolerance: 10 * time.Minute},
		"stripe,tolerance=off:s":  {Scheme: Stripe, Secret: "s", Tolerance: -1},
		"standard:whsec_c2VjcmV0": {Scheme: StandardWebhooks, Secret: "whsec_c2VjcmV0"},
		"shopify:x":               {Scheme: Shopify, Secret: "x"},
		"hmac,header=X-Sig,alg=SHA512,enc=base64,prefix=sha512=:k": {Scheme: HMAC, Secret: "k", Header: "X-Sig", Alg: "sha512", Enc: "base64", Prefix: "sha512="},
	}
	for spec, want := range good {
		got, err := ParseSpec(spec)
		if err != nil || got != want {
			t.Errorf("ParseSpec(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
	for _, spec := range []string{"stripe", "stripe:", "nope:s", "hmac:s", "github,header=X:s", "hmac,header=X,alg=md5:s",
		"stripe,tolerance=soon:s", "standard:notbase64!", "stripe,bogus=1:s", "stripe,tolerance:s"} {
		if _, err := ParseSpec(spec); err == nil {
			t.Errorf("ParseSpec(%q) accepted", spec)
		} else if strings.Contains(err.Error(), "notbase64") {
			t.Errorf("ParseSpec(%q) error shows the secret: %v", spec, err)
		}
	}
}

// The fuzz targets check that no header text makes a parser or Verify
// panic, and that what Sign makes always verifies.

func FuzzParseStripe(f *testing.F) {
	for _, s := range []string{"t=1,v1=" + strings.Repeat("ab", 32), "t=,v1=", ",,,", "t=1=2", "v0=x,t=9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h, err := ParseStripe(v)
		if err == nil && len(h.V1) == 0 {
			t.Fatalf("%q: no error and no signature", v)
		}
		Verify(Config{Scheme: Stripe, Secret: "s"}, Input{Header: http.Header{"Stripe-Signature": {v}}}, signedAt)
	})
}

func FuzzParseStandard(f *testing.F) {
	for _, s := range []string{"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1a,x v1,y", " ", "v1,,"} {
		f.Add(s, "1614265330", "msg_1")
	}
	f.Fuzz(func(t *testing.T, sig, ts, id string) {
		if s, err := ParseStandard(sig); err == nil && len(s) == 0 {
			t.Fatalf("%q: no error and no signature", sig)
		}
		h := http.Header{"Webhook-Signature": {sig}, "Webhook-Timestamp": {ts}, "Webhook-Id": {id}}
		Verify(Config{Scheme: StandardWebhooks, Secret: "whsec_c2VjcmV0"}, Input{Header: h}, signedAt)
	})
}

func FuzzParsePrefixed(f *testing.F) {
	for _, s := range []string{"sha256=" + strings.Repeat("0", 64), "v0=zz", "=", "c2VjcmV0"} {
		f.Add(s, "1700000000")
	}
	f.Fuzz(func(t *testing.T, v, ts string) {
		h := http.Header{"X-Hub-Signature-256": {v}, "X-Hub-Signature": {v}, "X-Shopify-Hmac-Sha256": {v},
			"X-Slack-Signature": {v}, "X-Slack-Request-Timestamp": {ts}, "X-Sig": {v}}
		for _, c := range configs() {
			if r := Verify(c, Input{Header: h}, signedAt); r.Valid && c.Scheme != HMAC {
				t.Fatalf("%s accepted %q", c.Scheme, v)
			}
		}
	})
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"stripe:whsec_x", "hmac,header=X,alg=sha1,enc=hex,prefix=p=:k", "standard:whsec_c2VjcmV0", "slack,tolerance=1m:s", ":", ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		c, err := ParseSpec(spec)
		if err != nil {
			return
		}
		body := []byte(spec)
		h, err := Sign(c, Message{ID: "id", Time: signedAt, Body: body})
		if err != nil {
			t.Fatalf("ParseSpec(%q) accepted a config Sign refuses: %v", spec, err)
		}
		if r := Verify(c, Input{Header: h, Body: body}, signedAt); !r.Valid {
			t.Fatalf("ParseSpec(%q): own signature does not verify: %+v", spec, r)
		}
	})
}
