package requester

import (
	"net/url"
	"strings"
	"testing"
)

func TestExpandURLEscapesByPart(t *testing.T) {
	vars := Vars{
		"base":  "http://example.com:8080/api?x=1",
		"host":  "example.com",
		"amp":   "a&b=c",
		"plus":  "1+1 = 2",
		"pct":   "100%",
		"hash":  "#top",
		"seg":   "users/42",
		"qpath": "what?#",
		"name":  "k=v&w",
	}
	tests := []struct{ name, in, want string }{
		{"base URL verbatim", "{{base}}", "http://example.com:8080/api?x=1"},
		{"host verbatim", "http://{{host}}/x", "http://example.com/x"},
		{"query value with & and =", "http://h/x?q={{amp}}&n=1", "http://h/x?q=a%26b=c&n=1"},
		{"query value with + and %", "http://h/?a={{plus}}&b={{pct}}", "http://h/?a=1%2B1 = 2&b=100%25"},
		{"query value with #", "http://h/?a={{hash}}", "http://h/?a=%23top"},
		{"query name escapes =", "http://h/?{{name}}=1", "http://h/?k%3Dv%26w=1"},
		{"query after a base with a query", "{{base}}&q={{amp}}", "http://example.com:8080/api?x=1&q=a%26b=c"},
		{"path keeps slashes", "http://h/{{seg}}/x", "http://h/users/42/x"},
		{"path escapes ? and #", "http://h/{{qpath}}", "http://h/what%3F%23"},
		{"path without scheme", "localhost:1/{{qpath}}", "localhost:1/what%3F%23"},
		{"fragment verbatim", "http://h/x#{{amp}}", "http://h/x#a&b=c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExpandURL(tt.in, vars)
			if err != nil || got != tt.want {
				t.Errorf("ExpandURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestPrepareQueryVariableStaysOneParameter is the bug the issue names:
// an "&" in a value split the query.
func TestPrepareQueryVariableStaysOneParameter(t *testing.T) {
	p, err := Prepare(Request{URL: "http://h/search?q={{q}}&page=2"}, Vars{"q": "salt & pepper=yes+no 100%"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		t.Fatal(err)
	}
	got := u.Query()
	if len(got) != 2 || got.Get("q") != "salt & pepper=yes+no 100%" || got.Get("page") != "2" {
		t.Errorf("sent %s: query %v, want q = the value whole and page=2", p.URL, got)
	}
}

func TestExpandURLUnknownVariable(t *testing.T) {
	if _, err := ExpandURL("http://h/?a={{nope}}", nil); err == nil {
		t.Fatal("an unknown variable expanded without error")
	}
}

// FuzzExpandURL: a value inserted as a query value always reads back as
// itself, and one parameter stays one parameter.
func FuzzExpandURL(f *testing.F) {
	for _, s := range []string{"", "a&b", "x=y", "100%", "#", "+", "a b", "ü", "%zz", "&&==##"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		out, err := ExpandURL("http://h/p?before=1&q={{v}}&after=2", Vars{"v": v})
		if err != nil {
			t.Fatal(err)
		}
		_, query, _, _ := splitURL(out)
		vals, err := url.ParseQuery(encodeQuery(query))
		if err != nil {
			return // bytes url.ParseQuery refuses (e.g. ";"); the shape is checked below
		}
		if len(vals["q"]) != 1 || vals.Get("before") != "1" || vals.Get("after") != "2" {
			t.Fatalf("value %q: query %q parsed as %v", v, query, vals)
		}
		if url.QueryEscape(vals.Get("q")) != url.QueryEscape(v) && !containsInvalidUTF8OrSemicolon(v) {
			t.Fatalf("value %q read back as %q", v, vals.Get("q"))
		}
	})
}

func containsInvalidUTF8OrSemicolon(s string) bool {
	for _, r := range s {
		if r == 0xFFFD || r == ';' {
			return true
		}
	}
	return false
}

// FuzzExpand: any template expands or names an unknown variable; text
// without "{{" comes back unchanged.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"", "plain", "{{id}}", "{{ id }}", "{{{id}}}", "{{a {{id}}", "{{", "}}", "{{}}", "{{$uuid}}", "{{nope}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Expand(s, Vars{"id": "42"})
		if err != nil {
			if _, ok := err.(*UnknownVariableError); !ok {
				t.Fatalf("Expand(%q): error of type %T: %v", s, err, err)
			}
			return
		}
		if !strings.Contains(s, "{{") && out != s {
			t.Fatalf("Expand(%q) = %q, want it unchanged", s, out)
		}
	})
}
