package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
)

// Defaults for the zero Options.
const (
	DefaultRetain  = 5000
	DefaultBodyCap = 1 << 20
)

// Options bound what a Store keeps.
type Options struct {
	Retain  int // newest entries kept; 0 → DefaultRetain
	BodyCap int // bytes kept of each sent and each received body; 0 → DefaultBodyCap
}

var (
	// ErrNotFound is returned for an id the history does not hold.
	ErrNotFound = errors.New("history entry not found")
	// ErrClosed is returned by every method but Close after Close.
	ErrClosed = errors.New("history store is closed")
)

// Store is the request history in SQLite, in a database another store
// owns (see DB). It is safe for concurrent use, and another process may
// use the same database at the same time; Changed does not hear of that
// process's writes.
//
// Times are kept as Unix nanoseconds and come back as local time without
// a monotonic reading. A nil and an empty body or header are not told
// apart.
type Store struct {
	db     DB
	opts   Options
	closed atomic.Bool
	get    *sql.Stmt // on db.Read

}

// Close stops the store: every method but Close fails with ErrClosed
// from then on. The database stays open; its owner closes it, after the
// history. Close is safe to call more than once.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return s.closeStmts()
}

func (s *Store) closeStmts() error {
	if s.get != nil {
		return s.get.Close()
	}
	return nil
}

// Add keeps e under a new id, which it returns, and drops the oldest
// entries beyond Retain. A zero Time is stamped with the current time.
// Bodies longer than BodyCap are cut; a zero SentSize or RespSize is
// taken as the full length of the body given.
func (s *Store) Add(e Entry) (int64, error) {
	sum, err := s.Record(context.Background(), e)
	return sum.ID, err
}

