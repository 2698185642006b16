package signature

import (
	"crypto/sha1" //nolint:gosec // GitHub's older X-Hub-Signature header is HMAC-SHA-1
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"
)

// StripeHeader is the parsed Stripe-Signature header.
type StripeHeader struct {
	Timestamp int64
	V1        [][]byte // every v1 signature (several while a secret is rolled)
}

// ParseStripe parses a Stripe-Signature value: comma-separated key=value
// pairs, one t, any number of v1 (hex); other keys (v0, the test-mode
// scheme) are skipped.
func ParseStripe(v string) (StripeHeader, error) {
	var h StripeHeader
	seenT := false
	for _, part := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return h, fmt.Errorf("%q is not key=value", part)
		}
		switch k {
		case "t":
			ts, ok := parseTimestamp(val)
			if !ok || seenT {
				return h, fmt.Errorf("bad or repeated timestamp %q", val)
			}
			h.Timestamp, seenT = ts, true
		case "v1":
			sig, err := hex.DecodeString(val)
			if err != nil || len(sig) != sha256.Size {
				return h, fmt.Errorf("v1 %q is not 64 hex digits", val)
			}
			h.V1 = append(h.V1, sig)
		}
	}
	switch {
	case !seenT:
		return h, fmt.Errorf("no t= timestamp")
	case len(h.V1) == 0:
		return h, fmt.Errorf("no v1= signature")
	}
	return h, nil
}

func verifyStripe(c Config, in Input, now time.Time) Result {
	v := in.Header.Get("Stripe-Signature")
	if v == "" {
		return Result{Reason: NoSignature, Detail: "Stripe-Signature is missing"}
	}
	h, err := ParseStripe(v)
	if err != nil {
		return Result{Reason: Malformed, Detail: "Stripe-Signature: " + err.Error()}
	}
	want := mac(sha256.New, []byte(c.Secret), fmt.Appendf(nil, "%d.", h.Timestamp), in.Body)
	// The signature is checked before the time: a stale request with a
	// wrong signature is first of all not authentic.
	if !anyEqual(want, h.V1) {
		r := checkTime(c, h.Timestamp, now)
		return Result{Reason: Mismatch, Skew: r.Skew}
	}
	return checkTime(c, h.Timestamp, now)
}

// ParsePrefixed reads a signature written as prefix followed by the
// encoded MAC ("sha256=<hex>", "v0=<hex>", plain base64), checking it has
// size bytes.
func ParsePrefixed(v, prefix, enc string, size int) ([]byte, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(v), prefix)
	if !ok {
		return nil, fmt.Errorf("does not start with %q", prefix)
	}
	var sig []byte
	var err error
	if enc == "base64" {
		sig, err = base64.StdEncoding.DecodeString(rest)
	} else {
		sig, err = hex.DecodeString(rest)
	}
	if err != nil {
		return nil, fmt.Errorf("not %s", enc)
	}
	if len(sig) != size {
		return nil, fmt.Errorf("%d bytes, want %d", len(sig), size)
	}
	return sig, nil
}

// verifyPlain checks a MAC of the body alone in one header.
func verifyPlain(secret string, in Input, header, prefix string, h func() hash.Hash, enc string) Result {
	v := in.Header.Get(header)
	if v == "" {
		return Result{Reason: NoSignature, Detail: header + " is missing"}
	}
	want := mac(h, []byte(secret), in.Body)
	got, err := ParsePrefixed(v, prefix, enc, len(want))
	if err != nil {
		return Result{Reason: Malformed, Detail: header + ": " + err.Error()}
	}
	if !anyEqual(want, [][]byte{got}) {
		return Result{Reason: Mismatch}
	}
	return Result{}
}

func verifyGitHub(c Config, in Input) Result {
	if in.Header.Get("X-Hub-Signature-256") == "" && in.Header.Get("X-Hub-Signature") != "" {
		// Only the legacy SHA-1 header: GitHub still sends it next to the
		// SHA-256 one, and some Git hosts send only it.
		return verifyPlain(c.Secret, in, "X-Hub-Signature", "sha1=", sha1.New, "hex")
	}
	return verifyPlain(c.Secret, in, "X-Hub-Signature-256", "sha256=", sha256.New, "hex")
}

