package capture

import (
	"strings"
	"testing"
)

// FuzzParseRespond: any --respond value is parsed or refused with a
// message naming the flag; a parsed rule is valid and keeps its endpoint.
func FuzzParseRespond(f *testing.F) {
	for _, s := range []string{"/github=202", "/github=500:delay=2s", "/=201", `/stripe=200:body={"received":true}`,
		"", "=", "/a/b=200", "/x=abc", "/x=200:delay=", "/x=200:delay=1s:delay=2s", "/x=200:foo=1", "/x=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		r, err := ParseRespond(spec)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "--respond ") {
				t.Fatalf("ParseRespond(%q): message %q does not name the flag", spec, err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("ParseRespond(%q) returned an invalid rule: %v", spec, err)
		}
		if path, _, _ := strings.Cut(spec, "="); r.Endpoint != Endpoint(path) {
			t.Fatalf("ParseRespond(%q): endpoint %q is not the one given", spec, r.Endpoint)
		}
	})
}
