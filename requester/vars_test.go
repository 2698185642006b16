package requester

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestExpand(t *testing.T) {
	vars := Vars{"host": "example.com", "id": "42", "empty": "", "tricky": "{{id}}"}
	tests := []struct {
		name, in, want string
		unknown        string // expected unknown name; "-" means no error
	}{
		{"no variables", "plain text", "plain text", "-"},
		{"simple", "http://{{host}}/x", "http://example.com/x", "-"},
		{"whitespace in braces", "{{ host }}/{{\tid }}", "example.com/42", "-"},
		{"multiple", "{{host}}/items/{{id}}?again={{id}}", "example.com/items/42?again=42", "-"},
		{"adjacent", "{{host}}{{id}}", "example.com42", "-"},
		{"empty value", "a{{empty}}b", "ab", "-"},
		{"value not re-expanded", "v={{tricky}}", "v={{id}}", "-"},
		{"unterminated", "x {{foo", "x {{foo", "-"},
		{"unterminated after variable", "{{id}} {{foo", "42 {{foo", "-"},
		{"single braces untouched", `{"a":{"b":1}}`, `{"a":{"b":1}}`, "-"},
		{"extra outer braces", "{{{id}}}", "{42}", "-"},
		{"stray opening before variable", "{{a {{id}}", "{{a 42", "-"},
		{"json body", `{"id":{{id}}}`, `{"id":42}`, "-"},
		{"unknown", "x {{foo}} y", "", "foo"},
		{"unknown trimmed", "{{ foo }}", "", "foo"},
		{"empty name", "{{}}", "", ""},
		{"blank name", "{{  }}", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expand(tt.in, vars)
			if tt.unknown == "-" {
				if err != nil || got != tt.want {
					t.Fatalf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			var uv *UnknownVariableError
			if !errors.As(err, &uv) {
				t.Fatalf("Expand(%q) error = %v; want *UnknownVariableError", tt.in, err)
			}
			if uv.Name != tt.unknown || uv.Where != "" {
				t.Fatalf("error = %+v; want Name %q, empty Where", uv, tt.unknown)
			}
		})
	}
}

func TestUnknownVariableErrorMessage(t *testing.T) {
	tests := []struct {
		err  UnknownVariableError
		want string
	}{
		{UnknownVariableError{Name: "foo", Where: "URL"}, "unknown variable {{foo}} in URL"},
		{UnknownVariableError{Name: "foo"}, "unknown variable {{foo}}"},
		{UnknownVariableError{Where: "body"}, "empty variable name {{}} in body"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q; want %q", got, tt.want)
		}
	}
}

func TestExpandBuiltins(t *testing.T) {
	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	before := time.Now()
	out, err := Expand("{{$uuid}} {{ $uuid }} {{$timestamp}} {{$isoTimestamp}} {{$randomInt}}", nil)
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(out)
	if len(f) != 5 {
		t.Fatalf("Expand = %q", out)
	}
	if !uuidRE.MatchString(f[0]) || !uuidRE.MatchString(f[1]) || f[0] == f[1] {
		t.Errorf("$uuid gave %q and %q; want two different v4 UUIDs", f[0], f[1])
	}
	if ts, err := strconv.ParseInt(f[2], 10, 64); err != nil || ts < before.Unix() || ts > after.Unix() {
		t.Errorf("$timestamp = %q; want Unix seconds between %d and %d", f[2], before.Unix(), after.Unix())
	}
	iso, err := time.Parse(time.RFC3339Nano, f[3])
	if err != nil || !strings.HasSuffix(f[3], "Z") || len(f[3]) != len("2006-01-02T15:04:05.000Z") ||
		iso.Before(before.Truncate(time.Millisecond)) || iso.After(after) {
		t.Errorf("$isoTimestamp = %q (%v); want UTC RFC 3339 with milliseconds, now", f[3], err)
	}
	if n, err := strconv.Atoi(f[4]); err != nil || n < 0 || n > 1000 {
		t.Errorf("$randomInt = %q; want 0 to 1000", f[4])
	}

	// Fresh per occurrence: 50 draws of 0..1000 are not all equal.
	out, _ = Expand(strings.Repeat("{{$randomInt}} ", 50), nil)
	seen := map[string]bool{}
	for _, v := range strings.Fields(out) {
		seen[v] = true
	}
	if len(seen) < 2 {
		t.Errorf("$randomInt not fresh: %q", out)
	}

	// A variable of the same name shadows the built-in.
	if out, err := Expand("{{$timestamp}}", Vars{"$timestamp": "fixed"}); err != nil || out != "fixed" {
		t.Errorf("shadowed $timestamp = %q, %v", out, err)
	}
	var uv *UnknownVariableError
	if _, err := Expand("{{$nope}}", nil); !errors.As(err, &uv) || uv.Name != "$nope" {
		t.Errorf("unknown built-in: err = %v", err)
	}
}

func TestExpandRequest(t *testing.T) {
	r := Request{
		Method:  "POST",
		URL:     "{{base}}/p?x={{id}}",
		Params:  []Param{{Name: "x", Value: "{{id}}"}, {Name: "off", Value: "{{nope}}", Disabled: true}},
		Headers: []Header{{Name: "X-Hook", Value: "{{webhook_url}}"}},
		Body:    Body{Kind: BodyJSON, Text: `{"cb":"{{webhook_url}}"}`},
		Auth:    Auth{Kind: AuthBearer, Token: "{{tok}}"},
	}
	vars := Vars{"base": "http://h", "id": "7", "webhook_url": "http://127.0.0.1:8088/", "tok": "s3"}
	got, err := ExpandRequest(r, vars)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != "http://h/p?x=7" || got.Params[0].Value != "7" || got.Params[1].Value != "{{nope}}" ||
		got.Headers[0].Value != "http://127.0.0.1:8088/" || got.Body.Text != `{"cb":"http://127.0.0.1:8088/"}` || got.Auth.Token != "s3" {
		t.Errorf("ExpandRequest = %+v", got)
	}
	if r.Params[0].Value != "{{id}}" || r.Headers[0].Value != "{{webhook_url}}" {
		t.Errorf("the request given was changed: %+v", r)
	}
	r.Headers = append(r.Headers, Header{Name: "X-Missing", Value: "{{missing}}"})
	var uv *UnknownVariableError
	if _, err := ExpandRequest(r, vars); !errors.As(err, &uv) || uv.Name != "missing" || uv.Where != "header X-Missing" {
		t.Errorf("err = %v; want the unknown variable named with where", err)
	}
}
