package collection

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
)

// SaveRequest writes r to the request file rel (slash-separated, relative
// to root), atomically. Keys of an existing file that Hooklab does not use
// (scripts, tests, docs, ...) and its seq are kept; a new file is placed
// last in its folder.
func SaveRequest(root, rel string, r requester.Request) error {
	p, err := locate(root, rel, false)
	if err != nil {
		return err
	}
	if !isYAML(p) {
		return fmt.Errorf("request file %q must end in %s", rel, ext)
	}
	old := readDoc(p)
	var seq int
	if old != nil {
		ri, _ := readInfo(old)
		seq = ri.Seq
	} else {
		seq = nextSeq(filepath.Dir(p), false, p)
	}
	data, err := encodeRequest(r, seq, old)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(p, data, 0o644); err != nil {
		return err
	}
	return saveExtensionOptions(root, relOf(root, p), r.Options)
}

// NewRequest saves r as a new request named name (r.Name when empty) in
// folder folderRel ("" for the top level), last in order. The file name is
// the name made safe for every file system, numbered if taken. It returns
// the new file's path relative to root.
func NewRequest(root, folderRel, name string, r requester.Request) (string, error) {
	dir, err := folderDir(root, folderRel)
	if err != nil {
		return "", err
	}
	if name == "" {
		name = r.Name
	}
	if name == "" {
		name = "Untitled"
	}
	r.Name = name
	p := uniquePath(dir, SafeName(name), ext, "")
	data, err := encodeRequest(r, nextSeq(dir, false, ""), nil)
	if err != nil {
		return "", err
	}
	if err := writeFileAtomic(p, data, 0o644); err != nil {
		return "", err
	}
	return relOf(root, p), saveExtensionOptions(root, relOf(root, p), r.Options)
}

// NewFolder creates folder name (with its folder.yml) in parentRel, last in
// order, and returns its path relative to root.
func NewFolder(root, parentRel, name string) (string, error) {
	dir, err := folderDir(root, parentRel)
	if err != nil {
		return "", err
	}
	return newFolder(root, parentRel, name, nextSeq(dir, true, ""))
}

// newFolder is NewFolder with the folder's seq given.
func newFolder(root, parentRel, name string, seq int) (string, error) {
	dir, err := folderDir(root, parentRel)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(name) == "" {
		return "", errors.New("a folder needs a name")
	}
	p := uniquePath(dir, SafeName(name), "", "")
	if err := os.Mkdir(p, 0o755); err != nil {
		return "", err
	}
	if err := setFolderInfo(p, name, seq); err != nil {
		return "", err
	}
	return relOf(root, p), nil
}

// Rename gives the request file or folder at rel a new name: info.name in
// its file (folder.yml for a folder) and the file or directory name. It
// returns the new path relative to root.
func Rename(root, rel, newName string) (string, error) {
	if strings.TrimSpace(newName) == "" {
		return "", errors.New("the new name is empty")
	}
	p, fi, err := stat(root, rel)
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		np := uniquePath(filepath.Dir(p), SafeName(newName), "", p)
		if err := renameTo(p, np); err != nil {
			return "", err
		}
		return follow(root, rel, relOf(root, np), false, setFolderInfo(np, newName, 0))
	}
	doc, err := readDocStrict(p)
	if err != nil {
		return "", err
	}
	np := uniquePath(filepath.Dir(p), SafeName(newName), filepath.Ext(p), p)
	if err := renameTo(p, np); err != nil {
		return "", err
	}
	return follow(root, rel, relOf(root, np), false, writeInfo(np, doc, newName, 0))
}

// Duplicate copies the request or folder at rel next to it as "<name>
// copy", last in order, and returns the copy's path relative to root.
func Duplicate(root, rel string) (string, error) {
	p, fi, err := stat(root, rel)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(p)
	if fi.IsDir() {
		name := folderName(p) + " copy"
		seq := nextSeq(dir, true, "")
		np := uniquePath(dir, SafeName(name), "", "")
		if err := copyTree(p, np); err != nil {
			os.RemoveAll(np)
			return "", err
		}
		return follow(root, rel, relOf(root, np), true, setFolderInfo(np, name, seq))
	}
	doc, err := readDocStrict(p)
	if err != nil {
		return "", err
	}
	ri, _ := readInfo(doc)
	if ri.Name == "" {
		ri.Name = strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	}
	name := ri.Name + " copy"
	np := uniquePath(dir, SafeName(name), filepath.Ext(p), "")
	return follow(root, rel, relOf(root, np), true, writeInfo(np, doc, name, nextSeq(dir, false, "")))
}

