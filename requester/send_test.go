package requester

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// captured is what a test server saw of one request.
type captured struct {
	method, uri, host string
	header            http.Header
	body              []byte
}

// recorder starts a server that records each request and answers via reply.
func recorder(t *testing.T, reply http.HandlerFunc) (*httptest.Server, <-chan captured) {
	t.Helper()
	got := make(chan captured, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- captured{r.Method, r.RequestURI, r.Host, r.Header.Clone(), body}
		if reply != nil {
			reply(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// trustingClient is a Client that verifies srv's certificate against srv's
// own test CA, so TLS stays verified.
func trustingClient(srv *httptest.Server) *Client {
	c := NewClient()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c.rc.SetTLSClientConfig(&tls.Config{RootCAs: pool})
	return c
}

func send(t *testing.T, c *Client, r Request, vars Vars) *Response {
	t.Helper()
	resp, err := c.Send(context.Background(), r, vars)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	return resp
}

func TestSendDeliversRequestExactly(t *testing.T) {
	srv, got := recorder(t, nil)
	resp := send(t, NewClient(), Request{
		Method: "PATCH",
		URL:    "{{base}}/a/b%2Fc?z=1&a=2&a=1",
		Headers: []Header{
			{Name: "Content-Type", Value: "application/json"},
			{Name: "X-Id", Value: "{{id}}"},
			{Name: "X-Multi", Value: "one"},
			{Name: "X-Multi", Value: "two"},
			{Name: "X-Off", Value: "no", Disabled: true},
		},
		Body: Body{Kind: BodyJSON, Text: `{"id":"{{id}}"}`},
	}, Vars{"base": srv.URL, "id": "9"})

	c := <-got
	if c.method != "PATCH" || c.uri != "/a/b%2Fc?z=1&a=2&a=1" {
		t.Errorf("request line = %s %s", c.method, c.uri)
	}
	if string(c.body) != `{"id":"9"}` {
		t.Errorf("body = %q", c.body)
	}
	want := http.Header{
		"Content-Type":    {"application/json"},
		"X-Id":            {"9"},
		"X-Multi":         {"one", "two"},
		"User-Agent":      {UserAgent},
		"Content-Length":  {"10"},
		"Accept-Encoding": {"gzip"}, // net/http's transparent compression
	}
	if !equalHeader(c.header, want) {
		t.Errorf("server saw headers %v; want exactly %v", c.header, want)
	}
	if resp.Request.Method != "PATCH" || string(resp.Request.Body) != `{"id":"9"}` ||
		resp.Request.Header.Get("User-Agent") != UserAgent {
		t.Errorf("Response.Request = %+v", resp.Request)
	}
}

func equalHeader(got, want http.Header) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if strings.Join(got[k], "\x00") != strings.Join(v, "\x00") {
			return false
		}
	}
	return true
}

func TestSendResponse(t *testing.T) {
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Reply", "yes")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "created!")
	})
	resp := send(t, NewClient(), Request{Method: "POST", URL: srv.URL}, nil)
	if resp.Status != 201 || resp.StatusText != "201 Created" || resp.Proto != "HTTP/1.1" {
		t.Errorf("status = %d %q %q", resp.Status, resp.StatusText, resp.Proto)
	}
	if resp.Header.Get("X-Reply") != "yes" {
		t.Errorf("header = %v", resp.Header)
	}
	if string(resp.Body) != "created!" || resp.Size != 8 || resp.Truncated {
		t.Errorf("body = %q size %d truncated %v", resp.Body, resp.Size, resp.Truncated)
	}
	if resp.RemoteAddr != srv.Listener.Addr().String() {
		t.Errorf("RemoteAddr = %q; want %q", resp.RemoteAddr, srv.Listener.Addr())
	}
}

func TestSendMethodsAndBodies(t *testing.T) {
	srv, got := recorder(t, nil)
	c := NewClient()
	tests := []struct {
		method, body, wantMethod, wantBody string
	}{
		{"", "", "GET", ""},
		{"GET", "q", "GET", "q"}, // GET bodies are allowed on purpose
		{"DELETE", "gone", "DELETE", "gone"},
		{"PURGE", "", "PURGE", ""},
		{"OPTIONS", "dropped", "OPTIONS", ""},
	}
	for _, tt := range tests {
		resp := send(t, c, Request{Method: tt.method, URL: srv.URL, Body: Body{Kind: BodyText, Text: tt.body}}, nil)
		g := <-got
		if g.method != tt.wantMethod || string(g.body) != tt.wantBody || string(resp.Request.Body) != tt.wantBody {
			t.Errorf("%q %q: server saw %s %q, Request.Body %q", tt.method, tt.body, g.method, g.body, resp.Request.Body)
		}
	}
}

