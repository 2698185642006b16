package collection

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
)

// ErrNotCollection is returned by Load for a folder without opencollection.yml.
var ErrNotCollection = errors.New("not a collection: no " + collectionFile + " or " + brunoConfig)

// Collection is a collection folder as loaded from disk.
type Collection struct {
	Root         string // absolute path of the folder holding opencollection.yml
	Name         string
	Vars         []requester.Var // collection variables (request.variables)
	Defaults     Defaults        // request: of opencollection.yml (auth, headers, Vars again)
	Items        []*Item         // top level, in the order of sortItems
	Environments []requester.Environment
	Problems     []Problem // files that could not be read, by path
	// Warnings are files that loaded but hold what Hooklab cannot do, such
	// as an auth type it cannot send, by path.
	Warnings []Problem

	envFiles []string // the file name (without extension) of each of Environments
}

// Item is a request file or a folder of a collection.
type Item struct {
	Name     string // info.name, or the folder's directory name
	Path     string // slash-separated, relative to Collection.Root
	Folder   bool
	Seq      int                // info.seq; 0 when the file has none
	Request  *requester.Request // nil for folders
	Children []*Item            // folders only, ordered like Collection.Items

	// AuthType is a request's auth type as written: "" when it has none,
	// "inherit", "none", a type Request.Auth holds, or one Hooklab cannot
	// send (it loads as none in Request.Auth). See Sendable.
	AuthType string
	// AuthFields are the settings of an auth type Hooklab cannot send
	// (awsv4's accessKeyId, region, …) as written, so Write and a .bru
	// export keep them; nil for every other auth.
	AuthFields  []requester.Param
	PathParams  []requester.Param // a request's params of type path
	RuntimeVars []requester.Var   // a request's runtime.variables
	Defaults    Defaults          // a folder's request: section in folder.yml
	Scripts     []Script          // a request's scripts and tests, kept as text, never run
	// BodyType is a body type the request file gives that Hooklab cannot
	// send (sparql, or one it does not know); Request.Body is then none,
	// and Sendable refuses the request rather than send it without its
	// body. "" for every other body.
	BodyType string
	BodyData string // the text of that body, written back by Write

	notRun []string // load warnings: what the file holds that Hooklab does not do
}

// Problem is a file that is not valid YAML or not of the expected shape.
type Problem struct {
	Path string // slash-separated, relative to Collection.Root
	Line int    // 1-based; 0 when the problem has no line
	Msg  string
}

// Error implements error as "path:line: msg".
func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Msg)
	}
	return p.Path + ": " + p.Msg
}

func problemOf(rel string, err error) Problem {
	var se *shapeError
	if errors.As(err, &se) {
		return Problem{Path: rel, Line: se.Line, Msg: se.Msg}
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is already in Problem.Path
	}
	return Problem{Path: rel, Msg: err.Error()}
}

// Load reads the collection at root. Files that cannot be read are listed
// in Problems and the others still load; the error is for a root that is not
// a collection (ErrNotCollection) or cannot be read.
func Load(root string) (*Collection, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	c := &Collection{Root: root, Name: filepath.Base(root)}
	var ignore []string
	data, err := os.ReadFile(filepath.Join(root, collectionFile))
	switch {
	case err == nil:
		if ignore, err = c.decodeHeader(data); err != nil {
			c.Problems = append(c.Problems, problemOf(collectionFile, err))
		}
		if !sendable(c.Defaults.AuthType) {
			c.Warnings = append(c.Warnings, authWarning(collectionFile, c.Defaults.AuthType))
		}
		for _, w := range c.Defaults.notRun {
			c.Warnings = append(c.Warnings, Problem{Path: collectionFile, Msg: w})
		}
	case errors.Is(err, os.ErrNotExist):
		cfg, berr := os.ReadFile(filepath.Join(root, brunoConfig))
		if berr != nil {
			return nil, fmt.Errorf("%s: %w", root, ErrNotCollection)
		}
		ignore = c.loadBruHeader(cfg)
	default:
		return nil, err
	}
	l := &loader{root: root, ignore: ignore}
	c.Items = l.tree(root)
	if doc, err := parseDoc(data); data != nil && err == nil {
		applyExtensionOptions(doc, c.Items, &l.problems)
	}
	c.Problems = append(c.Problems, l.problems...)
	c.Warnings = append(c.Warnings, l.warnings...)
	c.Environments, c.envFiles = loadEnvironments(root, &c.Problems)
	sort.Slice(c.Problems, func(i, j int) bool { return c.Problems[i].Path < c.Problems[j].Path })
	sort.SliceStable(c.Warnings, func(i, j int) bool { return c.Warnings[i].Path < c.Warnings[j].Path })
	return c, nil
}

