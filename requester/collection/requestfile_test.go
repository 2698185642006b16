package collection

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hooklab/requester"
)

// roundTripCases cover every body kind, every auth kind and every option.
var roundTripCases = []requester.Request{
	{
		Name:   "Create payment",
		Method: "POST",
		URL:    "{{base_url}}/v1/payments?expand=customer&dry run=1",
		Params: []requester.Param{{Name: "expand", Value: "customer"}, {Name: "dry run", Value: "1"}, {Name: "old", Value: "x", Disabled: true}},
		Headers: []requester.Header{
			{Name: "Content-Type", Value: "application/json"},
			{Name: "Idempotency-Key", Value: "{{key}}", Disabled: true},
			{Name: "X-Empty", Value: ""},
		},
		Body: requester.Body{Kind: requester.BodyJSON, Text: "{\n  \"amount\": 1200,\n  \"currency\": \"eur\"\n}"},
		Auth: requester.Auth{Kind: requester.AuthBearer, Token: "{{token}}"},
		Options: requester.Options{
			Timeout: 5 * time.Second, NoRedirects: true, MaxRedirects: 3, Insecure: true,
			CACert: "certs/ca.pem", ClientCert: "certs/client.pem", ClientKey: "/abs/client.key",
			Proxy: "socks5://127.0.0.1:1080",
		},
	},
	{
		Name: "XML with basic", Method: "PUT", URL: "https://example.com/a",
		Body: requester.Body{Kind: requester.BodyXML, Text: "<a>\n  <b/>\n</a>\n"},
		Auth: requester.Auth{Kind: requester.AuthBasic, Username: "user", Password: "p: #ss"},
	},
	{
		Name: "Text with digest", Method: "POST", URL: "http://h/",
		Body: requester.Body{Kind: requester.BodyText, Text: "  leading spaces\r\nCRLF line\ttab\n\ntrailing blank\n\n"},
		Auth: requester.Auth{Kind: requester.AuthDigest, Username: "u", Password: "p"},
	},
	{
		Name: "Form with api key", Method: "POST", URL: "http://h/form",
		Body: requester.Body{Kind: requester.BodyForm, Form: []requester.Param{
			{Name: "a", Value: "1"}, {Name: "b", Value: "two words"}, {Name: "c", Value: "", Disabled: true},
		}},
		Auth: requester.Auth{Kind: requester.AuthAPIKey, Key: "X-Api-Key", Value: "{{key}}"},
	},
	{
		Name: "Multipart with api key in query", Method: "POST", URL: "http://h/upload",
		Body: requester.Body{Kind: requester.BodyMultipart, Parts: []requester.Part{
			{Name: "note", Value: "hello"},
			{Name: "meta", Value: `{"a":1}`, ContentType: "application/json"},
			{Name: "file", File: "files/receipt.pdf", ContentType: "application/pdf"},
			{Name: "old", File: "/tmp/x.bin", Disabled: true},
		}},
		Auth: requester.Auth{Kind: requester.AuthAPIKey, Key: "api_key", Value: "secret", InQuery: true},
	},
	{
		Name: "File body", Method: "POST", URL: "http://h/raw",
		Body: requester.Body{Kind: requester.BodyFile, File: "payloads/event.json"},
	},
	{
		Name: "GraphQL search", Method: "POST", URL: "{{base_url}}/graphql",
		Headers: []requester.Header{{Name: "X-Trace", Value: "1"}},
		Body: requester.Body{Kind: requester.BodyGraphQL, GraphQL: requester.GraphQL{
			Query: "query Q($id: ID!) {\n  node(id: $id) { id }\n}", Variables: `{"id": "1"}`,
		}},
		Auth: requester.Auth{Kind: requester.AuthBearer, Token: "t"},
	},
	{
		Name: "- tricky: #values", Method: "PATCH", URL: "http://h/a?b=1#frag",
		Headers: []requester.Header{
			{Name: "A", Value: "true"}, {Name: "B", Value: "10"}, {Name: "C", Value: "null"},
			{Name: "D", Value: "- x"}, {Name: "E", Value: ": x"}, {Name: "F", Value: "#x"},
			{Name: "G", Value: " padded "}, {Name: "H", Value: "'quoted'"}, {Name: "I", Value: "ünïcødé ✓"},
			{Name: "J", Value: "a: b"}, {Name: "K", Value: "0x1F"}, {Name: "L", Value: "~"},
		},
	},
	{Name: "Custom method", Method: "PURGE", URL: "http://h/cache"},
	{Name: "Empty JSON", Method: "POST", URL: "http://h/", Body: requester.Body{Kind: requester.BodyJSON}},
	{Name: "One-line JSON", Method: "POST", URL: "http://h/", Body: requester.Body{Kind: requester.BodyJSON, Text: `{"a": "b: #c"}`}},
	{Name: "Indented text", Method: "POST", URL: "http://h/", Body: requester.Body{Kind: requester.BodyText, Text: "  indented first\nsecond  \n\tthird"}},
	{Name: "Empty GraphQL", Method: "POST", URL: "http://h/", Body: requester.Body{Kind: requester.BodyGraphQL}},
}

