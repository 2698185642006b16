package requester

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"
)

func TestTimingsFrom(t *testing.T) {
	ti := resty.TraceInfo{
		DNSLookup:    1 * time.Millisecond,
		TCPConnTime:  2 * time.Millisecond,
		TLSHandshake: 3 * time.Millisecond,
		ServerTime:   4 * time.Millisecond,
	}
	reused := ti
	reused.IsConnReused = true
	ms := func(n int) Phase { return Phase{Duration: time.Duration(n) * time.Millisecond} }
	na := Phase{NA: true}
	tests := []struct {
		name, url         string
		ti                resty.TraceInfo
		dns, connect, tls Phase
	}{
		{"fresh https", "https://example.com/", ti, ms(1), ms(2), ms(3)},
		{"fresh http", "http://example.com/", ti, ms(1), ms(2), na},
		{"IP literal", "https://127.0.0.1:8443/", ti, na, ms(2), ms(3)},
		{"IPv6 literal", "http://[::1]:80/", ti, na, ms(2), na},
		{"reused", "https://example.com/", reused, na, na, na},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.url)
			got := timingsFrom(tt.ti, u, 5*time.Millisecond, 20*time.Millisecond)
			want := Timings{
				DNS: tt.dns, Connect: tt.connect, TLS: tt.tls,
				ServerWait: ms(4), Download: ms(5),
				Total: 20 * time.Millisecond, ConnReused: tt.ti.IsConnReused,
			}
			if got != want {
				t.Fatalf("timingsFrom =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// checkTimings asserts what holds for every exchange: NA phases are zero,
// nothing is negative, and Total covers all phases, which do not overlap.
func checkTimings(t *testing.T, tm Timings) {
	t.Helper()
	var sum time.Duration
	for _, p := range []Phase{tm.DNS, tm.Connect, tm.TLS, tm.ServerWait, tm.Download} {
		if p.Duration < 0 || (p.NA && p.Duration != 0) {
			t.Errorf("bad phase %+v in %+v", p, tm)
		}
		sum += p.Duration
	}
	if tm.ServerWait.NA || tm.Download.NA || tm.Total < sum {
		t.Errorf("bad timings %+v", tm)
	}
}

func TestSendTimingsPlainHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c := NewClient()

	first := send(t, c, Request{URL: srv.URL}, nil).Timings
	checkTimings(t, first)
	if first.ConnReused || first.Connect.NA || !first.DNS.NA || !first.TLS.NA {
		t.Errorf("first request %+v; want new connection, DNS NA (IP literal), TLS NA (http)", first)
	}

	// A host name is looked up, even if only in /etc/hosts.
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	tm := send(t, NewClient(), Request{URL: byName}, nil).Timings
	if tm.DNS.NA || tm.ConnReused {
		t.Errorf("localhost request %+v; want a DNS phase", tm)
	}

	// net/http hands a finished connection back to its pool asynchronously,
	// so the very next request may still dial; one of a few must reuse it.
	for range 5 {
		tm := send(t, c, Request{URL: srv.URL}, nil).Timings
		checkTimings(t, tm)
		if tm.ConnReused {
			if !tm.DNS.NA || !tm.Connect.NA || !tm.TLS.NA {
				t.Errorf("reused connection %+v; want DNS, Connect, TLS NA", tm)
			}
			return
		}
	}
	t.Error("no request reused the pooled connection")
}

func TestSendTimingsTLSAndHTTP2(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.Proto))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	c := NewClient()
	r := Request{URL: srv.URL, Options: Options{CACert: caFile(t, srv)}}

	first := send(t, c, r, nil)
	if first.Proto != "HTTP/2.0" || string(first.Body) != "HTTP/2.0" {
		t.Errorf("proto %q, server saw %q; want HTTP/2.0", first.Proto, first.Body)
	}
	checkTimings(t, first.Timings)
	if tm := first.Timings; tm.ConnReused || tm.Connect.NA || tm.TLS.NA || tm.TLS.Duration <= 0 {
		t.Errorf("first request %+v; want a new connection with a TLS handshake", tm)
	}

	// An HTTP/2 connection is pooled once established, so reuse is immediate.
	second := send(t, c, r, nil).Timings
	checkTimings(t, second)
	if !second.ConnReused || !second.DNS.NA || !second.Connect.NA || !second.TLS.NA {
		t.Errorf("second request %+v; want reused connection with DNS, Connect, TLS NA", second)
	}
}
