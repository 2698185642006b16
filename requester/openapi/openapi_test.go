package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
	"hooklab/requester/collection"
)

func read(t *testing.T, file string) (*collection.Collection, []collection.Problem) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	c, problems, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	return c, problems
}

// byName finds the item named name anywhere in items.
func byName(items []*collection.Item, name string) *collection.Item {
	var found *collection.Item
	collection.Walk(items, func(it *collection.Item) {
		if it.Name == name && found == nil {
			found = it
		}
	})
	return found
}

func varOf(vars []requester.Var, name string) (requester.Var, bool) {
	for _, v := range vars {
		if v.Name == name {
			return v, true
		}
	}
	return requester.Var{}, false
}

func TestReadOpenAPI31(t *testing.T) {
	c, problems := read(t, "payments-3.1.yaml")
	if c.Name != "Payments API" {
		t.Errorf("name %q", c.Name)
	}
	// Servers: environments with baseUrl, variables filled in; the first is the default.
	if len(c.Environments) != 2 || c.Environments[0].Name != "Production" || c.Environments[0].Vars[0].Value != "https://api.payments.test/v1" ||
		c.Environments[1].Vars[0].Value != "http://localhost:8089/v1" {
		t.Errorf("environments %+v", c.Environments)
	}
	if v, ok := varOf(c.Vars, "baseUrl"); !ok || v.Value != "https://api.payments.test/v1" {
		t.Errorf("baseUrl %+v", v)
	}
	// Global bearer auth, its token a secret variable.
	if c.Defaults.Auth.Kind != requester.AuthBearer || c.Defaults.Auth.Token != "{{bearerToken}}" {
		t.Errorf("collection auth %+v", c.Defaults.Auth)
	}
	for _, env := range c.Environments {
		if v, ok := varOf(env.Vars, "bearerToken"); !ok || !v.Secret || v.Value != "" {
			t.Errorf("%s: bearerToken variable %+v, %v; want an empty secret", env.Name, v, ok)
		}
	}
	if _, ok := varOf(c.Vars, "bearerToken"); ok {
		t.Error("a secret is a collection variable, written into its files")
	}

	list := byName(c.Items, "List payments")
	if list == nil || byName(c.Items, "payments") == nil || !byName(c.Items, "payments").Folder {
		t.Fatalf("no List payments in a payments folder: %+v", c.Items)
	}
	lr := list.Request
	if lr.Method != "GET" || lr.URL != "{{baseUrl}}/payments?limit=10" || list.AuthType != "inherit" {
		t.Errorf("list: %s %s auth %q", lr.Method, lr.URL, list.AuthType)
	}
	if len(lr.Params) != 2 || lr.Params[0].Disabled || !lr.Params[1].Disabled || lr.Params[1].Value != "pay_123" {
		t.Errorf("list params %+v: want limit on, starting_after off with its example", lr.Params)
	}
	if len(lr.Headers) != 1 || lr.Headers[0].Name != "Idempotency-Key" || !lr.Headers[0].Disabled {
		t.Errorf("list headers %+v", lr.Headers)
	}

	create := byName(c.Items, "Create payment").Request
	var body map[string]any
	if err := json.Unmarshal([]byte(create.Body.Text), &body); err != nil || create.Body.Kind != requester.BodyJSON {
		t.Fatalf("create body %q: %v", create.Body.Text, err)
	}
	if body["amount"] != 1200.0 || body["currency"] != "eur" || body["callback_url"] != "https://example.com/" {
		t.Errorf("create body %v", body)
	}
	if _, ok := body["id"]; ok {
		t.Error("a readOnly property is in the body")
	}

	get := byName(c.Items, "getPayment")
	if get.Request.URL != "{{baseUrl}}/payments/:paymentId" || len(get.PathParams) != 1 || get.PathParams[0].Value != "pay_8fK2" {
		t.Errorf("get: %s %+v", get.Request.URL, get.PathParams)
	}
	if cancel := byName(c.Items, "Cancel payment"); cancel.AuthType != "none" {
		t.Errorf("security: [] gave auth type %q", cancel.AuthType)
	}
	login := byName(c.Items, "Log in")
	if login.Request.Auth.Kind != requester.AuthAPIKey || login.Request.Auth.Key != "X-Api-Key" || login.Request.Body.Kind != requester.BodyForm ||
		len(login.Request.Body.Form) != 2 || login.Request.Body.Form[0].Value != "ada" { // user, remember: as the spec lists them
		t.Errorf("login %+v %+v", login.Request.Auth, login.Request.Body)
	}

	// A cyclic schema ends.
	tree := byName(c.Items, "Post a tree").Request
	if !strings.Contains(tree.Body.Text, `"children"`) {
		t.Errorf("tree body %q", tree.Body.Text)
	}

	// Webhooks: one preset per event, to the catcher, with a sample payload.
	hooks := byName(c.Items, "Webhooks")
	if hooks == nil || len(hooks.Children) != 3 {
		t.Fatalf("webhooks folder %+v", hooks)
	}
	urls := map[string]string{}
	for _, h := range hooks.Children {
		urls[h.Request.URL] = h.Request.Body.Text
		if h.Request.Method != "POST" || h.AuthType != "none" {
			t.Errorf("preset %s: %s auth %q", h.Name, h.Request.Method, h.AuthType)
		}
	}
	if !strings.Contains(urls["{{webhook_url}}payment.succeeded"], `"pay_8fK2"`) || urls["{{webhook_url}}payment.failed"] == "" || urls["{{webhook_url}}refund-created"] == "" {
		t.Errorf("presets %v", urls)
	}
	for _, p := range problems {
		t.Logf("problem: %s: %s", p.Path, p.Msg)
	}
}

