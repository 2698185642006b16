package capture

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// catchRaw serves a catcher over a memory store on a connection that
// records heads, writes raw to one connection, reads n answers and
// returns the n captures, in the order they came.
func catchRaw(t *testing.T, raw string, n int) []*Capture {
	t.Helper()
	got := make(chan *Capture, n+8)
	srv := NewServer(NewMemoryStore(100, 1<<20))
	srv.OnCapture = func(c *Capture) { got <- c }
	addr, _ := serveLimited(t, srv, ConnLimits{RecordHeads: true})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	br := bufio.NewReader(conn)
	var out []*Capture
	for i := range n {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		resp.Body.Close()
		select {
		case c := <-got:
			out = append(out, c)
		case <-time.After(time.Minute):
			t.Fatalf("answer %d (%s) without a capture", i, resp.Status)
		}
	}
	return out
}

func jsonLineOf(t *testing.T, c *Capture) map[string]any {
	t.Helper()
	b, err := c.MarshalJSONLine()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The head is kept byte for byte: header names in their case and
// order, Host and Transfer-Encoding, non-UTF-8 bytes in the path and in
// a value (head_base64, no U+FFFD anywhere).
func TestHeadKeptAsReceived(t *testing.T) {
	head := "POST /caf\xe9?b=2&a=1&b=3&%zz=1 HTTP/1.1\r\n" +
		"x-lower-CASE: yes\r\n" +
		"Host: example.test\r\n" +
		"X-Latin: caf\xe9\r\n" +
		"Transfer-Encoding: chunked\r\n"
	cs := catchRaw(t, head+"\r\n3\r\nabc\r\n0\r\n\r\n", 1)
	c := cs[0]
	if string(c.Head) != head {
		t.Fatalf("head %q, want %q", c.Head, head)
	}
	if c.RawPath != "/caf\xe9" || c.RawQuery != "b=2&a=1&b=3&%zz=1" || string(c.Body) != "abc" {
		t.Fatalf("raw path %q, raw query %q, body %q", c.RawPath, c.RawQuery, c.Body)
	}
	m := jsonLineOf(t, c)
	if m["head"] != nil {
		t.Fatalf("a head that is not UTF-8 went out as text: %q", m["head"])
	}
	b64, _ := m["head_base64"].(string)
	if dec, err := base64.StdEncoding.DecodeString(b64); err != nil || string(dec) != head {
		t.Fatalf("head_base64 %q decodes to %q, %v", b64, dec, err)
	}
	if m["raw_query"] != "b=2&a=1&b=3&%zz=1" {
		t.Fatalf("raw_query %v", m["raw_query"])
	}
	// HAR: arrival order, names as received, Host and Transfer-Encoding.
	entry := harEntryOf(c)
	var names []string
	for _, h := range entry.Request.Headers {
		names = append(names, h.Name)
	}
	if want := "x-lower-CASE,Host,X-Latin,Transfer-Encoding"; strings.Join(names, ",") != want {
		t.Fatalf("HAR headers %v, want %s", names, want)
	}
	if !strings.HasSuffix(entry.Request.URL, "/caf\xe9?b=2&a=1&b=3&%zz=1") {
		t.Fatalf("HAR url %q", entry.Request.URL)
	}
}

// Escaped slashes and spaces stay as sent: /a%2Fb and /a/b differ.
func TestRawPathTellsEscapesApart(t *testing.T) {
	cs := catchRaw(t, "GET /a%2Fb%20c HTTP/1.1\r\nHost: h\r\n\r\nGET /a/b%20c HTTP/1.1\r\nHost: h\r\n\r\n", 2)
	if cs[0].Path != cs[1].Path {
		t.Fatalf("decoded paths %q and %q were expected alike", cs[0].Path, cs[1].Path)
	}
	l0, l1 := jsonLineOf(t, cs[0]), jsonLineOf(t, cs[1])
	if l0["raw_path"] != "/a%2Fb%20c" || l1["raw_path"] != "/a/b%20c" {
		t.Fatalf("raw_path %v and %v", l0["raw_path"], l1["raw_path"])
	}
	if u := harEntryOf(cs[0]).Request.URL; u != "http://h/a%2Fb%20c" {
		t.Fatalf("HAR url %q", u)
	}
	if l0["head"] != "GET /a%2Fb%20c HTTP/1.1\r\nHost: h\r\n" {
		t.Fatalf("head %q", l0["head"])
	}
}

func TestConnectTargetKept(t *testing.T) {
	cs := catchRaw(t, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 1)
	c := cs[0]
	if c.RawPath != "example.com:443" || !strings.HasPrefix(string(c.Head), "CONNECT example.com:443 HTTP/1.1\r\n") {
		t.Fatalf("raw path %q, head %q", c.RawPath, c.Head)
	}
	if cm := harEntryOf(c).Request.Comment; !strings.Contains(cm, "example.com:443") {
		t.Fatalf("HAR comment %q", cm)
	}
}

// Requests one after another on a keep-alive connection, pipelined,
// with bodies framed every way, each get their own head.
func TestHeadsFollowBodiesOnOneConnection(t *testing.T) {
	reqs := []string{
		"POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nGET /x HTTP",
		"POST /two HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\n4;ext=1\r\n\r\n\r\n\r\nA\r\n0123456789\r\n0\r\nTrailer-X: 1\r\n\r\n",
		"\r\nGET /three?q HTTP/1.1\r\nHost: h\r\n\r\n",
		"PUT /four HTTP/1.0\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok",
	}
	cs := catchRaw(t, strings.Join(reqs, ""), len(reqs))
	wantHeads := []string{
		"POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n",
		"POST /two HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n",
		"GET /three?q HTTP/1.1\r\nHost: h\r\n",
		"PUT /four HTTP/1.0\r\nContent-Length: 2\r\nConnection: keep-alive\r\n",
	}
	for i, c := range cs {
		if string(c.Head) != wantHeads[i] {
			t.Errorf("request %d: head %q, want %q", i, c.Head, wantHeads[i])
		}
	}
	if string(cs[1].Body) != "\r\n\r\n0123456789" {
		t.Errorf("chunked body %q", cs[1].Body)
	}
}

// Fed a byte at a time, or all at once, the tee finds the same heads.
func TestHeadTeeAnySplit(t *testing.T) {
	stream := []byte("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz" +
		"POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n" +
		"GET /c HTTP/1.1\nX: 1\n\n")
	want := []string{"POST /a HTTP/1.1\r\nContent-Length: 3\r\n", "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", "GET /c HTTP/1.1\nX: 1\n"}
	for _, step := range []int{1, 2, 5, 7, len(stream)} {
		tee := newHeadTee(0)
		for p := stream; len(p) > 0; {
			n := min(step, len(p))
			tee.write(p[:n])
			p = p[n:]
		}
		for i, target := range []string{"/a", "/b", "/c"} {
			method := map[int]string{0: "POST", 1: "POST", 2: "GET"}[i]
			if got := tee.take(method, target); !bytes.Equal(got, []byte(want[i])) {
				t.Errorf("step %d: head %d %q, want %q", step, i, got, want[i])
			}
		}
	}
	// A head net/http answered itself (OPTIONS *) is passed over.
	tee := newHeadTee(0)
	tee.write([]byte("OPTIONS * HTTP/1.1\r\n\r\nGET /d HTTP/1.1\r\n\r\n"))
	if got := tee.take("GET", "/d"); string(got) != "GET /d HTTP/1.1\r\n" {
		t.Fatalf("after OPTIONS *: %q", got)
	}
	// Past the size limit nothing more is recorded.
	tee = newHeadTee(10)
	tee.write([]byte("GET /" + strings.Repeat("a", 5000) + " HTTP/1.1\r\n\r\n"))
	if tee.take("GET", "/"+strings.Repeat("a", 5000)) != nil {
		t.Fatal("a head past the limit was kept")
	}
}

func TestHeadFields(t *testing.T) {
	line, fields := HeadFields([]byte("GET / HTTP/1.1\r\nx-A:  1 \r\nB:2\r\n folded\r\n"))
	if line != "GET / HTTP/1.1" || len(fields) != 2 || fields[0] != (NameValue{"x-A", "1"}) || fields[1] != (NameValue{"B", "2 folded"}) {
		t.Fatalf("%q %+v", line, fields)
	}
}
