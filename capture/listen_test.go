package capture

import (
	"strings"
	"testing"
)

func TestListenFallsBackWhenPortBusy(t *testing.T) {
	first, fellBack, err := Listen("127.0.0.1:0")
	if err != nil || fellBack {
		t.Fatalf("first listen: %v fellBack=%v", err, fellBack)
	}
	defer first.Close()
	second, fellBack, err := Listen(first.Addr().String())
	if err != nil {
		t.Fatalf("second listen on a busy port: %v", err)
	}
	defer second.Close()
	if !fellBack || second.Addr().String() == first.Addr().String() {
		t.Fatalf("expected a fallback port, got %s (fellBack=%v)", second.Addr(), fellBack)
	}
	if u := URLFor(second); !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasSuffix(u, "/") {
		t.Fatalf("URLFor = %q", u)
	}
	if _, _, err := Listen("not an address"); err == nil {
		t.Fatal("a bad address must be an error")
	}
}
