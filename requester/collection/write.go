package collection

import (
	"context"
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

// Write is WriteContext without a way to stop it.
func Write(c *Collection, dir string, secrets *SecretStore) (WriteResult, []string, error) {
	return WriteContext(context.Background(), c, dir, secrets)
}

// WriteContext saves c, a collection built in memory (by an importer), on
// disk. When dir holds no collection, dir (or, when dir is a folder of
// other files, a new folder named c.Name in it) becomes a new collection
// named c.Name, with c's variables and request defaults in its
// opencollection.yml. When dir is inside a collection, c goes into a new
// folder named c.Name there, its defaults and variables in that folder's
// folder.yml. Folders keep their defaults (folder.yml), requests their
// auth type (inherit, or a type Hooklab cannot send), path params, runtime
// variables and scripts, so Sendable sends them as c does. Environments go
// to the collection's environments/; secret values go to secrets, which
// may be nil: those values are then left out and listed in lost as
// "env.variable".
//
// A new collection is written into a hidden folder next to it and renamed
// into place once its requests are all written, so it never shows half
// written. When ctx is done or a write fails part way, everything Write
// added is removed again, and nothing else: in an existing collection the
// folder it made, the environments it added (and their secrets) and the
// options it recorded in opencollection.yml; the error is then ctx's or
// the write's. An environment whose name the collection has already is
// written under a free name (FreeEnvironmentName), never over it.
func WriteContext(ctx context.Context, c *Collection, dir string, secrets *SecretStore) (res WriteResult, lost []string, err error) {
	var undo writeUndo
	defer func() {
		if err != nil {
			undo.run(secrets)
			res = WriteResult{}
		}
	}()
	abs, err := filepath.Abs(dir)
	if err != nil {
		return res, nil, err
	}
	name := c.Name
	if name == "" {
		name = "Imported"
	}
	opts := map[string]requester.Options{}
	if root, ok := FindRoot(abs); ok {
		parent := relOf(root, abs)
		if parent == "." {
			parent = ""
		}
		res.Root = root
		if res.Folder, err = NewFolder(root, parent, name); err != nil {
			return res, nil, err
		}
		undo.root = root
		undo.folder = filepath.Join(root, filepath.FromSlash(res.Folder))
		undo.extRel = res.Folder
		d := c.Defaults
		d.Vars = c.Vars
		if err := writeFolderDefaults(undo.folder, d); err != nil {
			return res, nil, err
		}
		res.Folders++
		if err := writeItems(ctx, &res, res.Folder, c.Items, opts); err != nil {
			return res, nil, err
		}
		if err := saveAllExtensionOptions(root, opts); err != nil {
			return res, nil, err
		}
	} else if err := writeNewCollection(ctx, &undo, &res, c, abs, name, opts); err != nil {
		return res, nil, err
	}
	for _, env := range c.Environments {
		if err := ctx.Err(); err != nil {
			return res, lost, err
		}
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
		undo.envs = append(undo.envs, envPath(res.Root, env.Name))
		undo.envNames = append(undo.envNames, env.Name)
		if err := SaveEnvironment(res.Root, e, secrets); err != nil {
			return res, lost, err
		}
		res.Envs = append(res.Envs, env.Name)
	}
	return res, lost, nil
}

// writeNewCollection writes c as a new collection at abs (or in a new
// folder of it when abs holds other files) by way of a hidden folder next
// to it, renamed into place at the end. Environments are left to the
// caller: secrets are kept by the collection's final path.
func writeNewCollection(ctx context.Context, undo *writeUndo, res *WriteResult, c *Collection, abs, name string, opts map[string]requester.Options) error {
	final, emptyDir := abs, false
	if entries, err := os.ReadDir(abs); err == nil {
		if len(entries) > 0 {
			// A folder of other things does not become a collection:
			// the collection goes into a new folder in it.
			final = uniquePath(abs, SafeName(name), "", "")
		} else {
			emptyDir = true
		}
	}
	parent := filepath.Dir(final)
	undo.madeParent = firstMissing(parent)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".import-*")
	if err != nil {
		return err
	}
	undo.tmp = tmp
	if _, err := Create(tmp, name); err != nil {
		return err
	}
	if err := writeCollectionDefaults(tmp, name, c.Vars, c.Defaults); err != nil {
		return err
	}
	res.Root = tmp
	if err := writeItems(ctx, res, "", c.Items, opts); err != nil {
		return err
	}
	if err := saveAllExtensionOptions(tmp, opts); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if emptyDir {
		// The folder given was empty: the collection takes its place
		// (renaming onto a directory fails on Windows).
		if err := os.Remove(final); err != nil {
			return err
		}
		undo.emptyDir = final
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	undo.tmp, undo.folder, res.Root = "", final, final
	return nil
}

// firstMissing is the outermost folder of dir (or dir itself) that does
// not exist yet: removing it removes every folder MkdirAll(dir) makes.
// "" when dir exists.
func firstMissing(dir string) string {
	missing := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			return missing
		}
		missing = d
		if filepath.Dir(d) == d {
			return missing
		}
	}
}

