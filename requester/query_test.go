package requester

import (
	"reflect"
	"testing"
)

func TestParamsFromURL(t *testing.T) {
	tests := []struct {
		url  string
		want []Param
	}{
		{"http://h/p", nil},
		{"http://h/p?", nil},
		{"http://h/p?z=1&a=2&a=1", []Param{{Name: "z", Value: "1"}, {Name: "a", Value: "2"}, {Name: "a", Value: "1"}}},
		{"http://h/?q=a%20b+c&e=%zz", []Param{{Name: "q", Value: "a%20b+c"}, {Name: "e", Value: "%zz"}}},
		{"http://h/?a&b=&=v", []Param{{Name: "a"}, {Name: "b"}, {Name: "", Value: "v"}}},
		{"http://h/?a=1&&b=2&", []Param{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}}},
		{"http://h/?k=x=y", []Param{{Name: "k", Value: "x=y"}}},
		{"http://h/?a=1#frag?b=2", []Param{{Name: "a", Value: "1"}}},
		{"http://h/#x?a=1", nil},
		{"{{base}}/items?id={{id}}&q=a b", []Param{{Name: "id", Value: "{{id}}"}, {Name: "q", Value: "a b"}}},
	}
	for _, tt := range tests {
		if got := ParamsFromURL(tt.url); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParamsFromURL(%q) = %+v; want %+v", tt.url, got, tt.want)
		}
	}
}

func TestURLWithParams(t *testing.T) {
	tests := []struct {
		name, url string
		params    []Param
		want      string
	}{
		{"adds query", "http://h/p", []Param{{Name: "a", Value: "1"}}, "http://h/p?a=1"},
		{"replaces query, keeps order and dups", "http://h/p?old=1", []Param{{Name: "z", Value: "1"}, {Name: "a", Value: "2"}, {Name: "a", Value: "1"}}, "http://h/p?z=1&a=2&a=1"},
		{"skips disabled and empty rows", "http://h/p", []Param{{Name: "a", Value: "1"}, {Name: "b", Value: "2", Disabled: true}, {}, {Name: "c"}}, "http://h/p?a=1&c"},
		{"removes ? when none left", "http://h/p?a=1", []Param{{Name: "a", Value: "1", Disabled: true}}, "http://h/p"},
		{"keeps fragment", "http://h/p?a=1#top", []Param{{Name: "b", Value: "2"}}, "http://h/p?b=2#top"},
		{"fragment without query", "http://h/p#top", nil, "http://h/p#top"},
		{"values as typed", "{{base}}/x", []Param{{Name: "q", Value: "a%20b c+d"}, {Name: "v", Value: "{{id}}"}}, "{{base}}/x?q=a%20b c+d&v={{id}}"},
		{"structural characters encoded", "http://h/", []Param{{Name: "a=b", Value: "x&y#z=w"}}, "http://h/?a%3Db=x%26y%23z=w"},
		{"empty name with value", "http://h/", []Param{{Value: "v"}}, "http://h/?=v"},
		{"untouched rows keep their spelling", "http://h/?a=&b=1&flag", []Param{{Name: "a"}, {Name: "b", Value: "2"}, {Name: "flag"}}, "http://h/?a=&b=2&flag"},
		{"a duplicate keeps each spelling once", "http://h/?a=&a", []Param{{Name: "a"}, {Name: "a"}, {Name: "a"}}, "http://h/?a=&a&a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := URLWithParams(tt.url, tt.params)
			if got != tt.want {
				t.Fatalf("URLWithParams = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestParamsRoundTrip(t *testing.T) {
	for _, u := range []string{"http://h/p?z=1&a=2&a=1&flag&e=%41%zz#f", "http://h/p"} {
		if got := URLWithParams(u, ParamsFromURL(u)); got != u {
			t.Errorf("round trip of %q = %q", u, got)
		}
	}
}

func TestSyncParams(t *testing.T) {
	on := func(n, v string) Param { return Param{Name: n, Value: v} }
	off := func(n, v string) Param { return Param{Name: n, Value: v, Disabled: true} }
	tests := []struct {
		name           string
		old, url, want []Param
	}{
		{"no old rows", nil, []Param{on("a", "1")}, []Param{on("a", "1")}},
		{"value edited, disabled row stays between",
			[]Param{on("a", "1"), off("b", "2"), on("c", "3")},
			[]Param{on("a", "1"), on("c", "4")},
			[]Param{on("a", "1"), off("b", "2"), on("c", "4")}},
		{"param added at the end",
			[]Param{off("x", ""), on("a", "1")},
			[]Param{on("a", "1"), on("b", "2")},
			[]Param{off("x", ""), on("a", "1"), on("b", "2")}},
		{"param removed",
			[]Param{on("a", "1"), on("c", "3"), off("d", "4")},
			[]Param{on("a", "1")},
			[]Param{on("a", "1"), off("d", "4")}},
		{"query cleared keeps disabled rows",
			[]Param{on("a", "1"), off("b", "2")},
			nil,
			[]Param{off("b", "2")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SyncParams(tt.old, tt.url); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("SyncParams = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestEncodeQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"z=1&a=2&a=1", "z=1&a=2&a=1"},
		{"a=%2F%2f&b=%41", "a=%2F%2f&b=%41"}, // escapes kept, case too
		{"q=a b", "q=a%20b"},                 // space
		{"t=\x01\x7f", "t=%01%7F"},           // controls
		{"n=é", "n=%C3%A9"},                  // non-ASCII, as UTF-8
		{"p=%zz&r=100%", "p=%25zz&r=100%25"}, // a lone % is literal
		{`x="<>[\]^` + "`{|}", "x=%22%3C%3E%5B%5C%5D%5E%60%7B%7C%7D"},
		{"ok=-._~!$&'()*+,;=:@/?", "ok=-._~!$&'()*+,;=:@/?"}, // all legal
	}
	for _, tt := range tests {
		if got := encodeQuery(tt.in); got != tt.want {
			t.Errorf("encodeQuery(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSendQueryOnTheWire(t *testing.T) {
	srv, got := recorder(t, nil)
	c := NewClient()
	tests := []struct {
		name, url, wantURI string
	}{
		{"order and duplicates", "/p?z=1&a=2&a=1", "/p?z=1&a=2&a=1"},
		{"escapes kept as written", "/p?a=%2f&b=%2F&c=a+b", "/p?a=%2f&b=%2F&c=a+b"},
		{"illegal bytes encoded", "/p?q=a b&n=é&j={\"k\":1}", "/p?q=a%20b&n=%C3%A9&j=%7B%22k%22:1%7D"},
		{"empty values and bare names", "/p?a=&b&=c", "/p?a=&b&=c"},
		{"semicolons", "/p?a=1;b=2", "/p?a=1;b=2"},
		{"fragment not sent", "/p?a=1#frag", "/p?a=1"},
		{"variables expand", "/p?id={{id}}&t=x", "/p?id=7%20x&t=x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send(t, c, Request{URL: "{{base}}" + tt.url}, Vars{"base": srv.URL, "id": "7 x"})
			if g := <-got; g.uri != tt.wantURI {
				t.Fatalf("server saw %q; want %q", g.uri, tt.wantURI)
			}
		})
	}
}
