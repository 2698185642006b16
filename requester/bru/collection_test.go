package bru_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hooklab/requester"
	"hooklab/requester/collection"
)

func TestLoadBruCollection(t *testing.T) {
	c, err := collection.Load("testdata/shop")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) > 0 {
		t.Fatalf("problems %v", c.Problems)
	}
	if c.Name != "Shop (bru)" || c.Defaults.AuthType != "bearer" || len(c.Vars) != 1 {
		t.Errorf("collection %q %+v", c.Name, c.Defaults)
	}
	var names []string
	collection.Walk(c.Items, func(it *collection.Item) { names = append(names, it.Path) })
	want := "Orders Orders/Create order.bru Orders/Get order.bru Login.bru Upload.bru Search.bru"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("items %q, want %q (scratch/ is in bruno.json's ignore list)", got, want)
	}
	if env, ok := c.Environment("Local"); !ok || len(env.Vars) != 4 || !env.Vars[2].Secret {
		t.Errorf("environment %+v %v", env, ok)
	}
	var ws []string
	for _, w := range c.Warnings {
		ws = append(ws, w.Error())
	}
	all := strings.Join(ws, "\n")
	for _, s := range []string{`Search.bru: auth type "oauth2"`, "Orders/Get order.bru: assertions ignored", "collection.bru: script:pre-request ignored"} {
		if !strings.Contains(all, s) {
			t.Errorf("no warning %q in\n%s", s, all)
		}
	}
	if root, ok := collection.FindRoot("testdata/shop/Orders/Get order.bru"); !ok || filepath.Base(root) != "shop" {
		t.Errorf("FindRoot %q %v", root, ok)
	}
}

type recorded struct {
	header http.Header
	body   string
	query  string
}

func server(t *testing.T) (*httptest.Server, func(path string) (recorded, bool)) {
	var mu sync.Mutex
	got := map[string]recorded{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.URL.Path] = recorded{r.Header.Clone(), string(b), r.URL.RawQuery}
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv, func(path string) (recorded, bool) {
		mu.Lock()
		defer mu.Unlock()
		r, ok := got[path]
		return r, ok
	}
}

func run(t *testing.T, path string, vars map[string]string) (collection.RunSummary, string, error) {
	t.Helper()
	var out bytes.Buffer
	sum, err := collection.Run(context.Background(), requester.NewClient(), collection.RunOptions{Path: path, Env: "", Vars: vars}, &out)
	return sum, out.String(), err
}

// hooklab run on a folder of a .bru collection sends its requests with the
// collection's auth and headers, the folder's headers and variables, and
// path params.
func TestRunBruFolderOnTheWire(t *testing.T) {
	srv, got := server(t)
	sum, out, err := run(t, "testdata/shop/Orders", map[string]string{"base_url": srv.URL, "token": "tok", "api_key": "key-1"})
	if err != nil || sum.Sent != 2 || sum.Failed != 0 {
		t.Fatalf("%+v %v\n%s", sum, err, out)
	}
	create, ok := got("/v2/orders")
	if !ok {
		t.Fatal("Create order not received")
	}
	if a := create.header.Get("Authorization"); a != "Bearer tok" {
		t.Errorf("collection auth inherited: %q", a)
	}
	if create.header.Get("X-Client") != "hooklab-test" || create.header.Get("X-Off") != "" {
		t.Errorf("collection headers %v", create.header)
	}
	if create.header.Get("X-Api-Key") != "key-1" {
		t.Errorf("folder header %v", create.header)
	}
	if !strings.Contains(create.body, `"status": "pending"`) {
		t.Errorf("request vars over folder vars: %s", create.body)
	}
	get, ok := got("/v2/orders/ord_42")
	if !ok || get.query != "expand=items" || get.header.Get("Accept") != "application/json" {
		t.Errorf("Get order with its path param: %+v %v", get, ok)
	}
}

func TestRunBruFile(t *testing.T) {
	srv, got := server(t)
	sum, out, err := run(t, "testdata/shop/Login.bru", map[string]string{"base_url": srv.URL, "password": "pw"})
	if err != nil || sum.Sent != 1 {
		t.Fatalf("%+v %v\n%s", sum, err, out)
	}
	login, _ := got("/login")
	if a := login.header.Get("Authorization"); a != "Basic "+base64.StdEncoding.EncodeToString([]byte("ann:pw")) {
		t.Errorf("basic auth %q", a)
	}
	if login.body != "user=ann&note=two%0Alines" {
		t.Errorf("form %q", login.body)
	}
	// An auth Hooklab cannot send fails loudly.
	sum, out, err = run(t, "testdata/shop/Search.bru", map[string]string{"base_url": srv.URL})
	if err != nil || sum.Failed != 1 || !strings.Contains(out, `auth type "oauth2"`) {
		t.Errorf("oauth2: %+v %v\n%s", sum, err, out)
	}
}

// A folder of .bru files outside any collection runs too, and a folder
// with nothing to send is an error, not "0 sent".
func TestRunLooseBruFolder(t *testing.T) {
	srv, got := server(t)
	dir := t.TempDir()
	for _, f := range []string{"Get order.bru", "Create order.bru"} {
		data, err := os.ReadFile(filepath.Join("testdata/shop/Orders", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, out, err := run(t, dir, map[string]string{"base_url": srv.URL, "api_version": "v1", "status": "x"})
	if err != nil || sum.Sent != 2 {
		t.Fatalf("%+v %v\n%s", sum, err, out)
	}
	if _, ok := got("/v1/orders/ord_42"); !ok {
		t.Error("Get order not sent")
	}
	if !strings.Contains(out, "WARN Get order.bru: tests kept as text, not run") {
		t.Errorf("the loose folder's warnings are not shown:\n%s", out)
	}
	// One loose .bru file.
	sum, out, err = run(t, filepath.Join(dir, "Get order.bru"), map[string]string{"base_url": srv.URL, "api_version": "v3"})
	if err != nil || sum.Sent != 1 {
		t.Fatalf("%+v %v\n%s", sum, err, out)
	}
	if _, ok := got("/v3/orders/ord_42"); !ok {
		t.Error("the loose file was not sent")
	}
	empty := t.TempDir()
	if _, _, err := run(t, empty, nil); err == nil || !strings.Contains(err.Error(), "nothing to run") {
		t.Errorf("empty folder: %v", err)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "x.bru"), []byte("not bru"), 0o644)
	if sum, out, err := run(t, bad, nil); err != nil || sum.Failed != 1 || !strings.Contains(out, "line 1") {
		t.Errorf("invalid .bru: %+v %v\n%s", sum, err, out)
	}
}
