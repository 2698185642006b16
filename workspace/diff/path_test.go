package diff

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/requester/history"
)

func TestAt(t *testing.T) {
	body := `{"type":"payment.succeeded","data":{"object":{"id":"pay_1","amount":1200,"tags":["a","<b>"]}},` +
		`"items":[{"n":1},{"n":2}],"odd key":{"x":1e3}}`
	m := Message{Start: "POST /p", Body: []byte(body)}
	for _, tt := range []struct{ path, want, err string }{
		{path: "$", want: `{"data":{"object":{"amount":1200,"id":"pay_1","tags":["a","<b>"]}},"items":[{"n":1},{"n":2}],"odd key":{"x":1e3},"type":"payment.succeeded"}`},
		{path: "$.data.object", want: `{"amount":1200,"id":"pay_1","tags":["a","<b>"]}`},
		{path: "$.data.object.tags[1]", want: `"<b>"`},
		{path: "$.items[1].n", want: `2`},
		{path: `$["odd key"].x`, want: `1e3`},
		{path: ` $["data"]["object"].id `, want: `"pay_1"`},
		{path: "$.data.missing", err: "nothing at $.data.missing"},
		{path: "$.items[2]", err: "nothing at $.items[2]"},
		{path: "$.type.x", err: "nothing at $.type.x"},
		{path: "data.object", err: "does not start with $"},
		{path: "$.items[-1]", err: "an index"},
		{path: "$.items[x]", err: "an index"},
		{path: "$.items[1", err: "without ]"},
		{path: "$.odd key", err: "not a plain word"},
		{path: `$["odd key`, err: "not a JSON string"},
		{path: `$["odd key"`, err: "not followed by ]"},
		{path: "$x", err: "other than"},
	} {
		got, err := m.At(tt.path)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("At(%q) = %s, %v; want an error with %q", tt.path, got.Body, err, tt.err)
			}
			if string(got.Body) != body {
				t.Errorf("At(%q) failed and changed the body", tt.path)
			}
		case err != nil:
			t.Errorf("At(%q): %v", tt.path, err)
		case string(got.Body) != tt.want || got.Start != m.Start:
			t.Errorf("At(%q) = %q %s, want %s", tt.path, got.Start, got.Body, tt.want)
		}
	}
	if _, err := (Message{Body: []byte("a=1")}).At("$"); err == nil || err.Error() != "the body is not JSON" {
		t.Errorf("a body that is not JSON: %v", err)
	}
}

// The payment an API answered with, against the event that carries it:
// Within finds it, and comparing at it lists only what differs in it.
func TestWithinFindsTheObjectAWebhookCarries(t *testing.T) {
	resp := `{"id":"pay_1","object":"payment","amount":1200,"currency":"eur","status":"pending","metadata":{"order":"7"}}`
	event := `{"id":"evt_1","object":"event","type":"payment.succeeded","created":1700000000,` +
		`"data":{"object":{"id":"pay_1","object":"payment","amount":1200,"currency":"eur","status":"succeeded","metadata":{"order":"7"}}}}`
	path, ok := Within([]byte(resp), []byte(event))
	if !ok || path != "$.data.object" {
		t.Fatalf("Within = %q, %v", path, ok)
	}
	a := Message{Start: "201 Created", Body: []byte(resp)}
	b, err := Message{Start: "POST /payments", Body: []byte(event)}.At(path)
	if err != nil {
		t.Fatal(err)
	}
	r := Compare(a, b)
	if !r.JSON || len(r.Values) != 1 || r.Values[0].String() != `$.status: "pending" → "succeeded"` {
		t.Errorf("compared at %s: %+v", path, r.Values)
	}
}

func TestWithin(t *testing.T) {
	for _, tt := range []struct {
		name, part, whole, want string
	}{
		{name: "github-like", part: `{"id":1,"number":7,"title":"x","state":"open"}`,
			whole: `{"action":"opened","number":7,"pull_request":{"id":1,"number":7,"title":"x","state":"open"},"repository":{"id":9,"name":"r"}}`,
			want:  "$.pull_request"},
		{name: "shallowest on a tie", part: `{"id":1,"amount":2}`,
			whole: `{"a":{"b":{"id":1,"amount":2}},"z":{"id":1,"amount":3}}`, want: "$.z"},
		{name: "first by name on a full tie", part: `{"id":1,"amount":2}`,
			whole: `{"b":{"id":1,"amount":2},"a":{"id":5,"amount":3}}`, want: "$.a"},
		{name: "the whole is as like", part: `{"id":1,"amount":2}`, whole: `{"id":1,"amount":2,"data":{"id":1}}`},
		{name: "too few names shared", part: `{"a":1,"b":2,"c":3,"d":4,"e":5}`, whole: `{"x":{"a":1,"b":2}}`},
		{name: "one name is not enough", part: `{"id":1,"x":2}`, whole: `{"data":{"id":1}}`},
		{name: "too deep", part: `{"id":1,"amount":2}`, whole: `{"a":{"b":{"c":{"d":{"e":{"id":1,"amount":2}}}}}}`},
		{name: "part not an object", part: `[1,2]`, whole: `{"data":{"0":1}}`},
		{name: "part a lone name", part: `{"id":1}`, whole: `{"data":{"id":1}}`},
		{name: "part not JSON", part: `id=1&amount=2`, whole: `{"data":{"id":1,"amount":2}}`},
		{name: "whole not JSON", part: `{"id":1,"amount":2}`, whole: `<xml/>`},
		{name: "whole an array", part: `{"id":1,"amount":2}`, whole: `[{"id":1,"amount":2}]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Within([]byte(tt.part), []byte(tt.whole))
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Within = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

// A JSON body of many nested objects is searched within its bounds.
func TestWithinBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 3 * withinObjects {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%06d":{"q":{"r":1}}`, i)
	}
	b.WriteString(`,"zz":{"id":1,"amount":2}}`)
	if _, ok := Within([]byte(`{"id":1,"amount":2}`), []byte(b.String())); ok {
		t.Error("found an object past the search's bound")
	}
}

