package collection

import (
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
)

// Script is a script or test block of a request, kept as text: Hooklab does
// not run scripts. Type is Bruno's: before-request, after-response or tests.
type Script struct {
	Type, Code string
}

// WriteResult says what Write wrote: request files and folders, with their
// paths relative to the collection root.
type WriteResult struct {
	Root     string   // the collection the items went into
	Folder   string   // the folder holding them, relative to Root; "" for the top level
	Requests []string // request files written
	Folders  int
	Envs     []string // environment names written
}

// Write saves c, a collection built in memory (by an importer), on disk.
// When dir holds no collection, dir (or, when dir is a folder of other
// files, a new folder named c.Name in it) becomes a new collection named
// c.Name, with c's variables and request defaults in its
// opencollection.yml. When dir is inside a collection, c goes into a new
// folder named c.Name there, its defaults and variables in that folder's
// folder.yml. Folders keep their
// defaults (folder.yml), requests their auth type (inherit, or a type
// Hooklab cannot send), path params, runtime variables and scripts, so
// Sendable sends them as c does. Environments go to the collection's
// environments/; secret values go to secrets, which may be nil: those
// values are then left out and listed in lost as "env.variable".
//
// What Write makes is removed again when it fails part way, so a failed
// import leaves nothing behind. An environment whose name the collection
// has already is written under a free name (FreeEnvironmentName), never
// over it.
func Write(c *Collection, dir string, secrets *SecretStore) (res WriteResult, lost []string, err error) {
	made := "" // the folder Write made, removed on failure
	defer func() {
		if err != nil && made != "" {
			_ = os.RemoveAll(made)
		}
	}()
	if _, serr := os.Stat(dir); serr != nil {
		made = dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return res, nil, err
	}
	name := c.Name
	if name == "" {
		name = "Imported"
	}
	if root, ok := FindRoot(abs); ok {
		parent := relOf(root, abs)
		if parent == "." {
			parent = ""
		}
		res.Root = root
		if res.Folder, err = NewFolder(root, parent, name); err != nil {
			return res, nil, err
		}
		made = filepath.Join(root, filepath.FromSlash(res.Folder))
		d := c.Defaults
		d.Vars = c.Vars
		if err := writeFolderDefaults(filepath.Join(root, filepath.FromSlash(res.Folder)), d); err != nil {
			return res, nil, err
		}
		res.Folders++
	} else {
		if entries, _ := os.ReadDir(abs); len(entries) > 0 {
			// A folder of other things does not become a collection: the
			// collection goes into a new folder in it.
			abs = uniquePath(abs, safeName(name), "", "")
			made = abs
		}
		if _, err := Create(abs, name); err != nil {
			return res, nil, err
		}
		res.Root = abs
		if err := writeCollectionDefaults(abs, name, c.Vars, c.Defaults); err != nil {
			return res, nil, err
		}
	}
	opts := map[string]requester.Options{}
	if err := writeItems(&res, res.Folder, c.Items, opts); err != nil {
		return res, nil, err
	}
	if err := saveAllExtensionOptions(res.Root, opts); err != nil {
		return res, nil, err
	}
	for _, env := range c.Environments {
		env.Name = FreeEnvironmentName(res.Root, env.Name)
		e := env
		if secrets == nil {
			e.Vars = make([]requester.Var, len(env.Vars))
			copy(e.Vars, env.Vars)
			for i, v := range e.Vars {
				if v.Secret && v.Value != "" {
					lost = append(lost, env.Name+"."+v.Name)
					e.Vars[i].Value = ""
				}
			}
		}
		if err := SaveEnvironment(res.Root, e, secrets); err != nil {
			return res, lost, err
		}
		res.Envs = append(res.Envs, env.Name)
	}
	return res, lost, nil
}

// writeItems writes items into folder, numbering them after what the
// folder holds already (counted once, not per file: a 10,000-request
// import would read the folder 10,000 times), and collects the
// Hooklab-only options of the requests written into opts, by path.
func writeItems(res *WriteResult, folder string, items []*Item, opts map[string]requester.Options) error {
	dir, err := folderDir(res.Root, folder)
	if err != nil {
		return err
	}
	folderSeq, reqSeq := nextSeq(dir, true, ""), nextSeq(dir, false, "")
	for _, it := range items {
		if it.Folder {
			rel, err := newFolder(res.Root, folder, it.Name, folderSeq)
			if err != nil {
				return err
			}
			folderSeq++
			res.Folders++
			if err := writeFolderDefaults(filepath.Join(res.Root, filepath.FromSlash(rel)), it.Defaults); err != nil {
				return err
			}
			if err := writeItems(res, rel, it.Children, opts); err != nil {
				return err
			}
			continue
		}
		if it.Request == nil {
			continue
		}
		rel, err := writeRequestItem(res.Root, dir, it, reqSeq)
		if err != nil {
			return fmt.Errorf("%s: %w", it.Name, err)
		}
		reqSeq++
		res.Requests = append(res.Requests, rel)
		opts[rel] = it.Request.Options
	}
	return nil
}

// writeRequestItem writes it as a new request file numbered seq in dir,
// with what it holds beyond the request model; its Hooklab-only options
// are the caller's to save.
func writeRequestItem(root, dir string, it *Item, seq int) (string, error) {
	r := *it.Request
	if r.Name == "" {
		r.Name = it.Name
	}
	if r.Name == "" {
		r.Name = "Untitled"
	}
	p := uniquePath(dir, safeName(r.Name), ext, "")
	doc := requestNode(r, seq)
	addItemExtras(doc, it)
	data, err := encodeDoc(doc, true)
	if err != nil {
		return "", err
	}
	if err := writeFileAtomic(p, data, 0o644); err != nil {
		return "", err
	}
	return relOf(root, p), nil
}

