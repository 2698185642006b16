// Package bruexport writes a Hooklab collection as a Bruno collection
// folder: bruno.json, collection.bru, a folder.bru in each folder, one .bru
// file per request and environments/NAME.bru. The bru text is written by
// package bru (which requester/collection imports, so the walk over a
// collection lives here).
package bruexport

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"hooklab/requester"
	"hooklab/requester/bru"
	"hooklab/requester/collection"
)

// Options are the choices of one export.
type Options struct {
	// IncludeSecrets writes the values of secret environment variables
	// (as plain variables: Bruno keeps secret values outside its files).
	// Without it only their names are written, in vars:secret.
	IncludeSecrets bool
}

// ErrNotEmpty is a target folder that exists and holds files.
var ErrNotEmpty = errors.New("the folder exists and is not empty; choose a new or empty folder")

// Write writes c as a Bruno collection into dir, which must not exist or
// be empty. Warnings list, by the path written, what Bruno's files cannot
// hold. Nothing is left behind when writing fails.
func Write(c *collection.Collection, dir string, opts Options) ([]collection.Problem, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	files, warnings := Files(c, opts)
	created := false
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		created = true
	}
	if err := writeFiles(dir, files); err != nil {
		if created {
			os.RemoveAll(dir)
		} else {
			clearDir(dir)
		}
		return warnings, err
	}
	return warnings, nil
}

func writeFiles(dir string, files []File) error {
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func clearDir(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// File is one file of the Bruno folder: its slash-separated path and text.
type File struct {
	Path string
	Data []byte
}

// Files returns the files of c as a Bruno collection, in the order they
// are written (bruno.json, collection.bru, then the tree depth first,
// then environments), and what they cannot hold.
func Files(c *collection.Collection, opts Options) ([]File, []collection.Problem) {
	e := &exporter{}
	e.add("bruno.json", bru.FormatConfig(c.Name), nil)
	d := c.Defaults
	if len(d.Vars) == 0 {
		d.Vars = c.Vars
	}
	data, ws := bru.FormatDefaults(&bru.Defaults{Headers: d.Headers, Auth: d.Auth, AuthType: d.AuthType, AuthFields: pairs(d.AuthFields), Vars: d.Vars}, false)
	e.add("collection.bru", data, ws)
	e.items("", c.Items, map[string]bool{"bruno.json": true, "collection.bru": true, "environments": true})
	used := map[string]bool{}
	for _, env := range c.Environments {
		name := unique(collection.SafeName(env.Name), ".bru", used)
		p := "environments/" + name + ".bru"
		data, ws := bru.FormatEnvironment(env, opts.IncludeSecrets)
		if name != env.Name {
			ws = append(ws, fmt.Sprintf("environment %q written as %s.bru: Bruno names an environment by its file", env.Name, name))
		}
		e.add(p, data, ws)
	}
	return e.files, e.warnings
}

type exporter struct {
	files    []File
	warnings []collection.Problem
}

func (e *exporter) add(p string, data []byte, warnings []string) {
	e.files = append(e.files, File{Path: p, Data: data})
	for _, w := range warnings {
		e.warnings = append(e.warnings, collection.Problem{Path: p, Msg: w})
	}
}

// items writes the items of one folder (dir, "" for the root). Names
// already taken there (case-insensitively, for file systems that ignore
// case) are in used.
func (e *exporter) items(dir string, items []*collection.Item, reserved map[string]bool) {
	used := map[string]bool{}
	for k := range reserved {
		used[k] = true
	}
	seqs := sequence(items)
	for i, it := range items {
		switch {
		case it.Folder:
			name := unique(collection.SafeName(it.Name), "", used)
			p := path.Join(dir, name)
			d := it.Defaults
			data, ws := bru.FormatDefaults(&bru.Defaults{Name: it.Name, Seq: seqs[i], Headers: d.Headers, Auth: d.Auth, AuthType: d.AuthType, AuthFields: pairs(d.AuthFields), Vars: d.Vars}, true)
			e.add(p+"/folder.bru", data, ws)
			e.items(p, it.Children, map[string]bool{"folder.bru": true})
		case it.Request != nil:
			name := unique(collection.SafeName(it.Name), ".bru", used)
			p := path.Join(dir, name+".bru")
			r := bru.Request{Request: *it.Request, Seq: seqs[i], AuthType: it.AuthType, AuthFields: pairs(it.AuthFields),
				PathParams: it.PathParams, Vars: it.RuntimeVars, BodyMode: it.BodyType, BodyData: it.BodyData}
			r.Request.Name = it.Name
			for _, s := range it.Scripts {
				r.Scripts = append(r.Scripts, bru.Script{Type: s.Type, Code: s.Code})
			}
			data, ws := bru.FormatRequest(&r)
			e.add(p, data, ws)
		}
	}
}

// sequence returns the seq each item is written with: its own when the
// items' seqs are positive and increasing, else 1, 2, 3... in their order,
// so Bruno shows them as Hooklab does. Folders and requests are counted
// apart, as both tools sort them apart.
func sequence(items []*collection.Item) []int {
	out := make([]int, len(items))
	for _, folders := range []bool{true, false} {
		var idx []int
		keep := true
		last := 0
		for i, it := range items {
			if it.Folder != folders {
				continue
			}
			idx = append(idx, i)
			if it.Seq <= last {
				keep = false
			}
			last = it.Seq
		}
		for n, i := range idx {
			if keep {
				out[i] = items[i].Seq
			} else {
				out[i] = n + 1
			}
		}
	}
	return out
}

// unique returns base, or "base N" with the smallest free N from 2, such
// that base+suffix is not yet used (ignoring case), and marks it used.
func unique(base, suffix string, used map[string]bool) string {
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name = base + " " + strconv.Itoa(n)
		}
		key := strings.ToLower(name + suffix)
		if !used[key] {
			used[key] = true
			return name
		}
	}
}

// pairs are the model's rows as the rows of a .bru block.
func pairs(ps []requester.Param) []bru.Pair {
	var out []bru.Pair
	for _, p := range ps {
		out = append(out, bru.Pair{Key: p.Name, Value: p.Value, Disabled: p.Disabled})
	}
	return out
}
