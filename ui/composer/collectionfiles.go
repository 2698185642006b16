package composer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/workspace"
)

// reload reads every collection off the UI goroutine and shows them,
// then runs then: after the user's own changes, after changes on disk,
// and on Reload from disk. A newer reload replaces one under way; what
// the one replaced had to do after it, the newer one does.
func (p *collectionsPanel) reload(then ...func()) {
	p.afterLoad = append(p.afterLoad, then...)
	p.loads++
	gen, colls := p.loads, p.ws
	p.c.bridge.Load("collections", func(context.Context) func() {
		l := colls.Load()
		return p.c.applying(func() {
			p.applied = gen
			p.apply(l)
		})
	})
}

// apply shows l, what the collections held when read, and brings the
// open tabs of files changed on disk up to date.
func (p *collectionsPanel) apply(l workspace.Loaded) {
	p.loaded = l
	p.colls = l.Collections
	p.byID = map[string]*collection.Item{}
	for i, coll := range l.Collections {
		collection.Walk(coll.Items, func(it *collection.Item) { p.byID[p.itemID(i, it.Path)] = it })
	}
	if i, rel := p.splitID(p.selected); i < 0 || rel != "" && p.byID[p.selected] == nil {
		p.selected = "" // deleted, renamed or moved away
		p.Tree.UnselectAll()
	}
	p.showProblems()
	p.Tree.Refresh()
	p.refind()
	p.syncEnvPicker()
	changed := p.changed
	p.changed = nil
	roots := make([]string, 0, len(changed))
	for root := range changed {
		roots = append(roots, root)
	}
	slices.Sort(roots)
	for _, root := range roots {
		p.c.filesChanged(l, root, changed[root])
	}
	after := p.afterLoad
	p.afterLoad = nil
	for _, fn := range after {
		fn()
	}
}

// showProblems says the panel's notes and what went wrong reading the
// collections last, or hides the status line when all is well.
func (p *collectionsPanel) showProblems() {
	msgs := slices.Clone(p.notes)
	for _, pr := range p.loaded.Problems {
		msgs = append(msgs, pr.Error())
	}
	msgs = append(msgs, warningLines(p.collByRoot(p.c.currentCollection()))...)
	p.say(strings.Join(msgs, "\n"))
}

// changedOnDisk follows files of the collection in root changed outside
// the app (a git pull, an editor): the collections are read again, and
// the tabs of those files follow once they are.
func (p *collectionsPanel) changedOnDisk(root string, files []string) {
	if p.changed == nil {
		p.changed = map[string][]string{}
	}
	for _, f := range files {
		if !slices.Contains(p.changed[root], f) {
			p.changed[root] = append(p.changed[root], f)
		}
	}
	p.reload()
}

// addOpened adds dir, a folder holding a collection, to the tree.
func (p *collectionsPanel) addOpened(dir string) {
	if err := p.ws.OpenFolder(dir); err != nil {
		p.say(err.Error())
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
