package composer

import (
	"hooklab/requester/collection"
	"hooklab/workspace"
)

// SessionDir is the folder the open tabs are kept in between runs, ""
// for none.
func (c *Composer) SessionDir() string {
	if c.session == nil {
		return ""
	}
	return c.ws.Dir()
}

// SaveSession writes the open tabs to the session file; call it on the
// UI goroutine, or after Stop.
func (c *Composer) SaveSession() error {
	if c.session == nil {
		return nil
	}
	return c.session.Save(c.savedTabs())
}

// AutosaveSession writes the open tabs to the session file when they
// changed since they were last written, so edits outlive a crash or a
// killed process, not only a normal quit. Call it on the UI goroutine.
func (c *Composer) AutosaveSession() error {
	if c.session == nil {
		return nil
	}
	_, err := c.session.SaveIfChanged(c.savedTabs())
	return err
}

// Files lists the files the open tabs send (file bodies and multipart
// file parts).
func (c *Composer) Files() map[string]bool { return workspace.FilesUsed(c.savedTabs()) }

// savedTabs is the open tabs as the session keeps them, the one in view
// with what the editor holds.
func (c *Composer) savedTabs() []workspace.SavedTab {
	if t := c.Tabs.current(); t.item != nil {
		t.req = c.Request()
	}
	tabs := make([]workspace.SavedTab, 0, len(c.Tabs.tabs))
	for _, t := range c.Tabs.tabs {
		tabs = append(tabs, workspace.SavedTab{Title: t.title, Coll: t.coll, File: t.rel, Request: t.req, Current: t == c.Tabs.current()})
	}
	return tabs
}

// restoreSession opens the tabs of the last run in place of the example,
// against l, the collections as read now: a tab whose file is gone
// opens as scratch; one whose file changed meanwhile shows as unsaved.
// The error says why tabs that were kept could not be reopened.
func (c *Composer) restoreSession(l workspace.Loaded) error {
	saved, err := c.session.Load()
	if len(saved) == 0 {
		c.tieExample(l)
		return err
	}
	example := c.Tabs.tabs
	var current *reqTab
	for _, st := range saved {
		ft := l.Restore(st)
		t := c.Tabs.newTab(ft.Request, ft.Root, ft.Rel)
		t.title = st.Title
		t.saved = ft.Saved
		t.item.Text = t.label()
		c.Tabs.doc.Append(t.item)
		if st.Current || current == nil {
			current = t
		}
	}
	c.Tabs.doc.Select(current.item)
	c.Tabs.selected(current.item)
	for _, t := range example {
		c.Tabs.remove(t)
	}
	return nil
}

// tieExample ties the example tab of a first start to the file the
// first run wrote it to, so its edits show ● and closing it asks.
func (c *Composer) tieExample(l workspace.Loaded) {
	t := c.Tabs.current()
	if t.item == nil || t.rel != "" {
		return
	}
	for _, coll := range l.Collections {
		collection.Walk(coll.Items, func(it *collection.Item) {
			if t.rel == "" && !it.Folder && it.Request != nil && it.Request.Equal(t.req) {
				t.coll, t.rel, t.saved = coll.Root, it.Path, t.req
			}
		})
	}
	c.Tabs.relabel(t)
}

// restoreSession reopens the tabs of the last run against the
// collections shown, and says so when they could not be.
func (p *collectionsPanel) restoreSession() {
	if err := p.c.restoreSession(p.loaded); err != nil {
		p.notes = append(p.notes, err.Error())
		p.showProblems()
	}
}
