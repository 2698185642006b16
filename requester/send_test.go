package requester

import (
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// caFile writes srv's certificate to a PEM file for Options.CACert.
func caFile(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	block := &pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
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
		"Accept":          {"*/*"}, // as curl and Postman send
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

func TestSendContentTypeByKind(t *testing.T) {
	srv, got := recorder(t, nil)
	c := NewClient()
	tests := []struct {
		kind    BodyKind
		body    string
		headers []Header
		want    []string
	}{
		{BodyJSON, `{"a":1}`, nil, []string{"application/json"}},
		{BodyJSON, "not json", nil, []string{"application/json"}}, // still sent
		{BodyXML, "<a/>", nil, []string{"application/xml"}},
		{BodyText, `{"a":1}`, nil, []string{"text/plain; charset=utf-8"}},
		{BodyText, "", nil, nil},
		{BodyNone, "ignored", nil, nil},
		{BodyJSON, "{}", []Header{{Name: "content-type", Value: "text/csv"}}, []string{"text/csv"}},
		{BodyJSON, "{}", []Header{{Name: "Content-Type", Value: "text/csv", Disabled: true}}, []string{"application/json"}},
		{BodyJSON, "{}", []Header{{Name: "Content-Type", Value: ""}}, []string{""}}, // an empty row wins too
	}
	for _, tt := range tests {
		send(t, c, Request{Method: "POST", URL: srv.URL, Body: Body{Kind: tt.kind, Text: tt.body}, Headers: tt.headers}, nil)
		g := <-got
		if strings.Join(g.header["Content-Type"], ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s %q headers %v: Content-Type %q; want %q", tt.kind, tt.body, tt.headers, g.header["Content-Type"], tt.want)
		}
		if want := tt.body; tt.kind == BodyNone && string(g.body) != "" || tt.kind != BodyNone && string(g.body) != want {
			t.Errorf("%s %q: server got body %q", tt.kind, tt.body, g.body)
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
		{nil, []string{"Hooklab/" + Version}},
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

// The request as sent reports every header the server received, and the
// preview of added headers names each one the rows did not.
func TestSendReportsWireHeaders(t *testing.T) {
	srv, got := recorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "s", Value: "1"})
	})
	c := NewClient()
	hostPort := strings.TrimPrefix(srv.URL, "http://")
	tests := []struct {
		name string
		r    Request
	}{
		{"GET", Request{Method: "GET", URL: srv.URL + "/a"}},
		{"POST without a body", Request{Method: "POST", URL: srv.URL + "/a"}},
		{"PUT with JSON", Request{Method: "PUT", URL: srv.URL + "/a", Body: Body{Kind: BodyJSON, Text: `{"a":1}`}}},
		{"HEAD", Request{Method: "HEAD", URL: srv.URL + "/a"}},
		{"own Accept-Encoding", Request{Method: "GET", URL: srv.URL, Headers: []Header{{Name: "Accept-Encoding", Value: "br"}}}},
		{"bearer, no scheme", Request{Method: "DELETE", URL: hostPort + "/x", Auth: Auth{Kind: AuthBearer, Token: "t"}}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, c, tt.r, nil)
			seen := <-got
			sent := resp.Request.Header.Clone()
			if sent.Get("Host") != seen.host {
				t.Errorf("Host sent = %q; server saw %q", sent.Get("Host"), seen.host)
			}
			sent.Del("Host")
			if !equalHeader(sent, seen.header) {
				t.Errorf("reported as sent %v; server saw %v", sent, seen.header)
			}
			if i > 0 && seen.header.Get("Cookie") != "s=1" {
				t.Errorf("the jar's cookie is missing: %v", seen.header)
			}
			names := map[string]bool{"Cookie": i > 0}
			for _, h := range tt.r.Headers {
				names[http.CanonicalHeaderKey(h.Name)] = true
			}
			for _, h := range AutoHeaders(tt.r, nil) {
				names[h.Name] = true
			}
			for name := range resp.Request.Header {
				if !names[name] {
					t.Errorf("%s went on the wire but is neither a row nor in AutoHeaders %v", name, AutoHeaders(tt.r, nil))
				}
				delete(names, name)
			}
			for name, want := range names {
				if want {
					t.Errorf("%s listed but not sent", name)
				}
			}
		})
	}
}
