package requester

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestPrepareExpands(t *testing.T) {
	vars := Vars{"base": "http://example.com", "id": "7", "hdr": "X-Trace", "token": "s3cret"}
	p, err := Prepare(Request{
		Method: "PUT",
		URL:    " {{base}}/items/{{id}}?v={{id}}\n",
		Headers: []Header{
			{Name: "Authorization", Value: "Bearer {{token}}"},
			{Name: "{{hdr}}", Value: "{{id}}"},
			{Name: "X-Multi", Value: "a"},
			{Name: "x-multi", Value: "b"},
			{Name: "X-Off", Value: "{{missing}}", Disabled: true},
			{Name: "  ", Value: ""},
		},
		Body: Body{Kind: BodyJSON, Text: `{"id": {{id}}}`},
	}, vars)
	if err != nil {
		t.Fatal(err)
	}
	want := &Prepared{
		Method: "PUT",
		URL:    "http://example.com/items/7?v=7",
		Header: http.Header{
			"Authorization": {"Bearer s3cret"},
			"X-Trace":       {"7"},
			"X-Multi":       {"a", "b"},
			"Content-Type":  {"application/json"},
		},
		Body:     []byte(`{"id": 7}`),
		BodySize: 9,
		Names:    []string{"Authorization", "X-Trace", "X-Multi", "x-multi"},
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("Prepare =\n%+v\nwant\n%+v", p, want)
	}
}

func TestPrepareDefaults(t *testing.T) {
	p, err := Prepare(Request{URL: "https://example.com"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Method != http.MethodGet || p.Body != nil || len(p.Header) != 0 {
		t.Fatalf("Prepare = %+v; want GET, no body, no headers", p)
	}
}

func TestPrepareUnknownVariableWhere(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"URL", Request{URL: "http://{{nope}}/"}, "URL"},
		{"header value", Request{URL: "http://h/", Headers: []Header{{Name: "X-Foo", Value: "{{nope}}"}}}, "header X-Foo"},
		{"header name", Request{URL: "http://h/", Headers: []Header{{Name: "X-{{nope}}", Value: "v"}}}, "header X-{{nope}}"},
		{"body", Request{URL: "http://h/", Body: Body{Kind: BodyText, Text: "a {{nope}}"}}, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Prepare(tt.req, Vars{})
			var uv *UnknownVariableError
			if !errors.As(err, &uv) || uv.Name != "nope" || uv.Where != tt.want {
				t.Fatalf("err = %#v; want unknown {{nope}} in %s", err, tt.want)
			}
			if want := "unknown variable {{nope}} in " + tt.want; err.Error() != want {
				t.Fatalf("Error() = %q; want %q", err, want)
			}
		})
	}
}

func TestPrepareBadURL(t *testing.T) {
	tests := []struct {
		url, reason string
	}{
		{"", "the URL is empty"},
		{"http://exa mple.com/", "invalid character"},
		{"http://[::1/", "missing ']' in host"},
		{"ftp://example.com/file", `unsupported scheme "ftp"; use http or https`},
		{"not a url", "missing scheme"},
		{"mailto:me@example.com", `unsupported scheme "mailto"`},
		{"http:///path", "missing host"},
		{"https://:8080/", "missing host"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := Prepare(Request{URL: tt.url}, nil)
			var ue *URLError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v; want *URLError", err)
			}
			if ue.URL != tt.url || !strings.Contains(ue.Reason, tt.reason) {
				t.Fatalf("err = %+v; want URL %q, reason containing %q", ue, tt.url, tt.reason)
			}
		})
	}
}

func TestURLErrorMessage(t *testing.T) {
	_, err := Prepare(Request{URL: "ftp://x"}, nil)
	want := `invalid URL "ftp://x": unsupported scheme "ftp"; use http or https`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v; want %s", err, want)
	}
}

func TestWithScheme(t *testing.T) {
	for in, want := range map[string]string{
		"localhost:18931/x":     "http://localhost:18931/x",
		"127.0.0.1:18931/x":     "http://127.0.0.1:18931/x",
		"api.test/v1?a=1":       "http://api.test/v1?a=1",
		"localhost":             "http://localhost",
		"[::1]:8080/x":          "http://[::1]:8080/x",
		"https://api.test":      "https://api.test",
		"ftp://api.test":        "ftp://api.test",
		"mailto:me@example.com": "mailto:me@example.com",
		"/relative":             "/relative",
		"":                      "",
		"{{base}}/x":            "{{base}}/x",
		"not a url":             "not a url",
	} {
		if got := WithScheme(in); got != want {
			t.Errorf("WithScheme(%q) = %q; want %q", in, got, want)
		}
	}
	p, err := Prepare(Request{URL: "127.0.0.1:18931/x?a=b c"}, nil)
	if err != nil || p.URL != "http://127.0.0.1:18931/x?a=b%20c" {
		t.Errorf("Prepare = %v, %v", p, err)
	}
}
