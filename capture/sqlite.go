package capture

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
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DBFileName is the name of the capture database inside the data directory.
const DBFileName = "hooklab.db"

// schemaVersion is the version of the database layout this build writes,
// kept in the meta table.
const schemaVersion = 5

// SQLiteOptions bounds what a SQLiteStore keeps.
type SQLiteOptions struct {
	MaxCaptures  int   // retention: newest N kept; 0 → 100_000
	MaxBodyBytes int64 // retention: total body bytes kept; 0 → 1 GiB

	// noFTS makes the store search without the FTS5 index, as it does
	// when the driver lacks FTS5 or its trigram tokenizer; tests use it to
	// cover that path.
	noFTS bool
	// walSoftLimit and walHardLimit (0: defaultWALSoftLimit and four
	// times the soft limit) and checkpointGap (0: checkpointGap) bound the
	// WAL; idleAfter (0: idleAfter) is when the writer counts as idle.
	// Tests change them.
	walSoftLimit, walHardLimit int64
	checkpointGap, idleAfter   time.Duration
	// watchTicks, when set, drives the watcher instead of a ticker of
	// watchInterval: it looks for other processes' commits once for each
	// value received. Tests send on it; one that never sends keeps the
	// watcher still.
	watchTicks <-chan time.Time
}

// Recovery says that OpenSQLite found an unusable database, moved it
// aside and started a new one.
type Recovery struct {
	MovedTo string // where the old database file now is
	Reason  string // why it could not be used
}

// SQLiteStore is a durable Store and RuleStore in one SQLite database
// (WAL mode, synchronous=NORMAL: a capture whose Add returned survives a
// crash of the process). A single writer goroutine commits queued Adds in
// groups, so Add returns after its capture is committed while many
// senders share one commit. Reads run concurrently on a pool of their
// own. Another process may use the same database at the same time (a
// command line tool next to the window); its commits are reported
// within about a second (watchInterval) as an External change.
//
// Text search (Filter.Text) uses a trigram FTS5 index that the writer
// fills while it has nothing else to do, so a burst of captures is never
// slowed down by it; captures not indexed yet are searched by scanning.
// A body that is not UTF-8 is not searched, only the path and headers of
// its capture, unlike Filter.Match, which lowers its bytes and searches
// them as text.
//
// Times are kept as Unix nanoseconds: they round-trip exactly (as local
// time, without a monotonic reading) between the years 1678 and 2262 and
// are clamped outside; the zero Time round-trips as the zero Time.
// A nil and an empty body are not told apart.
type SQLiteStore struct {
	path string
	opts SQLiteOptions
	fts  bool // the trigram FTS5 index exists and is kept

	wdb   *sql.DB   // the writer's connection and the checkpointer's
	wconn *sql.Conn // owned by the writer goroutine
	ckpt  *checkpointer
	rdb   *sql.DB // the read pool
	stmts writerStmts

	mu     sync.RWMutex // guards closed against sends on reqs
	closed bool
	reqs   chan *writeReq
	done   chan struct{} // closed when the writer has stopped

	changes
	watcher *watcher // reports commits made elsewhere
}

var (
	_ Store     = (*SQLiteStore)(nil)
	_ RuleStore = (*SQLiteStore)(nil)
)

// errClosed is returned by writes after Close.
var errClosed = errors.New("capture store is closed")

// OpenSQLite opens (creating if needed) dir/hooklab.db. A file that is not
// a usable SQLite database (corrupt, not a database, fails `PRAGMA
// quick_check`, schema unusable) is renamed to
// `hooklab.db.corrupt-<20060102T150405>` (also its -wal/-shm files), a new
// one is created, and the returned *Recovery says so (nil when nothing was
// moved). A dir that cannot be created or written returns an error naming
// it.
func OpenSQLite(dir string, opts SQLiteOptions) (*SQLiteStore, *Recovery, error) {
	if opts.MaxCaptures <= 0 {
		opts.MaxCaptures = 100_000
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 30
	}
	if opts.walSoftLimit <= 0 {
		opts.walSoftLimit = defaultWALSoftLimit
	}
	if opts.walHardLimit <= 0 {
		opts.walHardLimit = 4 * opts.walSoftLimit
	}
	if opts.checkpointGap <= 0 {
		opts.checkpointGap = checkpointGap
	}
	if opts.idleAfter <= 0 {
		opts.idleAfter = idleAfter
	}
	if err := registerFunctions(); err != nil {
		return nil, nil, err
	}
	dir, err := checkDataDir(dir)
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, DBFileName)
	s, err := openSQLiteFile(path, opts)
	var bad *unusableError
	if !errors.As(err, &bad) {
		return s, nil, err
	}
	moved, err := moveAside(path, time.Now())
	if err != nil {
		return nil, nil, fmt.Errorf("database %s is unusable (%s) and could not be moved aside: %w", path, bad.reason, err)
	}
	rec := &Recovery{MovedTo: moved, Reason: bad.reason}
	s, err = openSQLiteFile(path, opts)
	if err != nil {
		return nil, rec, err
	}
	return s, rec, nil
}

