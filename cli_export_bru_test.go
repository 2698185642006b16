package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// hooklab import (Postman) then hooklab export --format bru: a Bruno
// folder that loads back with the same requests, and a second export into
// it is refused.
func TestExportCollectionAsBru(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shop")
	var out, errb bytes.Buffer
	if code := run([]string{"import", "requester/postman/testdata/shop-v2.1.json", "--into", dir, "--data-dir", t.TempDir()}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	dest := filepath.Join(t.TempDir(), "bruno")
	out.Reset()
	errb.Reset()
	if code := run([]string{"export", "collection", dir, "--format", "bru", "--out", dest}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "as a Bruno collection into") {
		t.Errorf("stdout %q", out.String())
	}
	src, err := collection.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := collection.Load(dest)
	if err != nil {
		t.Fatal(err)
	}
	count := func(c *collection.Collection) (n int) {
		collection.Walk(c.Items, func(it *collection.Item) {
			if it.Request != nil {
				n++
			}
		})
		return n
	}
	if count(got) != count(src) || count(src) == 0 || got.Name != src.Name || len(got.Problems) > 0 {
		t.Errorf("bru folder: %d requests %q %v, want %d %q", count(got), got.Name, got.Problems, count(src), src.Name)
	}
	errb.Reset()
	if code := run([]string{"export", "collection", dir, "--format", "bru", "--out", dest}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "not empty") {
		t.Errorf("export into a non-empty folder: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"export", "collection", dir, "--format", "bru"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "--out") {
		t.Errorf("without --out: exit %d, %q", code, errb.String())
	}
}

func TestExportEnvironmentAsPostman(t *testing.T) {
	root := filepath.Join(t.TempDir(), "c")
	data := t.TempDir()
	if _, err := collection.Create(root, "c"); err != nil {
		t.Fatal(err)
	}
	store, err := collection.OpenSecretStore(filepath.Join(data, "secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	env := requester.Environment{Name: "Staging", Vars: []requester.Var{
		{Name: "base", Value: "https://staging.example"},
		{Name: "token", Value: "tok_s3cret", Secret: true},
	}}
	if err := collection.SaveEnvironment(root, env, store); err != nil {
		t.Fatal(err)
	}
	read := func(args ...string) map[string]string {
		t.Helper()
		var out, errb bytes.Buffer
		args = append([]string{"export", "environment", root, "--env", "Staging", "--format", "postman", "--data-dir", data}, args...)
		if code := run(args, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var pe struct {
			Name   string
			Values []struct{ Key, Value, Type string }
		}
		if err := json.Unmarshal(out.Bytes(), &pe); err != nil || pe.Name != "Staging" {
			t.Fatalf("%v %s", err, out.String())
		}
		m := map[string]string{}
		for _, v := range pe.Values {
			m[v.Key] = v.Value + "/" + v.Type
		}
		return m
	}
	if m := read(); m["token"] != "/secret" || m["base"] != "https://staging.example/default" {
		t.Errorf("without --include-secrets: %v", m)
	}
	if m := read("--include-secrets"); m["token"] != "tok_s3cret/secret" {
		t.Errorf("with --include-secrets: %v", m)
	}
	outFile := filepath.Join(t.TempDir(), "env.json")
	var out, errb bytes.Buffer
	if code := run([]string{"export", "environment", root, "--env", "Staging", "--format", "postman", "--out", outFile}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	if b, err := os.ReadFile(outFile); err != nil || strings.Contains(string(b), "s3cret") {
		t.Errorf("--out file: %v %s", err, b)
	}
	errb.Reset()
	if code := run([]string{"export", "environment", root, "--env", "Nope", "--format", "postman"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), `"Nope" not found`) {
		t.Errorf("unknown environment: exit %d %q", code, errb.String())
	}
}

func TestHelpNamesExportFormats(t *testing.T) {
	var out, errb bytes.Buffer
	run([]string{"help"}, &out, &errb)
	for _, s := range []string{"--format bru --out NEWDIR", "hooklab export environment DIR --env NAME --format postman"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("help lacks %q", s)
		}
	}
}
