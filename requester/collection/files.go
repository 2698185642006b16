package collection

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Names with a meaning in the layout.
const (
	collectionFile = "opencollection.yml"
	folderFile     = "folder.yml"
	envDir         = "environments"
	ext            = ".yml"
)

// writeFileAtomic is WriteAtomic for the files of a collection: an
// existing file keeps its mode (a user may have changed it); a new one
// gets perm.
func writeFileAtomic(name string, data []byte, perm os.FileMode) error {
	if fi, err := os.Stat(name); err == nil {
		perm = fi.Mode().Perm()
	}
	return WriteAtomic(name, data, perm)
}

// WriteAtomic replaces the file name with data, with mode perm whether
// the file existed or not. The data goes to a hidden temporary file in
// the same directory, which is synced to disk and then renamed over
// name, so readers and watchers never see half a file, and a crash or
// a full disk leaves the previous file or the new one, never a
// truncated one. The directory must exist.
func WriteAtomic(name string, data []byte, perm os.FileMode) error {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "." // CreateTemp would take "" as the system's temporary folder
	}
	// Hidden and without the .yml extension, so Load and Watch skip it.
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// locate turns rel (slash-separated, inside root) into a file system path.
// An empty rel or "." is root itself, allowed only when allowRoot is set.
func locate(root, rel string, allowRoot bool) (string, error) {
	clean := path.Clean(rel)
	if path.IsAbs(rel) || filepath.IsAbs(rel) || filepath.VolumeName(rel) != "" ||
		clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("path %q must be relative to the collection and stay inside it", rel)
	}
	if clean == "." {
		if !allowRoot {
			return "", fmt.Errorf("path %q names the collection itself", rel)
		}
		return root, nil
	}
	return filepath.Join(root, filepath.FromSlash(clean)), nil
}

// relOf is p relative to root, slash-separated.
func relOf(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")
}

// skipDir reports directories that never hold collection files.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules"
}

// SafeName makes a display name usable as a file or folder name on every
// system: the slashes of a path become spaces, as a person would write it
// ("GET /v1/items" is the file "GET v1 items"), other characters Windows,
// macOS or Linux reject become "-", leading dots (hidden files) and
// trailing dots and spaces (dropped by Windows) go, and device names such
// as CON get a "_" prefix. Every name an import, an export or the window
// gives a file, folder or environment goes through it.
func SafeName(name string) string {
	var b strings.Builder
	sep := false // a slash was seen: one space stands for it and the spaces around it
	for _, r := range name {
		if r == '/' || r == '\\' {
			sep = true
			continue
		}
		if sep {
			if r == ' ' {
				continue
			}
			if s := b.String(); s != "" && !strings.HasSuffix(s, " ") {
				b.WriteByte(' ')
			}
			sep = false
		}
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`<>:"|?*`, r) {
			r = '-'
		}
		b.WriteRune(r)
	}
	s := strings.TrimRight(strings.TrimLeft(strings.TrimSpace(b.String()), "."), ". ")
	for len(s) > 120 { // well under every file system's limit, with room for " 99.yml"
		_, size := utf8.DecodeLastRuneInString(s)
		s = strings.TrimRight(s[:len(s)-size], ". ")
	}
	if s == "" {
		s = "Untitled"
	}
	stem, _, _ := strings.Cut(strings.ToUpper(s), ".")
	switch stem {
	case "CON", "PRN", "AUX", "NUL",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	return s
}

// uniquePath returns dir/base+suffix, or dir/base N+suffix with the smallest
// N from 2 that is free. except (a path) counts as free: it is the item being
// renamed. Names the layout reserves are never returned.
func uniquePath(dir, base, suffix, except string) string {
	for n := 1; ; n++ {
		name := base + suffix
		if n > 1 {
			name = base + " " + strconv.Itoa(n) + suffix
		}
		if reserved(dir, name) {
			continue
		}
		p := filepath.Join(dir, name)
		if except != "" && strings.EqualFold(p, except) {
			return p
		}
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
}

func reserved(dir, name string) bool {
	switch strings.ToLower(name) {
	case folderFile, collectionFile:
		return true
	}
	_, err := os.Stat(filepath.Join(dir, collectionFile))
	return err == nil && strings.EqualFold(name, envDir)
}
