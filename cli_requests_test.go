package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hooklab/requester/collection"
)

func TestImportCurlThenRunIt(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("X-Env")+" "+string(body))
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()

	dir := filepath.Join(t.TempDir(), "api")
	var out, errb bytes.Buffer
	cmd := `curl -X POST '` + srv.URL + `/v1/items?a=1' -H 'X-Env: {{stage}}' --data-raw '{"n":1}' -H 'Content-Type: application/json'`
	if code := run([]string{"import", "curl", cmd, "--into", dir, "--name", "Create item"}, &out, &errb); code != 0 {
		t.Fatalf("import exit %d: %s", code, errb.String())
	}
	file := strings.TrimSpace(out.String())
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("import did not write %q: %v", file, err)
	}
	coll, err := collection.Load(dir)
	if err != nil || len(coll.Items) != 1 || coll.Items[0].Request.Method != "POST" {
		t.Fatalf("imported collection: %v %+v", err, coll)
	}

	out.Reset()
	errb.Reset()
	data := t.TempDir()
	if code := run([]string{"run", dir, "--var", "stage=ci", "--json", "--data-dir", data}, &out, &errb); code != 0 {
		t.Fatalf("run exit %d: %s\n%s", code, errb.String(), out.String())
	}
	var line map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &line); err != nil {
		t.Fatalf("run --json output %q: %v", out.String(), err)
	}
	if line["status"] != float64(201) || line["name"] != "Create item" {
		t.Errorf("run line %v", line)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != `POST /v1/items?a=1 ci {"n":1}` {
		t.Errorf("server saw %q", got)
	}
}

func TestRunFailsWhenNoResponse(t *testing.T) {
	ln := httptest.NewServer(http.NotFoundHandler())
	refused := ln.URL
	ln.Close()
	dir := filepath.Join(t.TempDir(), "c")
	var out, errb bytes.Buffer
	if code := run([]string{"import", "curl", "curl " + refused + "/x", "--into", dir}, &out, &errb); code != 0 {
		t.Fatalf("import exit %d: %s", code, errb.String())
	}
	out.Reset()
	if code := run([]string{"run", dir, "--data-dir", t.TempDir()}, &out, &errb); code != 1 {
		t.Fatalf("run with a refused request exited %d:\n%s", code, out.String())
	}
	if !strings.Contains(strings.ToLower(out.String()), "refused") {
		t.Errorf("output does not say why:\n%s", out.String())
	}
}

func TestImportAndRunBadInput(t *testing.T) {
	var out, errb bytes.Buffer
	for _, args := range [][]string{
		{"import", "curl", "wget http://x", "--into", t.TempDir()},
		{"import", "curl", "curl 'http://x", "--into", t.TempDir()},
		{"import", "postman", "x"},
		{"run"},
	} {
		errb.Reset()
		if code := run(args, &out, &errb); code == 0 || errb.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errb.String())
		}
	}
	errb.Reset()
	if code := run([]string{"run", filepath.Join(t.TempDir(), "missing.yml"), "--data-dir", t.TempDir()}, &out, &errb); code == 0 {
		t.Errorf("running a missing file exited 0")
	}
}
