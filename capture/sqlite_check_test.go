package capture

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestCheckDatabaseChangesNothing: a corrupt database is reported as
// such and left exactly as it was, nothing moved aside, nothing new
// made; a sound one, an empty file and no file at all pass.
func TestCheckDatabaseChangesNothing(t *testing.T) {
	for _, tc := range corruptions {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, DBFileName)
			tc.make(t, path)
			before := listDir(t, dir)
			data, _ := os.ReadFile(path)
			err := CheckDatabase(dir)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("CheckDatabase = %v, want ErrCorrupt", err)
			}
			t.Log(err)
			after, _ := os.ReadFile(path)
			if !bytes.Equal(data, after) || !equalNames(before, listDir(t, dir)) {
				t.Fatalf("the data directory changed: %v → %v", before, listDir(t, dir))
			}
		})
	}
	t.Run("sound", func(t *testing.T) {
		dir := t.TempDir()
		s, _, err := OpenSQLite(dir, SQLiteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mustAdd(t, s, sampleCapture(1))
		if err := CheckDatabase(dir); err != nil {
			t.Fatalf("open database: %v", err)
		}
		s.Close()
		if err := CheckDatabase(dir); err != nil {
			t.Fatalf("closed database: %v", err)
		}
	})
	t.Run("none", func(t *testing.T) {
		dir := t.TempDir()
		if err := CheckDatabase(dir); err != nil || len(listDir(t, dir)) != 0 {
			t.Fatalf("no database: %v, dir holds %v", err, listDir(t, dir))
		}
	})
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func equalNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
