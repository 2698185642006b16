package workspace

import (
	"net/http"
	"strings"
	"testing"

	"hooklab/capture"
)

// A replay sends the path and query as received (/a%2Fb stays /a%2Fb,
// the query's order and bad escapes kept) and the header names as they
// arrived, in their order.
func TestReplayUsesTheHeadAsReceived(t *testing.T) {
	cp := &capture.Capture{
		Method: "POST", Path: "/a/b c", RawPath: "/a%2Fb%20c", RawQuery: "b=2&a=1&%zz=1",
		Header: http.Header{"X-Lower-Case": {"yes"}, "Content-Type": {"text/plain"}, "X-Hooklab-Token": {"t"}},
		Head: []byte("POST /a%2Fb%20c?b=2&a=1&%zz=1 HTTP/1.1\r\nHost: h\r\nx-lower-CASE: yes\r\nContent-Type: text/plain\r\n" +
			"transfer-encoding: chunked\r\n"),
		Body: []byte("hi"), BodySize: 2,
	}
	r, err := ReplayRequest(cp, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if r.URL != "{{webhook_url}}a%2Fb%20c?b=2&a=1&%zz=1" {
		t.Fatalf("URL %q", r.URL)
	}
	var names []string
	for _, h := range r.Headers {
		names = append(names, h.Name)
	}
	if got := strings.Join(names, ","); got != "x-lower-CASE,Content-Type" {
		t.Fatalf("headers %s, want x-lower-CASE,Content-Type (Host and hop-by-hop left to the connection)", got)
	}
	// A capture kept before the raw path was: the decoded path escaped.
	cp.RawPath, cp.Head = "", nil
	if r, err = ReplayRequest(cp, t.TempDir()); err != nil || r.URL != "{{webhook_url}}a/b%20c?b=2&a=1&%zz=1" {
		t.Fatalf("old capture: %q, %v", r.URL, err)
	}
	for _, h := range r.Headers {
		if h.Name == "X-Hooklab-Token" {
			t.Fatal("the access token header went into the replay")
		}
	}
}

// Sent, the replay of /a%2Fb arrives as /a%2Fb, not /a/b, its query in
// its order. (A "%" starting no escape in a query is sent as %25: the
// composer's rule for every URL, see requester.Prepare.)
func TestReplaySendsTheRawPath(t *testing.T) {
	c := newTestCatcher(t)
	req, err := http.NewRequest("POST", c.url+"/a%2Fb?z=1&a=2&z=3", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	first := c.deliver(t, req)
	if first.RawPath != "/a%2Fb" {
		t.Fatalf("raw path %q", first.RawPath)
	}
	r, err := ReplayRequest(first, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	again := c.send(t, r)
	if again.RawPath != "/a%2Fb" || again.RawQuery != "z=1&a=2&z=3" {
		t.Fatalf("replayed as %q ? %q, want /a%%2Fb ? z=1&a=2&z=3", again.RawPath, again.RawQuery)
	}
}