// decodeHeader reads opencollection.yml and returns its
// extensions.bruno.ignore list.
func (c *Collection) decodeHeader(data []byte) ([]string, error) {
	doc, err := parseDoc(data)
	if err != nil {
		return nil, err
	}
	ignore := decodeIgnore(doc)
	info, err := mapField(doc, "info", "info")
	if err != nil {
		return ignore, err
	}
	name, err := strField(info, "name", "info.name")
	if err != nil {
		return ignore, err
	}
	if name != "" {
		c.Name = name
	}
	c.Defaults, err = decodeDefaults(doc)
	c.Vars = c.Defaults.Vars
	return ignore, err
}

// loader reads the requests and folders of a collection.
type loader struct {
	root     string
	ignore   []string // extensions.bruno.ignore
	problems []Problem
	warnings []Problem
}

// loadTree reads the requests and folders under dir, without an ignore
// list, adding to problems and warnings.
func loadTree(root, dir string, problems, warnings *[]Problem) []*Item {
	l := &loader{root: root}
	items := l.tree(dir)
	*problems = append(*problems, l.problems...)
	*warnings = append(*warnings, l.warnings...)
	return items
}

// tree reads the requests and folders under dir. YAML files that are not
// requests, and whatever the ignore list names, are left out.
func (l *loader) tree(dir string) []*Item {
	root := l.root
	entries, err := os.ReadDir(dir)
	if err != nil {
		l.problems = append(l.problems, problemOf(relOf(root, dir), err))
		return nil
	}
	var items []*Item
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		rel := relOf(root, p)
		switch {
		case ignored(l.ignore, rel):
		case e.IsDir():
			if skipDir(name) || dir == root && name == envDir {
				continue
			}
			if isRoot(p) {
				continue // a collection of its own
			}
			it := &Item{Name: name, Path: rel, Folder: true}
			if data, err := os.ReadFile(filepath.Join(p, folderFile)); err == nil {
				if err := it.decodeFolder(data); err != nil {
					l.problems = append(l.problems, problemOf(rel+"/"+folderFile, err))
				}
				if !sendable(it.Defaults.AuthType) {
					l.warnings = append(l.warnings, authWarning(rel+"/"+folderFile, it.Defaults.AuthType))
				}
				for _, w := range it.Defaults.notRun {
					l.warnings = append(l.warnings, Problem{Path: rel + "/" + folderFile, Msg: w})
				}
			} else if data, err := os.ReadFile(filepath.Join(p, bruFolderFile)); err == nil {
				ws, err := it.decodeBruFolder(data)
				if err != nil {
					l.problems = append(l.problems, problemOf(rel+"/"+bruFolderFile, err))
				}
				for _, w := range ws {
					l.warnings = append(l.warnings, Problem{Path: rel + "/" + bruFolderFile, Msg: w})
				}
			}
			it.Children = l.tree(p)
			items = append(items, it)
		case isBru(name) && !strings.HasPrefix(name, ".") && name != bruFolderFile &&
			!(dir == root && name == bruCollectionFile):
			it, ws, err := readBruItem(p)
			if err != nil {
				l.problems = append(l.problems, problemOf(rel, err))
				continue
			}
			it.Path = rel
			for _, w := range ws {
				l.warnings = append(l.warnings, Problem{Path: rel, Msg: w})
			}
			items = append(items, it)
		case strings.HasPrefix(name, ".") || !isYAML(name) || name == folderFile ||
			dir == root && name == collectionFile:
		default:
			it, err := readRequestItem(p)
			if errors.Is(err, errNotRequest) {
				continue
			}
			if err != nil {
				l.problems = append(l.problems, problemOf(rel, err))
				continue
			}
			it.Path = rel
			if !sendable(it.AuthType) {
				l.warnings = append(l.warnings, authWarning(rel, it.AuthType))
			}
			for _, w := range it.notRun {
				l.warnings = append(l.warnings, Problem{Path: rel, Msg: w})
			}
			items = append(items, it)
		}
	}
	sortItems(items)
	return items
}

func (it *Item) decodeFolder(data []byte) error {
	doc, err := parseDoc(data)
	if err != nil {
		return err
	}
	ri, err := readInfo(doc)
	if err != nil {
		return err
	}
	if ri.Name != "" {
		it.Name = ri.Name
	}
	it.Seq = ri.Seq
	it.Defaults, err = decodeDefaults(doc)
	return err
}

// errNotRequest is a YAML file that does not have the shape of a request.
var errNotRequest = errors.New("not a request file")

// readRequestFile reads one request file. A request without a name is named
// after its file.
func readRequestFile(p string) (requester.Request, int, error) {
	it, err := readRequestItem(p)
	if it == nil {
		return requester.Request{}, 0, err
	}
	return *it.Request, it.Seq, err
}