// addItemExtras adds to a request document the auth type as written, the
// path params, runtime variables and scripts of it.
func addItemExtras(doc *yaml.Node, it *Item) {
	sec := field(doc, "http")
	if sec == nil {
		sec = field(doc, "graphql")
	}
	if a := authTypeNode(it.AuthType); a != nil && keyIndex(sec, "auth") < 0 {
		add(sec, "auth", a)
	}
	if it.BodyType != "" && keyIndex(sec, "body") < 0 {
		// A body Hooklab cannot send (sparql) stays in the file, so the
		// request is still refused rather than sent without it.
		b := newMap()
		add(b, "type", str(it.BodyType))
		add(b, "data", str(it.BodyData))
		at := len(sec.Content)
		for _, k := range []string{"url", "params", "headers"} {
			if i := keyIndex(sec, k); i >= 0 {
				at = i + 2
			}
		}
		sec.Content = append(sec.Content[:at], append([]*yaml.Node{str("body"), b}, sec.Content[at:]...)...)
	}
	if len(it.PathParams) > 0 {
		ps := field(sec, "params")
		if ps == nil {
			ps = newSeq()
			at := keyIndex(sec, "url") + 2
			sec.Content = append(sec.Content[:at], append([]*yaml.Node{str("params"), ps}, sec.Content[at:]...)...)
		}
		ps.Content = append(ps.Content, rowsNode(it.PathParams, "path").Content...)
	}
	runtime := newMap()
	if len(it.RuntimeVars) > 0 {
		add(runtime, "variables", varsNode(it.RuntimeVars, true))
	}
	if len(it.Scripts) > 0 {
		list := newSeq()
		for _, s := range it.Scripts {
			m := newMap()
			add(m, "type", str(s.Type))
			add(m, "code", block(s.Code))
			list.Content = append(list.Content, m)
		}
		add(runtime, "scripts", list)
	}
	if len(runtime.Content) > 0 {
		// After http/graphql, before settings, as Bruno orders them.
		at := len(doc.Content)
		if i := keyIndex(doc, "settings"); i >= 0 {
			at = i
		}
		doc.Content = append(doc.Content[:at], append([]*yaml.Node{str("runtime"), runtime}, doc.Content[at:]...)...)
	}
}

// authTypeNode is the auth of a request whose type the model does not
// hold: inherit (a scalar), or a type Hooklab cannot send, written as
// {type: T} so loading it warns and sending it refuses.
func authTypeNode(t string) *yaml.Node {
	switch {
	case t == "" || t == "none" || sendable(t) && t != "inherit":
		return nil
	case t == "inherit":
		return str("inherit")
	}
	m := newMap()
	add(m, "type", str(t))
	return m
}

// defaultsNode is the request: section of d; nil when d is empty.
func defaultsNode(d Defaults) *yaml.Node {
	m := newMap()
	if len(d.Headers) > 0 {
		rows := make([]requester.Param, len(d.Headers))
		for i, h := range d.Headers {
			rows[i] = requester.Param(h)
		}
		add(m, "headers", rowsNode(rows, ""))
	}
	if a := authNode(d.Auth); a != nil && authTypes[requester.AuthKind(d.AuthType)] {
		add(m, "auth", a)
	} else if a := authTypeNode(d.AuthType); a != nil {
		add(m, "auth", a)
	}
	if len(d.Vars) > 0 {
		add(m, "variables", varsNode(d.Vars, true))
	}
	if len(m.Content) == 0 {
		return nil
	}
	return m
}

// writeFolderDefaults adds d as the request: section of dir's folder.yml.
func writeFolderDefaults(dir string, d Defaults) error {
	req := defaultsNode(d)
	if req == nil {
		return nil
	}
	p := filepath.Join(dir, folderFile)
	doc, err := readDocStrict(p)
	if err != nil {
		return err
	}
	if doc == nil {
		doc = newMap()
	}
	set(doc, "request", req)
	data, err := encodeDoc(doc, true)
	if err != nil {
		return err
	}
	return writeFileAtomic(p, data, 0o644)
}

// writeCollectionDefaults writes opencollection.yml of a new collection
// with its name, variables and request defaults.
func writeCollectionDefaults(root, name string, vars []requester.Var, d Defaults) error {
	d.Vars = vars
	for _, v := range vars {
		if v.Secret {
			return fmt.Errorf("collection variable %q is secret; keep secrets in an environment", v.Name)
		}
	}
	doc := newMap()
	add(doc, "opencollection", str("1.0.0"))
	info := newMap()
	add(info, "name", str(name))
	add(doc, "info", info)
	if req := defaultsNode(d); req != nil {
		add(doc, "request", req)
	}
	data, err := encodeDoc(doc, true)
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(root, collectionFile), data, 0o644)
}

// FreeEnvironmentName is name when the collection at root has no
// environment of that name (or file name), else "name 2", "name 3", … the
// first it does not have.
func FreeEnvironmentName(root, name string) string {
	taken := func(n string) bool {
		p := envPath(root, n)
		if _, err := os.Stat(p); err == nil {
			return true
		}
		_, err := os.Stat(filepath.Join(root, envDir, safeName(n)+bruExt))
		return err == nil
	}
	for i, n := 2, name; ; i++ {
		if !taken(n) {
			return n
		}
		n = fmt.Sprintf("%s %d", name, i)
	}
}
