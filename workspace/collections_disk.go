package workspace

import (
	"slices"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// FileTab is what the workspace needs to know of an open composer tab.
type FileTab struct {
	Root, Rel string            // its collection's folder and file, relative to it; Rel is "" for a scratch tab
	Request   requester.Request // what the tab holds now, edits included
	Saved     requester.Request // what the file held when the tab last loaded or saved it
}

// Unsaved reports whether t holds edits not saved to its file; a
// scratch tab never does. It replaces ui's reqTab.dirty (tabs.go).
func (t FileTab) Unsaved() bool { return t.Rel != "" && !t.Request.Equal(t.Saved) }

// DiskAction is what a change on disk means for one open tab.
type DiskAction int

// What FollowDisk answers.
const (
	// KeepTab: nothing to do. The change is not the tab's file, the file
	// is gone or broken (the tab keeps what it holds), or it is the tab's
	// own save.
	KeepTab DiskAction = iota
	// ReloadTab: the tab has no edits; show the file's version.
	ReloadTab
	// AskTab: the tab has edits; ask whether to load the file's version
	// and lose them. If the user keeps them, the caller makes the file's
	// version the tab's Saved, so the tab stays unsaved and saving
	// overwrites the file, as ui's askReload does.
	AskTab
)

// FollowDisk decides what a CollectionChanged (changed files of the
// collection in root) means for tab, given l, the collections as loaded
// after the change. For ReloadTab and AskTab it also returns the
// request the file holds now. It replaces the decision in ui's
// collectionsPanel.followDisk.
func (l Loaded) FollowDisk(root string, changed []string, tab FileTab) (DiskAction, requester.Request) {
	if tab.Rel == "" || tab.Root != root || !slices.Contains(changed, tab.Rel) {
		return KeepTab, requester.Request{}
	}
	coll := l.Collection(root)
	if coll == nil {
		return KeepTab, requester.Request{}
	}
	it := collection.Lookup(coll.Items, tab.Rel)
	if it == nil || it.Request == nil {
		return KeepTab, requester.Request{}
	}
	disk := *it.Request
	switch {
	case disk.Equal(tab.Saved):
		return KeepTab, requester.Request{} // our own save
	case !tab.Unsaved():
		return ReloadTab, disk
	}
	return AskTab, disk
}

// Restore reopens a saved tab against l, the collections as loaded now.
// Its request, named by the tab's title, is what it held; a file tab's
// Saved is what its file holds now, so a file changed meanwhile shows
// as unsaved, and a tab whose file is gone or broken reopens as scratch
// (no Root or Rel). It replaces the file part of ui's restoreSession.
func (l Loaded) Restore(st SavedTab) FileTab {
	r := st.Request
	r.Name = st.Title
	tab := FileTab{Request: r, Saved: r}
	if st.File == "" {
		return tab
	}
	if disk := l.FileRequest(st.Coll, st.File); disk != nil {
		tab.Root, tab.Rel = st.Coll, st.File
		tab.Saved = *disk
		tab.Saved.Name = st.Title
	}
	return tab
}
