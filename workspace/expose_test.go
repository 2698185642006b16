package workspace

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"hooklab/capture"
)

func TestServeRefusesBeyondLoopbackWithoutExpose(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", ":0", "192.0.2.1:0"} {
		w := openTest(t, t.TempDir())
		_, err := w.Serve(ServeOptions{Addr: addr, SandboxAddr: "127.0.0.1:0", Logger: quiet})
		if err == nil || !strings.Contains(err.Error(), "--expose") {
			t.Fatalf("%s: %v, want a refusal saying --expose", addr, err)
		}
		if w.CatcherURL() != "" {
			t.Fatalf("%s: the catcher listens at %s", addr, w.CatcherURL())
		}
	}
	w := openTest(t, t.TempDir())
	_, err := w.Serve(ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "0.0.0.0:0", Expose: true, Logger: quiet})
	if err == nil || !strings.Contains(err.Error(), "only listens on this computer") {
		t.Fatalf("sandbox on 0.0.0.0: %v", err)
	}
}

func send(t *testing.T, method, url string, header http.Header) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// Exposed, a request without the token is answered 401 before anything
// is stored; with it (header or query), it is stored without the token.
func TestExposedCatcherWantsItsToken(t *testing.T) {
	w := openTest(t, t.TempDir())
	s, err := w.Serve(ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Expose: true, Token: "s3cret", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Exposed || s.Token != "s3cret" {
		t.Fatalf("serving %+v", s)
	}
	if e, ok := w.Exposure(); !ok || e.Token != "s3cret" {
		t.Fatalf("exposure %+v %v", e, ok)
	}
	count := func() int {
		n, err := w.Store().Count(capture.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		url    string
		header http.Header
	}{
		{s.CatcherURL + "hook", nil},
		{s.CatcherURL + "hook?hooklab_token=wrong", nil},
		{s.CatcherURL + "hook", http.Header{"X-Hooklab-Token": {"s3cre"}}},
	} {
		if got := send(t, "POST", c.url, c.header); got != http.StatusUnauthorized {
			t.Fatalf("%s %v: %d, want 401", c.url, c.header, got)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("%d captures stored from senders without the token", n)
	}
	if got := send(t, "POST", s.CatcherURL+"hook?b=2&hooklab_token=s3cret&a=1", nil); got != 200 {
		t.Fatalf("with the token in the query: %d", got)
	}
	if got := send(t, "POST", s.CatcherURL+"hook", http.Header{"X-Hooklab-Token": {"s3cret"}}); got != 200 {
		t.Fatalf("with the token in the header: %d", got)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d captures, want 2", n)
	}
	err = w.Store().Scan(capture.Filter{}, func(c *capture.Capture) error {
		if strings.Contains(c.RawQuery, "s3cret") || strings.Contains(string(c.Head), "s3cret") || c.Header.Get("X-Hooklab-Token") != "" {
			t.Errorf("the token was stored: query %q, head %q", c.RawQuery, c.Head)
		}
		if c.Head == nil {
			t.Errorf("no head recorded for %s", c.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.Store().List(capture.Filter{}, 0, 10)
	if err != nil || len(first) != 2 {
		t.Fatal(first, err)
	}
	c, err := w.Store().Get(first[len(first)-1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.RawQuery != "b=2&a=1" || !strings.HasPrefix(string(c.Head), "POST /hook?b=2&a=1 HTTP/1.1\r\n") {
		t.Fatalf("oldest capture: query %q, head %q", c.RawQuery, c.Head)
	}
}

func TestLANURLs(t *testing.T) {
	ifaces := func() ([]net.Addr, error) {
		return []net.Addr{
			&net.IPNet{IP: net.ParseIP("127.0.0.1"), Mask: net.CIDRMask(8, 32)},
			&net.IPNet{IP: net.ParseIP("192.168.1.20").To4(), Mask: net.CIDRMask(24, 32)},
			&net.IPNet{IP: net.ParseIP("fe80::1"), Mask: net.CIDRMask(64, 128)},
			&net.IPNet{IP: net.ParseIP("2001:db8::5"), Mask: net.CIDRMask(64, 128)},
			&net.IPNet{IP: net.ParseIP("::1"), Mask: net.CIDRMask(128, 128)},
		}, nil
	}
	for _, c := range []struct {
		bound net.IP
		want  string
	}{
		{net.IPv4zero, "http://192.168.1.20:8088/"},
		{net.IPv6unspecified, "http://192.168.1.20:8088/ http://[2001:db8::5]:8088/"},
		{net.ParseIP("192.168.1.20"), "http://192.168.1.20:8088/"},
	} {
		got := strings.Join(lanURLs(&net.TCPAddr{IP: c.bound, Port: 8088}, ifaces), " ")
		if got != c.want {
			t.Errorf("bound to %s: %q, want %q", c.bound, got, c.want)
		}
	}
	if u := localURL(&net.TCPAddr{IP: net.IPv6unspecified, Port: 8088}); u != "http://[::1]:8088/" {
		t.Errorf("local URL for [::]: %s", u)
	}
	if u := TokenURL("http://192.168.1.20:8088/", "a b"); u != "http://192.168.1.20:8088/?hooklab_token=a+b" {
		t.Errorf("token URL %s", u)
	}
}
