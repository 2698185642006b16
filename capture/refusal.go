package capture

import (
	"errors"
	"strconv"
	"strings"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// RefusalCause is what a user needs to know of why the store refused a
// capture: the innermost cause of err ("database or disk is full"),
// without the steps wrapped around it, which name a capture that was
// never stored, and without SQLite's result code.
func RefusalCause(err error) string {
	if err == nil {
		return ""
	}
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			break
		}
		err = inner
	}
	msg := err.Error()
	var se *sqlite.Error
	if errors.As(err, &se) {
		// The driver's text is SQLite's, then " (code)", and for a busy
		// database " (SQLITE_BUSY)" after that.
		if i := strings.LastIndex(msg, " ("+strconv.Itoa(se.Code())+")"); i > 0 {
			msg = msg[:i]
		}
	}
	return msg
}

// IsDiskFull reports whether err says the disk (or the database's file
// system) is full.
func IsDiskFull(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return true
	}
	return errors.Is(err, syscall.ENOSPC)
}