// checkDataDir makes dir (absolute) exist and proves it writable with a
// probe file, so a bad data directory fails with its name rather than
// with a SQLite error about some file in it.
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

// unusableError marks a database file that must be moved aside: it is
// not a database, is corrupt, or has a layout this build cannot use.
type unusableError struct{ reason string }

func (e *unusableError) Error() string { return e.reason }

// classify turns what failed while opening path into an unusableError
// when the file itself is at fault; other failures (locked, permission,
// disk full) are returned as they are, since moving the file would not
// help and could hide the user's data.
func classify(path, step string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return &unusableError{reason: step + ": " + err.Error()}
		}
	}
	return fmt.Errorf("open capture database %s: %s: %w", path, step, err)
}

// schemaUnusable is classify for steps that only fail with a generic SQL
// error when the tables in the file are not the ones this build made.
func schemaUnusable(path, step string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_ERROR {
		return &unusableError{reason: "schema unusable: " + step + ": " + err.Error()}
	}
	return classify(path, step, err)
}

// moveAside renames path and its -wal and -shm files to
// path.corrupt-<time>, adding a counter when that name is taken.
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".corrupt-" + now.Format("20060102T150405")
	target := base
	for i := 1; ; i++ {
		if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) {
			break
		}
		target = base + "." + strconv.Itoa(i)
	}
	if err := os.Rename(path, target); err != nil {
		return "", err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		err := os.Rename(path+suffix, target+suffix)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return target, err
		}
	}
	return target, nil
}

// dsn returns the connection string for path. Every pooled connection
// runs these pragmas when it opens. synchronous=NORMAL in WAL mode keeps
// every commit across a process crash (the bar for a desktop catcher);
// only an OS crash or power loss can drop the last commits.
func dsn(path string, reader bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "temp_store(MEMORY)")
	if reader {
		q.Add("_pragma", "query_only(1)")
	} else {
		// Commits never checkpoint: the checkpointer does, on its own
		// connection. A WAL grown by a burst is cut back afterwards.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Add("_pragma", "journal_size_limit(67108864)")
		q.Add("_pragma", "cache_size(-16000)")
	}
	name := path
	if strings.ContainsRune(path, '?') {
		// The driver cuts a plain file name at its first '?'; a file: URI
		// can escape it. (Only a plain name is certain to work on
		// Windows, where no file name holds a '?'.)
		name = "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
	}
	return name + "?" + q.Encode()
}

// openSQLiteFile opens the database at path, checks it and starts the
// writer. Failures the file is to blame for come back as *unusableError.
func openSQLiteFile(path string, opts SQLiteOptions) (_ *SQLiteStore, err error) {
	ctx := context.Background()
	s := &SQLiteStore{
		path: path,
		opts: opts,
		reqs: make(chan *writeReq, 1024),
		done: make(chan struct{}),
	}
	defer func() {
		if err != nil {
			s.closeDBs()
		}
	}()
	s.wdb, err = sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open capture database %s: %w", path, err)
	}
	s.wdb.SetMaxOpenConns(2)
	if s.wconn, err = s.wdb.Conn(ctx); err != nil {
		return nil, classify(path, "open", err)
	}
	if err = s.createSchema(ctx); err != nil {
		return nil, err
	}
	if err = quickCheck(ctx, s.wconn); err != nil {
		return nil, classify(path, "quick_check", err)
	}
	if err = s.stmts.prepare(ctx, s.wconn); err != nil {
		return nil, schemaUnusable(path, "prepare", err)
	}
	if s.fts {
		if err = s.stmts.prepareFTS(ctx, s.wconn); err != nil {
			return nil, schemaUnusable(path, "prepare", err)
		}
	}
	s.rdb, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open capture database %s: %w", path, err)
	}
	s.rdb.SetMaxOpenConns(4)
	s.rdb.SetMaxIdleConns(4)
	if err = s.rdb.PingContext(ctx); err != nil {
		return nil, classify(path, "open reader", err)
	}
	ckConn, err := s.wdb.Conn(ctx)
	if err != nil {
		return nil, classify(path, "open checkpointer", err)
	}
	if s.ckpt, err = newCheckpointer(ckConn, opts.walHardLimit, opts.checkpointGap); err != nil {
		ckConn.Close()
		return nil, classify(path, "open checkpointer", err)
	}
	w, err := newWriter(s)
	if err != nil {
		return nil, classify(path, "data_version", err)
	}
	// Limits may have shrunk since the last run.
	if err = w.prune(); err != nil {
		return nil, classify(path, "prune", err)
	}
	go s.ckpt.run()
	go w.run()
	s.watcher = s.watch()
	return s, nil
}

