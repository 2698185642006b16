package capture

import (
	"crypto/sha256"
	"database/sql"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// A database a newer Hooklab wrote, in a layout this build's statements
// do not fit (its state table changed), is refused with a message that
// says so, and its file is left byte for byte as it was: not moved
// aside, not migrated, not written.
func TestSQLiteNewerSchemaRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DBFileName)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`PRAGMA journal_mode = WAL`,
		`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
		`INSERT INTO meta VALUES ('schema_version', '7')`,
		`CREATE TABLE captures (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, envelope BLOB)`,
		`INSERT INTO captures VALUES (1, 'cap_future', x'00ff')`,
		`CREATE TABLE state (id INTEGER PRIMARY KEY, generation INTEGER NOT NULL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)

	s, rec, err := OpenSQLite(dir, SQLiteOptions{})
	if err == nil {
		s.Close()
		t.Fatal("opened a database of schema 7")
	}
	var newer *NewerSchemaError
	if !errors.As(err, &newer) || newer.Version != 7 || newer.Known != schemaVersion {
		t.Fatalf("error %v (%T), want a NewerSchemaError for 7", err, err)
	}
	want := "made by a newer Hooklab (schema 7); this one knows up to 4"
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %q does not say %q and the file", err, want)
	}
	if rec != nil {
		t.Fatalf("recovery %+v", rec)
	}
	if matches, _ := filepath.Glob(path + ".corrupt-*"); len(matches) > 0 {
		t.Fatalf("the newer database was moved aside: %v", matches)
	}
	if after := fileSum(t, path); after != before {
		t.Fatal("the newer database's file changed")
	}
}

// makeV3Database writes dir/hooklab.db as schema version 3: version 2
// with the link tables, before raw_path and head.
func makeV3Database(t *testing.T, dir string, cs []*Capture) {
	t.Helper()
	makeV2Database(t, dir, cs)
	db, err := sql.Open("sqlite", filepath.Join(dir, DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(linkSchema + `UPDATE meta SET value = '3' WHERE key = 'schema_version';`); err != nil {
		t.Fatal(err)
	}
}

func TestSQLiteMigratesVersion3(t *testing.T) {
	dir := t.TempDir()
	var old []*Capture
	for i := range 3 {
		old = append(old, sampleCapture(i))
	}
	makeV3Database(t, dir, old)

	s := openTestSQLite(t, dir, SQLiteOptions{})
	for i, c := range old {
		got, err := s.Get(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *c
		want.Time = storedTime(c.Time)
		if i == 0 {
			want.Event = "payment.succeeded"
		}
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("capture %d after migrating:\n got %+v\nwant %+v", i, got, &want)
		}
	}
	var v string
	if err := s.ReadDB().QueryRow(`SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v); err != nil || v != "4" {
		t.Fatalf("schema version %q, %v", v, err)
	}
	// A new capture keeps its path and head as received.
	c := sampleCapture(7)
	c.RawPath = "/a%2Fb"
	c.Head = []byte("POST /a%2Fb HTTP/1.1\r\nx-lower-CASE: \xff\r\n")
	c.Header = http.Header{"X-Lower-Case": {"\xff"}}
	mustAdd(t, s, c)
	got, err := s.Get(c.ID)
	if err != nil || got.RawPath != c.RawPath || string(got.Head) != string(c.Head) {
		t.Fatalf("new capture after migrating: %+v, %v", got, err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, DBFileName) + ".corrupt-*"); len(matches) > 0 {
		t.Fatalf("the version 3 database was moved aside: %v", matches)
	}
}
