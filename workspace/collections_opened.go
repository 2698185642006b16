package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"hooklab/requester/collection"
)

// OpenedFile is the file of the data directory that lists the folders
// opened as collections, as a JSON array of paths.
const OpenedFile = "opened-collections.json"

func (c *Collections) openedPath() string { return filepath.Join(c.dir, OpenedFile) }

// Opened lists the folders opened as collections, in the order they
// were opened; none when the list does not exist yet. A list that cannot
// be read or is not a JSON array of paths is an error naming the file
// and the reason; the file is left as it is.
func (c *Collections) Opened() ([]string, error) {
	opened, err := readOpened(c.openedPath())
	if errors.Is(err, errMalformed) {
		err = fmt.Errorf("%w; the folders it lists are not shown", err)
	}
	return opened, err
}

// errMalformed marks a list that was read but is not a JSON array of
// paths.
var errMalformed = errors.New("not a JSON list of folders")

func readOpened(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the opened collections cannot be read: %w", err)
	}
	var opened []string
	if err := json.Unmarshal(data, &opened); err != nil {
		return nil, fmt.Errorf("%s is %w (%v)", path, errMalformed, err)
	}
	return opened, nil
}

// OpenFolder adds dir, a folder holding an opencollection.yml or a
// Bruno bruno.json, to the
// opened list; the next Load shows and watches it. A folder listed
// already is left where it is. When the list on disk is malformed it is
// moved aside, to opened-collections.json.corrupt-<time>, and the new
// list holds dir alone; every later Load of this Collections says so.
// The list is written atomically. An error means dir was not added.
// It replaces ui's collectionsPanel.addOpened.
func (c *Collections) OpenFolder(dir string) error {
	if _, err := collection.Load(dir); err != nil {
		if errors.Is(err, collection.ErrNotCollection) {
			return fmt.Errorf("%s is not a collection: it has no opencollection.yml (Hooklab, Bruno OpenCollection) and no bruno.json (a Bruno .bru collection); a folder of loose .bru files can be brought in with File › Import…", dir)
		}
		return err
	}
	return c.changeOpened(func(opened []string) []string {
		if slices.Contains(opened, dir) {
			return opened
		}
		return append(opened, dir)
	})
}

// CloseFolder removes dir from the opened list, as OpenFolder adds it;
// the folder itself is not touched, and the next Load no longer shows
// or watches it. Folders in the collections folder cannot be closed.
func (c *Collections) CloseFolder(dir string) error {
	listed := true
	err := c.changeOpened(func(opened []string) []string {
		i := slices.Index(opened, dir)
		if i < 0 {
			listed = false
			return opened
		}
		return slices.Delete(opened, i, i+1)
	})
	if err == nil && !listed {
		err = fmt.Errorf("%s is not an opened collection folder", dir)
	}
	return err
}

// changeOpened rewrites the opened list with what change makes of it.
// A malformed list counts as empty, and is moved aside just before the
// new one is written; if that write fails, it is moved back. Nothing is
// touched when change returns the list as it was.
func (c *Collections) changeOpened(change func([]string) []string) error {
	c.listMu.Lock()
	defer c.listMu.Unlock()
	path := c.openedPath()
	opened, readErr := readOpened(path)
	malformed := errors.Is(readErr, errMalformed)
	if readErr != nil && !malformed {
		return readErr // never replace a list that could not be read
	}
	next := change(slices.Clone(opened))
	if slices.Equal(next, opened) {
		return nil
	}
	data, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	var kept string
	if malformed {
		if kept, err = setAside(path, c.now()); err != nil {
			return fmt.Errorf("%w, and it could not be moved aside, so it is left unchanged: %w", readErr, err)
		}
	}
	if err := collection.WriteAtomic(path, data, 0o600); err != nil {
		if kept != "" && os.Rename(kept, path) != nil {
			c.notice(fmt.Errorf("%w: it was moved to %s, and no new list could be written: %w", readErr, kept, err))
		}
		return err
	}
	if kept != "" {
		c.notice(fmt.Errorf("%w: it was kept as %s and a new list was started; open its folders again", readErr, kept))
	}
	return nil
}

// notice keeps err for every later Load of this session to report.
func (c *Collections) notice(err error) {
	c.mu.Lock()
	c.notices = append(c.notices, err)
	c.mu.Unlock()
}

// setAside renames the file at path to path.corrupt-<time> (with a
// number added if that is taken) and returns the new name, so what it
// held is kept when a new file takes its place.
func setAside(path string, now time.Time) (string, error) {
	base := path + ".corrupt-" + now.UTC().Format("20060102T150405Z")
	kept := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(kept); errors.Is(err, fs.ErrNotExist) {
			break
		}
		kept = fmt.Sprintf("%s-%d", base, n)
	}
	if err := os.Rename(path, kept); err != nil {
		return "", err
	}
	return kept, nil
}

// ImportTarget is a folder in the collections folder, not there yet,
// for a collection imported from the file or folder at from: named
// after it (extensions and Postman's ".postman_collection" left off),
// with " 2", " 3", ... added when that name is taken.
func (c *Collections) ImportTarget(from string) string {
	name := filepath.Base(filepath.Clean(from))
	if fi, err := os.Stat(from); err != nil || !fi.IsDir() {
		name = strings.TrimSuffix(name, filepath.Ext(name))
	}
	for _, suffix := range []string{".postman_collection", ".postman_environment", ".openapi", ".har"} {
		name = strings.TrimSuffix(name, suffix)
	}
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		name = "Imported"
	}
	dir := filepath.Join(c.dir, CollectionsFolder)
	target := filepath.Join(dir, name)
	for n := 2; ; n++ {
		if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
			return target
		}
		target = filepath.Join(dir, fmt.Sprintf("%s %d", name, n))
	}
}

// ShowImported makes the collection an import wrote into, root, one
// Load shows: a folder of the collections folder is shown already;
// any other is opened (OpenFolder).
func (c *Collections) ShowImported(root string) error {
	abs, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	own, err := filepath.Abs(filepath.Join(c.dir, CollectionsFolder))
	if err != nil {
		return err
	}
	if filepath.Dir(abs) == own {
		return nil
	}
	return c.OpenFolder(abs)
}
