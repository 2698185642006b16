package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Tx is the write transaction DB.Write runs a function in.
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is the database the history lives in, opened and owned by someone
// else: the capture store, whose file holds the history's tables beside
// the captures. History reads on the owner's pool and writes through
// the owner's writer, so that in one process a single writer takes the
// database's write lock. Closing the history leaves DB open.
type DB struct {
	// Name names the database in errors: its file's path.
	Name string
	// Read is a pool for reads; it may refuse writes.
	Read *sql.DB
	// Write runs fn in a write transaction, one at a time with every
	// other write of the owner, and commits it when fn returns nil;
	// otherwise it rolls back and returns fn's error.
	Write func(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
}

// schemaVersion is the layout of the history tables this build writes,
// kept in history_meta apart from the capture store's version.
// Version 2 added history_secrets; version 3 the head as sent
// (history.sent_head, history_secrets.head). Older databases are
// upgraded when opened.
const schemaVersion = 3

// ErrUnusable is wrapped by New's error when the history tables are not
// the ones this build makes (another layout, or a version it does not
// know as older), or fail PRAGMA quick_check. They are left as they
// are.
var ErrUnusable = errors.New("the history tables are corrupt or not Hooklab's")

// The layout of version 3. history holds each entry with its secrets
// masked (see Mask); history_secrets holds, for an entry that had any,
// the request as edited and the head as sent, unmasked, which only
// Unmasked reads: the list, search, the headers and head as sent and
// exports never see a secret. sent_head is NULL for an entry without a
// head, and secrets' head NULL when the head held no secret. search holds the lowered name, method, URL
// and status that queries match; duration is Timings.Total and
// resp_size the full response body size, so List reads no blob. The
// index gives List its order and lets a query skip non-matching entries
// without reading their rows (4 times faster over 5,000 entries).
// AUTOINCREMENT keeps an id from being given out twice, even after
// Clear.
const (
	schemaTables = `
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
	timings     BLOB NOT NULL,
	sent_head   TEXT
);
CREATE TABLE IF NOT EXISTS history_secrets (
	id      INTEGER PRIMARY KEY,
	request BLOB NOT NULL,
	head    TEXT
);`
	schemaIndex = `CREATE INDEX IF NOT EXISTS history_time_search ON history (time, search);`
)

// columns are the columns of the history table, in schemaTables' order.
var columns = []string{"id", "time", "name", "method", "url", "status", "duration", "resp_size", "err", "search",
	"request", "sent_header", "sent_body", "sent_size", "status_text", "proto", "remote_addr",
	"resp_header", "resp_body", "truncated", "timings", "sent_head"}

// columnsV2 are the columns of versions 1 and 2, which lack sent_head.
var columnsV2 = columns[:len(columns)-1]

// Statements of Add and of opening.
const (
	insertSQL = `INSERT INTO history (time, name, method, url, status, duration, resp_size, err, search,
			request, sent_header, sent_body, sent_size,
			status_text, proto, remote_addr, resp_header, resp_body, truncated, timings, sent_head)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	// Everything after the newest Retain, in List's order.
	pruneSQL = `DELETE FROM history WHERE id IN
			(SELECT id FROM history ORDER BY time DESC, id DESC LIMIT -1 OFFSET ?)`
	// The secrets of entries no longer kept.
	pruneSecretsSQL = `DELETE FROM history_secrets WHERE id NOT IN (SELECT id FROM history)`
	getSQL          = `SELECT id, time, name, method, url, status, duration, resp_size, err,
			request, sent_header, sent_body, sent_size,
			status_text, proto, remote_addr, resp_header, resp_body, truncated, timings, sent_head
			FROM history WHERE id = ?`
)

// New opens the history in db, creating its tables as needed, and drops
// the oldest entries beyond opts.Retain. Errors name the database;
// tables that cannot be used wrap ErrUnusable.
func New(db DB, opts Options) (*Store, error) {
	if opts.Retain <= 0 {
		opts.Retain = DefaultRetain
	}
	if opts.BodyCap <= 0 {
		opts.BodyCap = DefaultBodyCap
	}
	s := &Store{db: db, opts: opts}
	if err := s.open(context.Background()); err != nil {
		s.closeStmts()
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context) error {
	v, err := s.createSchema(ctx)
	if err != nil {
		return err
	}
	switch n, err := strconv.Atoi(v); {
	case err != nil || n < schemaVersion:
		return fmt.Errorf("open history in %s: %w: history schema version %q", s.db.Name, ErrUnusable, v)
	case n > schemaVersion:
		// Written by a newer Hooklab: the data is fine and stays untouched.
		return fmt.Errorf("history in %s has schema version %d; this Hooklab reads version %d: use a newer Hooklab or another data directory", s.db.Name, n, schemaVersion)
	}
	for _, table := range []string{"history_meta", "history"} {
		if err := quickCheck(ctx, s.db.Read, table); err != nil {
			return s.fail("quick_check", err)
		}
	}
	if s.get, err = s.db.Read.PrepareContext(ctx, getSQL); err != nil {
		return s.fail("prepare", err)
	}
	// Retain may have shrunk since the last run.
	if err := s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		return prune(ctx, tx, s.opts.Retain)
	}); err != nil {
		return s.fail("prune", err)
	}
	return nil
}

// createSchema creates what is missing and returns the schema version
// the database holds. A history table of another layout is refused
// before anything is added to it.
func (s *Store) createSchema(ctx context.Context) (string, error) {
	var v string
	step := "begin"
	err := s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		step = "read schema version"
		// A newer layout is left exactly as it is: nothing is created.
		var have string
		err := tx.QueryRowContext(ctx, `SELECT value FROM history_meta WHERE key = 'schema_version'`).Scan(&have)
		if err == nil {
			if n, err := strconv.Atoi(have); err == nil && n > schemaVersion {
				v = have
				return nil
			}
		}
		step = "create tables"
		if _, err := tx.ExecContext(ctx, schemaTables); err != nil {
			return err
		}
		if have == "1" || have == "2" {
			// The head as sent was added by version 3: older entries
			// have none, and fall back to their header map.
			step = "upgrade to version 3"
			if err := addHeadColumns(ctx, tx); err != nil {
				return err
			}
		}
		step = "create tables"
		if err := checkColumns(ctx, tx); err != nil {
			return err
		}
		step = "create index"
		if _, err := tx.ExecContext(ctx, schemaIndex); err != nil {
			return err
		}
		step = "write schema version"
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO history_meta (key, value) VALUES ('schema_version', ?)`, strconv.Itoa(schemaVersion)); err != nil {
			return err
		}
		step = "read schema version"
		if err := tx.QueryRowContext(ctx, `SELECT value FROM history_meta WHERE key = 'schema_version'`).Scan(&v); err != nil {
			return err
		}
		if v == "1" {
			// Version 1 lacks history_secrets, made above. Its entries
			// were kept unmasked: they are masked now.
			step = "upgrade from version 1"
			if err := maskExisting(ctx, tx); err != nil {
				return err
			}
		}
		if v == "1" || v == "2" {
			step = "upgrade to version 3"
			v = strconv.Itoa(schemaVersion)
			_, err := tx.ExecContext(ctx, `UPDATE history_meta SET value = ? WHERE key = 'schema_version'`, v)
			return err
		}
		return nil
	})
	if err != nil {
		return "", s.fail(step, err)
	}
	return v, nil
}

