package collection

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"hooklab/requester"
)

// stopAfter is a context that reports itself cancelled from its n-th Err
// call on, so a test stops a write at a chosen step, not after a time;
// at runs at every call with the call's number.
type stopAfter struct {
	context.Context
	n, calls int
	at       func(call int)
}

func (c *stopAfter) Err() error {
	c.calls++
	if c.at != nil {
		c.at(c.calls)
	}
	if c.calls >= c.n {
		return context.Canceled
	}
	return nil
}

// tree is every file under dir with its content, and every folder.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			m[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		m[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameTree(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for k, v := range after {
		if old, ok := before[k]; !ok {
			t.Errorf("%s: %s was left behind", what, k)
		} else if old != v {
			t.Errorf("%s: %s changed:\n%s\nwas:\n%s", what, k, v, old)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			t.Errorf("%s: %s is gone", what, k)
		}
	}
}

func manyRequests(n int) *Collection {
	c := &Collection{Name: "Big API"}
	f := &Item{Name: "folder", Folder: true}
	for i := range n {
		r := &requester.Request{Name: "r" + string(rune('a'+i%26)), URL: "http://a/x", Options: requester.Options{Proxy: "http://proxy:3128"}}
		f.Children = append(f.Children, &Item{Name: r.Name, Request: r})
	}
	c.Items = []*Item{f, {Name: "top", Request: &requester.Request{URL: "http://a/top"}}}
	c.Environments = []requester.Environment{
		{Name: "one", Vars: []requester.Var{{Name: "token", Value: "s1", Secret: true}}},
		{Name: "two", Vars: []requester.Var{{Name: "token", Value: "s2", Secret: true}}},
	}
	return c
}

// A new collection stopped part way (Ctrl+C during `hooklab import`)
// leaves nothing: not at a new path, not in the empty folder given, not in
// a folder of other files; and it is never seen half written where it
// goes.
func TestWriteNewCollectionStoppedLeavesNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, base string) string // returns --into
		final func(base string) string
	}{
		{"new path", func(t *testing.T, base string) string { return filepath.Join(base, "a", "b", "new") },
			func(base string) string { return filepath.Join(base, "a", "b", "new") }},
		{"empty folder", func(t *testing.T, base string) string {
			d := filepath.Join(base, "empty")
			if err := os.Mkdir(d, 0o755); err != nil {
				t.Fatal(err)
			}
			return d
		}, func(base string) string { return filepath.Join(base, "empty") }},
		{"folder of other files", func(t *testing.T, base string) string {
			if err := os.WriteFile(filepath.Join(base, "notes.txt"), []byte("mine"), 0o644); err != nil {
				t.Fatal(err)
			}
			return base
		}, func(base string) string { return filepath.Join(base, "Big API") }},
	} {
		for _, stop := range []int{1, 5, 40, 42, 43, 44, 45} {
			base := t.TempDir()
			into := tc.setup(t, base)
			before := tree(t, base)
			store, err := OpenSecretStore(filepath.Join(t.TempDir(), "secrets.json"))
			if err != nil {
				t.Fatal(err)
			}
			sawHalf := false
			ctx := &stopAfter{Context: context.Background(), n: stop, at: func(int) {
				if _, err := os.Stat(filepath.Join(tc.final(base), collectionFile)); err == nil {
					sawHalf = true
				}
			}}
			res, _, err := WriteContext(ctx, manyRequests(40), into, store)
			if err != context.Canceled {
				t.Fatalf("%s, stop at %d: err %v, want context.Canceled", tc.name, stop, err)
			}
			if res.Root != "" || len(res.Requests) != 0 {
				t.Errorf("%s: a stopped write reports %+v", tc.name, res)
			}
			if sawHalf && stop <= 43 {
				t.Errorf("%s, stop at %d: the collection was in place before its requests were all written", tc.name, stop)
			}
			sameTree(t, tc.name, before, tree(t, base))
			if v, ok := store.Get(tc.final(base), "one", "token"); ok {
				t.Errorf("%s: secret of a removed environment kept: %q", tc.name, v)
			}
		}
	}
	// Not stopped, it is all there.
	into := filepath.Join(t.TempDir(), "new")
	res, _, err := WriteContext(&stopAfter{Context: context.Background(), n: 1 << 30}, manyRequests(40), into, nil)
	if err != nil || res.Root != into || len(res.Requests) != 41 || len(res.Envs) != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(into), ".*")); len(m) != 0 {
		t.Errorf("left %v", m)
	}
}

// Stopped while importing into a folder of an existing collection, only
// what the import added goes: its folder, its environments and their
// secrets, its options in opencollection.yml; the collection's own files
// are as they were.
func TestWriteIntoCollectionStoppedRemovesOnlyItsOwn(t *testing.T) {
	root := filepath.Join(t.TempDir(), "mine")
	if _, err := Create(root, "mine"); err != nil {
		t.Fatal(err)
	}
	store, err := OpenSecretStore(filepath.Join(t.TempDir(), "secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The collection's own request with options, folder and environment.
	own := &Collection{Name: "own", Items: []*Item{{Name: "mine", Request: &requester.Request{URL: "http://m", Options: requester.Options{Insecure: true}}}},
		Environments: []requester.Environment{{Name: "one", Vars: []requester.Var{{Name: "token", Value: "keep", Secret: true}}}}}
	if _, _, err := Write(own, root, store); err != nil {
		t.Fatal(err)
	}
	before := tree(t, root)
	secretsBefore, _ := os.ReadFile(filepath.Join(filepath.Dir(store.path), "secrets.json"))
	// Err is asked before each of the 42 items and each environment: 44
	// stops after the first environment was written.
	for _, stop := range []int{1, 20, 42, 43, 44} {
		_, _, err := WriteContext(&stopAfter{Context: context.Background(), n: stop}, manyRequests(40), root, store)
		if err != context.Canceled {
			t.Fatalf("stop at %d: %v", stop, err)
		}
		sameTree(t, "stop", before, tree(t, root))
		after, _ := os.ReadFile(filepath.Join(filepath.Dir(store.path), "secrets.json"))
		if string(after) != string(secretsBefore) {
			t.Errorf("stop at %d: secrets changed:\n%s\nwas:\n%s", stop, after, secretsBefore)
		}
	}
}
