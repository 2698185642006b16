package bruexport

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/requester/importer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sample is a collection using every feature both Hooklab and Bruno hold.
func sample() *collection.Collection {
	bearer := requester.Auth{Kind: requester.AuthBearer, Token: "{{token}}"}
	return &collection.Collection{
		Name: "Shop API",
		Vars: []requester.Var{{Name: "base", Value: "https://shop.example"}},
		Defaults: collection.Defaults{
			Auth: bearer, AuthType: "bearer",
			Headers: []requester.Header{{Name: "x-api-version", Value: "2"}, {Name: "X-Debug", Value: "1", Disabled: true}},
			Vars:    []requester.Var{{Name: "base", Value: "https://shop.example"}},
		},
		Items: []*collection.Item{
			{Name: "Orders", Folder: true, Seq: 1, Defaults: collection.Defaults{
				AuthType: "basic", Auth: requester.Auth{Kind: requester.AuthBasic, Username: "ann", Password: "{{pw}}"},
				Headers: []requester.Header{{Name: "Accept", Value: "application/json"}},
				Vars:    []requester.Var{{Name: "tenant", Value: "t1"}},
			}, Children: []*collection.Item{
				{Name: "Create order", Seq: 1, AuthType: "inherit", Request: &requester.Request{
					Name: "Create order", Method: "POST", URL: "{{base}}/orders?dry=1",
					Params:  []requester.Param{{Name: "dry", Value: "1"}, {Name: "trace", Value: "x", Disabled: true}},
					Headers: []requester.Header{{Name: "Idempotency-Key", Value: "{{$guid}}"}},
					Body:    requester.Body{Kind: requester.BodyJSON, Text: "{\n  \"amount\": 1200,\n  \"note\": \"}\"\n}"},
				}, Scripts: []collection.Script{{Type: "before-request", Code: "bru.setVar(\"a\", 1);\n\nconsole.log(2);"}}},
				{Name: "Get order", Seq: 2, AuthType: "none", PathParams: []requester.Param{{Name: "id", Value: "42"}},
					RuntimeVars: []requester.Var{{Name: "n", Value: "3"}, {Name: "m", Value: "4", Disabled: true}},
					Request: &requester.Request{Name: "Get order", Method: "GET", URL: "{{base}}/orders/:id",
						Options: requester.Options{Timeout: 5 * time.Second, NoRedirects: true, MaxRedirects: 3}}},
			}},
			{Name: "Login: form", Seq: 1, AuthType: "apikey", Request: &requester.Request{
				Name: "Login: form", Method: "POST", URL: "{{base}}/login",
				Auth: requester.Auth{Kind: requester.AuthAPIKey, Key: "k", Value: "v", InQuery: true},
				Body: requester.Body{Kind: requester.BodyForm, Form: []requester.Param{
					{Name: "user", Value: "ann"}, {Name: "note", Value: "  spaced  "}, {Name: "a:b", Value: "c"}, {Name: "off", Value: "1", Disabled: true},
				}},
			}},
			{Name: "Upload", Seq: 2, AuthType: "digest", Request: &requester.Request{
				Name: "Upload", Method: "PUT", URL: "{{base}}/upload",
				Auth: requester.Auth{Kind: requester.AuthDigest, Username: "u", Password: "p"},
				Body: requester.Body{Kind: requester.BodyMultipart, Parts: []requester.Part{
					{Name: "meta", Value: "{\"a\":1}", ContentType: "application/json"},
					{Name: "file", File: "/tmp/a.png"},
					{Name: "old", Value: "x", Disabled: true},
				}},
			}},
			{Name: "Query", Seq: 3, Request: &requester.Request{
				Name: "Query", Method: "POST", URL: "{{base}}/graphql",
				Body: requester.Body{Kind: requester.BodyGraphQL, GraphQL: requester.GraphQL{Query: "{ orders { id } }", Variables: "{\"n\": 1}"}},
			}},
			{Name: "Notes", Seq: 4, AuthType: "oauth2", Request: &requester.Request{
				Name: "Notes", Method: "PROPFIND", URL: "{{base}}/notes",
				Body: requester.Body{Kind: requester.BodyXML, Text: "<a>\n\t<b/>\n</a>\n"},
			}},
			{Name: "Raw", Seq: 5, Request: &requester.Request{
				Name: "Raw", Method: "POST", URL: "{{base}}/raw",
				Body: requester.Body{Kind: requester.BodyFile, File: "/tmp/body.bin"},
			}},
			{Name: "Plain", Seq: 6, Request: &requester.Request{
				Name: "Plain", Method: "PATCH", URL: "{{base}}/plain",
				Headers: []requester.Header{{Name: "multi", Value: "a\nb"}},
				Body:    requester.Body{Kind: requester.BodyText, Text: "line one\n  indented\n"},
			}},
		},
		Environments: []requester.Environment{{Name: "Local", Vars: []requester.Var{
			{Name: "base", Value: "http://127.0.0.1:8080"},
			{Name: "old", Value: "1", Disabled: true},
			{Name: "token", Secret: true}, // last: bru lists secrets after the other vars
		}}},
	}
}

