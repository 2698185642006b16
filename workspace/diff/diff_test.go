package diff

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"hooklab/capture"
)

func TestBodies(t *testing.T) {
	tests := []struct {
		name     string
		a, b     string
		json     bool
		values   []string
		lines    string // ops and texts, one per line
		noteHas  string
		bodySame bool
	}{
		{name: "identical", a: `{"a":1}`, b: `{"a":1}`, bodySame: true},
		{name: "reordered keys", a: `{"a":1,"b":{"x":[1,2],"y":null}}`, b: "{\n \"b\": {\"y\": null, \"x\": [1, 2]},\n \"a\": 1\n}", json: true, bodySame: true},
		{name: "equal numbers", a: `{"n":1200}`, b: `{"n":1.2e3}`, json: true, bodySame: true},
		{name: "nested change", a: `{"data":{"object":{"amount":1200,"currency":"eur"}}}`, b: `{"data":{"object":{"amount":1500,"currency":"eur"}}}`, json: true,
			values: []string{"$.data.object.amount: 1200 → 1500"}},
		{name: "added and removed keys", a: `{"id":"a","old":true}`, b: `{"id":"a","new":[1],"odd key":"x"}`, json: true,
			values: []string{`$.new: added [1]`, `$["odd key"]: added "x"`, `$.old: removed true`}},
		{name: "big ids stay apart", a: `{"id":9007199254740993}`, b: `{"id":9007199254740992}`, json: true,
			values: []string{"$.id: 9007199254740993 → 9007199254740992"}},
		{name: "arrays of different length", a: `{"items":[1,2,3]}`, b: `{"items":[1,5]}`, json: true,
			values: []string{"$.items[1]: 2 → 5", "$.items[2]: removed 3"}},
		{name: "array grows", a: `[{"a":1}]`, b: `[{"a":1},{"a":2}]`, json: true, values: []string{`$[1]: added {"a":2}`}},
		{name: "type change", a: `{"a":{"x":1}}`, b: `{"a":"x"}`, json: true, values: []string{`$.a: {"x":1} → "x"`}},
		{name: "null and missing differ", a: `{"a":null}`, b: `{}`, json: true, values: []string{`$.a: removed null`}},
		{name: "not json", a: "one\ntwo\nthree\n", b: "one\n2\nthree\nfour\n", lines: "  one\n- two\n+ 2\n  three\n+ four"},
		{name: "json against text", a: `{"a":1}`, b: "a=1", lines: "- {\"a\":1}\n+ a=1"},
		{name: "empty against text", a: "", b: "x", lines: "+ x"},
		{name: "binary", a: "\x00\x01\x02", b: "\xff\xfe", noteHas: "binary bodies differ (3 vs 2 bytes)"},
		{name: "text against binary", a: "hello", b: "\x89PNG\x00", noteHas: "binary bodies differ (5 vs 5 bytes)"},
		{name: "crlf", a: "a\r\nb\r\n", b: "a\r\nc\r\n", lines: "  a\n- b\n+ c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isJSON, values, lines, note := Bodies([]byte(tt.a), []byte(tt.b))
			if tt.a != tt.b && isJSON != tt.json {
				t.Errorf("JSON = %v, want %v", isJSON, tt.json)
			}
			var got []string
			for _, v := range values {
				got = append(got, v.String())
			}
			if !reflect.DeepEqual(got, tt.values) {
				t.Errorf("values = %q, want %q", got, tt.values)
			}
			var ls []string
			for _, l := range lines {
				ls = append(ls, string(l.Op)+" "+l.Text)
			}
			if g := strings.Join(ls, "\n"); g != tt.lines {
				t.Errorf("lines =\n%s\nwant\n%s", g, tt.lines)
			}
			if !strings.Contains(note, tt.noteHas) || (tt.noteHas == "" && note != "") {
				t.Errorf("note = %q, want %q", note, tt.noteHas)
			}
			r := Result{Values: values, Lines: lines, BodyNote: note}
			if r.BodySame() != tt.bodySame {
				t.Errorf("BodySame = %v, want %v", r.BodySame(), tt.bodySame)
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	a := http.Header{
		"Content-Type":     {"application/json"},
		"Stripe-Signature": {"t=1,v1=aa"},
		"X-Old":            {"1"},
		"Accept":           {"a", "b"},
	}
	b := http.Header{
		"content-type":     {"application/json"}, // same, other case
		"Stripe-Signature": {"t=2,v1=bb"},
		"X-New":            {"2"},
		"Accept":           {"b", "a"}, // order matters
	}
	got := Headers(a, b)
	want := []Header{
		{Kind: Changed, Name: "Accept", Old: "a, b", New: "b, a"},
		{Kind: Changed, Name: "Stripe-Signature", Old: "t=1,v1=aa", New: "t=2,v1=bb"},
		{Kind: Added, Name: "X-New", New: "2"},
		{Kind: Removed, Name: "X-Old", Old: "1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Headers =\n%+v\nwant\n%+v", got, want)
	}
	if got := Headers(a, a); len(got) != 0 {
		t.Errorf("identical headers differ: %+v", got)
	}
}

func TestCompare(t *testing.T) {
	a := Message{Start: "POST /pay", Header: http.Header{"A": {"1"}}, Body: []byte(`{"x":1}`)}
	if r := Compare(a, a); !r.Same() {
		t.Fatalf("a message differs from itself: %+v", r)
	}
	b := Message{Start: "POST /pay?x=1", Header: http.Header{"A": {"1"}}, Body: []byte(`{"x":1}`)}
	r := Compare(a, b)
	if r.Same() || r.StartOld != "POST /pay" || r.StartNew != "POST /pay?x=1" || len(r.Headers) != 0 || !r.BodySame() {
		t.Errorf("Compare = %+v", r)
	}
}

func TestFromCaptureDecodes(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		return b.Bytes()
	}
	h := http.Header{"Content-Encoding": {"gzip"}, "Content-Type": {"application/json"}}
	a := &capture.Capture{Method: "POST", Path: "/p", RawQuery: "x=1", Header: h, Body: gz(`{"a":1,"b":2}`)}
	b := &capture.Capture{Method: "POST", Path: "/p", RawQuery: "x=1", Header: h, Body: gz(`{"b":2,"a":3}`)}
	r := Compare(FromCapture(a), FromCapture(b))
	if !r.JSON || len(r.Values) != 1 || r.Values[0].String() != "$.a: 1 → 3" || r.StartOld != "" {
		t.Errorf("compressed JSON bodies: %+v", r)
	}
	if m := FromCapture(a); m.Start != "POST /p?x=1" {
		t.Errorf("start %q", m.Start)
	}
}

func TestTextBounds(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < MaxLines+10; i++ {
		a.WriteString("line\n")
		b.WriteString("line\n")
	}
	b.WriteString("extra\n")
	lines, note := Text(a.String(), b.String())
	if len(lines) != MaxLines || !strings.Contains(note, "first 20000 lines") {
		t.Errorf("%d lines, note %q", len(lines), note)
	}
	// Two wholly different texts too big to align come out removed then added.
	a.Reset()
	b.Reset()
	for i := 0; i < 3000; i++ {
		a.WriteString("a\n")
		b.WriteString("b\n")
	}
	lines, note = Text(a.String(), b.String())
	if len(lines) != 6000 || lines[0].Op != '-' || lines[5999].Op != '+' || !strings.Contains(note, "too many") {
		t.Errorf("%d lines, note %q", len(lines), note)
	}
}

func TestJSONBound(t *testing.T) {
	var a, b strings.Builder
	a.WriteString("[")
	b.WriteString("[")
	for i := 0; i < MaxValues+5; i++ {
		if i > 0 {
			a.WriteString(",")
			b.WriteString(",")
		}
		a.WriteString("1")
		b.WriteString("2")
	}
	a.WriteString("]")
	b.WriteString("]")
	_, values, _, note := Bodies([]byte(a.String()), []byte(b.String()))
	if len(values) != MaxValues || note != "5 more differences not listed" {
		t.Errorf("%d values, note %q", len(values), note)
	}
}

func FuzzJSON(f *testing.F) {
	for _, s := range [][2]string{
		{`{"a":1}`, `{"a":2}`},
		{`[1,2,3]`, `[1]`},
		{`{"a":{"b":[{"c":null}]}}`, `{"a":{"b":[{"c":"x"}],"d":true}}`},
		{`1e400`, `1E400`},
		{`"\u00e9"`, `"é"`},
		{`{"a":1}`, `not json`},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		isJSON, values, _, _ := Bodies(a, b)
		if len(values) > MaxValues {
			t.Fatalf("%d values", len(values))
		}
		// A value compared with itself never differs.
		if va, ok := parseJSON(a); ok {
			if vs, note := JSON(va, va); len(vs) != 0 || note != "" {
				t.Fatalf("%q differs from itself: %v", a, vs)
			}
		}
		if isJSON {
			// Swapping the sides swaps added and removed, nothing more.
			_, back, _, _ := Bodies(b, a)
			if len(back) != len(values) {
				t.Fatalf("%d differences one way, %d the other", len(values), len(back))
			}
		}
	})
}

// TestTextAlignsScatteredChanges: 200 changed lines spread over 20,000
// are aligned, each a removal and an addition, the rest kept.
func TestTextAlignsScatteredChanges(t *testing.T) {
	var a, b strings.Builder
	for i := range MaxLines {
		fmt.Fprintf(&a, "line %d\n", i)
		if i%100 == 50 {
			fmt.Fprintf(&b, "changed %d\n", i)
		} else {
			fmt.Fprintf(&b, "line %d\n", i)
		}
	}
	lines, note := Text(a.String(), b.String())
	n := map[byte]int{}
	for _, l := range lines {
		n[l.Op]++
	}
	if note != "" || n['-'] != 200 || n['+'] != 200 || n[' '] != MaxLines-200 {
		t.Errorf("note %q, counts %v", note, n)
	}
}

// FuzzText: the kept and removed lines of a diff are the old text, the
// kept and added ones the new.
func FuzzText(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n")
	f.Add("", "x")
	f.Add("x\ny\nx\ny\n", "y\nx\ny\nx\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		lines, note := Text(a, b)
		if note != "" {
			return // cut, or not aligned
		}
		la, _ := splitLines(a)
		lb, _ := splitLines(b)
		var ra, rb []string
		for _, l := range lines {
			switch l.Op {
			case ' ':
				ra, rb = append(ra, l.Text), append(rb, l.Text)
			case '-':
				ra = append(ra, l.Text)
			case '+':
				rb = append(rb, l.Text)
			default:
				t.Fatalf("op %q", l.Op)
			}
		}
		if !slices.Equal(ra, la) || !slices.Equal(rb, lb) {
			t.Fatalf("diff of %q and %q does not rebuild them: %v", a, b, lines)
		}
	})
}
