package composer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// roots lists the collections shown: those in the workspace, then the
// folders the user opened.
func (p *collectionsPanel) roots() []string {
	var roots []string
	dir := filepath.Join(p.workspace, "collections")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			roots = append(roots, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(roots)
	var opened []string
	if data, err := os.ReadFile(p.openedFile()); err == nil {
		_ = json.Unmarshal(data, &opened)
	}
	return append(roots, opened...)
}

func (p *collectionsPanel) openedFile() string {
	return filepath.Join(p.workspace, "opened-collections.json")
}

// ensureWorkspace creates the first collection, holding the example, so
// a first start shows what a collection is.
func (p *collectionsPanel) ensureWorkspace() {
	dir := filepath.Join(p.workspace, "collections")
	if _, err := os.Stat(dir); err == nil {
		return
	}
	root := filepath.Join(dir, "My requests")
	if _, err := collection.Create(root, "My requests"); err != nil {
		p.say("No collection could be created in " + dir + ": " + err.Error())
		return
	}
	if _, err := collection.NewRequest(root, "", "Create payment", ExampleRequest()); err != nil {
		p.say(err.Error())
	}
}

// loaded is what reading the collection folders gave.
type loaded struct {
	colls    []*collection.Collection
	problems []string
}

// load reads every collection from disk; it touches no widget, so it may
// run off the UI goroutine.
func (p *collectionsPanel) load() loaded {
	var l loaded
	for _, root := range p.roots() {
		coll, err := collection.Load(root)
		if err != nil {
			l.problems = append(l.problems, fmt.Sprintf("%s: %v", root, err))
			continue
		}
		p.secrets.Fill(coll)
		for _, pr := range coll.Problems {
			l.problems = append(l.problems, coll.Name+"/"+pr.Error())
		}
		l.colls = append(l.colls, coll)
	}
	return l
}

// reload reads every collection and shows them; used after the user's
// own changes, which are small and expected to show at once.
func (p *collectionsPanel) reload() { p.apply(p.load()) }

func (p *collectionsPanel) apply(l loaded) {
	p.colls = l.colls
	p.byID = map[string]*collection.Item{}
	for i, coll := range l.colls {
		collection.Walk(coll.Items, func(it *collection.Item) { p.byID[p.itemID(i, it.Path)] = it })
	}
	if i, rel := p.splitID(p.selected); i < 0 || rel != "" && p.byID[p.selected] == nil {
		p.selected = "" // deleted, renamed or moved away
		p.Tree.UnselectAll()
	}
	p.say(strings.Join(l.problems, "\n"))
	p.Tree.Refresh()
	p.refind()
	p.syncEnvPicker()
	p.watch()
}

func (p *collectionsPanel) addOpened(dir string) {
	if _, err := collection.Load(dir); err != nil {
		if errors.Is(err, collection.ErrNotCollection) {
			p.say(dir + " is not a collection: it has no opencollection.yml.")
		} else {
			p.say(err.Error())
		}
		return
	}
	var opened []string
	if data, err := os.ReadFile(p.openedFile()); err == nil {
		_ = json.Unmarshal(data, &opened)
	}
	if contains(opened, dir) {
		return
	}
	data, _ := json.MarshalIndent(append(opened, dir), "", "  ")
	if p.failed(os.WriteFile(p.openedFile(), data, 0o600)) {
		return
	}
	p.reload()
}

// saveTab writes the request of a file-backed tab.
func (p *collectionsPanel) saveTab(root, rel string, r requester.Request) error {
	if err := collection.SaveRequest(root, rel, r); err != nil {
		return err
	}
	p.warnLiteralSecret(rel, r.Auth)
	return nil
}

// warnLiteralSecret says so when a request file now holds a password,
// token or key as typed rather than as a {{variable}}: collection files
// are meant for Git.
func (p *collectionsPanel) warnLiteralSecret(rel string, a requester.Auth) {
	what, value := "", ""
	switch a.Kind {
	case requester.AuthBasic, requester.AuthDigest:
		what, value = "password", a.Password
	case requester.AuthBearer:
		what, value = "token", a.Token
	case requester.AuthAPIKey:
		what, value = "API key", a.Value
	}
	v := strings.TrimSpace(value)
	if v == "" || strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}") && strings.Count(v, "{{") == 1 {
		p.say("")
		return
	}
	p.say(fmt.Sprintf("Saved. The %s is written in %s as typed: to keep it out of Git, use a secret environment variable (gear button › Edit this environment), e.g. {{%s}}.",
		what, rel, strings.ReplaceAll(what, " ", "_")))
}

// fileRequest returns the request a collection file holds now, or nil.
func (p *collectionsPanel) fileRequest(root, rel string) *requester.Request {
	coll := p.collByRoot(root)
	if coll == nil {
		return nil
	}
	if it := collection.Lookup(coll.Items, rel); it != nil && it.Request != nil {
		r := *it.Request
		return &r
	}
	return nil
}
