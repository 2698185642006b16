package capture

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrCorrupt is what CheckDatabase wraps when the capture database
// cannot be read.
var ErrCorrupt = errors.New("the capture database is corrupt")

// CheckDatabase tells whether the capture database in dir can be read,
// changing nothing: it opens the file read-only and runs the checks
// OpenSQLite runs, which would move an unusable database aside and start
// a new one. A reader (`hooklab export`) asks first, so that it never
// modifies what it reads. It returns nil when the database reads or there
// is none, an error wrapping ErrCorrupt when it is corrupt or not a
// database, and nil too when it cannot tell (another process holding the
// file in a way a read-only connection cannot join): OpenSQLite decides
// then.
func CheckDatabase(dir string) error {
	path := filepath.Join(dir, DBFileName)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("capture database %s: %w", path, err)
	}
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	f.Close()
	switch {
	case n == 0:
		return nil // an empty file is a database not yet written
	case err != nil || !bytes.Equal(head, []byte("SQLite format 3\x00")):
		return fmt.Errorf("%w: %s is not a SQLite database", ErrCorrupt, path)
	}
	if err := registerFunctions(); err != nil {
		return err
	}
	q := url.Values{}
	q.Add("mode", "ro")
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		// Nothing in a WAL to read: the file alone is the database, and
		// an immutable connection makes no -wal or -shm file beside it.
		q.Add("immutable", "1")
	}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err == nil {
		err = checkOurs(ctx, conn)
		if err == nil {
			err = quickCheck(ctx, conn)
		}
		conn.Close()
	}
	var bad *unusableError
	var se *sqlite.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &bad):
		return fmt.Errorf("%w: %s: %s", ErrCorrupt, path, bad.reason)
	case errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_CORRUPT || se.Code()&0xff == sqlite3.SQLITE_NOTADB):
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	return nil
}

// checkOurs fails with an unusableError when the file holds a captures
// table but no meta table: tables some other program made, which
// OpenSQLite would move aside.
func checkOurs(ctx context.Context, conn *sql.Conn) error {
	var meta, captures int
	err := conn.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE name = 'meta'), count(*) FILTER (WHERE name = 'captures')
		FROM sqlite_master WHERE type = 'table'`).Scan(&meta, &captures)
	if err != nil {
		return err
	}
	if captures > 0 && meta == 0 {
		return &unusableError{reason: "schema unusable: its captures table is not Hooklab's"}
	}
	return nil
}
