package capture

import (
	"context"
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
	want := "made by a newer Hooklab (schema 7); this one knows up to 5"
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
	if err := s.ReadDB().QueryRow(`SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v); err != nil || v != "5" {
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

// makeV4Database writes dir/hooklab.db as schema version 4: version 3
// with raw_path and head, before the forwards table.
func makeV4Database(t *testing.T, dir string, cs []*Capture) {
	t.Helper()
	makeV3Database(t, dir, cs)
	db, err := sql.Open("sqlite", filepath.Join(dir, DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`ALTER TABLE captures ADD COLUMN raw_path TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE captures ADD COLUMN head BLOB`,
		`UPDATE captures SET raw_path = '/v4%2Fkept', head = x'504f5354202f763425324666' WHERE seq = 2`,
		`UPDATE meta SET value = '4' WHERE key = 'schema_version'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
}

// A version 4 database keeps every capture, as it was, and gets the
// forwards table, which deleting and clearing captures reach.
func TestSQLiteMigratesVersion4(t *testing.T) {
	dir := t.TempDir()
	var old []*Capture
	for i := range 3 {
		old = append(old, sampleCapture(i))
	}
	makeV4Database(t, dir, old)

	s := openTestSQLite(t, dir, SQLiteOptions{})
	for i, c := range old {
		got, err := s.Get(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *c
		want.Time = storedTime(c.Time)
		switch i {
		case 0:
			want.Event = "payment.succeeded"
		case 1:
			want.RawPath, want.Head = "/v4%2Fkept", []byte("POST /v4%2Ff")
		}
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("capture %d after migrating:\n got %+v\nwant %+v", i, got, &want)
		}
	}
	var v string
	if err := s.ReadDB().QueryRow(`SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v); err != nil || v != "5" {
		t.Fatalf("schema version %q, %v", v, err)
	}
	countForwards := func() (n int) {
		if err := s.ReadDB().QueryRow(`SELECT count(*) FROM forwards`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := countForwards(); n != 0 {
		t.Fatalf("%d forwards after migrating", n)
	}
	if err := s.WriteTx(t.Context(), func(ctx context.Context, tx Tx) error {
		for _, c := range old {
			if _, err := tx.ExecContext(ctx, `INSERT INTO forwards (capture_id, capture_time, url, status, attempts, duration, error, time,
				resp_head, resp_body, resp_size, resp_truncated) VALUES (?, 0, 'http://127.0.0.1:3000/hooks', 202, 1, 35000000, '', 0,
				'HTTP/1.1 202 Accepted', '{}', 2, 0)`, c.ID); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(old[0].ID); err != nil {
		t.Fatal(err)
	}
	if n := countForwards(); n != 2 {
		t.Fatalf("%d forwards after deleting a forwarded capture, want 2", n)
	}
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	if n := countForwards(); n != 0 {
		t.Fatalf("%d forwards after Clear", n)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, DBFileName) + ".corrupt-*"); len(matches) > 0 {
		t.Fatalf("the version 4 database was moved aside: %v", matches)
	}
}