// readRequestItem reads one request file as an Item (without its Path). A
// valid YAML mapping without the shape of a request is errNotRequest.
func readRequestItem(p string) (*Item, error) {
	if isBru(p) {
		it, ws, err := readBruItem(p)
		if it != nil {
			it.notRun = ws
		}
		return it, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	doc, err := parseDoc(data)
	if err != nil {
		return nil, err
	}
	if !isRequestDoc(doc) {
		return nil, errNotRequest
	}
	r, x, err := decodeRequestFile(doc)
	if err == nil && r.Name == "" {
		r.Name = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p), ".yml"), ".yaml")
	}
	it := &Item{Name: r.Name, Seq: x.seq, Request: &r, AuthType: x.authType, AuthFields: x.authFields,
		PathParams: x.pathParams, RuntimeVars: x.runtimeVars, Scripts: x.scripts, notRun: x.notRun,
		BodyType: x.bodyType, BodyData: x.bodyData}
	if x.bodyType != "" {
		it.notRun = append(it.notRun, (&UnsupportedBodyError{Type: x.bodyType}).warning())
	}
	return it, err
}

// sortItems orders folders before requests, as Bruno's sidebar does, and
// each by Seq then Name; items without a seq come after those with one.
func sortItems(items []*Item) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Folder != b.Folder {
			return a.Folder
		}
		if (a.Seq == 0) != (b.Seq == 0) {
			return b.Seq == 0
		}
		if a.Seq != b.Seq {
			return a.Seq < b.Seq
		}
		if la, lb := strings.ToLower(a.Name), strings.ToLower(b.Name); la != lb {
			return la < lb
		}
		return a.Path < b.Path
	})
}

// Create makes root a new, empty collection named name (the folder's name
// when empty). It fails if root already holds a collection.
func Create(root, name string) (*Collection, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, collectionFile)); err == nil {
		return nil, fmt.Errorf("%s already holds a collection", root)
	}
	if name == "" {
		name = filepath.Base(root)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	if err := SaveCollection(root, name, nil); err != nil {
		return nil, err
	}
	return &Collection{Root: root, Name: name}, nil
}

var collectionRule = &mergeRule{
	owned: []string{"opencollection", "info", "request"},
	nested: map[string]*mergeRule{
		"info":    {owned: []string{"name"}},
		"request": {owned: []string{"variables"}},
	},
}

// SaveCollection writes the name and variables of the collection at root to
// opencollection.yml, keeping everything else in it. Collection variables
// cannot be secret: secrets belong in an environment.
func SaveCollection(root, name string, vars []requester.Var) error {
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
	if len(vars) > 0 {
		req := newMap()
		add(req, "variables", varsNode(vars, false))
		add(doc, "request", req)
	}
	p := filepath.Join(root, collectionFile)
	if old := readDoc(p); old != nil {
		keepStyle(doc, old)
		doc = merge(doc, old, collectionRule)
	}
	data, err := encodeDoc(doc, true)
	if err != nil {
		return err
	}
	return writeFileAtomic(p, data, 0o644)
}

// readDoc returns the parsed mapping of file p, or nil when it is missing or
// not a valid mapping.
func readDoc(p string) *yaml.Node {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	doc, err := parseDoc(data)
	if err != nil {
		return nil
	}
	return doc
}

// FindRoot returns the collection folder holding p (a file or folder): the
// nearest folder, from p upwards, with an opencollection.yml.
func FindRoot(p string) (string, bool) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
		p = filepath.Dir(p)
	}
	for {
		if isRoot(p) {
			return p, true
		}
		parent := filepath.Dir(p)
		if parent == p {
			return "", false
		}
		p = parent
	}
}

// Walk calls fn for items and all their descendants, depth-first, in order.
func Walk(items []*Item, fn func(*Item)) {
	for _, it := range items {
		fn(it)
		Walk(it.Children, fn)
	}
}

// Lookup returns the item at rel in items, or nil.
func Lookup(items []*Item, rel string) *Item {
	var found *Item
	Walk(items, func(it *Item) {
		if found == nil && it.Path == rel {
			found = it
		}
	})
	return found
}

// Find returns the items whose name or URL contains every word of query,
// ignoring case, in tree order. Folders match by name. An empty query
// returns every item.
func Find(items []*Item, query string) []*Item {
	words := strings.Fields(strings.ToLower(query))
	var out []*Item
	Walk(items, func(it *Item) {
		hay := strings.ToLower(it.Name)
		if it.Request != nil {
			hay += "\x00" + strings.ToLower(it.Request.URL)
		}
		for _, w := range words {
			if !strings.Contains(hay, w) {
				return
			}
		}
		out = append(out, it)
	})
	return out
}
