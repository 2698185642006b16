package capture

import (
	"encoding/binary"
	"fmt"
	"mime"
	"strings"
	"testing"
	"time"
)

func TestMemoryStoreEvictsOldest(t *testing.T) {
	s := NewMemoryStore(3, 0)
	for i := range 5 {
		if err := s.Add(&Capture{ID: fmt.Sprint(i), Body: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.Count(Filter{}); n != 3 {
		t.Fatalf("len %d, want 3", n)
	}
	if _, err := s.Get("1"); err != ErrNotFound {
		t.Fatal("oldest capture was not evicted")
	}
	got, _ := s.List(Filter{}, 0, 10)
	if len(got) != 3 || got[0].ID != "4" || got[2].ID != "2" {
		t.Fatalf("list %v", got)
	}
	if page, _ := s.List(Filter{}, 1, 1); len(page) != 1 || page[0].ID != "3" {
		t.Fatalf("page %v", page)
	}
	if page, _ := s.List(Filter{}, 5, 1); page != nil {
		t.Fatalf("page past end %v", page)
	}
}

func TestMemoryStoreByteLimit(t *testing.T) {
	s := NewMemoryStore(100, 10)
	for i := range 4 {
		_ = s.Add(&Capture{ID: fmt.Sprint(i), Body: []byte("abcd")})
	}
	if n, _ := s.Count(Filter{}); n != 2 {
		t.Fatalf("len %d, want 2 (10 bytes hold two 4-byte bodies)", n)
	}
	// A single capture larger than the limit is still kept.
	_ = s.Add(&Capture{ID: "big", Body: make([]byte, 50)})
	if n, _ := s.Count(Filter{}); n != 1 {
		t.Fatalf("big capture: len %d", n)
	}
	if _, err := s.Get("big"); err != nil {
		t.Fatal(err)
	}
}

func TestMemoryStoreDeleteAndClear(t *testing.T) {
	s := NewMemoryStore(0, 0)
	_ = s.Add(&Capture{ID: "a"})
	_ = s.Add(&Capture{ID: "b"})
	if err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("a"); err != ErrNotFound {
		t.Fatalf("second delete: %v", err)
	}
	if n, _ := s.Count(Filter{}); n != 1 {
		t.Fatal("delete")
	}
	_ = s.Clear()
	if n, _ := s.Count(Filter{}); n != 0 {
		t.Fatal("clear")
	}
}

func TestNewIDSortsByTime(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := NewID(t0), NewID(t0.Add(time.Millisecond))
	if a >= b {
		t.Fatalf("%s should sort before %s", a, b)
	}
	if c, d := NewID(t0), NewID(t0); c == d {
		t.Fatal("ids in the same millisecond collide")
	}
}

func TestJSONLine(t *testing.T) {
	c := &Capture{
		ID: "cap_1", Time: time.Date(2026, 11, 27, 8, 1, 2, 345e6, time.UTC),
		Method: "POST", Path: "/p", RawQuery: "a=1&a=2", Body: []byte{0xff, 0x00, 'a'},
		Remote: "127.0.0.1:5555", Status: 200, BodySize: 3,
	}
	l := c.JSONLine()
	if l.Time != "2026-11-27T08:01:02.345Z" || l.Body != nil || *l.BodyBase64 != "/wBh" || len(l.Query["a"]) != 2 {
		t.Fatalf("%+v", l)
	}
	c.Body = []byte("héllo")
	if l := c.JSONLine(); l.Body == nil || *l.Body != "héllo" || l.BodyBase64 != nil {
		t.Fatalf("utf-8 body: %+v", l)
	}
}

func TestNewIDLayout(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 123e6, time.UTC)
	id := NewID(t0)
	raw, err := idEncoding.DecodeString(strings.TrimPrefix(id, "cap_"))
	if !strings.HasPrefix(id, "cap_") || len(id) != 20 || err != nil || len(raw) != 10 {
		t.Fatalf("id %q: %d bytes decoded, %v", id, len(raw), err)
	}
	var ms [8]byte
	copy(ms[2:], raw[:6])
	if got := int64(binary.BigEndian.Uint64(ms[:])); got != t0.UnixMilli() {
		t.Fatalf("id %q holds millisecond %d, want %d", id, got, t0.UnixMilli())
	}
}

// MediaType is what mime.ParseMediaType gives as the media type, or the
// lowered text before any ';' where that fails.
func TestMediaTypeMatchesMime(t *testing.T) {
	reference := func(ct string) string {
		if ct == "" {
			return ""
		}
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			mt, _, _ = strings.Cut(ct, ";")
			mt = strings.ToLower(strings.TrimSpace(mt))
		}
		return mt
	}
	for _, ct := range []string{
		"", "application/json", "Application/JSON", " application/json ", "application/json; charset=utf-8",
		"text/plain;charset=UTF-8", "multipart/form-data; boundary=x", "application/json; charset", "json",
		"application/", "/json", "a/b/c", "text/html; ;", "TEXT/Plain ; q=\"x;y\"", "\tapplication/x-www-form-urlencoded",
		"application/json;", "invalid content type", "ÄPPLICATION/JSON", "application/json\x00", ";",
	} {
		if got, want := MediaType(ct), reference(ct); got != want {
			t.Errorf("MediaType(%q) = %q, want %q", ct, got, want)
		}
	}
}

// TestMatchSummaryAgreesWithMatch: a filter decides on a summary as it
// does on the capture, except that text is left undecided unless the
// rest of the filter already turns the capture away.
func TestMatchSummaryAgreesWithMatch(t *testing.T) {
	at := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	captures := []*Capture{
		{Method: "POST", Path: "/stripe/events", Status: 200, Time: at, Body: []byte("invoice.paid")},
		{Method: "put", Path: "/github", Status: 503, Time: at.Add(-time.Hour)},
		{Method: "GET", Path: "/", Status: 404, Time: at},
	}
	filters := []Filter{
		{}, {Endpoint: "stripe"}, {Endpoint: "/"}, {Method: "PUT"}, {Status: 5}, {Status: 404},
		{Since: at.Add(-time.Minute)}, {Endpoint: "github", Method: "PUT", Status: 5},
		{Text: "invoice"}, {Text: "invoice", Endpoint: "github"}, {Text: "x", Status: 2},
	}
	for _, f := range filters {
		for _, c := range captures {
			match, decided := f.MatchSummary(c.Summary())
			want := f.Match(c)
			switch {
			case decided && match != want:
				t.Errorf("%+v on %s %s: MatchSummary %v, Match %v", f, c.Method, c.Path, match, want)
			case !decided && f.Text == "":
				t.Errorf("%+v on %s %s: undecided without text", f, c.Method, c.Path)
			case !decided && match:
				t.Errorf("%+v on %s %s: undecided yet matching", f, c.Method, c.Path)
			}
			rest := f
			rest.Text = ""
			if f.Text != "" && decided != !rest.Match(c) {
				t.Errorf("%+v on %s %s: decided %v, though the rest of the filter says %v", f, c.Method, c.Path, decided, rest.Match(c))
			}
		}
	}
}
