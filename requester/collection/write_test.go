package collection

import (
	"os"
	"path/filepath"
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
