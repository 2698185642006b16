package capture

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRuleValidate(t *testing.T) {
	ok := Rule{Endpoint: "github", Status: 202, Header: http.Header{"X-Ok": {"1"}}, Delay: 2 * time.Second}
	with := func(f func(*Rule)) Rule {
		r := ok
		r.Header = ok.Header.Clone()
		f(&r)
		return r
	}
	cases := []struct {
		name  string
		rule  Rule
		field string // "" when valid
		msg   string
	}{
		{"valid", ok, "", ""},
		{"root", with(func(r *Rule) { r.Endpoint = "/" }), "", ""},
		{"status 200", with(func(r *Rule) { r.Status = 200 }), "", ""},
		{"status 599", with(func(r *Rule) { r.Status = 599 }), "", ""},
		{"delay 0", with(func(r *Rule) { r.Delay = 0 }), "", ""},
		{"delay 30s", with(func(r *Rule) { r.Delay = 30 * time.Second }), "", ""},
		{"tab in value", with(func(r *Rule) { r.Header.Set("X-A", "a\tb") }), "", ""},
		{"empty endpoint", with(func(r *Rule) { r.Endpoint = "" }), "Endpoint", "empty"},
		{"slash in endpoint", with(func(r *Rule) { r.Endpoint = "a/b" }), "Endpoint", `"a/b"`},
		{"leading slash", with(func(r *Rule) { r.Endpoint = "/github" }), "Endpoint", "slash"},
		{"status 99", with(func(r *Rule) { r.Status = 99 }), "Status", "99"},
		{"status 1xx", with(func(r *Rule) { r.Status = 100 }), "Status", "100"},
		{"status 600", with(func(r *Rule) { r.Status = 600 }), "Status", "600"},
		{"status 0", with(func(r *Rule) { r.Status = 0 }), "Status", "0"},
		{"negative delay", with(func(r *Rule) { r.Delay = -time.Second }), "Delay", "-1s"},
		{"delay over 30s", with(func(r *Rule) { r.Delay = 31 * time.Second }), "Delay", "31s"},
		{"space in header name", with(func(r *Rule) { r.Header["Bad Name"] = []string{"x"} }), "Header", `"Bad Name"`},
		{"empty header name", with(func(r *Rule) { r.Header[""] = []string{"x"} }), "Header", `""`},
		{"colon in header name", with(func(r *Rule) { r.Header["X:Y"] = []string{"x"} }), "Header", `"X:Y"`},
		{"newline in header value", with(func(r *Rule) { r.Header.Set("X-A", "a\r\nInjected: 1") }), "Header", "X-A"},
		{"content-length", with(func(r *Rule) { r.Header["content-length"] = []string{"3"} }), "Header", "content-length"},
		{"transfer-encoding", with(func(r *Rule) { r.Header.Set("Transfer-Encoding", "chunked") }), "Header", "Transfer-Encoding"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rule.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("want a *RuleError on %s, got %v", tc.field, err)
			}
			if re.Field != tc.field || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), strings.ToLower(tc.field)) {
				t.Fatalf("got field %s, error %q; want field %s mentioning %q", re.Field, err, tc.field, tc.msg)
			}
		})
	}
}

func TestDefaultRule(t *testing.T) {
	r := DefaultRule()
	r.Endpoint = "x"
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	status, h, body := r.Render(&Capture{ID: "cap_abc"})
	if status != 200 || h.Get("Content-Type") != "application/json" || string(body) != `{"ok":true,"id":"cap_abc"}` {
		t.Fatalf("got %d %v %s", status, h, body)
	}
}

