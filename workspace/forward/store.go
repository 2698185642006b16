package forward

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hooklab/capture"
)

// Keeping results next to their captures: the forwards table of the
// capture database (schema version 5, forwardSchema in
// capture/sqlite_migrate.go), one row per capture holding its latest
// result. Deleting or clearing captures drops their rows in the
// capture store's own write; rows of captures the store pruned are
// dropped by DropPruned.

// Tx is the write transaction DB.Write runs a function in.
type Tx = capture.Tx

// DB is the database the forwards table lives in (the capture
// database), opened and owned by someone else.
type DB = capture.Shared

// Store reads and writes the forwards table. It is safe for concurrent
// use, and other processes may use the same database.
type Store struct{ db DB }

// NewStore returns the store of the forwards table in db.
func NewStore(db DB) *Store { return &Store{db: db} }

// Put keeps r as the result of forwarding its capture, which arrived at
// captured, in place of an earlier one. A capture no longer stored
// (deleted or pruned while it was being forwarded) gets no row: kept
// reports whether it got one.
func (s *Store) Put(ctx context.Context, r Result, captured time.Time) (kept bool, err error) {
	var head, body []byte
	size, truncated := int64(0), false
	if resp := r.Response; resp != nil {
		head, body, size, truncated = resp.Head, resp.Body, resp.Size, resp.Truncated
		if head == nil {
			head = []byte{}
		}
		if body == nil {
			body = []byte{}
		}
	}
	err = s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO forwards (capture_id, capture_time, url, status, attempts, duration,
			error, time, resp_head, resp_body, resp_size, resp_truncated)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM captures WHERE id = ?)`,
			r.CaptureID, captured.UnixNano(), r.URL, r.Status, r.Attempts, int64(r.Time), r.Err, r.At.UnixNano(),
			head, body, size, truncated, r.CaptureID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		kept = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("keep the forward of capture %s: %w", r.CaptureID, err)
	}
	return kept, nil
}

// Record is a result as kept: with the arrival of its capture.
type Record struct {
	Result   Result
	Captured time.Time
}

// Get returns the latest result of forwarding the capture id, false
// when none is kept. With body, its Response holds the body kept;
// without, the head only (Body nil), for a line that says how it went.
func (s *Store) Get(ctx context.Context, id string, body bool) (Record, bool, error) {
	q := `SELECT capture_time, url, status, attempts, duration, error, time, resp_head, NULL, resp_size, resp_truncated
		FROM forwards WHERE capture_id = ?`
	if body {
		q = `SELECT capture_time, url, status, attempts, duration, error, time, resp_head, resp_body, resp_size, resp_truncated
		FROM forwards WHERE capture_id = ?`
	}
	var (
		captured, dur, at int64
		head, respBody    []byte
		size              int64
		truncated         bool
	)
	r := Result{CaptureID: id}
	err := s.db.Read.QueryRowContext(ctx, q, id).Scan(&captured, &r.URL, &r.Status, &r.Attempts, &dur, &r.Err, &at,
		&head, &respBody, &size, &truncated)
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, fmt.Errorf("read the forward of capture %s: %w", id, err)
	}
	r.Time, r.At = time.Duration(dur), time.Unix(0, at)
	if head != nil {
		r.Response = &Response{Head: head, Size: size, Truncated: truncated}
		if body {
			r.Response.Body = respBody
			if r.Response.Body == nil {
				r.Response.Body = []byte{}
			}
		}
	}
	return Record{Result: r, Captured: time.Unix(0, captured)}, true, nil
}

// DropPruned deletes the rows of captures the capture store pruned
// (deleted, oldest first, to stay within its limits) and returns how
// many it deleted, looking at the rows of the oldest captures first
// (capture.Shared.DropPruned): its cost follows what was pruned, not
// what is kept.
func (s *Store) DropPruned(ctx context.Context) (int, error) {
	n, err := s.db.DropPruned(ctx, "forwards", "capture_time")
	if err != nil {
		return n, fmt.Errorf("drop the forwards of pruned captures: %w", err)
	}
	return n, nil
}
