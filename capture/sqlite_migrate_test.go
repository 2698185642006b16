package capture

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"reflect"
	"testing"
)

// schemaV1 is the layout Hooklab wrote before event types and signature
// verdicts (schema version 1), copied from capture/sqlite.go as it was,
// so the test can make a database as an older Hooklab left it.
const schemaV1 = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS captures (
	seq          INTEGER PRIMARY KEY,
	id           TEXT NOT NULL UNIQUE,
	time         INTEGER,
	method       TEXT NOT NULL,
	path         TEXT NOT NULL,
	endpoint     TEXT NOT NULL,
	raw_query    TEXT NOT NULL,
	proto        TEXT NOT NULL,
	host         TEXT NOT NULL,
	remote       TEXT NOT NULL,
	status       INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	body_size    INTEGER NOT NULL,
	truncated    INTEGER NOT NULL,
	header       BLOB,
	resp_header  BLOB,
	body         BLOB,
	resp_body    BLOB
);
CREATE INDEX IF NOT EXISTS captures_endpoint ON captures (endpoint);
CREATE INDEX IF NOT EXISTS captures_method ON captures (method COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS rules (
	endpoint TEXT PRIMARY KEY,
	status   INTEGER NOT NULL,
	header   BLOB,
	body     TEXT NOT NULL,
	delay_ms INTEGER NOT NULL
);
-- The one row every writer shares, in this process or another: the last
-- seq given out (seqs are never reused, so a seq in the search index
-- always means the same capture), how many captures there are and their
-- body bytes (kept by each write, so retention and Count need no scan),
-- and how far the search index got: captures up to indexed_through have
-- their text in it, or their seq in search_skipped (too large to index).
-- Newer ones are searched by scanning.
CREATE TABLE IF NOT EXISTS state (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	last_seq        INTEGER NOT NULL,
	captures        INTEGER NOT NULL,
	body_bytes      INTEGER NOT NULL,
	indexed_through INTEGER NOT NULL
);
INSERT OR IGNORE INTO state (id, last_seq, captures, body_bytes, indexed_through) VALUES (1, 0, 0, 0, 0);
CREATE TABLE IF NOT EXISTS search_skipped (seq INTEGER PRIMARY KEY);
`

// makeV1Database writes dir/hooklab.db as schema version 1 with the
// captures given, the way the version 1 writer stored them.
func makeV1Database(t *testing.T, dir string, cs []*Capture) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(schemaV1 + `INSERT INTO meta (key, value) VALUES ('schema_version', '1');`); err != nil {
		t.Fatal(err)
	}
	var bytes int64
	for i, c := range cs {
		_, err := db.Exec(`INSERT INTO captures (seq, id, time, method, path, endpoint, raw_query, proto, host, remote, status,
			content_type, body_size, truncated, header, resp_header, body, resp_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i+1, c.ID, nanos(c.Time), c.Method, c.Path, Endpoint(c.Path), c.RawQuery, c.Proto, c.Host, c.Remote, c.Status,
			MediaType(c.Header.Get("Content-Type")), c.BodySize, c.Truncated, encodeHeader(c.Header), encodeHeader(c.RespHeader), c.Body, c.RespBody)
		if err != nil {
			t.Fatal(err)
		}
		bytes += int64(len(c.Body))
	}
	if _, err := db.Exec(`UPDATE state SET last_seq = ?, captures = ?, body_bytes = ?`, len(cs), len(cs), bytes); err != nil {
		t.Fatal(err)
	}
}

