package workspace

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/requester"
)

// testCatcher is a catcher whose captures a test takes one by one.
type testCatcher struct {
	url string
	got chan *capture.Capture
}

func newTestCatcher(t *testing.T) *testCatcher {
	t.Helper()
	c := &testCatcher{got: make(chan *capture.Capture, 16)}
	srv := capture.NewServer(capture.NewMemoryStore(0, 0))
	srv.OnCapture = func(cp *capture.Capture) { c.got <- cp }
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c.url = hs.URL
	return c
}

// next is the next capture, waited for with a deadline.
func (c *testCatcher) next(t *testing.T) *capture.Capture {
	t.Helper()
	select {
	case cp := <-c.got:
		return cp
	case <-time.After(60 * time.Second):
		t.Fatal("nothing caught")
		return nil
	}
}

// deliver sends req to the catcher and returns its capture.
func (c *testCatcher) deliver(t *testing.T, req *http.Request) *capture.Capture {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return c.next(t)
}

// send sends r as the composer does, {{webhook_url}} being the catcher,
// and returns what the catcher caught.
func (c *testCatcher) send(t *testing.T, r requester.Request) *capture.Capture {
	t.Helper()
	resp, err := requester.NewClient().Send(context.Background(), r, requester.Vars{"webhook_url": c.url + "/"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	return c.next(t)
}

// TestReplayACapture: the replay holds the webhook's method, path,
// query, headers and body, and sending it delivers the same request.
func TestReplayACapture(t *testing.T) {
	c := newTestCatcher(t)
	req, _ := http.NewRequest("PUT", c.url+"/github/push?delivery=42&x=a%20b", strings.NewReader(`{"ref":"refs/heads/main"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "push")
	first := c.deliver(t, req)

	r, err := ReplayRequest(first, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "PUT" || r.URL != "{{webhook_url}}github/push?delivery=42&x=a%20b" || r.Name != "Replay PUT /github/push" {
		t.Fatalf("replay %q: %s %s", r.Name, r.Method, r.URL)
	}
	if want := requester.ParamsFromURL(r.URL); !reflect.DeepEqual(r.Params, want) || len(want) != 2 {
		t.Errorf("params %+v, want %+v", r.Params, want)
	}
	if r.Body.Kind != requester.BodyJSON || r.Body.Text != `{"ref":"refs/heads/main"}` {
		t.Fatalf("replay body %+v", r.Body)
	}
	for _, h := range r.Headers {
		if h.Name == "Content-Length" {
			t.Errorf("the replay carries the connection's header %s", h.Name)
		}
	}
	again := c.send(t, r)
	if again.Method != "PUT" || again.Path != "/github/push" || again.RawQuery != "delivery=42&x=a%20b" ||
		string(again.Body) != `{"ref":"refs/heads/main"}` || again.Header.Get("X-Github-Event") != "push" ||
		again.Header.Get("Content-Type") != "application/json" || len(again.Header.Values("Content-Type")) != 1 {
		t.Fatalf("replayed: %s %s?%s %q %v", again.Method, again.Path, again.RawQuery, again.Body, again.Header)
	}
}

// TestReplayKeepsBinaryBodiesExact: a gzip-encoded body is replayed
// byte for byte, from a file in the replays folder, with its
// Content-Encoding.
func TestReplayKeepsBinaryBodiesExact(t *testing.T) {
	c := newTestCatcher(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"event":"compressed"}`))
	_ = zw.Close()
	req, _ := http.NewRequest("POST", c.url+"/shop/orders", bytes.NewReader(gz.Bytes()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	first := c.deliver(t, req)

	dir := filepath.Join(t.TempDir(), ReplaysFolder) // made by the replay
	r, err := ReplayRequest(first, dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Body.Kind != requester.BodyFile || filepath.Dir(r.Body.File) != dir {
		t.Fatalf("replay body %+v, want a file in %s", r.Body, dir)
	}
	if !FilesUsed([]SavedTab{{Request: r}})[r.Body.File] {
		t.Fatal("the replay's body file is not among the files its tab uses, so quitting would prune it")
	}
	again := c.send(t, r)
	if !bytes.Equal(again.Body, gz.Bytes()) || again.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("replayed %d bytes (want %d exact), Content-Encoding %q", len(again.Body), gz.Len(), again.Header.Get("Content-Encoding"))
	}
}

// TestReplayKeepsEscapesAndTemplates: escaped characters in the path, a
// "#" in the query and {{…}} in a body are sent as they arrived, not
// read as a query, a fragment or composer variables.
func TestReplayKeepsEscapesAndTemplates(t *testing.T) {
	c := newTestCatcher(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(c.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"tmpl":"Hi {{name}}","at":"{{$timestamp}}"}`
	fmt.Fprintf(conn, "POST /a%%3Fb/c%%23d/x%%2541?a=1#frag&b=2 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	if _, err := io.ReadAll(conn); err != nil {
		t.Fatal(err)
	}
	first := c.next(t)
	r, err := ReplayRequest(first, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if r.Body.Kind != requester.BodyFile {
		t.Fatalf("a body holding {{ goes as %q, want a file the composer sends unchanged", r.Body.Kind)
	}
	again := c.send(t, r)
	q1, _ := url.ParseQuery(first.RawQuery)
	q2, _ := url.ParseQuery(again.RawQuery)
	if again.Path != first.Path || !reflect.DeepEqual(q1, q2) || string(again.Body) != body {
		t.Fatalf("replayed %q ? %q %q, want %q ? %q %q", again.Path, again.RawQuery, again.Body, first.Path, first.RawQuery, body)
	}
}

// TestReplayBodyKinds: a text body opens in the editor its type names;
// anything else goes as an exact file.
func TestReplayBodyKinds(t *testing.T) {
	tests := []struct {
		name, ctype, encoding string
		body                  []byte
		want                  requester.BodyKind
	}{
		{"no body", "application/json", "", nil, requester.BodyNone},
		{"JSON", "application/json; charset=utf-8", "", []byte(`{}`), requester.BodyJSON},
		{"a +json type", "application/problem+json", "", []byte(`{}`), requester.BodyJSON},
		{"XML", "application/xml", "", []byte(`<a/>`), requester.BodyXML},
		{"text/xml", "text/xml", "", []byte(`<a/>`), requester.BodyXML},
		{"a +xml type", "application/atom+xml", "", []byte(`<a/>`), requester.BodyXML},
		{"form text", "application/x-www-form-urlencoded", "", []byte(`a=1`), requester.BodyText},
		{"no type", "", "", []byte(`hello`), requester.BodyText},
		{"not UTF-8", "application/octet-stream", "", []byte{0xff, 0xfe, 0}, requester.BodyFile},
		{"encoded", "text/plain", "br", []byte(`looks like text`), requester.BodyFile},
		{"holding {{", "text/plain", "", []byte(`Hi {{name}}`), requester.BodyFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.ctype != "" {
				h.Set("Content-Type", tt.ctype)
			}
			if tt.encoding != "" {
				h.Set("Content-Encoding", tt.encoding)
			}
			cp := &capture.Capture{Method: "POST", Path: "/x", Header: h, Body: tt.body, BodySize: int64(len(tt.body))}
			r, err := ReplayRequest(cp, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if r.Body.Kind != tt.want {
				t.Fatalf("body kind %q, want %q", r.Body.Kind, tt.want)
			}
			switch tt.want {
			case requester.BodyFile:
				if data, err := os.ReadFile(r.Body.File); err != nil || !bytes.Equal(data, tt.body) {
					t.Errorf("file holds %q (%v), want %q", data, err, tt.body)
				}
			case requester.BodyNone:
			default:
				if r.Body.Text != string(tt.body) {
					t.Errorf("text %q, want %q", r.Body.Text, tt.body)
				}
			}
			var want []requester.Header
			for _, f := range capture.HeaderFields(h, "") {
				want = append(want, requester.Header{Name: f.Name, Value: f.Value})
			}
			if !reflect.DeepEqual(r.Headers, want) {
				t.Errorf("header rows %+v, want the captured %+v", r.Headers, want)
			}
		})
	}
}

// TestReplayRefuses: what cannot be sent again as it arrived is refused
// with the reason, and writes no file.
func TestReplayRefuses(t *testing.T) {
	tests := []struct {
		name string
		cp   *capture.Capture
		want string
	}{
		{"a truncated body",
			&capture.Capture{Method: "POST", Path: "/big", Header: http.Header{"Content-Type": {"text/plain"}},
				Body: []byte("kept"), BodySize: 20 << 20, Truncated: true},
			"only the first 4 B of its 20.0 MB body were kept"},
		{"a template in a header value",
			&capture.Capture{Method: "POST", Path: "/x", Header: http.Header{"X-Template": {"{{user}}"}}},
			"its header X-Template holds {{…}}, which the composer would read as a variable"},
		{"a template in a header name",
			&capture.Capture{Method: "POST", Path: "/x", Header: http.Header{"X-{{a}}": {"v"}}},
			"its header X-{{a}} holds {{…}}"},
		{"a template in the query",
			&capture.Capture{Method: "GET", Path: "/x", RawQuery: "q={{id}}"},
			"its path or query holds {{…}}, which the composer would read as a variable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), ReplaysFolder)
			if _, err := ReplayRequest(tt.cp, dir); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("a refused replay made %s", dir)
			}
		})
	}

	// A path holding {{ is escaped, not refused: the composer does not
	// read %7B%7B as a variable.
	r, err := ReplayRequest(&capture.Capture{Method: "GET", Path: "/a{{b}}"}, t.TempDir())
	if err != nil || r.URL != "{{webhook_url}}a%7B%7Bb%7D%7D" {
		t.Fatalf("path with {{: %q, %v", r.URL, err)
	}

	// A replays folder that cannot be made is named.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cp := &capture.Capture{Method: "POST", Path: "/x", Body: []byte{0xff}, BodySize: 1}
	if _, err := ReplayRequest(cp, filepath.Join(file, ReplaysFolder)); err == nil ||
		!strings.HasPrefix(err.Error(), "keep its body for the replay: ") || !strings.Contains(err.Error(), file) {
		t.Fatalf("got %v, want the folder named", err)
	}
}

// TestPruneReplays: body files of replays that no saved tab uses go
// once they are a day old; used, recent and foreign files stay.
func TestPruneReplays(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-48 * time.Hour)
	for name, mtime := range map[string]time.Time{"replay-used.bin": old, "replay-old.bin": old, "replay-new.bin": now, "notes.txt": old} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "replay-folder"), 0o700); err != nil {
		t.Fatal(err)
	}
	used := []SavedTab{{Request: requester.Request{Body: requester.Body{Kind: requester.BodyFile, File: filepath.Join(dir, "replay-used.bin")}}}}
	PruneReplays(dir, FilesUsed(used), now.Add(-ReplayKeep))
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{"notes.txt", "replay-folder", "replay-new.bin", "replay-used.bin"}; !reflect.DeepEqual(left, want) {
		t.Fatalf("left %v, want %v", left, want)
	}
	PruneReplays(filepath.Join(dir, "missing"), nil, now) // nothing to do, no panic
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KB", 1536: "1.5 KB", 20 << 20: "20.0 MB", 3 << 30: "3.0 GB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
