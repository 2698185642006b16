package postman

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"hooklab/requester"
	"hooklab/requester/collection"
)

func mustImport(t *testing.T, file string) (*collection.Collection, []collection.Problem) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	c, warnings, err := Import(data)
	if err != nil {
		t.Fatalf("Import(%s): %v", file, err)
	}
	return c, warnings
}

func find(t *testing.T, c *collection.Collection, name string) *collection.Item {
	t.Helper()
	var found *collection.Item
	collection.Walk(c.Items, func(it *collection.Item) {
		if it.Name == name {
			found = it
		}
	})
	if found == nil {
		t.Fatalf("no item %q", name)
	}
	return found
}

func hasWarning(ws []collection.Problem, path, substr string) bool {
	for _, w := range ws {
		if w.Path == path && strings.Contains(w.Msg, substr) {
			return true
		}
	}
	return false
}

func TestImportV21(t *testing.T) {
	c, ws := mustImport(t, "shop-v2.1.json")
	if c.Name != "Shop API" {
		t.Errorf("name %q", c.Name)
	}
	if want := []requester.Var{{Name: "base_url", Value: "http://127.0.0.1:1"}, {Name: "page_size", Value: "20"}}; !reflect.DeepEqual(c.Vars, want) {
		t.Errorf("vars %+v", c.Vars)
	}
	if c.Defaults.AuthType != "bearer" || c.Defaults.Auth.Token != "{{token}}" {
		t.Errorf("collection auth %+v %q", c.Defaults.Auth, c.Defaults.AuthType)
	}

	list := find(t, c, "List orders")
	if list.Path != "Orders/List orders" || list.AuthType != "inherit" {
		t.Errorf("path %q auth %q", list.Path, list.AuthType)
	}
	if want := "{{base_url}}/orders?limit={{page_size}}&status=open"; list.Request.URL != want {
		t.Errorf("url %q", list.Request.URL)
	}
	if len(list.Request.Params) != 3 || !list.Request.Params[2].Disabled {
		t.Errorf("params %+v", list.Request.Params)
	}
	if len(list.Request.Headers) != 2 || !list.Request.Headers[1].Disabled {
		t.Errorf("headers %+v", list.Request.Headers)
	}
	if !hasWarning(ws, "Orders/List orders", "1 saved example") {
		t.Errorf("no warning for the example response: %v", ws)
	}

	get := find(t, c, "Get order")
	if want := []requester.Param{{Name: "order_id", Value: "ord_123"}, {Name: "item", Value: "{{item_id}}"}}; !reflect.DeepEqual(get.PathParams, want) {
		t.Errorf("path params %+v", get.PathParams)
	}
	if len(get.Scripts) != 2 || get.Scripts[0].Type != "before-request" || get.Scripts[0].Code != "pm.variables.set('x', 1);\nconsole.log(2);" || get.Scripts[1].Type != "tests" {
		t.Errorf("scripts %+v", get.Scripts)
	}
	if !hasWarning(ws, "Orders/Get order", "not run") {
		t.Errorf("no warning for scripts: %v", ws)
	}
	if !hasWarning(ws, "(collection)", "prerequest script") {
		t.Errorf("no warning for the collection's script: %v", ws)
	}

	create := find(t, c, "Create order")
	if create.Request.Body.Kind != requester.BodyJSON || !strings.Contains(create.Request.Body.Text, `"sku"`) {
		t.Errorf("body %+v", create.Request.Body)
	}

	admin := find(t, c, "Admin")
	if admin.Defaults.AuthType != "basic" || admin.Defaults.Auth.Username != "admin" || len(admin.Defaults.Vars) != 1 {
		t.Errorf("folder defaults %+v", admin.Defaults)
	}
	report := find(t, c, "Export report")
	if report.Path != "Admin/Reports/Export report" || report.Request.Body.Kind != requester.BodyForm || len(report.Request.Body.Form) != 3 || !report.Request.Body.Form[2].Disabled {
		t.Errorf("report %q %+v", report.Path, report.Request.Body)
	}

	up := find(t, c, "Upload logo").Request.Body
	wantParts := []requester.Part{
		{Name: "title", Value: "Logo"},
		{Name: "meta", Value: `{"a":1}`, ContentType: "application/json"},
		{Name: "file", File: "/tmp/logo.png"},
		{Name: "more", File: "/tmp/a.txt"},
		{Name: "more", File: "/tmp/b.txt"},
		{Name: "missing"},
		{Name: "old", Value: "x", Disabled: true},
	}
	if up.Kind != requester.BodyMultipart || !reflect.DeepEqual(up.Parts, wantParts) {
		t.Errorf("multipart %+v", up.Parts)
	}
	if !hasWarning(ws, "Admin/Upload logo", `"missing" names no file`) {
		t.Errorf("no warning for the part without a file: %v", ws)
	}
	if it := find(t, c, "Public ping"); it.AuthType != "none" {
		t.Errorf("noauth → %q", it.AuthType)
	}
	if a := find(t, c, "Key in query").Request.Auth; a != (requester.Auth{Kind: requester.AuthAPIKey, Key: "api_key", Value: "{{key}}", InQuery: true}) {
		t.Errorf("apikey %+v", a)
	}
	if it := find(t, c, "OAuth call"); it.AuthType != "oauth2" || !hasWarning(ws, "Admin/OAuth call", `"oauth2" is not supported`) {
		t.Errorf("oauth2 → %q, %v", it.AuthType, ws)
	}
	if b := find(t, c, "Upload raw file").Request.Body; b.Kind != requester.BodyFile || b.File != "/tmp/data.bin" {
		t.Errorf("file body %+v", b)
	}
	if b := find(t, c, "GraphQL search").Request.Body; b.Kind != requester.BodyGraphQL || b.GraphQL.Variables != `{"first": 2}` {
		t.Errorf("graphql %+v", b)
	}
	if it := find(t, c, "Digest"); it.Request.Auth.Kind != requester.AuthDigest || it.Request.URL != "http://{{host}}:8080/digest#top" {
		t.Errorf("digest %+v %q", it.Request.Auth, it.Request.URL)
	}
	if o := find(t, c, "Digest").Request.Options; o != (requester.Options{NoRedirects: true, MaxRedirects: 3, Insecure: true}) {
		t.Errorf("protocolProfileBehavior %+v", o)
	}
	if !hasWarning(ws, "Digest", "setting disableCookies not imported") {
		t.Errorf("no warning for disableCookies: %v", ws)
	}
	if b := find(t, c, "XML note").Request.Body; b.Kind != requester.BodyXML {
		t.Errorf("xml %+v", b)
	}
}