func TestReadOpenAPI30(t *testing.T) {
	c, problems := read(t, "pets-3.0.json")
	list := byName(c.Items, "List pets")
	if list == nil || list.Request.Auth.Kind != requester.AuthBearer || list.Request.Auth.Token != "{{accessToken}}" {
		t.Fatalf("oauth2 operation: %+v", list)
	}
	add := byName(c.Items, "Add pet").Request
	if add.Body.Kind != requester.BodyMultipart || len(add.Body.Parts) != 2 || add.Body.Parts[0].Value != "Rex" || !add.Body.Parts[1].Disabled {
		t.Errorf("multipart %+v", add.Body.Parts)
	}
	said := ""
	for _, p := range problems {
		said += p.Path + ": " + p.Msg + "\n"
	}
	for _, want := range []string{"servers", "OAuth 2", `file part "photo"`} {
		if !strings.Contains(said, want) {
			t.Errorf("problems do not mention %s:\n%s", want, said)
		}
	}
}

func TestReadRefusesWhatItCannotRead(t *testing.T) {
	for _, tt := range []struct{ name, doc, want string }{
		{"not OpenAPI", `{"swagger": "2.0"}`, "not an OpenAPI 3 document"},
		{"junk", "openapi: 3.0.0\n\xff\x00: [", "cannot be read"},
		{"external ref", `{"openapi":"3.0.0","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"$ref":"other.yaml#/r"}}}}}}`, "cannot be read"},
		{"http ref", `{"openapi":"3.0.0","info":{"title":"x","version":"1"},"paths":{"/a":{"$ref":"http://169.254.169.254/x"}}}`, "cannot be read"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Read([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Read = %v, want an error holding %q", err, tt.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, file := range []string{"payments-3.1.yaml", "pets-3.0.json"} {
		data, err := os.ReadFile("testdata/" + file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"openapi":"3.1.0","info":{"title":"x","version":"1"},"paths":{"/{a}/{b}":{"get":{}}},"components":{"schemas":{"A":{"$ref":"#/components/schemas/A"}}}}`))
	f.Add([]byte("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\nwebhooks: {x: {post: {}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _, err := Read(data)
		if err == nil && c == nil {
			t.Fatal("no collection and no error")
		}
	})
}

// bigSpec is an OpenAPI 3.0 JSON document of n operations.
func bigSpec(n int) []byte {
	paths := map[string]any{}
	for i := range n {
		paths[fmt.Sprintf("/p%d/{id}", i)] = map[string]any{"get": map[string]any{
			"operationId": fmt.Sprintf("op%d", i),
			"parameters":  []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "string"}}},
			"responses": map[string]any{"200": map[string]any{"description": "ok", "content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "string"}}}}}}},
		}}
	}
	data, _ := json.Marshal(map[string]any{"openapi": "3.0.3", "info": map[string]any{"title": "big", "version": "1"}, "paths": paths})
	return data
}

// TestReadLargeDocuments: a JSON document is read through encoding/json,
// which allocates far less than kin-openapi's YAML path (a 21 MB
// document took 3.7 GB of memory that way); documents over MaxSize are
// refused before kin-openapi sees them, saying why.
func TestReadLargeDocuments(t *testing.T) {
	data := bigSpec(2000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c, _, err := Read(data)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	collection.Walk(c.Items, func(it *collection.Item) {
		if it.Request != nil {
			n++
		}
	})
	if n != 2000 {
		t.Errorf("%d requests", n)
	}
	// Measured on this document: about 210 bytes allocated per byte
	// through encoding/json, about 390 through the YAML path.
	ratio := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(data))
	t.Logf("%d KB read, %.0f bytes allocated per byte", len(data)>>10, ratio)
	if ratio > 300 {
		t.Errorf("reading %d KB allocated %.0f times its size", len(data)>>10, ratio)
	}
	big := append([]byte(`{"openapi": "3.0.3", "x": "`), bytes.Repeat([]byte("z"), MaxSize)...)
	big = append(big, `"}`...)
	if _, _, err := Read(big); err == nil || !strings.Contains(err.Error(), "documents of more than 16 MiB are not imported") {
		t.Errorf("err %v", err)
	}
}

// Servers without a description are environments named by their host, with
// the path when two share a host, each name unique and readable.
func TestServerEnvironmentNames(t *testing.T) {
	doc := `{"openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},
	  "servers": [
	    {"url": "https://api.pets.test"},
	    {"url": "https://staging.pets.test/v1"},
	    {"url": "https://staging.pets.test/v2/"},
	    {"url": "http://api.pets.test"},
	    {"url": "/relative/base"},
	    {"url": "https://{region}.pets.test", "variables": {"region": {"default": "eu"}}},
	    {"url": "https://x.test", "description": "  Production\n server "},
	    {"url": "https://y.test", "description": "Production server"},
	    {"url": ""}
	  ],
	  "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}}}`
	c, _, err := Read([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range c.Environments {
		got = append(got, e.Name)
	}
	want := []string{"api.pets.test", "staging.pets.test/v1", "staging.pets.test/v2", "api.pets.test 2", "/relative/base",
		"eu.pets.test", "Production server", "Production server 2", "Server 9"}
	if !slices.Equal(got, want) {
		t.Errorf("environments\n got %q\nwant %q", got, want)
	}
}

// A body made from a schema lists its members as the spec does, not in
// alphabetical order: in JSON and YAML documents, nested, through $ref
// and allOf (a form's fields: TestReadOpenAPI31).
func TestBodyKeepsPropertyOrder(t *testing.T) {
	const want = `{
  "zeta": "string",
  "owner": {
    "name": "string",
    "age": 0
  },
  "alpha": 0,
  "extra": true,
  "beta": "string"
}`
	yamlDoc := `openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/Pet'
                - type: object
                  properties:
                    extra: {type: boolean}
                    beta: {type: string}
      responses: {"200": {description: ok}}
components:
  schemas:
    Pet:
      type: object
      properties:
        zeta: {type: string}
        owner: {$ref: '#/components/schemas/Owner'}
        alpha: {type: integer}
    Owner:
      type: object
      properties:
        name: {type: string}
        age: {type: integer}
`
	// The same document as JSON, keys in the same order.
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(yamlDoc), &n); err != nil {
		t.Fatal(err)
	}
	jsonDoc := nodeJSON(n.Content[0])
	for name, data := range map[string]string{"yaml": yamlDoc, "json": jsonDoc} {
		c, _, err := Read([]byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var body string
		collection.Walk(c.Items, func(it *collection.Item) {
			if it.Request != nil {
				body = it.Request.Body.Text
			}
		})
		if body != want {
			t.Errorf("%s: body\n%s\nwant\n%s", name, body, want)
		}
	}
}

// nodeJSON writes a YAML node as JSON, keeping the order of its keys.
func nodeJSON(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		var parts []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, _ := json.Marshal(n.Content[i].Value)
			parts = append(parts, string(k)+": "+nodeJSON(n.Content[i+1]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case yaml.SequenceNode:
		var parts []string
		for _, c := range n.Content {
			parts = append(parts, nodeJSON(c))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	b, _ := json.Marshal(n.Value)
	return string(b)
}
