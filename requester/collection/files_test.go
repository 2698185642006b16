package collection

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "tabs.json")
	if err := os.WriteFile(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(name, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(name)
	if err != nil || string(data) != "new" {
		t.Fatalf("read back %q, %v", data, err)
	}
	if fi, _ := os.Stat(name); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 applied to the existing file", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left %d files, want only tabs.json", len(entries))
	}

	// A name without a folder is written in the working folder, not
	// through the system's temporary folder (a rename across file
	// systems fails).
	t.Chdir(dir)
	if err := WriteAtomic("plain.json", []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "plain.json")); err != nil {
		t.Fatal(err)
	}

	// A folder that does not exist is an error naming it, and writes nothing.
	if err := WriteAtomic(filepath.Join(dir, "missing", "x.json"), nil, 0o600); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("writing into a missing folder: %v, want an error naming it", err)
	}
}