// writeUndo is what a Write has added so far, to be removed when it fails.
type writeUndo struct {
	tmp        string   // the hidden folder of a new collection not yet in place
	folder     string   // the new collection, or the folder made in an existing one
	emptyDir   string   // the empty folder the new collection took the place of
	madeParent string   // folders made to hold the new collection
	root       string   // the existing collection written into
	extRel     string   // the folder whose options went into root's opencollection.yml
	envs       []string // environment files added to root
	envNames   []string
}

func (u *writeUndo) run(secrets *SecretStore) {
	if u.tmp != "" {
		_ = os.RemoveAll(u.tmp)
	}
	if u.root != "" {
		// Into an existing collection: only what this write added goes.
		for i, p := range u.envs {
			_ = os.Remove(p)
			if secrets != nil {
				_ = secrets.SetEnvironment(u.root, u.envNames[i], nil)
			}
		}
		if u.extRel != "" {
			_ = moveExtensionOptions(u.root, u.extRel, "", false)
		}
	} else if secrets != nil && u.folder != "" {
		for _, n := range u.envNames {
			_ = secrets.SetEnvironment(u.folder, n, nil)
		}
	}
	if u.folder != "" {
		_ = os.RemoveAll(u.folder)
	}
	if u.emptyDir != "" {
		_ = os.Mkdir(u.emptyDir, 0o755)
	}
	if u.madeParent != "" {
		_ = os.RemoveAll(u.madeParent)
	}
}

// writeItems writes items into folder, numbering them after what the
// folder holds already (counted once, not per file: a 10,000-request
// import would read the folder 10,000 times), and collects the
// Hooklab-only options of the requests written into opts, by path.
func writeItems(ctx context.Context, res *WriteResult, folder string, items []*Item, opts map[string]requester.Options) error {
	dir, err := folderDir(res.Root, folder)
	if err != nil {
		return err
	}
	folderSeq, reqSeq := nextSeq(dir, true, ""), nextSeq(dir, false, "")
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
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
			if err := writeItems(ctx, res, rel, it.Children, opts); err != nil {
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
	p := uniquePath(dir, SafeName(r.Name), ext, "")
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
	if a := authTypeNode(it.AuthType, it.AuthFields); a != nil && keyIndex(sec, "auth") < 0 {
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
// {type: T, its fields as read} so loading it warns and sending it
// refuses, and nothing of it is lost.
func authTypeNode(t string, fields []requester.Param) *yaml.Node {
	switch {
	case t == "" || t == "none" || sendable(t) && t != "inherit":
		return nil
	case t == "inherit":
		return str("inherit")
	}
	m := newMap()
	add(m, "type", str(t))
	for _, f := range fields {
		if f.Name != "type" {
			add(m, f.Name, str(f.Value))
		}
	}
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
	} else if a := authTypeNode(d.AuthType, d.AuthFields); a != nil {
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
		_, err := os.Stat(filepath.Join(root, envDir, SafeName(n)+bruExt))
		return err == nil
	}
	for i, n := 2, name; ; i++ {
		if !taken(n) {
			return n
		}
		n = fmt.Sprintf("%s %d", name, i)
	}
}
