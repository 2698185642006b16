package requester

import (
	"errors"
	"testing"
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
