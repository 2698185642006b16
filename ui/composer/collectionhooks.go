package composer

import (
	"strings"

	"fyne.io/fyne/v2"

	"hooklab/requester"
	"hooklab/workspace"
)

// This file is the composer's side of the collections sidebar: what the
// sidebar gives the composer, and what it tells it about the files the
// open tabs are kept in. The sidebar goes through these, never through
// the tabs' or the editor's own fields.

// collectionHooks is what the collections sidebar gives the composer.
type collectionHooks struct {
	// tools go right of the tab strip (the environment picker).
	tools []fyne.CanvasObject
	// vars returns the active collection and environment's name and
	// variables, merged.
	vars func() (string, requester.Vars)
	// save writes a file-backed tab's request to its file.
	save func(root, rel string, r requester.Request) error
	// saveAs asks where to keep a scratch tab's request, and calls
	// saved once it is kept.
	saveAs func(title string, r requester.Request, saved func(root, rel, name string))
	// onSelect runs after another tab was chosen.
	onSelect func()
	// sendable makes a collection file's request, as edited, what
	// Bruno sends (inherited auth, headers and variables, path params).
	sendable func(root, rel string, r requester.Request) (requester.Request, []requester.Var, error)
}

// useCollections wires the collections sidebar in.
func (c *Composer) useCollections(h collectionHooks) {
	c.Tabs.right.Objects = h.tools
	c.Tabs.right.Refresh()
	c.env = h.vars
	c.Tabs.save = h.save
	c.Tabs.saveAs = h.saveAs
	c.Tabs.onSelect = h.onSelect
	c.sendable = h.sendable
}

// openFile shows the request of a collection file: the tab already
// holding it, else a new one.
func (c *Composer) openFile(r requester.Request, root, rel string) { c.Tabs.open(r, root, rel) }

// currentCollection is the collection folder of the tab in view, "" for
// a scratch tab.
func (c *Composer) currentCollection() string { return c.Tabs.current().coll }

// varsChanged shows the URL again with the variables now active.
func (c *Composer) varsChanged() {
	c.showPreview()
	c.showHint()
}

// fileRenamed follows a rename of the request or folder at old in root,
// now at rel and called name, in the open tabs.
func (c *Composer) fileRenamed(root, old, rel, name string, folder bool) {
	s := c.Tabs
	for _, t := range s.tabs {
		switch {
		case t.coll != root:
		case t.rel == old && !folder:
			t.rel, t.title = rel, name
			t.saved.Name = name
			t.req.Name = name
			s.relabel(t)
		case strings.HasPrefix(t.rel, old+"/"):
			t.rel = rel + strings.TrimPrefix(t.rel, old) // a file inside the renamed folder
		}
	}
}

// fileMoved follows a move of the request or folder at old in root, now
// at rel, in the open tabs.
func (c *Composer) fileMoved(root, old, rel string) {
	for _, t := range c.Tabs.tabs {
		if t.coll == root && (t.rel == old || strings.HasPrefix(t.rel, old+"/")) {
			t.rel = rel + strings.TrimPrefix(t.rel, old)
		}
	}
}

// fileDeleted turns the open tabs of the request or folder deleted at
// rel in root into scratch tabs.
func (c *Composer) fileDeleted(root, rel string) {
	for _, t := range c.Tabs.tabs {
		if t.coll == root && (t.rel == rel || strings.HasPrefix(t.rel, rel+"/")) {
			t.coll, t.rel = "", "" // the tab stays open, as scratch
			c.Tabs.relabel(t)
		}
	}
}

// filesChanged brings the open tabs of files changed on disk in root
// up to date, l being the collections as read after the change: a tab
// without edits follows its file; a tab with edits asks
// (workspace.Loaded.FollowDisk decides which).
func (c *Composer) filesChanged(l workspace.Loaded, root string, changed []string) {
	for _, t := range c.Tabs.tabs {
		if t.coll != root {
			continue
		}
		if t == c.Tabs.current() {
			t.req = c.Request()
		}
		action, disk := l.FollowDisk(root, changed, workspace.FileTab{Root: t.coll, Rel: t.rel, Request: t.req, Saved: t.saved})
		switch action {
		case workspace.ReloadTab:
			c.Tabs.reloadTab(t, disk)
		case workspace.AskTab:
			c.askReload(t, disk)
		}
	}
}

// askReload asks whether a tab with edits takes the version of its file
// changed on disk.
func (c *Composer) askReload(t *reqTab, disk requester.Request) {
	c.confirm(t.title+" changed on disk",
		t.rel+" was changed outside Hooklab. Load that version and lose your edits here?", "Load it", "Keep my edits",
		func(ok bool) {
			if ok {
				c.Tabs.reloadTab(t, disk)
			} else {
				t.saved = disk // keep editing; saving will overwrite
				c.Tabs.relabel(t)
			}
		})
}
