package requester

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sendErr sends r and returns the *SendError it must fail with.
func sendErr(t *testing.T, ctx context.Context, r Request) *SendError {
	t.Helper()
	resp, err := NewClient().Send(ctx, r, nil)
	if err == nil {
		t.Fatalf("Send succeeded with status %d; want an error", resp.Status)
	}
	var se *SendError
	if !errors.As(err, &se) {
		t.Fatalf("err = %#v; want *SendError", err)
	}
	if se.Error() != se.Msg+": "+se.Err.Error() || !errors.Is(err, se.Err) {
		t.Errorf("Error()/Unwrap inconsistent: %q", se.Error())
	}
	return se
}

// blockingServer holds every request until the test ends, so the client
// side decides when the exchange stops. arrived gets one value per request.
func blockingServer(t *testing.T) (srv *httptest.Server, arrived <-chan struct{}) {
	t.Helper()
	in := make(chan struct{}, 1)
	release := make(chan struct{})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: unblock before Close waits
	return srv, in
}

func TestSendErrorRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	se := sendErr(t, context.Background(), Request{URL: "http://" + addr + "/"})
	want := "Connection refused by " + addr + " — is the server running?"
	if se.Kind != "refused" || se.Msg != want || !errors.Is(se, syscall.ECONNREFUSED) {
		t.Errorf("got %q %q; want refused %q", se.Kind, se.Msg, want)
	}
}

func TestSendErrorDNS(t *testing.T) {
	se := sendErr(t, context.Background(), Request{URL: "http://nonexistent.invalid/"})
	var dnsErr *net.DNSError
	if se.Kind != "dns" || se.Msg != "Could not resolve host nonexistent.invalid." || !errors.As(se, &dnsErr) {
		t.Errorf("got %q %q (%v); want dns", se.Kind, se.Msg, se.Err)
	}
}

func TestSendErrorTimeout(t *testing.T) {
	srv, _ := blockingServer(t)
	se := sendErr(t, context.Background(), Request{URL: srv.URL, Options: Options{Timeout: 100 * time.Millisecond}})
	if se.Kind != "timeout" || se.Msg != "No response within 100ms." || !errors.Is(se, context.DeadlineExceeded) {
		t.Errorf("got %q %q (%v); want timeout", se.Kind, se.Msg, se.Err)
	}
}

func TestSendErrorTimeoutDuringBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	se := sendErr(t, context.Background(), Request{URL: srv.URL, Options: Options{Timeout: 100 * time.Millisecond}})
	if se.Kind != "timeout" {
		t.Errorf("got %q %q (%v); want timeout", se.Kind, se.Msg, se.Err)
	}
}

func TestSendErrorCanceled(t *testing.T) {
	srv, arrived := blockingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	se := sendErr(t, ctx, Request{URL: srv.URL})
	if se.Kind != "canceled" || se.Msg != "Request cancelled." || !errors.Is(se, context.Canceled) {
		t.Errorf("got %q %q (%v); want canceled", se.Kind, se.Msg, se.Err)
	}
}

func TestSendErrorUntrustedCertificate(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is expected
	srv.StartTLS()
	defer srv.Close()
	se := sendErr(t, context.Background(), Request{URL: srv.URL})
	var unknown x509.UnknownAuthorityError
	want := "TLS certificate not trusted: certificate signed by unknown authority"
	if se.Kind != "tls" || se.Msg != want || !errors.As(se, &unknown) {
		t.Errorf("got %q %q (%v); want %q", se.Kind, se.Msg, se.Err, want)
	}
}

func TestSendErrorTLSHandshake(t *testing.T) {
	tests := []struct{ name, reply string }{
		{"alert", "\x15\x03\x03\x00\x02\x02\x28"}, // TLS alert: handshake_failure
		{"not TLS", "SSH-2.0-OpenSSH_9.6\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				defer conn.Close()
				conn.Write([]byte(tt.reply))
			}()
			se := sendErr(t, context.Background(), Request{URL: "https://" + ln.Addr().String()})
			if se.Kind != "tls" || se.Msg != "TLS handshake failed." {
				t.Errorf("got %q %q (%v); want tls handshake", se.Kind, se.Msg, se.Err)
			}
		})
	}
}

func TestSendErrorReset(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	se := sendErr(t, context.Background(), Request{URL: srv.URL})
	if se.Kind != "reset" || se.Msg != "Connection reset by the server." {
		t.Errorf("got %q %q (%v); want reset", se.Kind, se.Msg, se.Err)
	}
}

func TestSendErrorResetMidBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
		buf.Flush()
		conn.Close()
	}))
	defer srv.Close()
	se := sendErr(t, context.Background(), Request{URL: srv.URL})
	if se.Kind != "reset" {
		t.Errorf("got %q %q (%v); want reset", se.Kind, se.Msg, se.Err)
	}
}

func TestSendErrorOther(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	defer srv.Close()
	se := sendErr(t, context.Background(), Request{URL: srv.URL})
	if se.Kind != "other" || !strings.Contains(se.Msg, "stopped after 10 redirects") {
		t.Errorf("got %q %q (%v); want other", se.Kind, se.Msg, se.Err)
	}
}