func verifySlack(c Config, in Input, now time.Time) Result {
	v := in.Header.Get("X-Slack-Signature")
	if v == "" {
		return Result{Reason: NoSignature, Detail: "X-Slack-Signature is missing"}
	}
	tsText := in.Header.Get("X-Slack-Request-Timestamp")
	ts, ok := parseTimestamp(tsText)
	if !ok {
		return Result{Reason: Malformed, Detail: fmt.Sprintf("X-Slack-Request-Timestamp %q is not a Unix time", tsText)}
	}
	got, err := ParsePrefixed(v, "v0=", "hex", sha256.Size)
	if err != nil {
		return Result{Reason: Malformed, Detail: "X-Slack-Signature: " + err.Error()}
	}
	want := mac(sha256.New, []byte(c.Secret), []byte("v0:"+tsText+":"), in.Body)
	if !anyEqual(want, [][]byte{got}) {
		return Result{Reason: Mismatch, Skew: checkTime(c, ts, now).Skew}
	}
	return checkTime(c, ts, now)
}

// ParseStandard parses a webhook-signature value: space-separated
// "version,base64" entries. It returns the v1 (HMAC-SHA256) signatures;
// others (v1a, asymmetric) are skipped, and only they present is an error.
func ParseStandard(v string) ([][]byte, error) {
	var sigs [][]byte
	others := 0
	for _, entry := range strings.Fields(v) {
		ver, b64, ok := strings.Cut(entry, ",")
		if !ok {
			return nil, fmt.Errorf("%q is not version,signature", entry)
		}
		if ver != "v1" {
			others++
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(sig) != sha256.Size {
			return nil, fmt.Errorf("v1 signature %q is not 32 bytes of base64", b64)
		}
		sigs = append(sigs, sig)
	}
	if len(sigs) == 0 {
		if others > 0 {
			return nil, fmt.Errorf("no v1 signature (only other versions)")
		}
		return nil, fmt.Errorf("no signature")
	}
	return sigs, nil
}

// StandardKey decodes a Standard Webhooks secret: base64 after "whsec_"
// (a secret without the prefix is taken as base64 too, as the reference
// libraries do).
func StandardKey(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("the secret is not base64 after whsec_")
	}
	return key, nil
}

// standardHeader returns the Standard Webhooks header name, falling back
// to Svix's (the same scheme under its original names).
func standardHeader(in Input, name string) (string, string) {
	if v := in.Header.Get("webhook-" + name); v != "" {
		return "webhook-" + name, v
	}
	if v := in.Header.Get("svix-" + name); v != "" {
		return "svix-" + name, v
	}
	return "webhook-" + name, ""
}

func verifyStandard(c Config, in Input, now time.Time) Result {
	sigName, sigText := standardHeader(in, "signature")
	if sigText == "" {
		return Result{Reason: NoSignature, Detail: sigName + " is missing"}
	}
	key, err := StandardKey(c.Secret)
	if err != nil {
		return Result{Reason: BadSecret, Detail: err.Error()}
	}
	idName, id := standardHeader(in, "id")
	if id == "" {
		return Result{Reason: Malformed, Detail: idName + " is missing"}
	}
	tsName, tsText := standardHeader(in, "timestamp")
	ts, ok := parseTimestamp(tsText)
	if !ok {
		return Result{Reason: Malformed, Detail: fmt.Sprintf("%s %q is not a Unix time", tsName, tsText)}
	}
	sigs, err := ParseStandard(sigText)
	if err != nil {
		return Result{Reason: Malformed, Detail: sigName + ": " + err.Error()}
	}
	want := mac(sha256.New, key, []byte(id+"."+tsText+"."), in.Body)
	if !anyEqual(want, sigs) {
		return Result{Reason: Mismatch, Skew: checkTime(c, ts, now).Skew}
	}
	return checkTime(c, ts, now)
}
