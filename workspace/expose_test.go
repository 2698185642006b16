package workspace

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
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

// LANIP returns an IPv4 address of this computer that is not loopback,
// for a test to reach an exposed catcher as another computer would;
// the test is skipped where there is none.
func LANIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
				return n.IP.String()
			}
		}
	}
	t.Skip("no network address other than loopback")
	return ""
}

// Exposed, a request from the network without the token is answered 401
// before anything is stored; with it (header or query), it is stored
// without the token. This computer (the sandbox, the composer, replays)
// needs none, whichever of its addresses it sends to.
func TestExposedCatcherWantsItsToken(t *testing.T) {
	ip := LANIP(t)
	w := openTest(t, t.TempDir())
	s, err := w.Serve(ServeOptions{Addr: ip + ":0", SandboxAddr: "127.0.0.1:0", Expose: true, Token: "s3cret", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Exposed || s.Token != "s3cret" || len(s.LANURLs) != 1 || !strings.HasPrefix(s.LANURLs[0], "http://"+ip+":") {
		t.Fatalf("serving %+v", s)
	}
	if e, ok := w.Exposure(); !ok || e.Token != "s3cret" || e.URLs[0] != s.LANURLs[0] {
		t.Fatalf("exposure %+v %v", e, ok)
	}
	count := func() int {
		n, err := w.Store().Count(capture.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Another computer: the request as net/http hands it to the
	// catcher, from an address that is not this computer's.
	stranger := func(target string, header http.Header) int {
		req := httptest.NewRequest("POST", target, strings.NewReader(`{"a":1}`))
		req.RemoteAddr = "192.0.2.200:5000"
		for k, v := range header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		w.services().catcher.ServeHTTP(rec, req)
		return rec.Code
	}
	for _, c := range []struct {
		target string
		header http.Header
	}{
		{"/hook", nil},
		{"/hook?hooklab_token=wrong", nil},
		{"/hook", http.Header{"X-Hooklab-Token": {"s3cre"}}},
	} {
		if got := stranger(c.target, c.header); got != http.StatusUnauthorized {
			t.Fatalf("%s %v: %d, want 401", c.target, c.header, got)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("%d captures stored from senders without the token", n)
	}
	if got := stranger("/hook?b=2&hooklab_token=s3cret&a=1", nil); got != 200 {
		t.Fatalf("with the token in the query: %d", got)
	}
	if got := stranger("/hook", http.Header{"X-Hooklab-Token": {"s3cret"}}); got != 200 {
		t.Fatalf("with the token in the header: %d", got)
	}
	// From this computer, to its network address, over a real
	// connection: no token asked, and the token is kept out of the head.
	if got := send(t, "POST", s.LANURLs[0]+"local?hooklab_token=s3cret&z=1", nil); got != 200 {
		t.Fatalf("from this computer: %d", got)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d captures, want 3", n)
	}
	err = w.Store().Scan(capture.Filter{}, func(c *capture.Capture) error {
		if strings.Contains(c.RawQuery, "s3cret") || strings.Contains(string(c.Head), "s3cret") || c.Header.Get("X-Hooklab-Token") != "" {
			t.Errorf("the token was stored: query %q, head %q", c.RawQuery, c.Head)
		}
		if c.Path == "/local" && !strings.HasPrefix(string(c.Head), "POST /local?z=1 HTTP/1.1\r\n") {
			t.Errorf("head %q", c.Head)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
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
	if u := localURL(&net.TCPAddr{IP: net.IPv6unspecified, Port: 8088}, "[::]:8088"); u != "http://[::1]:8088/" {
		t.Errorf("local URL for [::]: %s", u)
	}
	if u := localURL(&net.TCPAddr{IP: net.IPv6unspecified, Port: 8088}, "0.0.0.0:8088"); u != "http://127.0.0.1:8088/" {
		t.Errorf("local URL for 0.0.0.0: %s", u)
	}
	if u := TokenURL("http://192.168.1.20:8088/", "a b"); u != "http://192.168.1.20:8088/?hooklab_token=a+b" {
		t.Errorf("token URL %s", u)
	}
}
