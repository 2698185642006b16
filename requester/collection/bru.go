package collection

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"hooklab/requester"
	"hooklab/requester/bru"
)

// Bruno's .bru collections load as collections too: bruno.json at the
// root (name, ignore list), collection.bru (request defaults), folder.bru
// per folder, one .bru file per request and environments/*.bru. They are
// read, run and shown like OpenCollection folders; Hooklab saves requests
// as .yml only, so a .bru request cannot be saved over.
const (
	brunoConfig       = "bruno.json"
	bruCollectionFile = "collection.bru"
	bruFolderFile     = "folder.bru"
	bruExt            = ".bru"
)

func isBru(name string) bool { return strings.HasSuffix(name, bruExt) }

// isRoot reports whether dir holds a collection of either format.
func isRoot(dir string) bool {
	for _, f := range []string{collectionFile, brunoConfig} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// loadBruHeader fills c from bruno.json and collection.bru and returns
// the ignore list.
func (c *Collection) loadBruHeader(data []byte) []string {
	cfg, err := bru.ParseConfig(data)
	if err != nil {
		c.Problems = append(c.Problems, Problem{Path: brunoConfig, Msg: err.Error()})
	}
	if cfg.Name != "" {
		c.Name = cfg.Name
	}
	b, err := os.ReadFile(filepath.Join(c.Root, bruCollectionFile))
	if err != nil {
		return cfg.Ignore
	}
	d, err := bru.ParseDefaults(b)
	if err != nil {
		c.Problems = append(c.Problems, problemOf(bruCollectionFile, err))
		return cfg.Ignore
	}
	c.Defaults = defaultsOfBru(d)
	c.Vars = c.Defaults.Vars
	for _, w := range d.Warnings {
		c.Warnings = append(c.Warnings, Problem{Path: bruCollectionFile, Msg: w})
	}
	return cfg.Ignore
}

// paramsOfPairs are the rows of a .bru block as the model's rows.
func paramsOfPairs(ps []bru.Pair) []requester.Param {
	var out []requester.Param
	for _, p := range ps {
		out = append(out, requester.Param{Name: p.Key, Value: p.Value, Disabled: p.Disabled})
	}
	return out
}

func defaultsOfBru(d *bru.Defaults) Defaults {
	return Defaults{Auth: d.Auth, AuthType: d.AuthType, AuthFields: paramsOfPairs(d.AuthFields), Headers: d.Headers, Vars: d.Vars}
}

// decodeBruFolder reads a folder.bru into it.
func (it *Item) decodeBruFolder(data []byte) ([]string, error) {
	d, err := bru.ParseDefaults(data)
	if err != nil {
		return nil, err
	}
	if d.Name != "" {
		it.Name = d.Name
	}
	it.Seq = d.Seq
	it.Defaults = defaultsOfBru(d)
	return d.Warnings, nil
}

// readBruItem reads one request .bru file as an Item (without its Path),
// with what it could not import.
func readBruItem(p string) (*Item, []string, error) {
	if fi, err := os.Stat(p); err == nil && fi.Size() > bru.MaxSize {
		return nil, nil, fmt.Errorf("the file is %d MiB; .bru files of more than %d MiB are not read", fi.Size()>>20, bru.MaxSize>>20)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, err
	}
	br, err := bru.ParseRequest(data)
	if err != nil {
		return nil, nil, err
	}
	r := br.Request
	if r.Name == "" {
		r.Name = strings.TrimSuffix(filepath.Base(p), bruExt)
	}
	it := &Item{Name: r.Name, Seq: br.Seq, Request: &r, AuthType: br.AuthType, AuthFields: paramsOfPairs(br.AuthFields),
		PathParams: br.PathParams, RuntimeVars: br.Vars, BodyType: br.BodyMode, BodyData: br.BodyData}
	for _, s := range br.Scripts {
		it.Scripts = append(it.Scripts, Script{Type: s.Type, Code: s.Code})
	}
	return it, br.Warnings, nil
}

// LoadFile reads one request file (.bru or .yml) as a collection of that
// one request, rooted at its folder, with the file's warnings; nothing
// else in the folder is read. A file that cannot be read is the error.
func LoadFile(p string) (*Collection, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, err
	}
	it, err := readRequestItem(abs)
	if errors.Is(err, errNotRequest) {
		return nil, fmt.Errorf("%s: not a request (.bru, or .yml with an http section)", filepath.Base(p))
	}
	if err != nil {
		return nil, problemOf(filepath.Base(p), err)
	}
	root := filepath.Dir(abs)
	it.Path = filepath.Base(abs)
	c := &Collection{Root: root, Name: filepath.Base(root), Items: []*Item{it}}
	if !isBru(abs) && !sendable(it.AuthType) { // a .bru file says so in notRun
		c.Warnings = append(c.Warnings, authWarning(it.Path, it.AuthType))
	}
	for _, w := range it.notRun {
		c.Warnings = append(c.Warnings, Problem{Path: it.Path, Msg: w})
	}
	return c, nil
}

// LoadDir reads the request files (.yml or .bru) under dir as a collection
// without a root file: named after dir, with no defaults, variables or
// environments. It is for folders of loose files, such as .bru files
// without bruno.json; a folder holding a collection is read with Load.
func LoadDir(dir string) (*Collection, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(root); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	l := &loader{root: root}
	c := &Collection{Root: root, Name: filepath.Base(root)}
	c.Items = l.tree(root)
	c.Problems, c.Warnings = l.problems, l.warnings
	return c, nil
}