// strip clears what a load fills in that the source has not: paths.
func strip(items []*collection.Item) {
	collection.Walk(items, func(it *collection.Item) { it.Path = "" })
}

func TestRoundTrip(t *testing.T) {
	src := sample()
	dir := filepath.Join(t.TempDir(), "bruno")
	warnings, err := Write(src, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := collection.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Problems) > 0 {
		t.Fatalf("problems loading what was written: %v", got.Problems)
	}
	strip(got.Items)
	if got.Name != src.Name || !reflect.DeepEqual(got.Vars, src.Vars) || !reflect.DeepEqual(got.Defaults, src.Defaults) {
		t.Errorf("collection %q %+v %+v\nwant %q %+v %+v", got.Name, got.Vars, got.Defaults, src.Name, src.Vars, src.Defaults)
	}
	if !reflect.DeepEqual(got.Environments, src.Environments) {
		t.Errorf("environments %+v\nwant %+v", got.Environments, src.Environments)
	}
	want := sample().Items
	if len(got.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(got.Items), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got.Items[i], want[i]) {
			t.Errorf("item %d:\n got %#v\nwant %#v", i, got.Items[i], want[i])
			if got.Items[i].Request != nil && want[i].Request != nil {
				t.Errorf("request\n got %#v\nwant %#v", *got.Items[i].Request, *want[i].Request)
			}
		}
	}
	var ws []string
	for _, w := range warnings {
		ws = append(ws, w.Error())
	}
	if all := strings.Join(ws, "\n"); !strings.Contains(all, `Notes.bru: auth type "oauth2" written without its settings`) {
		t.Errorf("warnings:\n%s", all)
	}
}

