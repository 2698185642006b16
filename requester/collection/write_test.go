package collection

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklab/requester"
)

// A Write that fails part way leaves nothing behind.
func TestWriteFailureRemovesWhatItMade(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	c := &Collection{Name: "x", Vars: []requester.Var{{Name: "k", Value: "v", Secret: true}},
		Items: []*Item{{Name: "r", Request: &requester.Request{URL: "http://a"}}}}
	if _, _, err := Write(c, dir, nil); err == nil {
		t.Fatal("a secret collection variable was written")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the new folder is still there: %v", err)
	}

	root := filepath.Join(t.TempDir(), "mine")
	if _, err := Create(root, "mine"); err != nil {
		t.Fatal(err)
	}
	c.Vars = nil
	c.Items = append(c.Items, &Item{Name: "f", Folder: true, Defaults: Defaults{Headers: []requester.Header{{Name: "A"}}},
		Children: []*Item{{Name: "deep", Request: &requester.Request{URL: "http://b"}}}})
	c.Environments = []requester.Environment{{Name: "e"}}
	// A file where environments/ must go makes the last step fail, after
	// the requests and folders were written.
	if err := os.WriteFile(filepath.Join(root, "environments"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Write(c, root, nil); err == nil {
		t.Fatal("no error")
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 { // opencollection.yml and environments
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left %v", names)
	}
}

func TestFreeEnvironmentName(t *testing.T) {
	root := t.TempDir()
	if _, err := Create(root, "c"); err != nil {
		t.Fatal(err)
	}
	if n := FreeEnvironmentName(root, "Staging"); n != "Staging" {
		t.Errorf("free name %q", n)
	}
	for _, want := range []string{"Staging", "Staging 2", "Staging 3"} {
		c := &Collection{Name: "x", Environments: []requester.Environment{{Name: "Staging", Vars: []requester.Var{{Name: "a", Value: want}}}},
			Items: []*Item{{Name: "r", Request: &requester.Request{URL: "http://a"}}}}
		res, _, err := Write(c, root, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Envs) != 1 || res.Envs[0] != want {
			t.Errorf("env written as %v, want %q", res.Envs, want)
		}
	}
	env, err := LoadEnvironment(root, "Staging", nil)
	if err != nil || env.Vars[0].Value != "Staging" {
		t.Errorf("the first environment was overwritten: %+v %v", env, err)
	}
}

// TestWriteManyRequests: writing a large import reads each folder it
// writes into once (for the next seq), not once per request and folder
// (each read parses every file there, which made a 2,000-request Postman
// import take minutes); seqs still follow the order written, and
// Hooklab-only options of every request are kept, opencollection.yml
// written once.
func TestWriteManyRequests(t *testing.T) {
	const n = 120
	var top, inner []*Item
	for i := range n {
		r := &requester.Request{Method: "GET", URL: fmt.Sprintf("http://h/%d", i)}
		if i%40 == 0 {
			r.Options.Insecure = true
		}
		top = append(top, &Item{Name: fmt.Sprintf("r%03d", i), Request: r})
		inner = append(inner, &Item{Name: fmt.Sprintf("in%03d", i), Request: &requester.Request{URL: "http://h/in"}})
	}
	folders := []*Item{{Name: "A", Folder: true, Children: inner}, {Name: "B", Folder: true}, {Name: "C", Folder: true}}
	c := &Collection{Name: "many", Items: append(folders, top...)}
	dir := filepath.Join(t.TempDir(), "many")
	before := folderScans.Load()
	res, _, err := Write(c, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Two reads (folders, requests) of each of the 4 folders written into.
	if scans := folderScans.Load() - before; scans > 8 {
		t.Errorf("the folders were read %d times for %d requests and %d folders; want at most 8", scans, 2*n, len(folders))
	}
	if len(res.Requests) != 2*n || res.Folders != len(folders) {
		t.Errorf("wrote %d requests, %d folders", len(res.Requests), res.Folders)
	}
	loaded, err := Load(dir)
	if err != nil || len(loaded.Problems) > 0 {
		t.Fatal(err, loaded.Problems)
	}
	var order []string
	for _, it := range loaded.Items {
		order = append(order, fmt.Sprintf("%s:%d", it.Name, it.Seq))
	}
	if got := strings.Join(order[:5], " "); got != "A:1 B:2 C:3 r000:1 r001:2" {
		t.Errorf("order %s", got)
	}
	if last := loaded.Items[len(loaded.Items)-1]; last.Name != "r119" || last.Seq != n {
		t.Errorf("last %s:%d", last.Name, last.Seq)
	}
	insecure := 0
	Walk(loaded.Items, func(it *Item) {
		if it.Request != nil && it.Request.Options.Insecure {
			insecure++
		}
	})
	if insecure != 3 {
		t.Errorf("%d requests kept insecure, want 3", insecure)
	}
}
