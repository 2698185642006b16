package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hooklab/capture"
)

// TestExportLeavesACorruptDatabaseAlone: export says the database is
// corrupt and exits 1, and the data directory is as it was: nothing
// moved aside, no new database.
func TestExportLeavesACorruptDatabaseAlone(t *testing.T) {
	dir := t.TempDir()
	garbage := bytes.Repeat([]byte("not a database\n"), 500)
	path := filepath.Join(dir, capture.DBFileName)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		entries, _ := os.ReadDir(dir)
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	before := names()
	var stdout, stderr bytes.Buffer
	code := run([]string{"export", "--data-dir", dir}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "corrupt") || stdout.Len() != 0 {
		t.Fatalf("export exited %d, stderr %q, stdout %q; want 1 saying it is corrupt", code, stderr.String(), stdout.String())
	}
	if after := names(); !slices.Equal(before, after) {
		t.Fatalf("the data directory changed: %v → %v", before, after)
	}
	if data, _ := os.ReadFile(path); !bytes.Equal(data, garbage) {
		t.Fatal("the database file changed")
	}
}
