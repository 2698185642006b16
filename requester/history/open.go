package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DBFileName is the database inside the data directory. It is
// capture.DBFileName: history lives in the captures' database, in tables
// of its own, without this package importing capture.
const DBFileName = "hooklab.db"

// schemaVersion is the layout of the history tables this build writes,
// kept in history_meta apart from the capture store's version.
const schemaVersion = 1

// ErrUnusable is wrapped by Open's error when the database file is
// corrupt, is not a database, or holds history tables this build did not
// make. The file is left where it is.
var ErrUnusable = errors.New("the database file is corrupt or not a Hooklab database")

// schema is the layout of version 1. search holds the lowered name,
// method, URL and status that queries match; duration is Timings.Total
// and resp_size the full response body size, so List reads no blob. The
// index gives List its order and lets a query skip non-matching entries
// without reading their rows (4 times faster over 5,000 entries).
// AUTOINCREMENT keeps an id from being given out twice, even after Clear.
const schema = `
CREATE TABLE IF NOT EXISTS history_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	time        INTEGER NOT NULL,
	name        TEXT NOT NULL,
	method      TEXT NOT NULL,
	url         TEXT NOT NULL,
	status      INTEGER NOT NULL,
	duration    INTEGER NOT NULL,
	resp_size   INTEGER NOT NULL,
	err         TEXT NOT NULL,
	search      TEXT NOT NULL,
	request     BLOB NOT NULL,
	sent_header BLOB,
	sent_body   BLOB,
	sent_size   INTEGER NOT NULL,
	status_text TEXT NOT NULL,
	proto       TEXT NOT NULL,
	remote_addr TEXT NOT NULL,
	resp_header BLOB,
	resp_body   BLOB,
	truncated   INTEGER NOT NULL,
	timings     BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS history_time_search ON history (time, search);
`

// Open opens the history in dir/hooklab.db, creating the directory, the
// file and the history tables as needed. Errors name the directory or
// the file; a file that cannot be used wraps ErrUnusable. Open the
// capture store first: it moves an unusable file aside, which Open
// leaves to it.
func Open(dir string, opts Options) (*Store, error) {
	if opts.Retain <= 0 {
		opts.Retain = DefaultRetain
	}
	if opts.BodyCap <= 0 {
		opts.BodyCap = DefaultBodyCap
	}
	dir, err := checkDataDir(dir)
	if err != nil {
		return nil, err
	}
	s := &Store{path: filepath.Join(dir, DBFileName), opts: opts, changed: make(chan struct{}, 1)}
	if err := s.open(); err != nil {
		s.closeDB()
		return nil, err
	}
	return s, nil
}

func (s *Store) open() error {
	db, err := sql.Open("sqlite", dsn(s.path))
	if err != nil {
		return fmt.Errorf("open history database %s: %w", s.path, err)
	}
	s.db = db
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	v, err := s.createSchema()
	if err != nil {
		return s.fail("create tables", err)
	}
	switch n, err := strconv.Atoi(v); {
	case err != nil || n < schemaVersion:
		return fmt.Errorf("open history database %s: %w: history schema version %q", s.path, ErrUnusable, v)
	case n > schemaVersion:
		// Written by a newer Hooklab: the data is fine and stays untouched.
		return fmt.Errorf("history in %s has schema version %d; this Hooklab reads version %d: use a newer Hooklab or another data directory", s.path, n, schemaVersion)
	}
	for _, table := range []string{"history_meta", "history"} {
		if err := quickCheck(db, table); err != nil {
			return s.fail("quick_check", err)
		}
	}
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&s.insert, `INSERT INTO history (time, name, method, url, status, duration, resp_size, err, search,
			request, sent_header, sent_body, sent_size,
			status_text, proto, remote_addr, resp_header, resp_body, truncated, timings)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		// Everything after the newest Retain, in List's order.
		{&s.prune, `DELETE FROM history WHERE id IN
			(SELECT id FROM history ORDER BY time DESC, id DESC LIMIT -1 OFFSET ?)`},
		{&s.get, `SELECT id, time, name, method, url, status, duration, resp_size, err,
			request, sent_header, sent_body, sent_size,
			status_text, proto, remote_addr, resp_header, resp_body, truncated, timings
			FROM history WHERE id = ?`},
	} {
		if *p.st, err = db.Prepare(p.sql); err != nil {
			return s.fail("schema", err)
		}
	}
	// Retain may have shrunk since the last run.
	if err := s.write(func(tx *sql.Tx) error {
		_, err := tx.Stmt(s.prune).Exec(s.opts.Retain)
		return err
	}); err != nil {
		return s.fail("prune", err)
	}
	return nil
}

// createSchema creates what is missing and returns the schema version
// the file holds.
func (s *Store) createSchema() (string, error) {
	var v string
	err := s.write(func(tx *sql.Tx) error {
		if _, err := tx.Exec(schema); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT OR IGNORE INTO history_meta (key, value) VALUES ('schema_version', ?)`, strconv.Itoa(schemaVersion)); err != nil {
			return err
		}
		return tx.QueryRow(`SELECT value FROM history_meta WHERE key = 'schema_version'`).Scan(&v)
	})
	return v, err
}

// fail describes err from step. Errors that blame the file (corrupt, not
// a database, or a generic SQL error, which at these steps means history
// tables of another layout) wrap ErrUnusable; others (locked, read-only,
// disk full) are returned as they are.
func (s *Store) fail(step string, err error) error {
	var se *sqlite.Error
	if !errors.Is(err, ErrUnusable) && errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_ERROR:
			return fmt.Errorf("open history database %s: %w: %s: %w", s.path, ErrUnusable, step, err)
		}
	}
	return fmt.Errorf("open history database %s: %s: %w", s.path, step, err)
}

// quickCheck runs PRAGMA quick_check on table and its indexes only,
// leaving the capture store's tables to it.
func quickCheck(db *sql.DB, table string) error {
	rows, err := db.QueryContext(context.Background(), `PRAGMA quick_check(`+table+`)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" && len(problems) < 3 {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrUnusable, strings.Join(problems, "; "))
	}
	return nil
}

// checkDataDir makes dir (absolute) exist and proves it writable with a
// probe file, so a bad data directory fails with its name rather than
// with a SQLite error about a file in it.
func checkDataDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data directory %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", fmt.Errorf("data directory %s cannot be created: %w", abs, err)
	}
	probe, err := os.CreateTemp(abs, ".hooklab-probe-*")
	if err != nil {
		return "", fmt.Errorf("data directory %s is not writable: %w", abs, err)
	}
	name := probe.Name()
	err = probe.Close()
	if rmErr := os.Remove(name); err == nil {
		err = rmErr
	}
	if err != nil {
		return "", fmt.Errorf("data directory %s is not writable: %w", abs, err)
	}
	return abs, nil
}

// dsn is the connection string for path; every pooled connection runs
// these pragmas, the capture store's: WAL, so readers and the one writer
// (of either store, in any process) do not block each other; NORMAL
// sync, which keeps every commit across a process crash; a generous
// busy_timeout, since capture's group commits hold the write lock often.
// _txlock=immediate takes the write lock when a transaction begins.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_txlock", "immediate")
	name := path
	if strings.ContainsRune(path, '?') {
		// The driver cuts a plain file name at its first '?'; a file: URI
		// can escape it.
		name = "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
	}
	return name + "?" + q.Encode()
}
