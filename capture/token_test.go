package capture

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An exposed catcher answers a request from another computer without
// its token 401 before anything is stored; with the token (header or
// query) it stores it without the token. From this computer no token
// is asked.
func TestTokenCheckedBeforeStoring(t *testing.T) {
	store := NewMemoryStore(100, 1<<20)
	srv := NewServer(store)
	srv.Token = "s3cret"
	serve := func(target, remote string, header http.Header) int {
		req := httptest.NewRequest("POST", target, strings.NewReader(`{"a":1}`))
		req.RemoteAddr = remote
		for k, v := range header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code
	}
	count := func() int {
		n, err := store.Count(Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	const stranger = "192.0.2.9:4000"
	for _, c := range []struct {
		target string
		header http.Header
	}{
		{"/hook", nil},
		{"/hook?hooklab_token=wrong", nil},
		{"/hook?hooklab_token=s3cre", nil},
		{"/hook", http.Header{"X-Hooklab-Token": {"s3cret2"}}},
	} {
		if got := serve(c.target, stranger, c.header); got != http.StatusUnauthorized {
			t.Fatalf("%s %v: %d, want 401", c.target, c.header, got)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("%d captures stored without the token", n)
	}
	if got := serve("/hook?b=2&hooklab_token=s3cret&a=%zz", stranger, nil); got != http.StatusOK {
		t.Fatalf("token in the query: %d", got)
	}
	if got := serve("/hook", stranger, http.Header{"X-Hooklab-Token": {"s3cret"}}); got != http.StatusOK {
		t.Fatalf("token in the header: %d", got)
	}
	if got := serve("/local", "127.0.0.1:5000", nil); got != http.StatusOK {
		t.Fatalf("from this computer: %d", got)
	}
	if got := serve("/local6", "[::1]:5000", nil); got != http.StatusOK {
		t.Fatalf("from this computer over IPv6: %d", got)
	}
	// To one of its own network addresses, from it: this computer.
	req := httptest.NewRequest("POST", "/self", nil)
	req.RemoteAddr = "192.0.2.5:6000"
	req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.ParseIP("192.0.2.5"), Port: 8088}))
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("from this computer's network address: %d", rec.Code)
	}
	if n := count(); n != 5 {
		t.Fatalf("%d captures, want 5", n)
	}
	err := store.Scan(Filter{}, func(c *Capture) error {
		if strings.Contains(c.RawQuery, "s3cret") || c.Header.Get(TokenHeader) != "" {
			t.Errorf("%s kept the token: query %q, header %v", c.Path, c.RawQuery, c.Header)
		}
		if c.Path == "/hook" && c.RawQuery != "" && c.RawQuery != "b=2&a=%zz" {
			t.Errorf("query %q, want b=2&a=%%zz", c.RawQuery)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWithoutToken(t *testing.T) {
	head := []byte("GET /h?hooklab_token=x&a=1 HTTP/1.1\r\nHost: h\r\nx-hooklab-token: x\r\nB: 2\r\n")
	if got := string(withoutToken(head)); got != "GET /h?a=1 HTTP/1.1\r\nHost: h\r\nB: 2\r\n" {
		t.Fatalf("%q", got)
	}
	if got := string(withoutToken([]byte("GET /h?hooklab_token=x HTTP/1.1\r\n"))); got != "GET /h HTTP/1.1\r\n" {
		t.Fatalf("%q", got)
	}
	if got := withoutTokenParam("a=1&hooklab%5Ftoken=x&b"); got != "a=1&b" {
		t.Fatalf("%q", got)
	}
}