func TestRuleRender(t *testing.T) {
	c := &Capture{ID: "cap_1", Header: http.Header{
		"X-Github-Delivery": {"d-42"},
		"X-Multi":           {"a", "b"},
		"odd_key":           {"raw"}, // as net/http keeps a key it cannot canonicalize
	}}
	cases := []struct{ body, want string }{
		{"", ""},
		{"plain", "plain"},
		{"{{capture.id}}", "cap_1"},
		{"{{ capture.id }}", "cap_1"},
		{"id={{capture.id}}, again {{capture.id}}", "id=cap_1, again cap_1"},
		{"{{request.header.X-GitHub-Delivery}}", "d-42"},
		{"{{request.header.x-github-delivery}}", "d-42"},
		{"{{request.header.ODD_KEY}}", "raw"},
		{"{{request.header.X-Multi}}", "a, b"},
		{"[{{request.header.X-Missing}}]", "[]"},
		{"{{unknown}} {{capture.id}}", "{{unknown}} cap_1"},
		{"{{request.header.}}", "{{request.header.}}"},
		{"{{request.header.Bad Name}}", "{{request.header.Bad Name}}"},
		{"{{{{capture.id}}}}", "{{cap_1}}"},
		{"{{capture.id", "{{capture.id"},
		{"}}{{", "}}{{"},
		{`{"ok":true,"id":"{{capture.id}}"}`, `{"ok":true,"id":"cap_1"}`},
	}
	for _, tc := range cases {
		r := Rule{Endpoint: "e", Status: 201, Body: tc.body}
		_, _, got := r.Render(c)
		if string(got) != tc.want {
			t.Errorf("Render(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}

	r := Rule{Status: 503, Header: http.Header{
		"retry-after": {"5"},
		"X-Echo":      {"{{request.header.X-GitHub-Delivery}}", "{{capture.id}}"},
	}}
	before := r.Header.Clone()
	status, h, _ := r.Render(c)
	want := http.Header{"Retry-After": {"5"}, "X-Echo": {"d-42", "cap_1"}}
	if status != 503 || !reflect.DeepEqual(h, want) {
		t.Fatalf("got %d %v, want 503 %v", status, h, want)
	}
	h.Set("X-Echo", "changed")
	if !reflect.DeepEqual(r.Header, before) {
		t.Fatal("Render's header aliases the rule's")
	}
}

func TestMemoryRules(t *testing.T) {
	var m MemoryRules // the zero value is usable
	if rules, err := m.Rules(); err != nil || len(rules) != 0 {
		t.Fatalf("empty store: %v %v", rules, err)
	}
	for _, ep := range []string{"stripe", "/", "github"} {
		r := DefaultRule()
		r.Endpoint = ep
		if err := m.SetRule(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.SetRule(Rule{Endpoint: "bad", Status: 42}); err == nil {
		t.Fatal("an invalid rule was stored")
	}
	replaced := Rule{Endpoint: "github", Status: 500, Header: http.Header{"X-A": {"1"}}}
	if err := m.SetRule(replaced); err != nil {
		t.Fatal(err)
	}
	replaced.Header.Set("X-A", "mutated after SetRule")

	rules, _ := m.Rules()
	var eps []string
	for _, r := range rules {
		eps = append(eps, r.Endpoint)
	}
	if !reflect.DeepEqual(eps, []string{"/", "github", "stripe"}) {
		t.Fatalf("endpoints %v, want sorted", eps)
	}
	if rules[1].Status != 500 || rules[1].Header.Get("X-A") != "1" {
		t.Fatalf("github rule %+v", rules[1])
	}
	rules[1].Header.Set("X-A", "mutated copy")
	if again, _ := m.Rules(); again[1].Header.Get("X-A") != "1" {
		t.Fatal("Rules returned the stored header map")
	}

	if err := m.DeleteRule("github"); err != nil {
		t.Fatal(err)
	}
	if err := m.DeleteRule("github"); err != nil {
		t.Fatalf("deleting a missing rule: %v", err)
	}
	if rules, _ := m.Rules(); len(rules) != 2 {
		t.Fatalf("after delete: %v", rules)
	}
}

func TestParseRespond(t *testing.T) {
	def := DefaultRule()
	cases := []struct {
		spec   string
		want   Rule
		errHas string
	}{
		{spec: "/github=202", want: Rule{Endpoint: "github", Status: 202, Header: def.Header, Body: def.Body}},
		{spec: "/github=500:delay=2s", want: Rule{Endpoint: "github", Status: 500, Header: def.Header, Body: def.Body, Delay: 2 * time.Second}},
		{spec: "/=201", want: Rule{Endpoint: "/", Status: 201, Header: def.Header, Body: def.Body}},
		{spec: `/stripe=200:body={"received":true}`, want: Rule{Endpoint: "stripe", Status: 200, Header: def.Header, Body: `{"received":true}`}},
		{spec: `/s=200:delay=150ms:body=a:b=c`, want: Rule{Endpoint: "s", Status: 200, Header: def.Header, Body: "a:b=c", Delay: 150 * time.Millisecond}},
		{spec: `/s=204:body=`, want: Rule{Endpoint: "s", Status: 204, Header: def.Header, Body: ""}},

		{spec: "", errHas: "want /endpoint=status"},
		{spec: "/github", errHas: "want /endpoint=status"},
		{spec: "github=202", errHas: `path "github" must start with /`},
		{spec: "/a/b=202", errHas: `path "/a/b" has more than one segment`},
		{spec: "/github=", errHas: `status "" is not a number`},
		{spec: "/github=ok", errHas: `status "ok" is not a number`},
		{spec: "/github=42", errHas: "rule status: 42 is not between 200 and 599"},
		{spec: "/github=200:delay=soon", errHas: `delay "soon" is not a duration`},
		{spec: "/github=200:delay=31s", errHas: "rule delay: 31s is not between"},
		{spec: "/github=200:delay=1s:delay=2s", errHas: "delay given twice"},
		{spec: "/github=200:type=text", errHas: `unknown option "type=text"`},
		{spec: "/github=200:", errHas: `unknown option ""`},
		{spec: "/github=200:delay=1s:", errHas: `unknown option ""`},
	}
	for _, tc := range cases {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := ParseRespond(tc.spec)
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) || !strings.Contains(err.Error(), tc.spec) {
					t.Fatalf("error %v, want one quoting the spec and saying %q", err, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
