package highlight

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValueAt(t *testing.T) {
	body := `{"id":"evt_1","data":{"object":{"id":"pay_1","items":[{"sku":"a"},{"sku":"b"}],"odd key":1}},` +
		`"tags":["x","y"], "spaced" : [ 1.50e3 , {"q\"uote":"\u00e9"} ] , "n":null,"t":true,"e":[],"last":-0.5}`
	for _, tc := range []struct {
		path, want string
		ok         bool
	}{
		{"$", body, true},
		{"$.id", `"evt_1"`, true},
		{"$.data.object.items", `[{"sku":"a"},{"sku":"b"}]`, true},
		{"$.data.object.items[1]", `{"sku":"b"}`, true},
		{"$.data.object.items[1].sku", `"b"`, true},
		{`$.data.object["odd key"]`, `1`, true},
		{"$.tags[0]", `"x"`, true},
		{"$.spaced", `[ 1.50e3 , {"q\"uote":"\u00e9"} ]`, true},
		{"$.spaced[0]", `1.50e3`, true},
		{`$.spaced[1]["q\"uote"]`, `"\u00e9"`, true},
		{"$.n", `null`, true},
		{"$.t", `true`, true},
		{"$.e", `[]`, true},
		{"$.last", `-0.5`, true},
		{"$.data.object.items[2]", "", false},
		{"$.e[0]", "", false},
		{"$.nope", "", false},
		{"$.id.deeper", "", false},
		{"$.tags.x", "", false},
		{"$[0]", "", false},
		{"data", "", false},
		{"$.", "", false},
		{"$[x]", "", false},
		{`$["unclosed`, "", false},
	} {
		got, ok := ValueAt([]byte(body), tc.path)
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("%s: got %q %v, want %q %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestValueAtCutBody(t *testing.T) {
	body := `{"a":{"b":[1,2,3]},"c":"long string`
	if got, ok := ValueAt([]byte(body), "$.a.b"); !ok || string(got) != "[1,2,3]" {
		t.Errorf("a value before the cut: %q %v", got, ok)
	}
	for _, path := range []string{"$", "$.c", "$.d"} {
		if got, ok := ValueAt([]byte(body), path); ok {
			t.Errorf("%s of a cut body: %q", path, got)
		}
	}
}

// TestValueAtEveryRow: the path of every row of a pretty-printed body
// names a value, and that value is the JSON the row belongs to.
func TestValueAtEveryRow(t *testing.T) {
	body := []byte(`{"id":"evt_1","data":{"object":{"id":"pay_1","items":[{"sku":"a"},{"sku":"b"}],"odd key":1}},"tags":["x","y"],"nested":[[1,[2]],{}]}`)
	res := Render("application/json", body, true)
	for row := range res.Lines {
		path, ok := PathAt(res.Lines, row)
		if !ok {
			t.Fatalf("row %d has no path", row)
		}
		v, ok := ValueAt(body, path)
		if !ok || !json.Valid(v) {
			t.Errorf("row %d %q: path %s gives %q %v", row, text(res.Lines[row]), path, v, ok)
		}
		if row > 0 && strings.Contains(text(res.Lines[row]), `"sku": "b"`) && string(v) != `"b"` {
			t.Errorf("row %d: %s is %q", row, path, v)
		}
	}
}

func FuzzValueAt(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"c"}]}`), "$.a[1].b")
	f.Add([]byte(`[1,2`), "$[1]")
	f.Add([]byte(`{"a\"b":1}`), `$["a\"b"]`)
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		v, ok := ValueAt(body, path)
		if ok && json.Valid(body) && !json.Valid(v) {
			t.Fatalf("%s in a valid body gave invalid JSON %q", path, v)
		}
	})
}