func TestImportV20(t *testing.T) {
	c, _ := mustImport(t, "legacy-v2.0.json")
	if c.Defaults.Auth != (requester.Auth{Kind: requester.AuthAPIKey, Key: "X-Api-Key", Value: "{{api_key}}"}) {
		t.Errorf("collection auth %+v", c.Defaults.Auth)
	}
	users := find(t, c, "Users")
	if users.Defaults.Auth != (requester.Auth{Kind: requester.AuthBasic, Username: "alice", Password: "secret"}) {
		t.Errorf("folder auth %+v", users.Defaults.Auth)
	}
	me := find(t, c, "Me").Request
	if want := []requester.Header{{Name: "Accept", Value: "application/json"}, {Name: "x-trace", Value: "on"}}; !reflect.DeepEqual(me.Headers, want) {
		t.Errorf("headers as text: %+v", me.Headers)
	}
	if a := find(t, c, "Bearer call").Request.Auth; a.Token != "tok-2.0" {
		t.Errorf("bearer %+v", a)
	}
	if r := find(t, c, "Only a URL").Request; r.URL != "https://api.example.test/v1/health" || r.Method != "GET" {
		t.Errorf("string request %+v", r)
	}
	r := find(t, c, "Inherits the key").Request
	if r.URL != "https://api.example.test/v1/things?q=1" || r.Method != "POST" || r.Body.Kind != requester.BodyJSON {
		t.Errorf("built URL %q method %q body %q", r.URL, r.Method, r.Body.Kind)
	}
}

