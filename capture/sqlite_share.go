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
