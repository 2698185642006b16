package bru

import "testing"

// FuzzParseRequest: any bytes give a request or an error, never a panic;
// the other readers of the language take them too.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte("meta {\n  name: a\n}\nget {\n  url: http://x/:id\n  body: json\n  auth: bearer\n}\nbody:json {\n  {}\n}\nauth:bearer {\n  token: t\n}\n"))
	f.Add([]byte("post {\n  body: multipartForm\n}\nbody:multipart-form {\n  f: @file(a|b) @contentType(x)\n  ~n: '''\n    v\n  '''\n}\n"))
	f.Add([]byte("vars {\n  a: 1\n}\nvars:secret [\n  b,\n  ~c\n]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseRequest(data); err == nil && r == nil {
			t.Fatal("nil request without an error")
		}
		if d, err := ParseDefaults(data); err == nil && d == nil {
			t.Fatal("nil defaults without an error")
		}
		_, _ = ParseEnvironment(data, "e")
		_, _ = ParseConfig(data)
	})
}