func TestSaveReloadRoundTrip(t *testing.T) {
	root := t.TempDir()
	if _, err := Create(root, "Round trip"); err != nil {
		t.Fatal(err)
	}
	for _, want := range roundTripCases {
		rel, err := NewRequest(root, "", "", want)
		if err != nil {
			t.Fatalf("%s: %v", want.Name, err)
		}
		// Through Load: the Hooklab-only options are in opencollection.yml.
		loaded, err := Load(root)
		if err != nil {
			t.Fatalf("%s: %v", want.Name, err)
		}
		it := Lookup(loaded.Items, rel)
		if it == nil || it.Request == nil {
			t.Fatalf("%s: %s not loaded; problems %v", want.Name, rel, loaded.Problems)
		}
		got := *it.Request
		if !reflect.DeepEqual(got, want) {
			data, _ := os.ReadFile(filepath.Join(root, rel))
			t.Errorf("%s: reloaded\n%#v\nwant\n%#v\nfile:\n%s", want.Name, got, want, data)
		}
		// Saving what was loaded changes nothing.
		before, _ := os.ReadFile(filepath.Join(root, rel))
		if err := SaveRequest(root, rel, got); err != nil {
			t.Fatal(err)
		}
		after, _ := os.ReadFile(filepath.Join(root, rel))
		if string(before) != string(after) {
			t.Errorf("%s: second save changed the file:\n%s\n---\n%s", want.Name, before, after)
		}
	}
	c, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) > 0 || len(c.Items) != len(roundTripCases) {
		t.Fatalf("load: %d items, problems %v", len(c.Items), c.Problems)
	}
	for i, it := range c.Items {
		if it.Seq != i+1 || it.Name != roundTripCases[i].Name {
			t.Errorf("item %d = %q seq %d, want %q seq %d", i, it.Name, it.Seq, roundTripCases[i].Name, i+1)
		}
	}
}

func TestRequestFileLayout(t *testing.T) {
	got, err := encodeRequest(roundTripCases[0], 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `info:
  name: Create payment
  type: http
  seq: 1

http:
  method: POST
  url: "{{base_url}}/v1/payments?expand=customer&dry run=1"
  params:
    - name: expand
      value: customer
      type: query
    - name: dry run
      value: "1"
      type: query
    - name: old
      value: x
      type: query
      disabled: true
  headers:
    - name: Content-Type
      value: application/json
    - name: Idempotency-Key
      value: "{{key}}"
      disabled: true
    - name: X-Empty
      value: ""
  body:
    type: json
    data: |-
      {
        "amount": 1200,
        "currency": "eur"
      }
  auth:
    type: bearer
    token: "{{token}}"

settings:
  timeout: 5000
  followRedirects: false
  maxRedirects: 3
`
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestOneHeaderChangeIsOneLine(t *testing.T) {
	root := t.TempDir()
	if _, err := Create(root, "Diff"); err != nil {
		t.Fatal(err)
	}
	r := roundTripCases[0]
	rel, err := NewRequest(root, "", "", r)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(root, rel))
	r.Headers = append([]requester.Header(nil), r.Headers...)
	r.Headers[0].Value = "application/vnd.api+json"
	if err := SaveRequest(root, rel, r); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(root, rel))
	a, b := strings.Split(string(before), "\n"), strings.Split(string(after), "\n")
	if len(a) != len(b) {
		t.Fatalf("line count changed: %d → %d", len(a), len(b))
	}
	var diff []string
	for i := range a {
		if a[i] != b[i] {
			diff = append(diff, a[i]+" → "+b[i])
		}
	}
	if len(diff) != 1 || !strings.Contains(diff[0], "application/vnd.api+json") {
		t.Errorf("changed lines: %q", diff)
	}
}

