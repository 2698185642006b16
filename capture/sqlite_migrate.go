package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Schema migrations, run by createSchema inside its write transaction:
// a database made by an older Hooklab is brought up to schemaVersion,
// keeping every capture, and a failure rolls the whole of it back.

// eventIndex serves Filter.Event without reading rows, whose event
// column comes after the bodies.
const eventIndex = `CREATE INDEX IF NOT EXISTS captures_event ON captures (event COLLATE NOCASE)`

// migrateV1 adds version 2's columns and works out the event type of
// every capture already kept (the catcher does it as a capture arrives
// from now on). Captures kept before have no signature verdict: none was
// asked for when they arrived.
func migrateV1(ctx context.Context, c *sql.Conn) error {
	for _, q := range []string{
		`ALTER TABLE captures ADD COLUMN event TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE captures ADD COLUMN signature TEXT NOT NULL DEFAULT ''`,
	} {
		if _, err := c.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	type found struct {
		seq   int64
		event string
	}
	var events []found
	rows, err := c.QueryContext(ctx, `SELECT seq, header, body FROM captures`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var seq int64
		var header, body []byte
		if err := rows.Scan(&seq, &header, &body); err != nil {
			rows.Close()
			return err
		}
		h, err := decodeHeader(header)
		if err != nil {
			rows.Close()
			return fmt.Errorf("capture seq %d: header: %w", seq, err)
		}
		if ev := EventType(&Capture{Header: h, Body: body}); ev != "" {
			events = append(events, found{seq, ev})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range events {
		if _, err := c.ExecContext(ctx, `UPDATE captures SET event = ? WHERE seq = ?`, f.event, f.seq); err != nil {
			return err
		}
	}
	_, err = c.ExecContext(ctx, `UPDATE meta SET value = '2' WHERE key = 'schema_version'`)
	return err
}

// linkSchema holds the tables of version 3, which tie webhooks to the
// requests that caused them (hooklab/workspace/link reads and writes
// them through ReadDB and WriteTx; the layout lives here, with the
// database's version). All times are Unix nanoseconds.
//
//   - link_requests: each identifier found in a response, with the
//     history entry it came from, looked up by identifier and time;
//   - link_captures: each identifier found in a capture, looked up by
//     identifier and time when a response is indexed after its webhook
//     arrived, and dropped by time once too old for that;
//   - links: a capture's cause, with what a list shows of it.
//
// The schema creates them on every open (IF NOT EXISTS), so a version 2
// database gets them there; migrateV2 only records the version.
const linkSchema = `
CREATE TABLE IF NOT EXISTS link_requests (
	ident      TEXT NOT NULL,
	request_id INTEGER NOT NULL,
	time       INTEGER NOT NULL,
	method     TEXT NOT NULL,
	url        TEXT NOT NULL,
	status     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS link_requests_ident ON link_requests (ident, time);
CREATE INDEX IF NOT EXISTS link_requests_request ON link_requests (request_id);
CREATE TABLE IF NOT EXISTS link_captures (
	ident      TEXT NOT NULL,
	capture_id TEXT NOT NULL,
	time       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS link_captures_ident ON link_captures (ident, time);
CREATE INDEX IF NOT EXISTS link_captures_time ON link_captures (time);
CREATE TABLE IF NOT EXISTS links (
	capture_id   TEXT PRIMARY KEY,
	capture_time INTEGER NOT NULL,
	request_id   INTEGER NOT NULL,
	request_time INTEGER NOT NULL,
	method       TEXT NOT NULL,
	url          TEXT NOT NULL,
	status       INTEGER NOT NULL,
	shared_id    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS links_request ON links (request_id, capture_time);
`

// migrateV2 records version 3: its tables were made by the schema.
func migrateV2(ctx context.Context, c *sql.Conn) error {
	_, err := c.ExecContext(ctx, `UPDATE meta SET value = '3' WHERE key = 'schema_version'`)
	return err
}

// migrateV3 adds version 4's columns: the path as it was received
// (raw_path) and the request line and header lines as they arrived
// (head). Captures kept before have neither (” and NULL): the bytes
// are gone, and readers fall back to the decoded path and the header map.
func migrateV3(ctx context.Context, c *sql.Conn) error {
	for _, q := range []string{
		`ALTER TABLE captures ADD COLUMN raw_path TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE captures ADD COLUMN head BLOB`,
		`UPDATE meta SET value = '4' WHERE key = 'schema_version'`,
	} {
		if _, err := c.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// forwardSchema holds the table of version 5, how forwarding each
// capture to its endpoint's URL went (hooklab/workspace/forward reads
// and writes it through ReadDB and WriteTx; the layout lives here, with
// the database's version). One row per capture: the latest result, a
// Retry's replacing the one before. Times are Unix nanoseconds;
// capture_time is the capture's arrival, by which the rows of pruned
// captures are found (forwards_capture_time).
//
//   - status: the target's answer, 0 without one; error: why it was not
//     delivered, "" when status came back;
//   - resp_head: the target's status line and header lines as they were
//     received (order, case; CRLF line ends, no blank line after them),
//     NULL without an answer;
//   - resp_body: the start of its body, at most forward.MaxBody bytes;
//     resp_size its size when known (-1 when not: no Content-Length and
//     more than what was read), resp_truncated set when resp_body holds
//     less than all of it.
//
// The schema creates it on every open (IF NOT EXISTS), so a version 4
// database gets it there; migrateV4 only records the version. Deleting
// or clearing captures drops their rows in the same write.
const forwardSchema = `
CREATE TABLE IF NOT EXISTS forwards (
	capture_id     TEXT PRIMARY KEY,
	capture_time   INTEGER NOT NULL,
	url            TEXT NOT NULL,
	status         INTEGER NOT NULL,
	attempts       INTEGER NOT NULL,
	duration       INTEGER NOT NULL,
	error          TEXT NOT NULL,
	time           INTEGER NOT NULL,
	resp_head      BLOB,
	resp_body      BLOB,
	resp_size      INTEGER NOT NULL,
	resp_truncated INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS forwards_capture_time ON forwards (capture_time);
`

// migrateV4 records version 5: its table was made by the schema.
func migrateV4(ctx context.Context, c *sql.Conn) error {
	_, err := c.ExecContext(ctx, `UPDATE meta SET value = '5' WHERE key = 'schema_version'`)
	return err
}

// NewerSchemaError is OpenSQLite's answer for a database written by a
// newer Hooklab: its file is left exactly as it was.
type NewerSchemaError struct {
	Path    string
	Version int // the database's schema version
	Known   int // the newest this build knows
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("capture database %s was made by a newer Hooklab (schema %d); this one knows up to %d: "+
		"use that Hooklab, or start this one with another --data-dir", e.Path, e.Version, e.Known)
}

// refuseNewer returns a *NewerSchemaError when the database on c says
// it has a schema newer than this build's, and nil for a new, older or
// current one. It only reads.
func refuseNewer(ctx context.Context, c *sql.Conn, path string) error {
	var v string
	err := c.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil && strings.Contains(err.Error(), "no such table"):
		return nil // a new database, or not one of ours: the schema step says
	case err != nil:
		return classify(path, "read schema version", err)
	}
	if n, err := strconv.Atoi(v); err == nil && n > schemaVersion {
		return &NewerSchemaError{Path: path, Version: n, Known: schemaVersion}
	}
	return nil
}