func gzipped(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}

func TestFromResponse(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}
	for _, tt := range []struct {
		name string
		resp requester.Response
		want Message
	}{
		{name: "decoded by Send",
			resp: requester.Response{Status: 201, StatusText: "201 Created", Header: h, Body: []byte(`{"id":"pay_1"}`), Decoded: true},
			want: Message{Start: "201 Created", Body: []byte(`{"id":"pay_1"}`)}},
		{name: "still compressed",
			resp: requester.Response{Status: 200, StatusText: "200 OK", Header: h, Body: gzipped(`{"id":"pay_1"}`)},
			want: Message{Start: "200 OK", Body: []byte(`{"id":"pay_1"}`)}},
		{name: "text under an encoding header is taken as decoded",
			resp: requester.Response{Status: 200, StatusText: "200 OK", Header: http.Header{"Content-Encoding": {"br"}}, Body: []byte(`{"id":"pay_1"}`)},
			want: Message{Start: "200 OK", Body: []byte(`{"id":"pay_1"}`)}},
		{name: "binary that does not decode stays",
			resp: requester.Response{Status: 200, StatusText: "200 OK", Header: h, Body: []byte{0x1f, 0x8b, 0, 1}},
			want: Message{Start: "200 OK", Body: []byte{0x1f, 0x8b, 0, 1}}},
		{name: "no status text",
			resp: requester.Response{Status: 404, Body: nil},
			want: Message{Start: "404 Not Found"}},
		{name: "cut",
			resp: requester.Response{Status: 200, StatusText: "200 OK", Body: []byte("abc"), Size: 2048, Truncated: true},
			want: Message{Start: "200 OK", Body: []byte("abc"), Cut: 2048}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := FromResponse(&tt.resp)
			if got.Start != tt.want.Start || !bytes.Equal(got.Body, tt.want.Body) || got.Cut != tt.want.Cut {
				t.Errorf("FromResponse = %q %q cut %d, want %q %q cut %d", got.Start, got.Body, got.Cut, tt.want.Start, tt.want.Body, tt.want.Cut)
			}
		})
	}
}

// A response kept in history and shown again (Entry.Response: the
// decoded body under its original Content-Encoding, no Decoded flag)
// compares as JSON against a capture of the same object, compressed.
func TestFromHistoryResponseAgainstCapture(t *testing.T) {
	e := history.Entry{Status: 200, StatusText: "200 OK", Method: "GET", URL: "http://x/p",
		RespHeader: http.Header{"Content-Encoding": {"gzip"}, "Content-Type": {"application/json"}},
		RespBody:   []byte(`{"a":1,"b":2}`), RespSize: 13}
	resp, err := e.Response()
	if err != nil {
		t.Fatal(err)
	}
	c := &capture.Capture{Method: "POST", Path: "/hook", Header: http.Header{"Content-Encoding": {"gzip"}}, Body: gzipped(`{"b":2,"a":3}`)}
	r := Compare(FromResponse(resp), FromCapture(c))
	if !r.JSON || len(r.Values) != 1 || r.Values[0].String() != "$.a: 1 → 3" {
		t.Errorf("values %+v, note %q", r.Values, r.BodyNote)
	}
	if r.StartOld != "200 OK" || r.StartNew != "POST /hook" {
		t.Errorf("first lines %q, %q", r.StartOld, r.StartNew)
	}
}

// A cut body is said to be one, whether or not the part kept differs.
func TestCompareSaysABodyWasCut(t *testing.T) {
	a := Message{Body: []byte("abc"), Cut: 4096}
	b := Message{Body: []byte("abc")}
	r := Compare(a, b)
	if r.BodySame() || r.BodyNote != "the old body is only the first 3 B of 4.0 KB: what follows was not compared" {
		t.Errorf("note %q", r.BodyNote)
	}
	c := &capture.Capture{Method: "POST", Path: "/p", Body: []byte("abd"), BodySize: 10, Truncated: true}
	r = Compare(a, FromCapture(c))
	if len(r.Lines) == 0 || !strings.HasSuffix(r.BodyNote, "the old body is only the first 3 B of 4.0 KB and the new body is only the first 3 B of 10 B: what follows was not compared") {
		t.Errorf("lines %v, note %q", r.Lines, r.BodyNote)
	}
}