// A file Bruno wrote keeps what Hooklab does not model (runtime, docs, tags,
// path params, auth: inherit, Bruno's settings) when saved from here.
func TestSaveKeepsBrunoKeys(t *testing.T) {
	root := copyTestdata(t)
	for _, rel := range []string{"Payments/Create payment.yml", "Payments/Get payment.yml", "Health check.yml", "Webhooks/Search events.yml", "Webhooks/Upload receipt.yml"} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		orig, _ := os.ReadFile(p)
		r, _, err := readRequestFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := SaveRequest(root, rel, r); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(p); string(got) != string(orig) {
			t.Errorf("%s: saving unchanged rewrote it:\n%s\nwas:\n%s", rel, got, orig)
		}
	}

	// An edit in a Bruno file is one line too.
	rel := "Payments/Create payment.yml"
	p := filepath.Join(root, filepath.FromSlash(rel))
	orig, _ := os.ReadFile(p)
	r, _, _ := readRequestFile(p)
	r.Auth.Token = "{{other_key}}"
	if err := SaveRequest(root, rel, r); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	want := strings.Replace(string(orig), `token: "{{api_key}}"`, `token: "{{other_key}}"`, 1)
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	// Switching away from auth and body drops them, but keeps runtime and docs.
	r.Auth = requester.Auth{}
	r.Body = requester.Body{}
	if err := SaveRequest(root, rel, r); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(p)
	for _, gone := range []string{"auth:", "body:"} {
		if strings.Contains(string(got), gone) {
			t.Errorf("%s still in:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"runtime:", "docs: |-", "tags:", "encodeUrl: true"} {
		if !strings.Contains(string(got), kept) {
			t.Errorf("%s lost:\n%s", kept, got)
		}
	}
}

func TestSaveSwitchesHTTPAndGraphQL(t *testing.T) {
	root := copyTestdata(t)
	rel := "Webhooks/Search events.yml"
	p := filepath.Join(root, filepath.FromSlash(rel))
	r, _, _ := readRequestFile(p)
	r.Body = requester.Body{Kind: requester.BodyJSON, Text: `{"q": 1}`}
	if err := SaveRequest(root, rel, r); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if strings.Contains(string(got), "graphql:") || !strings.Contains(string(got), "type: http\n") {
		t.Errorf("after switch to json:\n%s", got)
	}
	back, _, err := readRequestFile(p)
	if err != nil || !reflect.DeepEqual(back, r) {
		t.Errorf("reloaded %#v, %v", back, err)
	}
}

func TestDecodeProblems(t *testing.T) {
	cases := []struct {
		name, file string
		line       int
		msg        string
	}{
		{"syntax", "info:\n  name: a\nhttp:\n  url: [unclosed\n", 4, "invalid YAML"},
		{"first line", "a: b: c\n", 1, "invalid YAML: mapping values are not allowed"},
		{"parser error", "- a\nb: c\n", 2, "invalid YAML: did not find expected '-'"},
		{"bad indent", "a:\n  b: 1\n c: 2\n", 3, "invalid YAML: did not find expected key"},
		{"tab", "info:\n\tname: a\n", 2, "invalid YAML"},
		{"empty", "", 1, "empty"},
		{"not a mapping", "- a\n- b\n", 1, "mapping"},
		{"headers not a list", "info:\n  name: a\nhttp:\n  method: GET\n  url: http://h\n  headers: 5\n", 6, "http.headers must be a list"},
		{"bad timeout", "http:\n  url: http://h\nsettings:\n  timeout: soon\n", 4, "settings.timeout"},
		{"no http", "info:\n  name: a\n  type: http\n", 1, "no http section"},
		{"grpc", "info:\n  name: a\n  type: grpc\ngrpc:\n  url: x\n", 3, `request type "grpc" is not supported`},
		{"bad disabled", "http:\n  headers:\n    - name: a\n      disabled: maybe\n", 4, "disabled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "r.yml")
			if err := os.WriteFile(p, []byte(tc.file), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := readRequestFile(p)
			pr := problemOf("r.yml", err)
			if err == nil || pr.Line != tc.line || !strings.Contains(pr.Msg, tc.msg) {
				t.Errorf("got %v (line %d), want line %d with %q", err, pr.Line, tc.line, tc.msg)
			}
		})
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"Create payment":       "Create payment",
		"a/b\\c:d*e?f\"g<h>|":  "a b c-d-e-f-g-h--",
		"GET /v1/items":        "GET v1 items",
		"GET /v1/items/":       "GET v1 items",
		"GET /":                "GET",
		"a / b":                "a b",
		"//x//y":               "x y",
		"  .hidden. ":          "hidden",
		"":                     "Untitled",
		"...":                  "Untitled",
		"con":                  "_con",
		"LPT1.txt":             "_LPT1.txt",
		"tab\there":            "tab-here",
		"Get Profile (Bearer)": "Get Profile (Bearer)",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzDecodeRequest feeds arbitrary files to the reader: it must not panic,
// and whatever it accepts must save and reload unchanged.
func FuzzDecodeRequest(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "payments-api", "*", "*.yml"))
	more, _ := filepath.Glob(filepath.Join("testdata", "payments-api", "*.yml"))
	for _, p := range append(files, more...) {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	for _, r := range roundTripCases {
		data, _ := encodeRequest(r, 2, nil)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseDoc(data)
		if err != nil {
			return
		}
		r, seq, err := decodeRequest(doc)
		if err != nil {
			return
		}
		out, err := encodeRequest(r, seq, doc)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		doc2, err := parseDoc(out)
		if err != nil {
			t.Fatalf("reparse: %v\n%s", err, out)
		}
		r2, _, err := decodeRequest(doc2)
		if err != nil {
			t.Fatalf("redecode: %v\n%s", err, out)
		}
		if r.Method == "" {
			r.Method = "GET"
		}
		if r.Name == "" {
			r.Name = "Untitled"
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("changed on save:\n%#v\n%#v\n%s", r, r2, out)
		}
	})
}
