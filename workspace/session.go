package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// SessionFile is the file of the data directory that keeps the open
// tabs between runs, edits included. It may hold what was typed into
// scratch tabs, secrets too, so it is readable by its owner only (mode
// 0600), like the history.
const SessionFile = "tabs.json"

// SavedTab is one open tab as the session file keeps it.
type SavedTab struct {
	Title   string            `json:"title"`
	Coll    string            `json:"collection,omitempty"` // the collection's folder; "" for a scratch tab
	File    string            `json:"file,omitempty"`       // the request file, relative to Coll
	Request requester.Request `json:"request"`              // as edited, not as saved
	Current bool              `json:"current,omitempty"`    // the tab in view
}

// Session reads and writes the session file of one data directory. It
// is safe for concurrent use. It replaces ui's saveSession, autosave,
// writeSession and the reading part of restoreSession (session.go).
type Session struct {
	dir string
	now func() time.Time // names set-aside files; tests fix it

	mu      sync.Mutex
	written []byte // what was last written
	blocked error  // a malformed file that could not be moved aside
}

// NewSession returns the session of the data directory dir.
func NewSession(dir string) *Session { return &Session{dir: dir, now: time.Now} }

// Path is the session file's path.
func (s *Session) Path() string { return filepath.Join(s.dir, SessionFile) }

// Load returns the saved tabs, in order; none, and no error, when there
// is no session file. A file that is not a JSON list of tabs is moved
// aside (to tabs.json.corrupt-<time>), so the next Save does not
// overwrite it, and the error names both files and the reason. A file
// that cannot be read, or moved aside, is reported and left in place,
// and Save refuses to replace it until a later Load succeeds.
func (s *Session) Load() ([]SavedTab, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked = nil
	path := s.Path()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		s.blocked = fmt.Errorf("the open tabs cannot be read, so they are not replaced: %w", err)
		return nil, s.blocked
	}
	var tabs []SavedTab
	if jerr := json.Unmarshal(data, &tabs); jerr != nil {
		kept, err := setAside(path, s.now())
		if err != nil {
			s.blocked = fmt.Errorf("%s is not a list of tabs (%v) and could not be moved aside (%v), so it is not replaced", path, jerr, err)
			return nil, s.blocked
		}
		return nil, fmt.Errorf("%s is not a list of tabs (%v): it was kept as %s, and the tabs it held are not reopened", path, jerr, kept)
	}
	return tabs, nil
}

// Save writes tabs to the session file, replacing it atomically (a
// crash leaves the previous file), mode 0600.
func (s *Session) Save(tabs []SavedTab) error {
	_, err := s.save(tabs, false)
	return err
}

// SaveIfChanged is Save, unless tabs encode to what was last written by
// this Session; it reports whether it wrote. An autosave calls it, so
// unchanged tabs are not rewritten every few seconds.
func (s *Session) SaveIfChanged(tabs []SavedTab) (bool, error) {
	return s.save(tabs, true)
}

func (s *Session) save(tabs []SavedTab, onlyChanged bool) (bool, error) {
	if tabs == nil {
		tabs = []SavedTab{} // written as [], not null, as ui's sessionData did
	}
	data, err := json.MarshalIndent(tabs, "", "  ")
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked != nil {
		return false, s.blocked
	}
	if onlyChanged && bytes.Equal(data, s.written) {
		return false, nil
	}
	if err := collection.WriteAtomic(s.Path(), data, 0o600); err != nil {
		return false, err
	}
	s.written = data
	return true, nil
}

// FilesUsed lists the files the tabs send: file bodies and the files of
// multipart parts, as the tabs hold them. PruneReplays keeps these. It
// replaces ui's requestTabs.files (tabs.go).
func FilesUsed(tabs []SavedTab) map[string]bool {
	files := map[string]bool{}
	for _, t := range tabs {
		if t.Request.Body.File != "" {
			files[t.Request.Body.File] = true
		}
		for _, p := range t.Request.Body.Parts {
			if p.File != "" {
				files[p.File] = true
			}
		}
	}
	return files
}
