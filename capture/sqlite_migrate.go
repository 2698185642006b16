package capture

import (
	"context"
	"database/sql"
	"fmt"
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
