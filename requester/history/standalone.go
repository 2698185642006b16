package history

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	_ "modernc.org/sqlite" // the driver Open uses
)

// DBFileName is the database file Open opens inside its directory: the
// capture store's, capture.DBFileName, named here without importing
// capture.
const DBFileName = "hooklab.db"

// Open opens a history of its own in dir/hooklab.db, with a pool of its
// own, for a caller that has no capture store to share the database
// with (the window's tests, today). It does none of the capture store's
// checks of the directory and the file. The app builds its history with
// New on the capture store's database instead (package workspace).
//
// Deprecated: use New on the database's owner; Open goes once its last
// caller has moved.
func Open(dir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("history directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFileName)
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open history in %s: %w", path, err)
	}
	var mu sync.Mutex
	write := func(ctx context.Context, fn func(context.Context, Tx) error) error {
		mu.Lock()
		defer mu.Unlock()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(ctx, tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	s, err := New(DB{Name: path, Read: db, Write: write}, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.owned = db
	return s, nil
}
