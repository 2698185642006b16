package requester

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// rawServer answers each request 200 and sends the head it read, as
// received, on the channel. With tlsFrom set it speaks TLS with that
// server's certificate, offering only HTTP/1.1.
func rawServer(t *testing.T, tlsFrom *httptest.Server) (url string, heads <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	scheme := "http"
	if tlsFrom != nil {
		ln = tls.NewListener(ln, &tls.Config{Certificates: tlsFrom.TLS.Certificates, NextProtos: []string{"http/1.1"}})
		scheme = "https"
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan string, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					var head strings.Builder
					for {
						line, err := br.ReadString('\n')
						if err != nil {
							return
						}
						head.WriteString(line)
						if line == "\r\n" {
							break
						}
					}
					ch <- head.String()
					if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")); err != nil {
						return
					}
				}
			}()
		}
	}()
	return scheme + "://" + ln.Addr().String(), ch
}

// headerNames are the names of a head's header lines, in order.
func headerNames(head string) []string {
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(head), "\r\n")[1:] {
		name, _, _ := strings.Cut(l, ":")
		names = append(names, name)
	}
	return names
}

func TestHeadersGoOutAsWritten(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	for _, tt := range []struct {
		name string
		tls  *httptest.Server
		opts Options
	}{
		{"http", nil, Options{}},
		{"https, HTTP/1.1", tlsSrv, Options{CACert: caFile(t, tlsSrv)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url, heads := rawServer(t, tt.tls)
			resp := send(t, NewClient(), Request{
				Method: "POST", URL: url + "/v1/chat",
				Headers: []Header{
					{Name: "OpenAI-Beta", Value: "assistants=v2"},
					{Name: "x-api-key", Value: "k1"},
					{Name: "b-first", Value: "2"},
					{Name: "X-Multi", Value: "one"},
					{Name: "X-Multi", Value: "two"},
				},
				Body:    Body{Kind: BodyJSON, Text: `{}`},
				Options: tt.opts,
			}, nil)
			head := <-heads
			got := strings.Join(headerNames(head), ",")
			want := "Host,User-Agent,Accept,OpenAI-Beta,x-api-key,b-first,X-Multi,X-Multi,Content-Length,Content-Type,Accept-Encoding"
			if got != want {
				t.Errorf("header lines on the wire:\n%s\nwant %s\nhead:\n%s", got, want, head)
			}
			if resp.Request.Head != head {
				t.Errorf("Head kept = %q\nwant what the server read: %q", resp.Request.Head, head)
			}
			if !strings.Contains(head, "Accept: */*\r\n") {
				t.Errorf("no Accept: */* in\n%s", head)
			}
		})
	}
}

// TestAPIKeyHeaderGoesOutAsWritten: the header of API key auth (Postman's
// apikey, Bruno's apikey, OpenAPI's apiKey in: header) keeps the case it
// is written in, as header rows do.
func TestAPIKeyHeaderGoesOutAsWritten(t *testing.T) {
	url, heads := rawServer(t, nil)
	send(t, NewClient(), Request{
		URL:     url + "/k",
		Headers: []Header{{Name: "OpenAI-Beta", Value: "v2"}},
		Auth:    Auth{Kind: AuthAPIKey, Key: "x-api-key", Value: "k1"},
	}, nil)
	head := <-heads
	if got, want := strings.Join(headerNames(head), ","), "Host,User-Agent,Accept,OpenAI-Beta,x-api-key,Accept-Encoding"; got != want {
		t.Errorf("header lines on the wire:\n%s\nwant %s\nhead:\n%s", got, want, head)
	}
	if !strings.Contains(head, "x-api-key: k1\r\n") {
		t.Errorf("head:\n%s", head)
	}
}

// TestHTTP2StillNegotiated: wrapping HTTP/1.x connections leaves HTTP/2
// to net/http.
func TestHTTP2StillNegotiated(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.Proto))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	resp, err := NewClient().Send(context.Background(), Request{URL: srv.URL, Options: Options{CACert: caFile(t, srv)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Proto != "HTTP/2.0" || string(resp.Body) != "HTTP/2.0" {
		t.Fatalf("proto %s, server saw %s", resp.Proto, resp.Body)
	}
	if resp.Timings.TLS.NA || resp.Timings.TLS.Duration <= 0 {
		t.Errorf("TLS phase %+v, want it timed", resp.Timings.TLS)
	}
}

func TestReorderHeadLeavesForeignText(t *testing.T) {
	in := "GET / HTTP/1.1\r\nHost: x\r\nnot a header line\r\n\r\n"
	if out := string(reorderHead([]byte(in), []string{"a"})); out != in {
		t.Fatalf("reorderHead changed a head it cannot read: %q", out)
	}
}
