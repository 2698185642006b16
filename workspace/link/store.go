package link

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hooklab/capture"
)

// Window is how long a capture's identifiers are kept for a response
// recorded after the capture arrived (the sandbox can deliver a webhook
// before the client has read the whole response). Only captures that
// arrived after the request was sent are linked that way; the window
// bounds the table the lookup reads, whatever the number of captures.
const Window = 10 * time.Minute

// Tx is the write transaction DB.Write runs a function in.
type Tx = capture.Tx

// DB is the database the link tables live in (the capture database,
// whose schema makes them: capture/sqlite_migrate.go's linkSchema),
// opened and owned by someone else, as for the request history.
type DB = capture.Shared

// Request is what a link keeps of the request that caused a capture.
type Request struct {
	ID     int64 // the history entry's id
	Time   time.Time
	Method string
	URL    string
	Status int
}

// Link ties a capture to the request that caused it.
type Link struct {
	CaptureID   string
	CaptureTime time.Time
	Request     Request
	// SharedID is the identifier the response and the capture share.
	SharedID string
}

// Capture is a capture to link: its id, when it arrived, and
// Identifiers of it.
type Capture struct {
	ID   string
	Time time.Time
	IDs  []string
}

// Store reads and writes the link tables. It is safe for concurrent
// use, and other processes may use the same database: every write is
// one transaction of the database's one writer, so a capture indexed
// while a response is indexed is linked by whichever comes second.
type Store struct{ db DB }

// New returns the store of the link tables in db.
func New(db DB) *Store { return &Store{db: db} }

// IndexRequest records the identifiers of r's response, so that a
// capture sharing one links to r, and links the captures that arrived
// since r was sent, within Window before now, that share one and have
// no cause yet. It returns the links it made.
func (s *Store) IndexRequest(ctx context.Context, r Request, ids []string, now time.Time) ([]Link, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var made []Link
	err := s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		made = made[:0]
		at := r.Time.UnixNano()
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO link_requests (ident, request_id, time, method, url, status) VALUES (?, ?, ?, ?, ?, ?)`,
				id, r.ID, at, r.Method, r.URL, r.Status); err != nil {
				return err
			}
		}
		since := max(at, now.Add(-Window).UnixNano())
		linked := map[string]bool{}
		for _, id := range ids {
			rows, err := tx.QueryContext(ctx, `SELECT c.capture_id, c.time FROM link_captures c
				WHERE c.ident = ? AND c.time >= ? AND NOT EXISTS (SELECT 1 FROM links l WHERE l.capture_id = c.capture_id)`, id, since)
			if err != nil {
				return err
			}
			var found []Link
			for rows.Next() {
				var capID string
				var t int64
				if err := rows.Scan(&capID, &t); err != nil {
					rows.Close()
					return err
				}
				if !linked[capID] {
					linked[capID] = true
					found = append(found, Link{CaptureID: capID, CaptureTime: time.Unix(0, t), Request: r, SharedID: id})
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, l := range found {
				if err := insertLink(ctx, tx, l); err != nil {
					return err
				}
			}
			made = append(made, found...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index the identifiers of request %d: %w", r.ID, err)
	}
	return made, nil
}

// candidate is the most recent request before a capture found under one
// identifier; unique when no other request before the capture has it.
type candidate struct {
	req    Request
	shared string
	unique bool
}

// LinkCaptures records the identifiers of captures (for responses
// recorded later, see IndexRequest), drops those older than Window
// before now, and links each capture to its cause: of the requests sent
// before the capture whose responses share an identifier with it, the
// most recent one; an identifier only one request had (a payment's id)
// is preferred to one several had (a customer's). Each identifier costs
// one lookup in an index, whatever the size of the history. It returns
// the links it made.
func (s *Store) LinkCaptures(ctx context.Context, cs []Capture, now time.Time) ([]Link, error) {
	var made []Link
	err := s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		made = made[:0]
		if _, err := tx.ExecContext(ctx, `DELETE FROM link_captures WHERE time < ?`, now.Add(-Window).UnixNano()); err != nil {
			return err
		}
		for _, c := range cs {
			at := c.Time.UnixNano()
			var best *candidate
			for _, id := range c.IDs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO link_captures (ident, capture_id, time) VALUES (?, ?, ?)`, id, c.ID, at); err != nil {
					return err
				}
				cand, ok, err := lookup(ctx, tx, id, at)
				if err != nil {
					return err
				}
				if ok && better(cand, best) {
					best = &cand
				}
			}
			if best == nil {
				continue
			}
			l := Link{CaptureID: c.ID, CaptureTime: c.Time, Request: best.req, SharedID: best.shared}
			if err := insertLink(ctx, tx, l); err != nil {
				return err
			}
			made = append(made, l)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("link captures: %w", err)
	}
	return made, nil
}

