package workspace

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParseVerifyFlag: any --verify value is parsed or refused, and a
// refusal never repeats the secret.
func FuzzParseVerifyFlag(f *testing.F) {
	for _, s := range []string{"/stripe=stripe:whsec_abc", "/gh=github:s3cret", "/x=hmac-sha256:hex:X-Sig:k", "", "=", "/x=", "/x=nope:secret", "/x=stripe:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		ep, _, err := ParseVerifyFlag(v)
		if err != nil {
			_, spec, _ := strings.Cut(v, "=")
			scheme, secret, _ := strings.Cut(spec, ":")
			// The message may name the endpoint and the scheme (quoted, so
			// "\x00" and "00AA00" read "\x0000AA00"): a secret that shows
			// in them cannot be told apart there.
			first, _, _ := strings.Cut(v, "=")
			if strings.Contains(strconv.Quote(scheme), secret) || strings.Contains(strconv.Quote(first), secret) {
				return
			}
			if len(secret) >= 8 && strings.Contains(err.Error(), secret) {
				t.Fatalf("ParseVerifyFlag(%q): the message %q repeats the secret", v, err)
			}
			return
		}
		if first, _, _ := strings.Cut(v, "="); ep != verifyEndpoint(first) {
			t.Fatalf("ParseVerifyFlag(%q): endpoint %q", v, ep)
		}
	})
}
