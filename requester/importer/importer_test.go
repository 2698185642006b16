package importer

import (
	"bytes"
	"context"
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

const (
	postmanFile = "../postman/testdata/shop-v2.1.json"
	envFile     = "../postman/testdata/staging.postman_environment.json"
	harFile     = "../har/testdata/browser.har"
	bruDir      = "../bru/testdata/shop"
)

func TestDetect(t *testing.T) {
	tmp := t.TempDir()
	curlFile := filepath.Join(tmp, "create.sh")
	os.WriteFile(curlFile, []byte("curl -X POST https://api.example.test/v1/x -d a=1\n"), 0o644)
	empty := filepath.Join(tmp, "empty.json")
	os.WriteFile(empty, nil, 0o644)
	// A Postman collection cut short: its info.schema is there, the JSON
	// breaks at line 3. Not "no info.schema".
	cut := filepath.Join(tmp, "cut.json")
	os.WriteFile(cut, []byte("{\n  \"info\": {\"name\": \"x\", \"schema\": \"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\"},\n  \"item\": [{\"name\": "), 0o644)
	array := filepath.Join(tmp, "array.json")
	os.WriteFile(array, []byte("[1, 2"), 0o644)
	ocDir := filepath.Join(tmp, "oc")
	if _, err := collection.Create(ocDir, "oc"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path string
		want Format
		err  string
	}{
		{postmanFile, FormatPostman, ""},
		{"../postman/testdata/legacy-v2.0.json", FormatPostman, ""},
		{envFile, FormatPostmanEnv, ""},
		{harFile, FormatHAR, ""},
		{bruDir, FormatBru, ""},
		{bruDir + "/Orders", FormatBru, ""},
		{bruDir + "/Login.bru", FormatBru, ""},
		{curlFile, FormatCurl, ""},
		{empty, "", "empty"},
		{cut, "", "invalid JSON at line 3: unexpected end of JSON input"},
		{array, "", "invalid JSON at line 1"},
		{ocDir, "", "already a Hooklab"},
		{tmp, "", "neither"},
		{filepath.Join(tmp, "missing"), "", "no such file"},
	}
	for _, c := range cases {
		got, err := Detect(c.path)
		if got != c.want || (c.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("Detect(%s) = %q, %v; want %q, error with %q", c.path, got, err, c.want, c.err)
		}
	}
}

// Large files are refused before being read in full, or read within the
// bound and refused for what they hold; nothing hangs.
func TestImportBigFiles(t *testing.T) {
	tmp := t.TempDir()
	big := filepath.Join(tmp, "big.json")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 50<<20); err != nil { // 50 MB of zero bytes
		t.Fatal(err)
	}
	if _, err := Import(big, filepath.Join(tmp, "a"), Options{}); err == nil || !strings.Contains(err.Error(), "not a format") {
		t.Errorf("50 MB of zeros: %v", err)
	}
	for _, f := range []Format{FormatPostman, FormatHAR, FormatCurl} {
		if _, err := Import(big, filepath.Join(tmp, "b"), Options{From: f}); err == nil {
			t.Errorf("50 MB of zeros as %s: no error", f)
		}
	}
	huge := filepath.Join(tmp, "huge.har")
	os.WriteFile(huge, nil, 0o644)
	if err := os.Truncate(huge, MaxSize+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(huge, filepath.Join(tmp, "c"), Options{From: FormatHAR}); err == nil || !strings.Contains(err.Error(), "MiB") {
		t.Errorf("over the bound: %v", err)
	}
	if _, err := os.Stat(filepath.Join(tmp, "c")); err == nil {
		t.Error("a refused import wrote its target folder")
	}
}

func TestImportIntoExistingCollection(t *testing.T) {
	root := filepath.Join(t.TempDir(), "mine")
	if _, err := collection.Create(root, "Mine"); err != nil {
		t.Fatal(err)
	}
	res, err := Import(postmanFile, root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Folder != "Shop API" || res.Root != root || len(res.Requests) != 12 {
		t.Errorf("result %+v", res)
	}
	c, err := collection.Load(root)
	if err != nil || len(c.Problems) > 0 {
		t.Fatalf("%v %v", err, c.Problems)
	}
	it := collection.Lookup(c.Items, "Shop API/Orders/List orders.yml")
	if it == nil {
		t.Fatal("List orders not found")
	}
	r, vars, err := collection.Sendable(c, it)
	if err != nil || r.Auth.Token != "{{token}}" {
		t.Errorf("collection auth, now the folder's: %+v %v", r.Auth, err)
	}
	if len(vars) < 2 || vars[0].Name != "base_url" {
		t.Errorf("collection variables, now the folder's: %+v", vars)
	}
}

// A Bruno collection imported into Hooklab's format sends every request as
// the Bruno collection itself does.
func TestImportBruSendsTheSame(t *testing.T) {
	into := filepath.Join(t.TempDir(), "imported")
	res, err := Import(bruDir, into, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Requests) != 5 || len(res.Environments) != 1 {
		t.Errorf("result %+v", res)
	}
	src, err := collection.Load(bruDir)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := collection.Load(into)
	if err != nil || len(dst.Problems) > 0 {
		t.Fatalf("%v %v", err, dst.Problems)
	}
	byName := func(c *collection.Collection) map[string]*collection.Item {
		m := map[string]*collection.Item{}
		collection.Walk(c.Items, func(it *collection.Item) {
			if it.Request != nil {
				m[it.Name] = it
			}
		})
		return m
	}
	a, b := byName(src), byName(dst)
	if len(a) != len(b) {
		t.Fatalf("%d requests, then %d", len(a), len(b))
	}
	for name, x := range a {
		y := b[name]
		if y == nil {
			t.Errorf("%s not imported", name)
			continue
		}
		rx, vx, ex := collection.Sendable(src, x)
		ry, vy, ey := collection.Sendable(dst, y)
		rx = collection.ResolvePaths(rx, src.Root)
		if !rx.Equal(ry) || !reflect.DeepEqual(vx, vy) || (ex == nil) != (ey == nil) || !reflect.DeepEqual(x.Scripts, y.Scripts) {
			t.Errorf("%s:\n bru  %+v %v %v\n ours %+v %v %v", name, rx, vx, ex, ry, vy, ey)
		}
	}
	if !reflect.DeepEqual(src.Vars, dst.Vars) {
		t.Errorf("collection vars %+v, then %+v", src.Vars, dst.Vars)
	}
}

func TestImportNothing(t *testing.T) {
	tmp := t.TempDir()
	p := filepath.Join(tmp, "data.har")
	os.WriteFile(p, []byte(`{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "data:,x"}}]}}`), 0o644)
	into := filepath.Join(tmp, "out")
	res, err := Import(p, into, Options{})
	if !errors.Is(err, ErrNothingImported) || res == nil || len(res.Warnings) != 1 {
		t.Errorf("got %+v, %v", res, err)
	}
	if _, err := os.Stat(into); err == nil {
		t.Error("wrote a collection with nothing in it")
	}
}

func TestImportEnvironmentWithoutSecretStore(t *testing.T) {
	into := filepath.Join(t.TempDir(), "c")
	res, err := Import(envFile, into, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Msg, "Staging.token") {
		t.Errorf("warnings %v", res.Warnings)
	}
	c, err := collection.Load(into)
	if err != nil {
		t.Fatal(err)
	}
	env, ok := c.Environment("Staging")
	if !ok || len(env.Vars) != 3 || !env.Vars[1].Secret || env.Vars[1].Value != "" {
		t.Errorf("env %+v", env)
	}
	data, _ := os.ReadFile(filepath.Join(into, "environments", "Staging.yml"))
	if strings.Contains(string(data), "s3cr3t") {
		t.Error("the secret value was written into the collection")
	}
}

// Imported from Bruno and run: the collection's bearer auth and header and
// the folder's header arrive on the wire.
func TestImportedBruOnTheWire(t *testing.T) {
	var mu sync.Mutex
	got := map[string]http.Header{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.URL.Path] = r.Header.Clone()
		mu.Unlock()
	}))
	defer srv.Close()
	into := filepath.Join(t.TempDir(), "imported")
	if _, err := Import(bruDir, into, Options{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := collection.Run(context.Background(), requester.NewClient(), collection.RunOptions{
		Path: filepath.Join(into, "Orders"),
		Vars: map[string]string{"base_url": srv.URL, "token": "tok", "api_key": "k9"},
	}, &out)
	if err != nil || sum.Sent != 2 {
		t.Fatalf("%+v %v\n%s", sum, err, out.String())
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range []string{"/v2/orders", "/v2/orders/ord_42"} {
		h := got[p]
		if h.Get("Authorization") != "Bearer tok" || h.Get("X-Client") != "hooklab-test" || h.Get("X-Api-Key") != "k9" || h.Get("X-Off") != "" {
			t.Errorf("%s: %v", p, h)
		}
	}
}

func TestImportOneBruFile(t *testing.T) {
	into := filepath.Join(t.TempDir(), "one")
	res, err := Import(bruDir+"/Orders/Get order.bru", into, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Requests) != 1 || len(res.Warnings) != 2 {
		t.Errorf("%+v", res)
	}
	c, err := collection.Load(into)
	if err != nil || len(c.Items) != 1 || len(c.Items[0].PathParams) != 1 || c.Items[0].AuthType != "inherit" {
		t.Fatalf("%v %+v", err, c.Items)
	}
}

// TestImportBruRefusesOtherFiles: --from bru of a file that is not .bru
// says so, rather than "invalid YAML".
func TestImportBruRefusesOtherFiles(t *testing.T) {
	_, err := Import(postmanFile, filepath.Join(t.TempDir(), "x"), Options{From: FormatBru})
	if err == nil || !strings.Contains(err.Error(), "shop-v2.1.json is not a .bru file") {
		t.Errorf("err %v", err)
	}
}

// A folder of other files does not become a collection: the import goes
// into a new folder in it.
func TestImportIntoAFolderOfOtherFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	res, err := Import(harFile, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Root != filepath.Join(dir, "browser") {
		t.Errorf("root %q", res.Root)
	}
	if _, err := os.Stat(filepath.Join(dir, "opencollection.yml")); err == nil {
		t.Error("the folder itself was made a collection")
	}
}

// TestImportOpenAPI: an OpenAPI 3.1 spec with a webhooks section is
// recognised and written as a collection: its operations, its servers as
// environments, and a Webhooks folder of presets, one per event.
func TestImportOpenAPI(t *testing.T) {
	spec, err := os.ReadFile("../openapi/testdata/payments-3.1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "payments.yaml")
	if err := os.WriteFile(src, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := Detect(src); err != nil || f != FormatOpenAPI {
		t.Fatalf("Detect = %q, %v", f, err)
	}
	into := t.TempDir()
	res, err := Import(src, into, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := collection.Load(res.Root)
	if err != nil {
		t.Fatal(err)
	}
	var hooks, ops int
	collection.Walk(c.Items, func(it *collection.Item) {
		if it.Request == nil {
			return
		}
		if strings.HasPrefix(it.Request.URL, "{{webhook_url}}") {
			hooks++
		} else {
			ops++
		}
	})
	if hooks != 3 || ops != 6 || len(c.Environments) != 2 || c.Name != "Payments API" {
		t.Fatalf("imported %d presets, %d operations, %d environments, name %q; want 3, 6, 2", hooks, ops, len(c.Environments), c.Name)
	}
}

// TestImportBruSparqlIsNotSentEmpty: a .bru request with a body mode
// Hooklab cannot send (sparql) is imported with that body in the file, so
// it is still refused with why, not sent as a POST without its body.
func TestImportBruSparqlIsNotSentEmpty(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "query.bru")
	os.WriteFile(src, []byte("meta {\n  name: Query\n}\n\npost {\n  url: https://db.test/sparql\n  body: sparql\n}\n\nbody:sparql {\n  SELECT * WHERE {?s ?p ?o}\n}\n"), 0o644)
	into := filepath.Join(t.TempDir(), "q")
	res, err := Import(src, into, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Msg, `body mode "sparql" is not supported: the request is not sent`) {
		t.Errorf("warnings %v", res.Warnings)
	}
	c, err := collection.Load(into)
	if err != nil || len(c.Items) != 1 {
		t.Fatal(err, c)
	}
	it := c.Items[0]
	if it.BodyType != "sparql" || !strings.Contains(it.BodyData, "SELECT * WHERE") {
		t.Errorf("body %q %q", it.BodyType, it.BodyData)
	}
	var be *collection.UnsupportedBodyError
	if _, _, err := collection.Sendable(c, it); !errors.As(err, &be) {
		t.Errorf("Sendable: %v", err)
	}
}

// Requests from a HAR are files named as their sidebar name reads, the
// slashes of the path as spaces: "GET v1 orders.yml", not "GET -v1-orders.yml".
func TestImportHARFileNames(t *testing.T) {
	res, err := Import(harFile, filepath.Join(t.TempDir(), "c"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"api.shop.test/GET v1 orders.yml": false, "api.shop.test/POST v1 orders.yml": false, "auth.shop.test-8080/POST login.yml": false}
	for _, r := range res.Requests {
		if strings.Contains(r, " -") {
			t.Errorf("file %q", r)
		}
		if _, ok := want[r]; ok {
			want[r] = true
		}
	}
	for f, seen := range want {
		if !seen {
			t.Errorf("no %s in %v", f, res.Requests)
		}
	}
	c, err := collection.Load(res.Root)
	if err != nil {
		t.Fatal(err)
	}
	if it := collection.Lookup(c.Items, "api.shop.test/GET v1 orders.yml"); it == nil || it.Name != "GET /v1/orders" {
		t.Errorf("sidebar name: %+v", it)
	}
}