// Record keeps e as Add does and returns its summary, as List shows it.
// When ctx has ended before the write began, nothing is kept and the
// error wraps ctx's.
func (s *Store) Record(ctx context.Context, e Entry) (Summary, error) {
	if s.closed.Load() {
		return Summary{}, ErrClosed
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.SentSize = max(e.SentSize, int64(len(e.SentBody)))
	e.RespSize = max(e.RespSize, int64(len(e.RespBody)))
	if len(e.SentBody) > s.opts.BodyCap {
		e.SentBody = e.SentBody[:s.opts.BodyCap]
	}
	if len(e.RespBody) > s.opts.BodyCap {
		e.RespBody = e.RespBody[:s.opts.BodyCap]
	}
	e.Truncated = e.Truncated || e.RespSize > int64(len(e.RespBody))
	secret := maskEntry(&e)
	req, err := json.Marshal(e.Request)
	if err != nil {
		return Summary{}, fmt.Errorf("add history entry: request: %w", err)
	}
	var secretReq []byte
	if secret != nil {
		if secretReq, err = json.Marshal(secret.request); err != nil {
			return Summary{}, fmt.Errorf("add history entry: request: %w", err)
		}
	}
	timings, err := json.Marshal(e.Timings)
	if err != nil {
		return Summary{}, fmt.Errorf("add history entry: timings: %w", err)
	}

	err = s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.ExecContext(ctx, insertSQL,
			e.Time.UnixNano(), e.Name, e.Method, e.URL, e.Status, int64(e.Timings.Total), e.RespSize, e.Err, e.searchText(),
			req, headerJSON(e.SentHeader), e.SentBody, e.SentSize,
			e.StatusText, e.Proto, e.RemoteAddr, headerJSON(e.RespHeader), e.RespBody, e.Truncated, timings, nullText(e.SentHead))
		if err != nil {
			return err
		}
		if e.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if secretReq != nil {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO history_secrets (id, request, head) VALUES (?, ?, ?)`,
				e.ID, secretReq, nullText(secret.head)); err != nil {
				return err
			}
		}
		return prune(ctx, tx, s.opts.Retain)
	})
	if err != nil {
		return Summary{}, fmt.Errorf("add history entry: %w", err)
	}
	return Summary{
		ID: e.ID, Time: time.Unix(0, e.Time.UnixNano()), Name: e.Name, Method: e.Method, URL: e.URL,
		Status: e.Status, Duration: e.Timings.Total, Size: e.RespSize, Err: e.Err,
	}, nil
}

// prune drops the entries beyond the newest retain, with their secrets.
func prune(ctx context.Context, tx Tx, retain int) error {
	res, err := tx.ExecContext(ctx, pruneSQL, retain)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	_, err = tx.ExecContext(ctx, pruneSecretsSQL)
	return err
}

// Unmasked returns the entry with id as Get does, with its Request as
// it was edited, secrets included, for sending it again, and its
// SentHead as it went on the wire, for showing it as it was sent. The
// rest of what was sent (SentHeader, URL) stays masked.
func (s *Store) Unmasked(ctx context.Context, id int64) (Entry, error) {
	e, err := s.Get(id)
	if err != nil {
		return e, err
	}
	var (
		req  []byte
		head sql.NullString
	)
	err = s.db.Read.QueryRowContext(ctx, `SELECT request, head FROM history_secrets WHERE id = ?`, id).Scan(&req, &head)
	if errors.Is(err, sql.ErrNoRows) {
		return e, nil // it held no secret
	}
	if err == nil {
		err = json.Unmarshal(req, &e.Request)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("get history entry %d: its secrets: %w", id, err)
	}
	if head.String != "" {
		e.SentHead = head.String
	}
	return e, nil
}

// maskExisting masks the entries of a version 1 history, kept before
// entries were masked, and keeps their secrets apart.
func maskExisting(ctx context.Context, tx Tx) error {
	type row struct {
		id           int64
		url          string
		req, headers []byte
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, url, request, sent_header FROM history`)
	if err != nil {
		return err
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.url, &r.req, &r.headers); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range all {
		e := Entry{URL: r.url}
		if json.Unmarshal(r.req, &e.Request) != nil {
			continue // left as it is; Get reports it
		}
		if len(r.headers) > 0 && json.Unmarshal(r.headers, &e.SentHeader) != nil {
			continue
		}
		secret := maskEntry(&e)
		req, _ := json.Marshal(e.Request) // it was just unmarshalled
		if _, err := tx.ExecContext(ctx, `UPDATE history SET url = ?, request = ?, sent_header = ? WHERE id = ?`,
			e.URL, req, headerJSON(e.SentHeader), r.id); err != nil {
			return err
		}
		if secret != nil {
			orig, _ := json.Marshal(secret.request)
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO history_secrets (id, request) VALUES (?, ?)`, r.id, orig); err != nil {
				return err
			}
		}
	}
	return nil
}

// Get returns the entry with id, or ErrNotFound. Its secrets are masked
// (see Mask); Unmasked returns the request with them.
func (s *Store) Get(id int64) (Entry, error) {
	if s.closed.Load() {
		return Entry{}, ErrClosed
	}
	var (
		e                          Entry
		t, duration                int64
		req, sentH, respH, timings []byte
		head                       sql.NullString
	)
	err := s.get.QueryRowContext(context.Background(), id).Scan(
		&e.ID, &t, &e.Name, &e.Method, &e.URL, &e.Status, &duration, &e.RespSize, &e.Err,
		&req, &sentH, &e.SentBody, &e.SentSize,
		&e.StatusText, &e.Proto, &e.RemoteAddr, &respH, &e.RespBody, &e.Truncated, &timings, &head)
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, ErrNotFound
	}
	if err != nil {
		return Entry{}, fmt.Errorf("get history entry %d: %w", id, err)
	}
	e.Time = time.Unix(0, t)
	e.SentHead = head.String
	for _, f := range []struct {
		what string
		data []byte
		into any
	}{
		{"request", req, &e.Request},
		{"sent header", sentH, &e.SentHeader},
		{"response header", respH, &e.RespHeader},
		{"timings", timings, &e.Timings},
	} {
		if len(f.data) == 0 {
			continue
		}
		if err := json.Unmarshal(f.data, f.into); err != nil {
			return Entry{}, fmt.Errorf("get history entry %d: %s: %w", id, f.what, err)
		}
	}
	if len(e.SentBody) == 0 {
		e.SentBody = nil
	}
	if len(e.RespBody) == 0 {
		e.RespBody = nil
	}
	return e, nil
}

// List returns up to limit summaries of the entries matching query,
// newest first, skipping offset. A query matches when each of its words
// is found, ignoring case, in the name, method, URL or status of an
// entry; an empty query matches every entry. % and _ are plain letters.
func (s *Store) List(query string, offset, limit int) ([]Summary, error) {
	return s.ListContext(context.Background(), query, offset, limit)
}

// ListContext is List that stops when ctx ends.
func (s *Store) ListContext(ctx context.Context, query string, offset, limit int) ([]Summary, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	if limit <= 0 {
		return nil, nil
	}
	where, args := whereQuery(query)
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, time, name, method, url, status, duration, resp_size, err
		FROM history`+where+` ORDER BY time DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, max(offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("list history: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sum Summary
		var t, d int64
		if err := rows.Scan(&sum.ID, &t, &sum.Name, &sum.Method, &sum.URL, &sum.Status, &d, &sum.Size, &sum.Err); err != nil {
			return nil, fmt.Errorf("list history: %w", err)
		}
		sum.Time, sum.Duration = time.Unix(0, t), time.Duration(d)
		out = append(out, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list history: %w", err)
	}
	return out, nil
}

// Count returns how many entries match query, as List matches it.
func (s *Store) Count(query string) (int, error) {
	return s.CountContext(context.Background(), query)
}

// CountContext is Count that stops when ctx ends.
func (s *Store) CountContext(ctx context.Context, query string) (int, error) {
	if s.closed.Load() {
		return 0, ErrClosed
	}
	where, args := whereQuery(query)
	var n int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM history`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count history: %w", err)
	}
	return n, nil
}

// whereQuery turns query into a WHERE clause over search, the lowered
// text of the fields searched.
func whereQuery(query string) (string, []any) {
	words := strings.FieldsFunc(strings.ToLower(query), func(r rune) bool {
		return unicode.IsSpace(r) || r == '\x1f' // the separator of searchText
	})
	if len(words) == 0 {
		return "", nil
	}
	conds := make([]string, len(words))
	args := make([]any, len(words))
	for i, w := range words {
		conds[i] = `search LIKE ? ESCAPE '\'`
		args[i] = "%" + likeEscaper.Replace(w) + "%"
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Delete removes the entry with id, or returns ErrNotFound.
func (s *Store) Delete(id int64) error {
	if s.closed.Load() {
		return ErrClosed
	}
	var n int64
	err := s.db.Write(context.Background(), func(ctx context.Context, tx Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM history WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM history_secrets WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete history entry %d: %w", id, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Clear removes every entry. Ids are not given out again.
func (s *Store) Clear() error {
	if s.closed.Load() {
		return ErrClosed
	}
	err := s.db.Write(context.Background(), func(ctx context.Context, tx Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM history`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM history_secrets`)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear history: %w", err)
	}
	return nil
}

// nullText is s, or NULL when s is empty.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func headerJSON(h http.Header) []byte {
	if len(h) == 0 {
		return nil
	}
	b, _ := json.Marshal(h) // a map of string slices always marshals
	return b
}