// TestRoundTripThroughImport goes the way a user does: export to a .bru
// folder, import that with hooklab's importer, load the result.
func TestRoundTripThroughImport(t *testing.T) {
	src := sample()
	tmp := t.TempDir()
	if _, err := Write(src, filepath.Join(tmp, "bruno"), Options{}); err != nil {
		t.Fatal(err)
	}
	res, err := importer.Import(filepath.Join(tmp, "bruno"), filepath.Join(tmp, "back"), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := collection.Load(res.Root)
	if err != nil {
		t.Fatal(err)
	}
	strip(got.Items)
	var gotNames, wantNames []string
	collection.Walk(got.Items, func(it *collection.Item) { gotNames = append(gotNames, it.Name) })
	collection.Walk(src.Items, func(it *collection.Item) { wantNames = append(wantNames, it.Name) })
	if !reflect.DeepEqual(gotNames, wantNames) {
		t.Fatalf("items %q, want %q", gotNames, wantNames)
	}
	for i, it := range got.Items {
		w := src.Items[i]
		if it.Request != nil && !reflect.DeepEqual(*it.Request, *w.Request) {
			t.Errorf("%s:\n got %#v\nwant %#v", it.Name, *it.Request, *w.Request)
		}
		if it.AuthType != w.AuthType || !reflect.DeepEqual(it.Defaults, w.Defaults) {
			t.Errorf("%s: auth %q %+v, want %q %+v", it.Name, it.AuthType, it.Defaults, w.AuthType, w.Defaults)
		}
	}
	if !reflect.DeepEqual(got.Defaults, src.Defaults) {
		t.Errorf("defaults %+v\nwant %+v", got.Defaults, src.Defaults)
	}
}

// TestRoundTripFixture exports the Bruno fixture collection of package bru
// and loads it back: what Hooklab read from Bruno's files, it writes.
func TestRoundTripFixture(t *testing.T) {
	src, err := collection.Load("../testdata/shop")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Write(src, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	got, err := collection.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	strip(got.Items)
	strip(src.Items)
	if !reflect.DeepEqual(got.Items, src.Items) || !reflect.DeepEqual(got.Defaults, src.Defaults) || got.Name != src.Name {
		var a, b []string
		collection.Walk(got.Items, func(it *collection.Item) { a = append(a, it.Name) })
		collection.Walk(src.Items, func(it *collection.Item) { b = append(b, it.Name) })
		t.Errorf("round trip differs: %q vs %q", a, b)
		for i := range src.Items {
			if i < len(got.Items) && !reflect.DeepEqual(got.Items[i], src.Items[i]) {
				t.Errorf("got  %#v\nwant %#v", got.Items[i], src.Items[i])
			}
		}
	}
	// Secret names come back; their values are never in the files.
	if !reflect.DeepEqual(got.Environments, src.Environments) {
		t.Errorf("environments %+v\nwant %+v", got.Environments, src.Environments)
	}
}

func TestGolden(t *testing.T) {
	files, _ := Files(sample(), Options{})
	dir := filepath.Join("testdata", "golden")
	seen := map[string]bool{}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		seen[filepath.ToSlash(p)] = true
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v (run with -update to write it)", f.Path, err)
			continue
		}
		if string(want) != string(f.Data) {
			t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", f.Path, f.Data, want)
		}
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !seen[filepath.ToSlash(p)] {
			t.Errorf("golden file %s is no longer written", p)
		}
		return nil
	})
}

func TestSecretsOnlyWhenAsked(t *testing.T) {
	c := sample()
	c.Environments[0].Vars[2].Value = "s3cret"
	files, ws := Files(c, Options{})
	for _, f := range files {
		if strings.Contains(string(f.Data), "s3cret") {
			t.Errorf("%s holds the secret value:\n%s", f.Path, f.Data)
		}
	}
	files, ws2 := Files(c, Options{IncludeSecrets: true})
	env := string(files[len(files)-1].Data)
	if !strings.Contains(env, "token: s3cret") {
		t.Errorf("with IncludeSecrets the value is not written:\n%s", env)
	}
	if len(ws2) != len(ws)+1 {
		t.Errorf("writing a secret in plain is not reported: %v", ws2)
	}
}

func TestNamesSafeAndUnique(t *testing.T) {
	c := &collection.Collection{Name: "n", Items: []*collection.Item{
		{Name: "a/b", Request: &requester.Request{URL: "http://x/1"}},
		{Name: "a:b", Request: &requester.Request{URL: "http://x/2"}},
		{Name: "A-B", Request: &requester.Request{URL: "http://x/3"}},
		{Name: "collection", Request: &requester.Request{URL: "http://x/4"}},
		{Name: "..", Request: &requester.Request{URL: "http://x/5"}},
		{Name: "environments", Folder: true},
	}}
	files, _ := Files(c, Options{})
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	want := "bruno.json collection.bru a b.bru a-b.bru A-B 2.bru collection 2.bru Untitled.bru environments 2/folder.bru"
	if strings.Join(got, " ") != want {
		t.Errorf("files %q\nwant  %q", strings.Join(got, " "), want)
	}
}

func TestWriteRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(sample(), dir, Options{}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("err %v, want ErrNotEmpty", err)
	}
	if _, err := Write(sample(), t.TempDir(), Options{}); err != nil {
		t.Fatalf("an empty existing folder: %v", err)
	}
}

func TestOptionsBrunoLacksAreReported(t *testing.T) {
	c := &collection.Collection{Name: "n", Items: []*collection.Item{{Name: "r", Request: &requester.Request{
		URL: "https://x", Options: requester.Options{Insecure: true, Proxy: "http://p:1", ClientCert: "c.pem"},
	}}}}
	_, ws := Files(c, Options{})
	if len(ws) != 1 || !strings.Contains(ws[0].Msg, "TLS verification off, client certificate, proxy") || ws[0].Path != "r.bru" {
		t.Errorf("warnings %v", ws)
	}
}
