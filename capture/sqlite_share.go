package capture

import (
	"context"
	"database/sql"
)

// Sharing the database. The request history lives in the captures'
// database file, in tables of its own. Rather than open the file again
// with pools of its own, whose writes would fight the writer's group
// commits for the write lock, it reads on the store's read pool and
// writes through the store's writer, between two commits of captures.

// Tx is a write transaction WriteTx runs a function in.
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ReadDB returns the store's read pool, for reading other tables of its
// database. Its connections are read-only (PRAGMA query_only); write
// with WriteTx. The store closes it.
func (s *SQLiteStore) ReadDB() *sql.DB { return s.rdb }

// Path returns the database file's path.
func (s *SQLiteStore) Path() string { return s.path }

// WriteTx runs fn in a write transaction of the store's writer and
// commits it when fn returns nil; otherwise it rolls back and returns
// fn's error. Writes of WriteTx and of the store happen one at a time,
// in the order they were asked for. fn runs on the writer's goroutine,
// so it must not call the store; while it runs, no capture is
// committed. When ctx has ended before the writer gets to fn, fn does
// not run and ctx's error is returned; once fn runs, the context it is
// given carries ctx's values but no longer ends with it, so a statement
// is never interrupted half way on the writer's connection. After Close
// WriteTx returns an error.
func (s *SQLiteStore) WriteTx(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error {
	return s.do(func(w *writer) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := w.tx(func() error { return fn(context.WithoutCancel(ctx), w.conn) })
		if err == nil {
			w.wrote()
		}
		return err
	})
}

// Shared is the database as the tables kept next to the captures use
// it (the link tables, the forwards table): reads on the store's read
// pool, writes through its writer. A test may build one over any store.
type Shared struct {
	Read  *sql.DB
	Write func(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
}

// Shared returns the store's database for the tables kept next to its
// captures.
func (s *SQLiteStore) Shared() Shared {
	return Shared{Read: s.rdb, Write: s.WriteTx}
}

// DropStep is how many rows Shared.DropPruned looks at in one write.
const DropStep = 256

// DropPruned deletes the rows of table whose capture (column capture_id)
// the store pruned, deleted oldest first to stay within its limits, and
// returns how many it deleted. It looks at the rows in the order of
// column order (the order their captures arrived), DropStep at a time
// in one write each, and stops at a step that found a capture still
// kept: its cost follows what was pruned, not what is kept. table and
// order are names written by the caller, never input.
func (d Shared) DropPruned(ctx context.Context, table, order string) (int, error) {
	dropped := 0
	for {
		n, more, err := d.dropPrunedStep(ctx, table, order)
		dropped += n
		if err != nil || !more {
			return dropped, err
		}
	}
}

func (d Shared) dropPrunedStep(ctx context.Context, table, order string) (n int, more bool, err error) {
	err = d.Write(ctx, func(ctx context.Context, tx Tx) error {
		n, more = 0, false
		rows, err := tx.QueryContext(ctx, `SELECT t.rowid, c.seq IS NULL FROM `+table+` t
			LEFT JOIN captures c ON c.id = t.capture_id ORDER BY t.`+order+` LIMIT ?`, DropStep)
		if err != nil {
			return err
		}
		var gone []int64
		seen := 0
		for rows.Next() {
			var row int64
			var isGone bool
			if err := rows.Scan(&row, &isGone); err != nil {
				rows.Close()
				return err
			}
			seen++
			if isGone {
				gone = append(gone, row)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, row := range gone {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE rowid = ?`, row); err != nil {
				return err
			}
		}
		n, more = len(gone), seen == DropStep && len(gone) == seen
		return nil
	})
	return n, more, err
}