func TestSQLiteMigratesVersion1(t *testing.T) {
	dir := t.TempDir()
	var old []*Capture
	for i := range 5 {
		old = append(old, sampleCapture(i))
	}
	old[1].Header = http.Header{"X-Github-Event": {"push"}}
	old[2].Body = []byte(`{"type":"payment.succeeded"}`)
	old[2].BodySize = int64(len(old[2].Body))
	makeV1Database(t, dir, old)

	s := openTestSQLite(t, dir, SQLiteOptions{})
	wantEvents := []string{"", "push", "payment.succeeded", "", ""}
	for i, c := range old {
		got, err := s.Get(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *c
		want.Time = storedTime(c.Time)
		want.Event = wantEvents[i]
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("capture %d after migrating:\n got %+v\nwant %+v", i, got, &want)
		}
	}
	if n := mustCount(t, s, Filter{}); n != len(old) {
		t.Fatalf("%d captures after migrating, want %d", n, len(old))
	}
	list, err := s.List(Filter{Event: "PAYMENT.succeeded"}, 0, 10)
	if err != nil || len(list) != 1 || list[0].ID != old[2].ID || list[0].Event != "payment.succeeded" {
		t.Fatalf("event filter after migrating: %+v, %v", list, err)
	}
	// New captures go on after the old ones, with their verdict kept.
	c := sampleCapture(9)
	c.Event = "x.y"
	c.Signature = &Verdict{Scheme: "stripe", Reason: "timestamp outside tolerance", Detail: "signed 7m0s old"}
	mustAdd(t, s, c)
	got, err := s.Get(c.ID)
	if err != nil || got.Event != "x.y" || !reflect.DeepEqual(got.Signature, c.Signature) {
		t.Fatalf("new capture: %+v, %v", got, err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, DBFileName) + ".corrupt-*"); len(matches) > 0 {
		t.Fatalf("the version 1 database was moved aside: %v", matches)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Opened again, it is the current version and needs no migrating.
	db, err := sql.Open("sqlite", filepath.Join(dir, DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v); err != nil || v != "5" {
		t.Fatalf("schema version %q, %v", v, err)
	}
	s2 := openTestSQLite(t, dir, SQLiteOptions{})
	if n := mustCount(t, s2, Filter{}); n != len(old)+1 {
		t.Fatalf("reopened: %d captures", n)
	}
}

// makeV2Database writes dir/hooklab.db as schema version 2 (version 1
// with the event and signature columns, before the link tables) with
// the captures given.
func makeV2Database(t *testing.T, dir string, cs []*Capture) {
	t.Helper()
	makeV1Database(t, dir, cs)
	db, err := sql.Open("sqlite", filepath.Join(dir, DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`ALTER TABLE captures ADD COLUMN event TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE captures ADD COLUMN signature TEXT NOT NULL DEFAULT ''`,
		`UPDATE captures SET event = 'payment.succeeded' WHERE seq = 1`,
		`UPDATE meta SET value = '2' WHERE key = 'schema_version'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSQLiteMigratesVersion2(t *testing.T) {
	dir := t.TempDir()
	var old []*Capture
	for i := range 3 {
		old = append(old, sampleCapture(i))
	}
	makeV2Database(t, dir, old)

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
	for _, table := range []string{"link_requests", "link_captures", "links"} {
		var n int
		if err := s.ReadDB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%s: %d rows, %v", table, n, err)
		}
	}
	// Deleting and clearing reach the links of the captures.
	if err := s.WriteTx(t.Context(), func(ctx context.Context, tx Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO links VALUES (?, 0, 1, 0, 'POST', 'u', 201, 'pay_12345678'), (?, 0, 1, 0, 'POST', 'u', 201, 'pay_12345678')`, old[0].ID, old[1].ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(old[0].ID); err != nil {
		t.Fatal(err)
	}
	countLinks := func() (n int) {
		if err := s.ReadDB().QueryRow(`SELECT count(*) FROM links`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := countLinks(); n != 1 {
		t.Fatalf("%d links after deleting a linked capture, want 1", n)
	}
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	if n := countLinks(); n != 0 {
		t.Fatalf("%d links after Clear", n)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, DBFileName) + ".corrupt-*"); len(matches) > 0 {
		t.Fatalf("the version 2 database was moved aside: %v", matches)
	}
}
