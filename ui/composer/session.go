package composer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"

	"hooklab/requester"
)

// SessionFile keeps the open tabs between runs, edits included, in the
// workspace. It may hold what was typed into scratch tabs, secrets too,
// so it is readable by its owner only, like the history.
const SessionFile = "tabs.json"

type savedTab struct {
	Title   string            `json:"title"`
	Coll    string            `json:"collection,omitempty"`
	File    string            `json:"file,omitempty"`
	Request requester.Request `json:"request"`
	Current bool              `json:"current,omitempty"`
}

// SessionDir is the folder the open tabs are kept in between runs, ""
// for none.
func (c *Composer) SessionDir() string { return c.Tabs.sessionDir }

// SaveSession writes the open tabs to the session folder; call it on the
// UI goroutine (or after the window's loop ended).
func (c *Composer) SaveSession() error { return c.saveSession(c.Tabs.sessionDir) }

// AutosaveSession writes the open tabs to the session folder when they
// changed since they were last written. Call it on the UI goroutine.
func (c *Composer) AutosaveSession() error { return c.autosave(c.Tabs.sessionDir) }

// Files lists the files the open tabs send (file bodies and multipart
// file parts).
func (c *Composer) Files() map[string]bool { return c.Tabs.files() }

// saveSession writes the open tabs to dir; call it on the UI goroutine
// (or after the window's loop ended).
func (c *Composer) saveSession(dir string) error {
	data, err := c.sessionData()
	if err != nil {
		return err
	}
	return c.writeSession(dir, data)
}

// autosave writes the open tabs to dir when they changed since they were
// last written, so edits outlive a crash or a killed process, not only a
// normal quit. Call it on the UI goroutine.
func (c *Composer) autosave(dir string) error {
	data, err := c.sessionData()
	if err != nil || bytes.Equal(data, c.Tabs.savedSession) {
		return err
	}
	return c.writeSession(dir, data)
}

func (c *Composer) sessionData() ([]byte, error) {
	if t := c.Tabs.current(); t.item != nil {
		t.req = c.Request()
	}
	tabs := make([]savedTab, 0, len(c.Tabs.tabs))
	for _, t := range c.Tabs.tabs {
		tabs = append(tabs, savedTab{Title: t.title, Coll: t.coll, File: t.rel, Request: t.req, Current: t == c.Tabs.current()})
	}
	return json.MarshalIndent(tabs, "", "  ")
}

// writeSession replaces dir's session file with data in one rename, so
// a crash mid-write leaves the previous one.
func (c *Composer) writeSession(dir string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".tabs-*.json")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		// On disk before the rename, so a power loss right after cannot
		// leave an empty session file in place of the last good one.
		err = tmp.Sync()
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, SessionFile)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	c.Tabs.savedSession = data
	return nil
}

// restoreSession opens the tabs saved in dir in place of the example and
// reports whether there were any. A tab whose file is gone opens as
// scratch; one whose file changed meanwhile shows as unsaved.
func (c *Composer) restoreSession(dir string, files func(root, rel string) *requester.Request) bool {
	data, err := os.ReadFile(filepath.Join(dir, SessionFile))
	if err != nil {
		return false
	}
	var tabs []savedTab
	if json.Unmarshal(data, &tabs) != nil || len(tabs) == 0 {
		return false
	}
	example := c.Tabs.tabs
	var current *reqTab
	for _, st := range tabs {
		r := st.Request
		r.Name = st.Title
		t := c.Tabs.newTab(r, st.Coll, st.File)
		t.title = st.Title
		if st.File != "" {
			if disk := files(st.Coll, st.File); disk != nil {
				t.saved = *disk
				t.saved.Name = st.Title
			} else {
				t.coll, t.rel = "", ""
			}
		}
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
	return true
}
