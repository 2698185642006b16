// Package signature checks and makes the HMAC signatures webhook senders put
// in their headers: Stripe, GitHub, Shopify, Slack, Standard Webhooks and a
// generic HMAC header. It is a leaf (standard library only) so the catcher
// and the sandbox share one implementation.
//
// What a failed check can tell: an HMAC over a body made with a secret
// either matches or it does not, so a wrong secret and an altered body give
// the same answer, and Verify says so (Mismatch). It says BodyIncomplete
// only when something besides the HMAC shows the body is not the one that
// was signed: the catcher kept less of it than arrived.
package signature

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // generic HMAC senders still use SHA-1; HMAC-SHA-1 is not broken
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"net/http"
	"strconv"
	"time"
)

// Scheme names a signature scheme.
type Scheme string

// The schemes Verify and Sign know.
const (
	Stripe           Scheme = "stripe"
	GitHub           Scheme = "github"
	Shopify          Scheme = "shopify"
	Slack            Scheme = "slack"
	StandardWebhooks Scheme = "standard"
	HMAC             Scheme = "hmac"
)

// Schemes lists every scheme, in the order a settings list shows them.
var Schemes = []Scheme{Stripe, GitHub, Shopify, Slack, StandardWebhooks, HMAC}

// DefaultTolerance is how far a signed timestamp may be from now (either
// way) for Stripe, Slack and Standard Webhooks: what each of them documents.
const DefaultTolerance = 5 * time.Minute

// Config is one scheme with its secret, as a user sets it on an endpoint.
type Config struct {
	Scheme Scheme
	Secret string
	// Tolerance bounds the age of a signed timestamp; 0 is
	// DefaultTolerance, negative turns the check off.
	Tolerance time.Duration

	// The generic HMAC scheme's settings; the others ignore them.
	Header string // the header holding the signature
	Alg    string // "sha1", "sha256" (default) or "sha512"
	Enc    string // "hex" (default) or "base64"
	Prefix string // text before the signature in the header, such as "sha256="
}

// Reason says why a signature is not valid.
type Reason string

// The reasons a check fails. Valid results carry OK.
const (
	OK             Reason = ""
	NoSignature    Reason = "no signature header"
	Malformed      Reason = "header malformed"
	Mismatch       Reason = "signature does not match: wrong secret or body altered"
	BodyIncomplete Reason = "body altered: the catcher kept only part of it"
	Stale          Reason = "timestamp outside tolerance"
	BadSecret      Reason = "secret unusable"
	UnknownScheme  Reason = "unknown scheme"
)

// Result is the verdict on one request.
type Result struct {
	Scheme Scheme
	Valid  bool
	Reason Reason
	// Detail says more in plain words: which header is missing, what is
	// wrong with it, how far a timestamp is off.
	Detail string
	// Skew is now minus the signed timestamp (positive: in the past) for
	// schemes that sign one; 0 otherwise.
	Skew time.Duration
}

// String is the verdict as one short line: "valid", or the reason and
// its detail.
func (r Result) String() string {
	if r.Valid {
		return "valid"
	}
	if r.Detail == "" {
		return string(r.Reason)
	}
	return string(r.Reason) + ": " + r.Detail
}

func (c Config) tolerance() time.Duration {
	if c.Tolerance == 0 {
		return DefaultTolerance
	}
	return c.Tolerance
}

// Input is a request as Verify sees it.
type Input struct {
	Header http.Header
	Body   []byte
	// Truncated says the body is only the first part of what arrived
	// (the catcher's size limit): a signature over the whole cannot match,
	// and this is the one case in which Verify can say the body, not the
	// secret, is at fault.
	Truncated bool
}

// Verify checks the signature of in under c, as of now.
func Verify(c Config, in Input, now time.Time) Result {
	r := verify(c, in, now)
	r.Scheme = c.Scheme
	r.Valid = r.Reason == OK
	if r.Reason == Mismatch && in.Truncated {
		r.Reason = BodyIncomplete
	}
	return r
}

func verify(c Config, in Input, now time.Time) Result {
	switch c.Scheme {
	case Stripe:
		return verifyStripe(c, in, now)
	case GitHub:
		return verifyGitHub(c, in)
	case Shopify:
		return verifyPlain(c.Secret, in, "X-Shopify-Hmac-Sha256", "", sha256.New, "base64")
	case Slack:
		return verifySlack(c, in, now)
	case StandardWebhooks:
		return verifyStandard(c, in, now)
	case HMAC:
		if c.Header == "" {
			return Result{Reason: BadSecret, Detail: "generic HMAC needs a header name"}
		}
		alg, ok := hashes[orDefault(c.Alg, "sha256")]
		if !ok {
			return Result{Reason: BadSecret, Detail: fmt.Sprintf("unknown algorithm %q", c.Alg)}
		}
		enc := orDefault(c.Enc, "hex")
		if enc != "hex" && enc != "base64" {
			return Result{Reason: BadSecret, Detail: fmt.Sprintf("unknown encoding %q", c.Enc)}
		}
		return verifyPlain(c.Secret, in, c.Header, c.Prefix, alg, enc)
	}
	return Result{Reason: UnknownScheme, Detail: fmt.Sprintf("%q", c.Scheme)}
}

var hashes = map[string]func() hash.Hash{"sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// mac is HMAC(key, parts...).
func mac(h func() hash.Hash, key []byte, parts ...[]byte) []byte {
	m := hmac.New(h, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// anyEqual reports whether want equals one of got, comparing each in
// constant time (hmac.Equal) so timing says nothing of how much matched.
func anyEqual(want []byte, got [][]byte) bool {
	ok := false
	for _, g := range got {
		if hmac.Equal(want, g) {
			ok = true
		}
	}
	return ok
}

// checkTime compares a signed Unix timestamp with now.
func checkTime(c Config, ts int64, now time.Time) Result {
	skew := now.Sub(time.Unix(ts, 0))
	tol := c.tolerance()
	if tol < 0 || (skew <= tol && skew >= -tol) {
		return Result{Skew: skew}
	}
	when := skew.Round(time.Second).String() + " old"
	if skew < 0 {
		when = (-skew).Round(time.Second).String() + " in the future"
	}
	return Result{Reason: Stale, Skew: skew, Detail: fmt.Sprintf("signed %s, tolerance %s", when, tol)}
}

// parseTimestamp reads a Unix timestamp in seconds.
func parseTimestamp(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
