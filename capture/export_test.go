package capture

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// exportStore holds three captures, oldest first: a JSON POST with a
// query and cookies, a binary body answered by a rule, and a GET from an
// HTTP/1.0 sender without Host.
func exportStore(t *testing.T) (*MemoryStore, []*Capture) {
	t.Helper()
	t0 := time.Date(2026, 11, 27, 8, 1, 2, 345e6, time.UTC)
	caps := []*Capture{
		{
			ID: "cap_1", Time: t0, Method: "POST", Path: "/stripe/events", RawQuery: "a=1&b=x%20y&a=2",
			Proto: "HTTP/1.1", Host: "127.0.0.1:8088", Remote: "127.0.0.1:5000",
			Header: http.Header{"Content-Type": {"application/json"}, "Cookie": {"session=abc; theme=dark"}, "X-Multi": {"a", "b"}},
			Body:   []byte(`{"type":"payment.succeeded","note":"<b>&</b>"}`), BodySize: 46,
			Status: 200, RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(`{"ok":true,"id":"cap_1"}`),
		},
		{
			ID: "cap_2", Time: t0.Add(time.Second), Method: "PUT", Path: "/github", Proto: "HTTP/1.1", Host: "localhost:8088",
			Header: http.Header{"Content-Type": {"application/octet-stream"}},
			Body:   []byte{0xff, 0x00, 'a'}, BodySize: 3,
			Status: 302, RespHeader: http.Header{"Location": {"/elsewhere"}, "Set-Cookie": {"id=7; Path=/"}, "Content-Type": {"image/x"}},
			RespBody: []byte{0xfe, 0x01},
		},
		{
			ID: "cap_3", Time: t0.Add(2 * time.Second), Method: "GET", Path: "/", Proto: "HTTP/1.0",
			Body: []byte{}, Status: 200, RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(`{"ok":true,"id":"cap_3"}`),
		},
	}
	store := NewMemoryStore(0, 0)
	for _, c := range caps {
		if err := store.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	return store, caps
}

func TestWriteJSONL(t *testing.T) {
	store, caps := exportStore(t)
	var buf bytes.Buffer
	n, err := WriteJSONL(&buf, store, Filter{})
	if err != nil || n != 3 {
		t.Fatalf("wrote %d, %v", n, err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, line := range lines {
		want, _ := caps[i].MarshalJSONLine()
		if line != string(want) {
			t.Fatalf("line %d:\n%s\nwant (as hooklab listen prints)\n%s", i, line, want)
		}
		var l JSONLine
		if err := json.Unmarshal([]byte(line), &l); err != nil || l.ID != caps[i].ID {
			t.Fatalf("line %d: id %q, %v", i, l.ID, err)
		}
	}
	var l JSONLine
	json.Unmarshal([]byte(lines[1]), &l)
	if l.Body != nil || l.BodyBase64 == nil || *l.BodyBase64 != base64.StdEncoding.EncodeToString([]byte{0xff, 0x00, 'a'}) {
		t.Fatalf("binary body: %+v", l)
	}

	buf.Reset()
	if n, err := WriteJSONL(&buf, store, Filter{Method: "PUT"}); n != 1 || err != nil || !strings.Contains(buf.String(), `"cap_2"`) {
		t.Fatalf("filtered: %d %v %s", n, err, buf.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestExportWriteErrors(t *testing.T) {
	store := NewMemoryStore(0, 0)
	// Enough data to overflow bufio's buffer, so the error shows mid-scan.
	for i := range 20 {
		store.Add(&Capture{ID: "cap_" + string(rune('a'+i)), Path: "/", Body: bytes.Repeat([]byte("x"), 1024)})
	}
	if _, err := WriteJSONL(failingWriter{}, store, Filter{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("JSONL: %v", err)
	}
	if _, err := WriteHAR(failingWriter{}, store, Filter{}, "1"); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("HAR: %v", err)
	}
	if _, err := WriteHAR(failingWriter{}, NewMemoryStore(0, 0), Filter{}, "1"); err == nil {
		t.Fatal("HAR of an empty store to a failing writer: no error")
	}
}

// The HAR as importers read it. Required fields are typed so decoding
// fails when one has the wrong type; requireKeys checks presence.
type (
	harNV   struct{ Name, Value string }
	harFile struct {
		Log struct {
			Version string
			Creator struct{ Name, Version string }
			Entries []struct {
				StartedDateTime string
				Time            float64
				Request         struct {
					Method, URL, HTTPVersion string
					Headers, QueryString     []harNV
					Cookies                  []harNV
					HeadersSize, BodySize    float64
					PostData                 *struct{ MimeType, Text, Encoding string }
				}
				Response struct {
					Status           float64
					StatusText       string
					HTTPVersion      string
					Headers, Cookies []harNV
					Content          struct {
						Size                     float64
						MimeType, Text, Encoding string
					}
					RedirectURL           string
					HeadersSize, BodySize float64
				}
				Cache   map[string]any
				Timings struct{ Send, Wait, Receive float64 }
			}
		}
	}
)

func requireKeys(t *testing.T, where string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		v, ok := m[k]
		if !ok || v == nil {
			t.Errorf("%s: required %q missing or null", where, k)
		}
	}
}

func TestWriteHAR(t *testing.T) {
	store, caps := exportStore(t)
	var buf bytes.Buffer
	n, err := WriteHAR(&buf, store, Filter{}, "0.3.0")
	if err != nil || n != 3 {
		t.Fatalf("wrote %d, %v", n, err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("not JSON:\n%s", buf.String())
	}

	var generic map[string]any
	json.Unmarshal(buf.Bytes(), &generic)
	log := generic["log"].(map[string]any)
	requireKeys(t, "log", log, "version", "creator", "entries")
	for i, e := range log["entries"].([]any) {
		entry := e.(map[string]any)
		requireKeys(t, "entry", entry, "startedDateTime", "time", "request", "response", "cache", "timings")
		requireKeys(t, "request", entry["request"].(map[string]any),
			"method", "url", "httpVersion", "headers", "queryString", "cookies", "headersSize", "bodySize")
		resp := entry["response"].(map[string]any)
		requireKeys(t, "response", resp,
			"status", "statusText", "httpVersion", "headers", "cookies", "content", "redirectURL", "headersSize", "bodySize")
		requireKeys(t, "content", resp["content"].(map[string]any), "size", "mimeType")
		requireKeys(t, "timings", entry["timings"].(map[string]any), "send", "wait", "receive")
		if i == 2 {
			if _, ok := entry["request"].(map[string]any)["postData"]; ok {
				t.Error("a bodiless GET has postData")
			}
		}
	}

	var har harFile
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil {
		t.Fatalf("a field has the wrong type: %v", err)
	}
	l := har.Log
	if l.Version != "1.2" || l.Creator.Name != "Hooklab" || l.Creator.Version != "0.3.0" || len(l.Entries) != 3 {
		t.Fatalf("log %q %+v %d entries", l.Version, l.Creator, len(l.Entries))
	}

	e := l.Entries[0]
	if e.StartedDateTime != "2026-11-27T08:01:02.345Z" || e.Time != 0 || e.Timings.Wait != 0 {
		t.Errorf("entry 0 timing: %q %v %+v", e.StartedDateTime, e.Time, e.Timings)
	}
	if _, err := time.Parse(time.RFC3339, e.StartedDateTime); err != nil {
		t.Errorf("startedDateTime: %v", err)
	}
	rq := e.Request
	if rq.Method != "POST" || rq.URL != "http://127.0.0.1:8088/stripe/events?a=1&b=x%20y&a=2" || rq.HTTPVersion != "HTTP/1.1" ||
		rq.HeadersSize != -1 || rq.BodySize != 46 {
		t.Errorf("request line: %+v", rq)
	}
	wantHeaders := []harNV{{"Host", "127.0.0.1:8088"}, {"Content-Type", "application/json"},
		{"Cookie", "session=abc; theme=dark"}, {"X-Multi", "a"}, {"X-Multi", "b"}}
	if !slices.Equal(rq.Headers, wantHeaders) {
		t.Errorf("headers %v, want %v", rq.Headers, wantHeaders)
	}
	if want := []harNV{{"a", "1"}, {"b", "x y"}, {"a", "2"}}; !slices.Equal(rq.QueryString, want) {
		t.Errorf("queryString %v, want %v in order", rq.QueryString, want)
	}
	if want := []harNV{{"session", "abc"}, {"theme", "dark"}}; !slices.Equal(rq.Cookies, want) {
		t.Errorf("cookies %v", rq.Cookies)
	}
	if rq.PostData == nil || rq.PostData.MimeType != "application/json" || rq.PostData.Text != string(caps[0].Body) || rq.PostData.Encoding != "" {
		t.Errorf("postData %+v", rq.PostData)
	}
	rs := e.Response
	if rs.Status != 200 || rs.StatusText != "OK" || rs.HTTPVersion != "HTTP/1.1" || rs.Content.Text != `{"ok":true,"id":"cap_1"}` ||
		rs.Content.Size != 24 || rs.BodySize != 24 || rs.Content.MimeType != "application/json" || rs.RedirectURL != "" || rs.HeadersSize != -1 {
		t.Errorf("response %+v", rs)
	}

	bin := l.Entries[1]
	if p := bin.Request.PostData; p == nil || p.Encoding != "base64" || p.Text != "/wBh" {
		t.Errorf("binary request body %+v", p)
	}
	if c := bin.Response.Content; c.Encoding != "base64" || c.Text != "/gE=" || c.Size != 2 {
		t.Errorf("binary response %+v", c)
	}
	if r := bin.Response; r.Status != 302 || r.StatusText != "Found" || r.RedirectURL != "/elsewhere" ||
		!slices.Equal(r.Cookies, []harNV{{"id", "7"}}) {
		t.Errorf("redirect response %+v", r)
	}

	old := l.Entries[2].Request
	if old.URL != "http://localhost/" || old.HTTPVersion != "HTTP/1.0" || len(old.Headers) != 0 || old.BodySize != 0 {
		t.Errorf("HTTP/1.0 request without Host: %+v", old)
	}

	// Bodies are written readable, not HTML-escaped.
	if !strings.Contains(buf.String(), `<b>&</b>`) {
		t.Error("body HTML-escaped")
	}
}

func TestWriteHARStreamsAndFilters(t *testing.T) {
	store, _ := exportStore(t)
	var buf bytes.Buffer
	if n, err := WriteHAR(&buf, store, Filter{Endpoint: "github"}, "dev"); n != 1 || err != nil {
		t.Fatalf("%d %v", n, err)
	}
	var har harFile
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil || len(har.Log.Entries) != 1 {
		t.Fatalf("%v %d", err, len(har.Log.Entries))
	}

	buf.Reset()
	if n, err := WriteHAR(&buf, NewMemoryStore(0, 0), Filter{}, "dev"); n != 0 || err != nil {
		t.Fatalf("%d %v", n, err)
	}
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil || har.Log.Entries == nil || len(har.Log.Entries) != 0 {
		t.Fatalf("empty log: %v %s", err, buf.String())
	}
}

func TestWriteHARTruncatedAndCaptured(t *testing.T) {
	// A capture made by the real server round-trips into a valid entry.
	store := NewMemoryStore(0, 0)
	s := NewServer(store)
	s.MaxBody = 8
	for _, body := range []string{"short", "longer than eight"} {
		req, _ := http.NewRequest("POST", "http://hooks.test/in?x=1", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/plain")
		s.ServeHTTP(discardWriter{http.Header{}}, req)
	}
	var buf bytes.Buffer
	if _, err := WriteHAR(&buf, store, Filter{}, "dev"); err != nil {
		t.Fatal(err)
	}
	var har harFile
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil {
		t.Fatal(err)
	}
	if len(har.Log.Entries) != 2 {
		t.Fatalf("%d entries", len(har.Log.Entries))
	}
	ok, cut := har.Log.Entries[0], har.Log.Entries[1]
	if ok.Request.URL != "http://hooks.test/in?x=1" || ok.Response.Status != 200 || !strings.HasPrefix(ok.Response.Content.Text, `{"ok":true`) {
		t.Errorf("entry %+v", ok)
	}
	if cut.Response.Status != 413 || cut.Request.BodySize != 17 || cut.Request.PostData.Text != "longer t" ||
		!strings.Contains(buf.String(), "body truncated: 8 of 17 bytes kept") {
		t.Errorf("truncated entry %+v", cut)
	}
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header       { return d.h }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}