// checkedTables are the tables quickCheck checks, with their indexes:
// all but the search index, which is derived from captures and takes
// 40 times as long to check (7 s against 0.2 s for 100,000 captures
// here).
var checkedTables = []string{"meta", "captures", "rules", "state", "search_skipped"}

// quickCheck runs PRAGMA quick_check on checkedTables and turns any
// finding into an unusableError.
func quickCheck(ctx context.Context, conn *sql.Conn) error {
	var problems []string
	for _, table := range checkedTables {
		rows, err := conn.QueryContext(ctx, `PRAGMA quick_check(`+table+`)`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return err
			}
			if line != "ok" && len(problems) < 3 {
				problems = append(problems, line)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return &unusableError{reason: "quick_check: " + strings.Join(problems, "; ")}
	}
	return nil
}

// schema is the layout of the current version. Version 2 added the
// event and signature columns, version 4 raw_path and head, at the end,
// where migrateV1 and migrateV3 put them (ALTER TABLE … ADD COLUMN), so
// a migrated database and a new one have the same layout; the event
// index is made after migrating, by eventIndex.
const schema = `
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
	resp_body    BLOB,
	event        TEXT NOT NULL DEFAULT '',
	signature    TEXT NOT NULL DEFAULT '',
	raw_path     TEXT NOT NULL DEFAULT '',
	head         BLOB
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
` + linkSchema + forwardSchema

func (s *SQLiteStore) createSchema(ctx context.Context) error {
	c := s.wconn
	if _, err := c.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return classify(s.path, "begin", err)
	}
	err := func() error {
		// Before anything is created or changed: a newer layout may not
		// take this one's statements, and its file must stay as it is.
		if err := refuseNewer(ctx, c, s.path); err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, schema); err != nil {
			return schemaUnusable(s.path, "create tables", err)
		}
		if _, err := c.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)`, strconv.Itoa(schemaVersion)); err != nil {
			return schemaUnusable(s.path, "write schema version", err)
		}
		var v string
		if err := c.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v); err != nil {
			return schemaUnusable(s.path, "read schema version", err)
		}
		n, err := strconv.Atoi(v)
		if err == nil && n == 1 {
			if err := migrateV1(ctx, c); err != nil {
				// Not unusable: the file holds the user's captures and a
				// newer build may well migrate it, so it stays where it is.
				return fmt.Errorf("capture database %s: migrate to schema version 2: %w", s.path, err)
			}
			n = 2
		}
		if err == nil && n == 2 {
			if err := migrateV2(ctx, c); err != nil {
				return fmt.Errorf("capture database %s: migrate to schema version 3: %w", s.path, err)
			}
			n = 3
		}
		if err == nil && n == 3 {
			if err := migrateV3(ctx, c); err != nil {
				return fmt.Errorf("capture database %s: migrate to schema version 4: %w", s.path, err)
			}
			n = 4
		}
		if err == nil && n == 4 {
			if err := migrateV4(ctx, c); err != nil {
				return fmt.Errorf("capture database %s: migrate to schema version 5: %w", s.path, err)
			}
			n = 5
		}
		switch {
		case err != nil || n < schemaVersion:
			return &unusableError{reason: fmt.Sprintf("schema version %q is not %d", v, schemaVersion)}
		case n > schemaVersion:
			// refuseNewer saw it first; kept for a version written
			// between the two reads by another process.
			return &NewerSchemaError{Path: s.path, Version: n, Known: schemaVersion}
		}
		if _, err := c.ExecContext(ctx, eventIndex); err != nil {
			return schemaUnusable(s.path, "create event index", err)
		}
		s.fts = false
		if s.opts.noFTS {
			return nil
		}
		if _, err := c.ExecContext(ctx, ftsSchema); err != nil {
			if msg := err.Error(); strings.Contains(msg, "no such module") || strings.Contains(msg, "no such tokenizer") {
				return nil // searches scan the captures instead
			}
			return schemaUnusable(s.path, "create search index", err)
		}
		s.fts = true
		return nil
	}()
	if err != nil {
		_, _ = c.ExecContext(ctx, `ROLLBACK`)
		return err
	}
	if _, err := c.ExecContext(ctx, `COMMIT`); err != nil {
		return classify(s.path, "commit schema", err)
	}
	return nil
}

// Close commits the Adds already queued, stops the writer and closes the
// database. Writes after Close fail.
func (s *SQLiteStore) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.reqs)
	s.mu.Unlock()
	<-s.done
	s.watcher.stop()
	s.ckpt.stop()
	return s.closeDBs()
}

func (s *SQLiteStore) closeDBs() error {
	var errs []error
	s.stmts.close()
	if s.ckpt != nil {
		errs = append(errs, s.ckpt.conn.Close())
	}
	if s.wconn != nil {
		errs = append(errs, s.wconn.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	return errors.Join(errs...)
}
