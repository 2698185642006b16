package workspace

import (
	"reflect"
	"testing"

	"hooklab/requester"
)

func TestVars(t *testing.T) {
	for _, tc := range []struct {
		catcher, sandbox string
		want             requester.Vars
	}{
		{"http://127.0.0.1:8088/", "http://127.0.0.1:8089/", requester.Vars{"webhook_url": "http://127.0.0.1:8088/", "sandbox_url": "http://127.0.0.1:8089"}},
		{"http://[::1]:9000/", "http://[::1]:9001", requester.Vars{"webhook_url": "http://[::1]:9000/", "sandbox_url": "http://[::1]:9001"}},
	} {
		if got := Vars(tc.catcher, tc.sandbox); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Vars(%q, %q) = %v, want %v", tc.catcher, tc.sandbox, got, tc.want)
		}
	}
	want := requester.Vars{"webhook_url": "http://127.0.0.1:8088/", "sandbox_url": "http://127.0.0.1:8089"}
	if got := DefaultVars(); !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultVars() = %v, want %v", got, want)
	}
	w := openTest(t, t.TempDir())
	if got := w.Vars(); !reflect.DeepEqual(got, want) {
		t.Errorf("Vars before Serve = %v, want the defaults", got)
	}
}
