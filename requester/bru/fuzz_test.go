package bru

import (
	"reflect"
	"testing"
)

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

// FuzzWriteRequest: whatever ParseRequest, ParseDefaults and
// ParseEnvironment read, the writers write back so that it reads the same,
// or say what they could not write.
func FuzzWriteRequest(f *testing.F) {
	f.Add([]byte("meta {\n  name: a\n  seq: 2\n}\nget {\n  url: http://x/:id\n  body: json\n  auth: bearer\n}\nbody:json {\n  {\n  \t\"a\": \"}\"\n  }\n}\nauth:bearer {\n  token: t\n}\nparams:path {\n  id: 1\n}\n"))
	f.Add([]byte("post {\n  body: multipartForm\n}\nbody:multipart-form {\n  f: @file(a|b) @contentType(x)\n  ~n: '''\n    v\n     w \n  '''\n  \"a:b\": @contentType(y)\n}\nsettings {\n  timeout: 10\n  followRedirects: false\n}\n"))
	f.Add([]byte("http {\n  method: PROPFIND\n  body: graphql\n  auth: apikey\n}\nbody:graphql {\n  { a }\n}\nbody:graphql:vars {\n  {\"a\": 1}\n}\nauth:apikey {\n  key: k\n  placement: query\n}\nscript:pre-request {\n  x()\n\n  y()\n}\n"))
	f.Add([]byte("meta {\n  name: F\n  seq: 3\n}\nheaders {\n  a: 1\n  ~b: 2\n}\nauth {\n  mode: basic\n}\nauth:basic {\n  username: u\n}\nvars:pre-request {\n  v: '''\n    x\n  '''\n}\nvars {\n  a: 1\n}\nvars:secret [\n  b,\n  ~c\n]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseRequest(data); err == nil {
			r.Seq = max(r.Seq, 0)
			if r.Request.Method == "" {
				r.Request.Method = "GET"
			}
			out, ws := FormatRequest(r)
			if len(ws) == 0 {
				back, err := ParseRequest(out)
				if err != nil {
					t.Fatalf("written request does not parse: %v\n%s", err, out)
				}
				if !reflect.DeepEqual(back.Request, r.Request) || back.AuthType != r.AuthType || back.Seq != r.Seq ||
					!reflect.DeepEqual(back.PathParams, r.PathParams) || !reflect.DeepEqual(back.Vars, r.Vars) ||
					!reflect.DeepEqual(back.Scripts, r.Scripts) {
					t.Fatalf("request read back differs:\n%#v\n%#v\nwritten:\n%s", r, back, out)
				}
			}
		}
		if d, err := ParseDefaults(data); err == nil {
			d.Seq = max(d.Seq, 0)
			out, ws := FormatDefaults(d, true)
			if len(ws) == 0 {
				back, err := ParseDefaults(out)
				if err != nil {
					t.Fatalf("written defaults do not parse: %v\n%s", err, out)
				}
				back.Warnings, d.Warnings = nil, nil
				if !reflect.DeepEqual(back, d) {
					t.Fatalf("defaults read back differ:\n%#v\n%#v\nwritten:\n%s", d, back, out)
				}
			}
		}
		if env, err := ParseEnvironment(data, "e"); err == nil {
			out, ws := FormatEnvironment(env, false)
			if len(ws) == 0 {
				back, err := ParseEnvironment(out, "e")
				if err != nil || !reflect.DeepEqual(back, env) {
					t.Fatalf("environment read back differs (%v):\n%#v\n%#v\nwritten:\n%s", err, env, back, out)
				}
			}
		}
	})
}
