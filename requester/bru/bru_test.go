package bru

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"hooklab/requester"
)

func parseFile(t *testing.T, name string) *Request {
	t.Helper()
	data, err := os.ReadFile("testdata/shop/" + name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseRequest(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

func TestParseRequest(t *testing.T) {
	get := parseFile(t, "Orders/Get order.bru")
	r := get.Request
	if r.Name != "Get order" || r.Method != "GET" || get.Seq != 2 || get.AuthType != "inherit" {
		t.Errorf("meta %+v", get)
	}
	if r.URL != "{{base_url}}/{{api_version}}/orders/:id?expand=items" {
		t.Errorf("url %q", r.URL)
	}
	if want := []requester.Param{{Name: "expand", Value: "items"}, {Name: "debug", Value: "1", Disabled: true}}; !reflect.DeepEqual(r.Params, want) {
		t.Errorf("params %+v", r.Params)
	}
	if want := []requester.Param{{Name: "id", Value: "ord_42"}}; !reflect.DeepEqual(get.PathParams, want) {
		t.Errorf("path params %+v", get.PathParams)
	}
	if len(get.Scripts) != 1 || get.Scripts[0].Type != "tests" || !strings.HasPrefix(get.Scripts[0].Code, "test(\"ok\", function() {\n  expect") {
		t.Errorf("scripts %+v", get.Scripts)
	}
	if !strings.Contains(strings.Join(get.Warnings, "\n"), "assertions ignored") {
		t.Errorf("warnings %v", get.Warnings)
	}

	create := parseFile(t, "Orders/Create order.bru")
	if create.Request.Body.Kind != requester.BodyJSON || create.Request.Body.Text != "{\n  \"sku\": \"A-1\",\n  \"status\": \"{{status}}\"\n}" {
		t.Errorf("json body %q", create.Request.Body.Text)
	}
	if want := []requester.Var{{Name: "status", Value: "pending"}}; !reflect.DeepEqual(create.Vars, want) {
		t.Errorf("vars %+v", create.Vars)
	}

	login := parseFile(t, "Login.bru")
	if login.Request.Auth != (requester.Auth{Kind: requester.AuthBasic, Username: "ann", Password: "{{password}}"}) {
		t.Errorf("auth %+v", login.Request.Auth)
	}
	wantForm := []requester.Param{{Name: "user", Value: "ann"}, {Name: "remember", Value: "1", Disabled: true}, {Name: "note", Value: "two\nlines"}}
	if login.Request.Body.Kind != requester.BodyForm || !reflect.DeepEqual(login.Request.Body.Form, wantForm) {
		t.Errorf("form %+v", login.Request.Body)
	}
	if login.Request.Options.Timeout != 5*time.Second {
		t.Errorf("timeout %v", login.Request.Options.Timeout)
	}

	up := parseFile(t, "Upload.bru")
	wantParts := []requester.Part{
		{Name: "title", Value: "Logo"},
		{Name: "meta", Value: `{"a":1}`, ContentType: "application/json"},
		{Name: "file", File: "files/logo.png"},
		{Name: "file", File: "files/icon.png"},
		{Name: "old", Value: "x", Disabled: true},
	}
	if up.AuthType != "none" || up.Request.Auth != (requester.Auth{}) || !reflect.DeepEqual(up.Request.Body.Parts, wantParts) {
		t.Errorf("multipart %q %+v", up.AuthType, up.Request.Body.Parts)
	}

	search := parseFile(t, "Search.bru")
	if g := search.Request.Body.GraphQL; search.Request.Body.Kind != requester.BodyGraphQL || g.Query != "query { orders { id } }" || g.Variables != `{"first": 2}` {
		t.Errorf("graphql %+v", search.Request.Body)
	}
	if search.AuthType != "oauth2" || !strings.Contains(strings.Join(search.Warnings, "\n"), `"oauth2" is not supported`) {
		t.Errorf("oauth2 %q %v", search.AuthType, search.Warnings)
	}
}

func TestParseDefaultsAndEnvironment(t *testing.T) {
	data, _ := os.ReadFile("testdata/shop/collection.bru")
	d, err := ParseDefaults(data)
	if err != nil {
		t.Fatal(err)
	}
	if d.AuthType != "bearer" || d.Auth.Token != "{{token}}" || len(d.Headers) != 2 || !d.Headers[1].Disabled || len(d.Vars) != 1 {
		t.Errorf("defaults %+v", d)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "script:pre-request") {
		t.Errorf("warnings %v", d.Warnings)
	}
	data, _ = os.ReadFile("testdata/shop/environments/Local.bru")
	env, err := ParseEnvironment(data, "Local")
	if err != nil {
		t.Fatal(err)
	}
	want := []requester.Var{
		{Name: "base_url", Value: "http://127.0.0.1:1"}, {Name: "unused", Value: "x", Disabled: true},
		{Name: "token", Secret: true}, {Name: "password", Secret: true},
	}
	if !reflect.DeepEqual(env.Vars, want) {
		t.Errorf("env %+v", env.Vars)
	}
}

func TestParseBadInput(t *testing.T) {
	cases := map[string]string{
		"empty":          "",
		"text":           "hello world",
		"yaml":           "info:\n  name: x\nhttp:\n  method: GET\n",
		"json":           `{"a": 1}`,
		"not closed":     "meta {\n  name: x\n",
		"binary":         "\x00\x01\x02meta {\n}\n",
		"bad utf8":       "meta {\n  name: \xff\n}\n",
		"no method":      "meta {\n  name: x\n}\n",
		"bad pair":       "meta {\n  name x\n}\nget {\n  url: http://a\n}\n",
		"open multiline": "get {\n  url: '''\n  http://a\n}\n",
		"websocket":      "meta {\n  type: ws\n}\nget {\n  url: http://a\n}\n",
		"bad name":       "get x {\n}\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := ParseRequest([]byte(in))
			if err == nil {
				t.Fatalf("no error: %+v", r)
			}
			var se *SyntaxError
			if !errors.As(err, &se) && !errors.Is(err, ErrBinary) {
				t.Errorf("error of type %T: %v", err, err)
			}
		})
	}
	if _, err := Parse(make([]byte, MaxSize+1)); err == nil || !strings.Contains(err.Error(), "MiB") {
		t.Errorf("oversized: %v", err)
	}
}

// TestSparqlBodyKept: a body mode Hooklab cannot send is read as none with
// its mode and text kept, and written back as it was.
func TestSparqlBodyKept(t *testing.T) {
	src := "meta {\n  name: Q\n  type: http\n  seq: 1\n}\n\npost {\n  url: https://db.test/sparql\n  body: sparql\n}\n\nbody:sparql {\n  SELECT * WHERE {?s ?p ?o}\n}\n"
	r, err := ParseRequest([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if r.BodyMode != "sparql" || r.BodyData != "SELECT * WHERE {?s ?p ?o}" || r.Request.Body.Kind != requester.BodyNone {
		t.Fatalf("mode %q data %q body %+v", r.BodyMode, r.BodyData, r.Request.Body)
	}
	out, _ := FormatRequest(r)
	if got := string(out); !strings.Contains(got, "  body: sparql\n") || !strings.Contains(got, "body:sparql {\n  SELECT * WHERE {?s ?p ?o}\n}") {
		t.Errorf("written:\n%s", got)
	}
}