// lookup finds the most recent request sent at or before at whose
// response had id.
func lookup(ctx context.Context, tx Tx, id string, at int64) (candidate, bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT request_id, time, method, url, status FROM link_requests
		WHERE ident = ? AND time <= ? ORDER BY time DESC, request_id DESC LIMIT 2`, id, at)
	if err != nil {
		return candidate{}, false, err
	}
	defer rows.Close()
	var c candidate
	n := 0
	for rows.Next() {
		n++
		if n > 1 {
			continue
		}
		var t int64
		if err := rows.Scan(&c.req.ID, &t, &c.req.Method, &c.req.URL, &c.req.Status); err != nil {
			return candidate{}, false, err
		}
		c.req.Time = time.Unix(0, t)
	}
	c.shared, c.unique = id, n == 1
	return c, n > 0, rows.Err()
}

// better reports whether c is a better cause than best: unique over
// shared, then more recent.
func better(c candidate, best *candidate) bool {
	switch {
	case best == nil:
		return true
	case c.unique != best.unique:
		return c.unique
	case !c.req.Time.Equal(best.req.Time):
		return c.req.Time.After(best.req.Time)
	}
	return c.req.ID > best.req.ID
}

func insertLink(ctx context.Context, tx Tx, l Link) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO links (capture_id, capture_time, request_id, request_time, method, url, status, shared_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.CaptureID, l.CaptureTime.UnixNano(), l.Request.ID, l.Request.Time.UnixNano(),
		l.Request.Method, l.Request.URL, l.Request.Status, l.SharedID)
	return err
}

// CausedBy returns the link of the capture id, and false when it has
// none.
func (s *Store) CausedBy(ctx context.Context, captureID string) (Link, bool, error) {
	l := Link{CaptureID: captureID}
	var ct, rt int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT capture_time, request_id, request_time, method, url, status, shared_id
		FROM links WHERE capture_id = ?`, captureID).Scan(&ct, &l.Request.ID, &rt, &l.Request.Method, &l.Request.URL, &l.Request.Status, &l.SharedID)
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, false, nil
	}
	if err != nil {
		return Link{}, false, fmt.Errorf("the cause of capture %s: %w", captureID, err)
	}
	l.CaptureTime, l.Request.Time = time.Unix(0, ct), time.Unix(0, rt)
	return l, true, nil
}

// causedByChunk bounds the ids of one CausedByAll query (SQLite's
// limit on parameters is far above it).
const causedByChunk = 500

// CausedByAll returns the links of the captures ids that have one, by
// capture id: CausedBy for many captures, in a query per 500 of them.
func (s *Store) CausedByAll(ctx context.Context, ids []string) (map[string]Link, error) {
	out := make(map[string]Link, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), causedByChunk)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.db.Read.QueryContext(ctx, `SELECT capture_id, capture_time, request_id, request_time, method, url, status, shared_id
			FROM links WHERE capture_id IN (?`+strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("the causes of %d captures: %w", len(chunk), err)
		}
		for rows.Next() {
			var l Link
			var ct, rt int64
			if err := rows.Scan(&l.CaptureID, &ct, &l.Request.ID, &rt, &l.Request.Method, &l.Request.URL, &l.Request.Status, &l.SharedID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("the causes of %d captures: %w", len(chunk), err)
			}
			l.CaptureTime, l.Request.Time = time.Unix(0, ct), time.Unix(0, rt)
			out[l.CaptureID] = l
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("the causes of %d captures: %w", len(chunk), err)
		}
	}
	return out, nil
}

// Caused returns the ids of the captures the request requestID caused,
// in the order they arrived.
func (s *Store) Caused(ctx context.Context, requestID int64) ([]string, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT capture_id FROM links WHERE request_id = ? ORDER BY capture_time, capture_id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("the captures request %d caused: %w", requestID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ForgetRequests drops the identifiers of the requests ids (deleted
// from history), so no capture links to them any more; with no ids, of
// every request. Links already made stay: they say what caused a
// capture, and keep the method, URL and status to show it.
func (s *Store) ForgetRequests(ctx context.Context, ids ...int64) error {
	return s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		if len(ids) == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM link_requests`)
			return err
		}
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM link_requests WHERE request_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
		return err
	})
}