// Move moves the request or folder at rel into folder destRel ("" for the
// top level), last in order there, and returns its new path relative to root.
func Move(root, rel, destRel string) (string, error) {
	p, fi, err := stat(root, rel)
	if err != nil {
		return "", err
	}
	dest, err := folderDir(root, destRel)
	if err != nil {
		return "", err
	}
	if filepath.Dir(p) == dest {
		return relOf(root, p), nil
	}
	if fi.IsDir() && (dest == p || strings.HasPrefix(dest, p+string(filepath.Separator))) {
		return "", fmt.Errorf("cannot move folder %q into itself", rel)
	}
	seq := nextSeq(dest, fi.IsDir(), "")
	if fi.IsDir() {
		name := folderName(p)
		np := uniquePath(dest, filepath.Base(p), "", "")
		if err := renameTo(p, np); err != nil {
			return "", err
		}
		return follow(root, rel, relOf(root, np), false, setFolderInfo(np, name, seq))
	}
	e := filepath.Ext(p)
	np := uniquePath(dest, strings.TrimSuffix(filepath.Base(p), e), e, "")
	if err := renameTo(p, np); err != nil {
		return "", err
	}
	if doc, err := readDocStrict(np); err == nil {
		return follow(root, rel, relOf(root, np), false, writeInfo(np, doc, "", seq))
	}
	return follow(root, rel, relOf(root, np), false, nil) // moved; a broken file keeps its content
}

// follow moves (or with keep copies) the extension options of rel and what
// is under it to newRel once the files have moved (err nil), and returns
// newRel.
func follow(root, rel, newRel string, keep bool, err error) (string, error) {
	if err != nil {
		return newRel, err
	}
	return newRel, moveExtensionOptions(root, filepath.ToSlash(filepath.Clean(rel)), newRel, keep)
}

// Delete removes the request file or the folder (with everything in it) at
// rel.
func Delete(root, rel string) error {
	p, fi, err := stat(root, rel)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		err = os.RemoveAll(p)
	} else {
		err = os.Remove(p)
	}
	if err != nil {
		return err
	}
	_, err = follow(root, rel, "", false, nil)
	return err
}

func stat(root, rel string) (string, os.FileInfo, error) {
	p, err := locate(root, rel, false)
	if err != nil {
		return "", nil, err
	}
	fi, err := os.Stat(p)
	return p, fi, err
}

func folderDir(root, rel string) (string, error) {
	dir, err := locate(root, rel, true)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%q is not a folder", rel)
	}
	return dir, nil
}

// renameTo renames p to np unless they are the same; an existing np is not
// replaced.
func renameTo(p, np string) error {
	if p == np {
		return nil
	}
	if !strings.EqualFold(p, np) { // a case-only rename finds itself
		if _, err := os.Lstat(np); err == nil {
			return fmt.Errorf("%s already exists", np)
		}
	}
	return os.Rename(p, np)
}

// readDocStrict reads the mapping of file p; a missing file gives nil.
func readDocStrict(p string) (*yaml.Node, error) {
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	doc, err := parseDoc(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return doc, nil
}

// writeInfo sets info.name (unless empty) and info.seq (unless 0) in doc
// and writes it to p.
func writeInfo(p string, doc *yaml.Node, name string, seq int) error {
	if doc == nil {
		doc = newMap()
	}
	info := field(doc, "info")
	if info == nil || info.Kind != yaml.MappingNode {
		info = newMap()
		if i := keyIndex(doc, "info"); i >= 0 {
			doc.Content[i+1] = info
		} else {
			doc.Content = append([]*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: "info"}, info}, doc.Content...)
		}
	}
	if name != "" {
		set(info, "name", str(name))
	}
	if seq > 0 {
		set(info, "seq", integer(int64(seq)))
	}
	data, err := encodeDoc(doc, true)
	if err != nil {
		return err
	}
	return writeFileAtomic(p, data, 0o644)
}

// setFolderInfo writes folder.yml of dir with name (kept when empty) and
// seq (kept when 0), creating the file if needed.
func setFolderInfo(dir, name string, seq int) error {
	p := filepath.Join(dir, folderFile)
	doc, err := readDocStrict(p)
	if err != nil {
		return err
	}
	if doc == nil {
		doc = newMap()
		info := newMap()
		add(info, "name", str(filepath.Base(dir)))
		add(info, "type", str("folder"))
		add(doc, "info", info)
	}
	return writeInfo(p, doc, name, seq)
}

// folderName is the display name of folder dir.
func folderName(dir string) string {
	it := &Item{Name: filepath.Base(dir)}
	if data, err := os.ReadFile(filepath.Join(dir, folderFile)); err == nil {
		_ = it.decodeFolder(data)
	}
	return it.Name
}

// nextSeq is one more than the highest seq among the requests (or, with
// folders, the folders) directly in dir, skipping the path except.
func nextSeq(dir string, folders bool, except string) int {
	folderScans.Add(1)
	entries, _ := os.ReadDir(dir)
	top := 0
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		if p == except || strings.HasPrefix(name, ".") || e.IsDir() != folders {
			continue
		}
		var doc *yaml.Node
		switch {
		case folders && !skipDir(name):
			doc = readDoc(filepath.Join(p, folderFile))
		case !folders && isYAML(name) && name != folderFile && name != collectionFile:
			doc = readDoc(p)
		}
		if ri, err := readInfo(doc); err == nil && ri.Seq > top {
			top = ri.Seq
		}
	}
	return top + 1
}

// folderScans counts nextSeq's reads of a folder, each of which parses
// every file in it: tests check that writing many requests does not read
// the folder once per request.
var folderScans atomic.Int64

// copyTree copies directory src to a new directory dst, skipping hidden
// entries.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.Mkdir(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