func TestSendContentTypeSniffing(t *testing.T) {
	srv, got := recorder(t, nil)
	c := NewClient()
	tests := []struct {
		body    string
		headers []Header
		want    []string
	}{
		{`{"a":1}`, nil, []string{"application/json"}},
		{" \n\t[1,2]", nil, []string{"application/json"}},
		{"<a/>", nil, []string{"application/xml"}},
		{"hello", nil, []string{"text/plain"}},
		{"", nil, nil},
		{"{}", []Header{{Name: "content-type", Value: "text/csv"}}, []string{"text/csv"}},
		{"{}", []Header{{Name: "Content-Type", Value: "text/csv", Disabled: true}}, []string{"application/json"}},
	}
	for _, tt := range tests {
		send(t, c, Request{Method: "POST", URL: srv.URL, Body: Body{Kind: BodyText, Text: tt.body}, Headers: tt.headers}, nil)
		if g := (<-got).header["Content-Type"]; strings.Join(g, ",") != strings.Join(tt.want, ",") {
			t.Errorf("body %q headers %v: Content-Type %q; want %q", tt.body, tt.headers, g, tt.want)
		}
	}
}

func TestSendUserAgent(t *testing.T) {
	srv, got := recorder(t, nil)
	c := NewClient()
	tests := []struct {
		headers []Header
		want    []string
	}{
		{nil, []string{"Hooklab/0.1.0"}},
		{[]Header{{Name: "user-agent", Value: "curl/8.0"}}, []string{"curl/8.0"}},
		{[]Header{{Name: "User-Agent", Value: ""}}, nil}, // an empty row suppresses it
	}
	for _, tt := range tests {
		send(t, c, Request{URL: srv.URL, Headers: tt.headers}, nil)
		if g := (<-got).header["User-Agent"]; strings.Join(g, ",") != strings.Join(tt.want, ",") {
			t.Errorf("headers %v: User-Agent %q; want %q", tt.headers, g, tt.want)
		}
	}
}

func TestSendFollowsRedirectsWithoutCookieJar(t *testing.T) {
	srv, got := recorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "1"})
			http.Redirect(w, r, "/final", http.StatusFound)
			return
		}
		io.WriteString(w, "final")
	})
	resp := send(t, NewClient(), Request{URL: srv.URL + "/start"}, nil)
	if resp.Status != 200 || string(resp.Body) != "final" {
		t.Fatalf("got %d %q; want the redirect target", resp.Status, resp.Body)
	}
	<-got
	if final := <-got; final.uri != "/final" || final.header.Get("Cookie") != "" {
		t.Errorf("second hop %s with Cookie %q; want /final without cookies", final.uri, final.header.Get("Cookie"))
	}
}

func TestSendTruncatesLargeBody(t *testing.T) {
	payload := strings.Repeat("0123456789", 5)
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, payload) })
	c := NewClient()
	c.maxBody = 16
	resp := send(t, c, Request{URL: srv.URL}, nil)
	if string(resp.Body) != payload[:16] || resp.Size != 50 || !resp.Truncated {
		t.Errorf("body %q size %d truncated %v; want first 16 bytes, 50, true", resp.Body, resp.Size, resp.Truncated)
	}

	c.maxBody = 50
	resp = send(t, c, Request{URL: srv.URL}, nil)
	if string(resp.Body) != payload || resp.Size != 50 || resp.Truncated {
		t.Errorf("at the cap: body %q size %d truncated %v", resp.Body, resp.Size, resp.Truncated)
	}
}

func TestSendVariableErrorsStopBeforeSending(t *testing.T) {
	srv, got := recorder(t, nil)
	_, err := NewClient().Send(context.Background(), Request{URL: srv.URL, Body: Body{Kind: BodyText, Text: "{{nope}}"}}, nil)
	if uv, ok := err.(*UnknownVariableError); !ok || uv.Where != "body" {
		t.Fatalf("err = %#v; want *UnknownVariableError in body", err)
	}
	_, err = NewClient().Send(context.Background(), Request{URL: "ftp://" + srv.Listener.Addr().String()}, nil)
	if _, ok := err.(*URLError); !ok {
		t.Fatalf("err = %#v; want *URLError", err)
	}
	select {
	case c := <-got:
		t.Fatalf("server got %s %s", c.method, c.uri)
	default:
	}
}

func TestSendConcurrent(t *testing.T) {
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Query().Get("n")) })
	c := NewClient()
	var wg sync.WaitGroup
	for _, n := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
		wg.Go(func() {
			resp, err := c.Send(context.Background(), Request{URL: srv.URL + "?n={{n}}"}, Vars{"n": n})
			if err != nil || string(resp.Body) != n {
				t.Errorf("n=%s: %v", n, err)
			}
		})
	}
	wg.Wait()
}