func TestImportEnvironment(t *testing.T) {
	data, err := os.ReadFile("testdata/staging.postman_environment.json")
	if err != nil {
		t.Fatal(err)
	}
	if !IsEnvironment(data) {
		t.Fatal("not seen as an environment")
	}
	env, err := ImportEnvironment(data)
	if err != nil {
		t.Fatal(err)
	}
	want := requester.Environment{Name: "Staging", Vars: []requester.Var{
		{Name: "base_url", Value: "https://staging.example.test"},
		{Name: "token", Value: "s3cr3t", Secret: true},
		{Name: "old", Value: "x", Disabled: true},
	}}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("got %+v", env)
	}
	out, err := ExportEnvironment(env, false)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("s3cr3t")) {
		t.Error("secret value exported without being asked")
	}
	back, err := ImportEnvironment(out)
	if err != nil || len(back.Vars) != 3 || !back.Vars[1].Secret || !back.Vars[2].Disabled {
		t.Errorf("export → import: %+v %v", back, err)
	}
}

func TestImportBadInput(t *testing.T) {
	cases := map[string]string{
		"empty":         "",
		"not json":      "hello",
		"truncated":     `{"info": {"schema": "` + SchemaV21 + `"}, "item": [`,
		"binary":        "\x00\x01\x02\xff\xfe",
		"array":         `[1,2,3]`,
		"no schema":     `{"info": {"name": "x"}, "item": []}`,
		"v1":            `{"id": "x", "name": "old", "requests": [{"url": "http://a"}], "order": []}`,
		"v3":            `{"info": {"schema": "https://schema.getpostman.com/json/collection/v3.0.0/collection.json"}, "item": []}`,
		"item not list": `{"info": {"schema": "` + SchemaV21 + `"}, "item": 5}`,
		"environment":   `{"name": "e", "values": []}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			c, _, err := Import([]byte(in))
			if err == nil {
				t.Fatalf("no error; got %+v", c)
			}
			if err.Error() == "" {
				t.Error("empty message")
			}
		})
	}
	_, _, err := Import([]byte(`{"id": "x", "requests": []}`))
	if !errors.Is(err, ErrNotPostman) || !strings.Contains(err.Error(), "v1") {
		t.Errorf("v1: %v", err)
	}
	big := make([]byte, MaxSize+1)
	if _, _, err := Import(big); err == nil || !strings.Contains(err.Error(), "MiB") {
		t.Errorf("oversized: %v", err)
	}
}

// Missing and odd fields import what they can, with warnings.
func TestImportMissingFields(t *testing.T) {
	in := `{"info": {"schema": "` + SchemaV21 + `"}, "item": [
		{"name": "no request"},
		{},
		{"name": "odd", "request": {"url": {"raw": 5}, "header": 7, "body": {"mode": "unknown"}, "auth": "x"}},
		{"name": "nulls", "request": {"url": {"raw": "http://a/?x", "query": [{"key": null, "value": null}]}, "header": [{"key": null}]}}
	]}`
	c, ws, err := Import([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Items) != 2 { // "odd" and "nulls"; the two without a request are reported
		t.Fatalf("items %d", len(c.Items))
	}
	if !hasWarning(ws, "no request", "neither a request") || !hasWarning(ws, "odd", `body mode "unknown"`) {
		t.Errorf("warnings %v", ws)
	}
}

// roundTrip imports data, writes it as a Hooklab collection, loads that
// and returns it.
func writeAndLoad(t *testing.T, c *collection.Collection) *collection.Collection {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "coll")
	if _, _, err := collection.Write(c, dir, nil); err != nil {
		t.Fatal(err)
	}
	loaded, err := collection.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded.Problems) > 0 {
		t.Fatalf("problems loading the written collection: %v", loaded.Problems)
	}
	return loaded
}

// sendables is every request of c as Sendable gives it, with its extra
// variables, by item name.
type sent struct {
	Request requester.Request
	Vars    []requester.Var
	Err     string
	Scripts []collection.Script
}

func sendables(c *collection.Collection) map[string]sent {
	out := map[string]sent{}
	collection.Walk(c.Items, func(it *collection.Item) {
		if it.Request == nil {
			return
		}
		r, vars, err := collection.Sendable(c, it)
		r.Name = ""
		s := sent{Request: r, Vars: vars, Scripts: it.Scripts}
		if err != nil {
			s.Err = err.Error()
			s.Err = s.Err[:strings.Index(s.Err, "(in")] // where it is set differs in name only
		}
		out[it.Name] = s
	})
	return out
}

// Postman v2.1 → Hooklab files → Postman v2.1 → Hooklab: every request is
// sent the same way.
func TestRoundTrip(t *testing.T) {
	for _, file := range []string{"shop-v2.1.json", "legacy-v2.0.json"} {
		t.Run(file, func(t *testing.T) {
			c, _ := mustImport(t, file)
			first := writeAndLoad(t, c)
			out, _, err := Export(first)
			if err != nil {
				t.Fatal(err)
			}
			if Version(out) != "2.1.0" {
				t.Fatalf("exported version %q", Version(out))
			}
			again, _, err := Import(out)
			if err != nil {
				t.Fatal(err)
			}
			second := writeAndLoad(t, again)
			a, b := sendables(first), sendables(second)
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("%d requests, then %d", len(a), len(b))
			}
			for name, x := range a {
				y := b[name]
				if !x.Request.Equal(y.Request) || !reflect.DeepEqual(x.Vars, y.Vars) || x.Err != y.Err || !reflect.DeepEqual(x.Scripts, y.Scripts) {
					t.Errorf("%s:\n first  %+v\n second %+v", name, x, y)
				}
			}
			if !reflect.DeepEqual(first.Vars, second.Vars) {
				t.Errorf("collection vars %+v, then %+v", first.Vars, second.Vars)
			}
		})
	}
}

// Imported, written and run: inherited auth and headers arrive on the wire.
func TestImportedCollectionOnTheWire(t *testing.T) {
	var mu sync.Mutex
	got := map[string]http.Header{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.URL.Path] = r.Header.Clone()
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	c, _ := mustImport(t, "shop-v2.1.json")
	dir := filepath.Join(t.TempDir(), "shop")
	if _, _, err := collection.Write(c, dir, nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := collection.Run(context.Background(), requester.NewClient(), collection.RunOptions{
		Path: filepath.Join(dir, "Orders"),
		Vars: map[string]string{"base_url": srv.URL, "token": "tok", "item_id": "it_9"},
	}, &out)
	if err != nil || sum.Failed != 0 || sum.Sent != 3 {
		t.Fatalf("run: %+v %v\n%s", sum, err, out.String())
	}
	out.Reset()
	sum, err = collection.Run(context.Background(), requester.NewClient(), collection.RunOptions{
		Path: filepath.Join(dir, "Admin"),
		Vars: map[string]string{"base_url": srv.URL, "admin_password": "pw", "key": "k"},
	}, &out)
	if err != nil || sum.Sent != 3 || sum.Failed != 2 { // Upload logo names files that do not exist; OAuth is refused
		t.Fatalf("run: %+v %v\n%s", sum, err, out.String())
	}
	if !strings.Contains(out.String(), `auth type "oauth2"`) {
		t.Errorf("oauth2 not refused:\n%s", out.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if a := got["/orders"].Get("Authorization"); a != "Bearer tok" {
		t.Errorf("collection bearer inherited: %q", a)
	}
	if got["/orders"].Get("X-Debug") != "" {
		t.Error("disabled header sent")
	}
	if _, ok := got["/orders/ord_123/items/it_9"]; !ok {
		t.Errorf("path variables not put in the URL; paths %v", keys(got))
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:pw"))
	if a := got["/admin/reports"].Get("Authorization"); a != basic {
		t.Errorf("folder basic inherited two levels down: %q", a)
	}
	if a := got["/ping"].Get("Authorization"); a != "" {
		t.Errorf("noauth sent %q", a)
	}
	if a := got["/admin/keys"].Get("Authorization"); a != "" {
		t.Errorf("apikey request sent Authorization %q", a)
	}
}

func keys(m map[string]http.Header) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestDynamicVariables(t *testing.T) {
	in := `{"info": {"schema": "` + SchemaV21 + `"}, "item": [{"name": "d", "request": {"method": "POST",
		"url": "http://x/{{$guid}}?t={{$timestamp}}", "header": [{"key": "X-Id", "value": "{{ $guid }}"}],
		"body": {"mode": "raw", "raw": "{\"email\": \"{{$randomEmail}}\", \"n\": {{$randomInt}}, \"e2\": \"{{$randomBankAccountIban}}\", \"e3\": \"{{$randomBankAccountIban}}\"}"}}}]}`
	c, ws, err := Import([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Items[0].Request
	if r.URL != "http://x/{{$uuid}}?t={{$timestamp}}" || r.Headers[0].Value != "{{$uuid}}" {
		t.Errorf("$guid not renamed: %q %q", r.URL, r.Headers[0].Value)
	}
	// $randomEmail is generated (faker.go); a name Hooklab has no
	// generator for is said, once.
	if !hasWarning(ws, "d", "does not generate: $randomBankAccountIban (") {

		t.Errorf("warnings %v", ws)
	}
}

// An item with a field of the wrong type is reported and left out, in a
// folder too; every other item is imported.
func TestImportSkipsItemsOfWrongTypes(t *testing.T) {
	in := `{"info": {"name": "c", "schema": "` + SchemaV21 + `"}, "item": [
		{"name": "ok", "request": {"method": "GET", "url": "http://a.test/1"}},
		{"name": "bad event", "event": "x", "request": {"url": "http://a.test/2"}},
		{"name": 5, "request": {"url": "http://a.test/3"}},
		"item",
		{"name": "folder", "item": [
			{"name": "inner ok", "request": "http://a.test/5"},
			{"name": "bad vars", "variable": {"key": "x"}, "request": "http://a.test/6"}
		]},
		{"name": "bad request", "request": {"method": 5, "url": "http://a.test/7"}},
		{"name": "odd folder", "item": "x"}
	]}`
	c, ws, err := Import([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	collection.Walk(c.Items, func(it *collection.Item) { names = append(names, it.Path) })
	if got := strings.Join(names, ","); got != "ok,folder,folder/inner ok" {
		t.Errorf("imported %q", got)
	}
	var got []string
	for _, w := range ws {
		got = append(got, w.Error())
	}
	want := []string{
		"bad event: event is a string, want a list: not imported",
		"item 3: name is a number, want a string: not imported",
		"item 4: the item is a string, not an object: not imported",
		"folder/bad vars: variable is an object, want a list: not imported",
		"bad request: request is not of the v2 shape",
		"odd folder: item (the folder's items) is not a list: not imported",
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("no warning %q in\n%s", w, all)
		}
	}
}

// TestExportKeptBody: a body Hooklab kept but cannot send (sparql) is
// exported as raw text, and said so, rather than left out.
func TestExportKeptBody(t *testing.T) {
	c := &collection.Collection{Name: "Q", Items: []*collection.Item{{Name: "Q", Path: "Q.yml", BodyType: "sparql", BodyData: "SELECT 1",
		Request: &requester.Request{Method: "POST", URL: "https://db.test/sparql"}}}}
	data, ws, err := Export(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"mode": "raw"`) || !strings.Contains(string(data), `"raw": "SELECT 1"`) {
		t.Errorf("exported:\n%s", data)
	}
	if len(ws) != 1 || !strings.Contains(ws[0].Msg, `body type "sparql" written as raw text`) {
		t.Errorf("warnings %v", ws)
	}
}