// checkColumns returns an ErrUnusable error unless the history table
// has the columns this build makes: a table of that name made by
// something else is not written to.
func checkColumns(ctx context.Context, tx Tx) error {
	have, err := tableColumns(ctx, tx, "history")
	if err != nil {
		return err
	}
	if !slices.Equal(have, columns) {
		return fmt.Errorf("%w: the history table has the columns (%s)", ErrUnusable, strings.Join(have, ", "))
	}
	return nil
}

// addHeadColumns adds the columns of the head as sent to the tables of
// a version 1 or 2 history. A history table of another layout is left
// for checkColumns to refuse; history_secrets, made by version 2, or
// just now with its head column, gets it when it lacks it.
func addHeadColumns(ctx context.Context, tx Tx) error {
	have, err := tableColumns(ctx, tx, "history")
	if err != nil {
		return err
	}
	if slices.Equal(have, columnsV2) {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE history ADD COLUMN sent_head TEXT`); err != nil {
			return err
		}
	}
	if have, err = tableColumns(ctx, tx, "history_secrets"); err != nil {
		return err
	}
	if slices.Equal(have, []string{"id", "request"}) {
		_, err = tx.ExecContext(ctx, `ALTER TABLE history_secrets ADD COLUMN head TEXT`)
	}
	return err
}

// tableColumns lists the columns of table, in order.
func tableColumns(ctx context.Context, tx Tx, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var have []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		have = append(have, name)
	}
	return have, rows.Err()
}

// fail says which step of opening failed, naming the database.
func (s *Store) fail(step string, err error) error {
	return fmt.Errorf("open history in %s: %s: %w", s.db.Name, step, err)
}

// quickCheck runs PRAGMA quick_check on table and its indexes only,
// leaving the capture store's tables to it.
func quickCheck(ctx context.Context, db *sql.DB, table string) error {
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check(`+table+`)`)
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
