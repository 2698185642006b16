package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hooklab/requester/collection"
)

// hooklab import --from postman, then hooklab run: the collection's bearer
// token and a folder's basic auth arrive on the wire.
func TestImportPostmanThenRun(t *testing.T) {
	var mu sync.Mutex
	auth := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth[r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
	}))
	defer srv.Close()

	data := t.TempDir()
	dir := filepath.Join(t.TempDir(), "shop")
	var out, errb bytes.Buffer
	args := []string{"import", "requester/postman/testdata/shop-v2.1.json", "--into", dir, "--data-dir", data}
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("import exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "imported postman: 12 request(s), 3 folder(s)") {
		t.Errorf("summary: %s", out.String())
	}
	if !strings.Contains(errb.String(), `warning: Admin/OAuth call: auth type "oauth2"`) {
		t.Errorf("warnings: %s", errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"import", "--from", "postman", "requester/postman/testdata/staging.postman_environment.json", "--into", dir, "--data-dir", data}, &out, &errb); code != 0 {
		t.Fatalf("environment import exit %d: %s", code, errb.String())
	}
	out.Reset()
	code := run([]string{"run", filepath.Join(dir, "Orders", "List orders.yml"), "--env", "Staging", "--var", "base_url=" + srv.URL, "--data-dir", data}, &out, &errb)
	if code != 0 {
		t.Fatalf("run exit %d: %s %s", code, out.String(), errb.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if auth["/orders"] != "Bearer s3cr3t" { // the secret token of the imported environment
		t.Errorf("Authorization %q", auth["/orders"])
	}
}

func TestImportReportsNothingImported(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := map[string][]string{
		"only a data: URL": {write("data.har", `{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "data:,x"}}]}}`)},
		"junk":             {write("junk.bin", "\x00\x01\x02")},
		"unknown JSON":     {write("x.json", `{"a": 1}`)},
		"bad --from":       {"--from", "swagger", write("y.json", `{}`)},
		"missing file":     {filepath.Join(dir, "missing.json")},
		"v1 postman":       {"--from", "postman", write("v1.json", `{"id": "1", "requests": []}`)},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			into := filepath.Join(t.TempDir(), "c")
			code := run(append([]string{"import", "--into", into}, args...), &out, &errb)
			if code == 0 || errb.Len() == 0 {
				t.Errorf("exit %d, stderr %q", code, errb.String())
			}
			if _, err := os.Stat(into); err == nil && name != "bad --from" {
				if entries, _ := os.ReadDir(into); len(entries) > 0 {
					t.Errorf("wrote %d entries into %s", len(entries), into)
				}
			}
		})
	}
}

func TestRunBruFolderFromCLI(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	code := run([]string{"run", "requester/bru/testdata/shop/Orders", "--var", "base_url=" + srv.URL, "--var", "api_key=k", "--var", "token=t", "--data-dir", t.TempDir()}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "2 sent, 0 failed") {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"run", t.TempDir(), "--data-dir", t.TempDir()}, &out, &errb); code == 0 {
		t.Errorf("an empty folder ran with exit 0: %s", out.String())
	}
}

func TestExportCollectionAsPostman(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shop")
	var out, errb bytes.Buffer
	if code := run([]string{"import", "requester/postman/testdata/shop-v2.1.json", "--into", dir, "--data-dir", t.TempDir()}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	out.Reset()
	if code := run([]string{"export", "collection", dir, "--format", "postman"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var pc struct {
		Info struct{ Name, Schema string }
		Item []json.RawMessage
	}
	if err := json.Unmarshal(out.Bytes(), &pc); err != nil || pc.Info.Name != "Shop API" || !strings.Contains(pc.Info.Schema, "v2.1.0") || len(pc.Item) != 6 {
		t.Errorf("export: %v %+v", err, pc.Info)
	}
}

// stopAfterErrs is a context that is done from its n-th Err call on: an
// import stopped at a chosen step, as Ctrl+C would stop it.
type stopAfterErrs struct {
	context.Context
	n, calls int
}

func (c *stopAfterErrs) Err() error {
	c.calls++
	if c.calls >= c.n {
		return context.Canceled
	}
	return nil
}

// Ctrl+C during hooklab import leaves nothing at --into, whether that is a
// new collection or a folder of an existing one, and says so.
func TestImportInterruptedLeavesNothing(t *testing.T) {
	defer func(old func() (context.Context, context.CancelFunc)) { importContext = old }(importContext)
	importContext = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		return &stopAfterErrs{Context: ctx, n: 8}, cancel
	}
	base := t.TempDir()
	into := filepath.Join(base, "shop")
	var out, errb bytes.Buffer
	code := run([]string{"import", "requester/postman/testdata/shop-v2.1.json", "--into", into, "--data-dir", t.TempDir()}, &out, &errb)
	if code != 130 || !strings.Contains(errb.String(), "interrupted; nothing was written") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if entries, _ := os.ReadDir(base); len(entries) != 0 {
		t.Errorf("left %v", entries)
	}

	// Into a folder of an existing collection: its files stay as they were.
	mine := filepath.Join(base, "mine")
	if _, err := collection.Create(mine, "mine"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(mine, "opencollection.yml"))
	errb.Reset()
	code = run([]string{"import", "requester/postman/testdata/shop-v2.1.json", "--into", mine, "--data-dir", t.TempDir()}, &out, &errb)
	if code != 130 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	entries, _ := os.ReadDir(mine)
	after, _ := os.ReadFile(filepath.Join(mine, "opencollection.yml"))
	if len(entries) != 1 || string(after) != string(before) {
		t.Errorf("left %v, opencollection.yml:\n%s", entries, after)
	}
}
