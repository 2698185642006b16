package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Add stores c and returns once it is committed. The capture is shared
// with the writer until Add returns, so c must not change meanwhile.
func (s *SQLiteStore) Add(c *Capture) error {
	if c == nil {
		return errors.New("add capture: nil capture")
	}
	r := addReqs.Get().(*writeReq)
	r.rec = newRecord(c)
	err := s.submit(r)
	r.rec = record{}
	addReqs.Put(r)
	return err
}

// Delete removes the capture with id, or returns ErrNotFound.
func (s *SQLiteStore) Delete(id string) error {
	return s.do(func(w *writer) error { return w.deleteCapture(id) })
}

// Clear removes every capture.
func (s *SQLiteStore) Clear() error {
	return s.do((*writer).clearCaptures)
}

// ClearCount removes every capture and returns how many it removed.
func (s *SQLiteStore) ClearCount() (deleted int64, err error) {
	err = s.do(func(w *writer) error {
		deleted, err = w.clearCounted()
		return err
	})
	return deleted, err
}

// SetRule adds or replaces the rule of r.Endpoint. A rule that fails
// r.Validate is refused with Validate's *RuleError. The delay is kept to
// the millisecond.
func (s *SQLiteStore) SetRule(r Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	header := encodeHeader(r.Header)
	return s.do(func(w *writer) error { return w.setRule(r, header) })
}

// DeleteRule removes the rule of endpoint; removing a rule that does not
// exist is not an error.
func (s *SQLiteStore) DeleteRule(endpoint string) error {
	return s.do(func(w *writer) error { return w.deleteRule(endpoint) })
}

func (s *SQLiteStore) do(op func(*writer) error) error {
	return s.submit(&writeReq{op: op, done: make(chan error, 1)})
}

// submit queues r for the writer and waits for its answer. The read lock
// keeps Close from closing the queue during the send.
func (s *SQLiteStore) submit(r *writeReq) error {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return errClosed
	}
	s.reqs <- r
	s.mu.RUnlock()
	return <-r.done
}

// Rules returns the response rules, sorted by endpoint.
func (s *SQLiteStore) Rules() ([]Rule, error) {
	rows, err := s.rdb.Query(`SELECT endpoint, status, header, body, delay_ms FROM rules ORDER BY endpoint`)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	defer rows.Close()
	out := []Rule{}
	for rows.Next() {
		var r Rule
		var header []byte
		var delayMS int64
		if err := rows.Scan(&r.Endpoint, &r.Status, &header, &r.Body, &delayMS); err != nil {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		if r.Header, err = decodeHeader(header); err != nil {
			return nil, fmt.Errorf("read rule for endpoint %q: header: %w", r.Endpoint, err)
		}
		r.Delay = time.Duration(delayMS) * time.Millisecond
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	return out, nil
}

// captureColumns are the columns scanCapture reads, in its order.
const captureColumns = `c.seq, c.id, c.time, c.method, c.path, c.raw_query, c.proto, c.host, c.remote,
	c.status, c.body_size, c.truncated, c.header, c.resp_header, c.body, c.resp_body, c.event, c.signature, c.raw_path, c.head`

func scanCapture(rows interface{ Scan(...any) error }) (seq int64, c *Capture, err error) {
	c = &Capture{}
	var t sql.NullInt64
	var header, respHeader []byte
	var verdict string
	if err := rows.Scan(&seq, &c.ID, &t, &c.Method, &c.Path, &c.RawQuery, &c.Proto, &c.Host, &c.Remote,
		&c.Status, &c.BodySize, &c.Truncated, &header, &respHeader, &c.Body, &c.RespBody, &c.Event, &verdict, &c.RawPath, &c.Head); err != nil {
		return 0, nil, err
	}
	c.Signature = decodeVerdict(verdict)
	c.Time = timeOf(t)
	if c.Header, err = decodeHeader(header); err != nil {
		return 0, nil, fmt.Errorf("capture %s: header: %w", c.ID, err)
	}
	if c.RespHeader, err = decodeHeader(respHeader); err != nil {
		return 0, nil, fmt.Errorf("capture %s: response header: %w", c.ID, err)
	}
	return seq, c, nil
}

func timeOf(t sql.NullInt64) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return time.Unix(0, t.Int64)
}

// Get returns the capture with id, or ErrNotFound.
func (s *SQLiteStore) Get(id string) (*Capture, error) {
	_, c, err := scanCapture(s.rdb.QueryRow(`SELECT `+captureColumns+` FROM captures c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get capture %s: %w", id, err)
	}
	return c, nil
}

// List returns up to limit summaries matching f, newest first, skipping
// offset.
func (s *SQLiteStore) List(f Filter, offset, limit int) ([]Summary, error) {
	return s.ListContext(context.Background(), f, offset, limit)
}

// ListContext is List that stops when ctx ends: the query is
// interrupted, and the error wraps ctx's.
func (s *SQLiteStore) ListContext(ctx context.Context, f Filter, offset, limit int) ([]Summary, error) {
	if limit <= 0 {
		return nil, nil
	}
	where, args := s.where(f)
	rows, err := s.rdb.QueryContext(ctx, `SELECT c.id, c.time, c.method, c.path, c.status, c.body_size, c.content_type, c.event, c.signature
		FROM captures c`+where+` ORDER BY c.seq DESC LIMIT ? OFFSET ?`, append(args, limit, max(offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("list captures: %w", ctxErr(ctx, err))
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sum Summary
		var t sql.NullInt64
		var verdict string
		if err := rows.Scan(&sum.ID, &t, &sum.Method, &sum.Path, &sum.Status, &sum.Size, &sum.ContentType, &sum.Event, &verdict); err != nil {
			return nil, fmt.Errorf("list captures: %w", ctxErr(ctx, err))
		}
		sum.Time = timeOf(t)
		sum.Signature = decodeVerdict(verdict)
		out = append(out, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list captures: %w", ctxErr(ctx, err))
	}
	return out, nil
}

// Count returns how many captures match f.
func (s *SQLiteStore) Count(f Filter) (int, error) {
	return s.CountContext(context.Background(), f)
}

// CountContext is Count that stops when ctx ends: the query is
// interrupted, and the error wraps ctx's.
func (s *SQLiteStore) CountContext(ctx context.Context, f Filter) (int, error) {
	query := `SELECT captures FROM state`
	where, args := s.where(f)
	if where != "" {
		query = `SELECT count(*) FROM captures c` + where
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count captures: %w", ctxErr(ctx, err))
	}
	return n, nil
}

// Endpoints lists the endpoints that have captures, sorted.
func (s *SQLiteStore) Endpoints() ([]string, error) {
	return s.EndpointsContext(context.Background())
}

// EndpointsContext is Endpoints that stops when ctx ends: the query is
// interrupted, and the error wraps ctx's.
func (s *SQLiteStore) EndpointsContext(ctx context.Context) ([]string, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT DISTINCT endpoint FROM captures ORDER BY endpoint`)
	if err != nil {
		return nil, fmt.Errorf("list endpoints: %w", ctxErr(ctx, err))
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("list endpoints: %w", ctxErr(ctx, err))
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list endpoints: %w", ctxErr(ctx, err))
	}
	return out, nil
}

// ctxErr is err, or ctx's error once ctx has ended: a query its context
// interrupted may fail with SQLite's own "interrupted" instead.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return cerr
	}
	return err
}

// scanChunk is how many whole captures Scan reads between calls of fn.
const scanChunk = 128

// Scan calls fn for every capture matching f, oldest first, stopping at
// fn's first error, which it returns. It finds the matching captures in
// one query, then reads them in chunks and calls fn with no database
// connection held, so fn may use the store, even write to it.
func (s *SQLiteStore) Scan(f Filter, fn func(*Capture) error) error {
	seqs, err := s.matchingSeqs(f)
	if err != nil {
		return err
	}
	for len(seqs) > 0 {
		chunk := seqs[:min(scanChunk, len(seqs))]
		seqs = seqs[len(chunk):]
		list, err := s.capturesBySeq(chunk)
		if err != nil {
			return err
		}
		for _, c := range list {
			if err := fn(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *SQLiteStore) matchingSeqs(f Filter) ([]int64, error) {
	where, args := s.where(f)
	rows, err := s.rdb.Query(`SELECT c.seq FROM captures c`+where+` ORDER BY c.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("scan captures: %w", err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, fmt.Errorf("scan captures: %w", err)
		}
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("scan captures: %w", err)
	}
	return seqs, nil
}

// capturesBySeq reads the captures with these seqs (ascending), leaving
// out any deleted since they were found.
func (s *SQLiteStore) capturesBySeq(seqs []int64) ([]*Capture, error) {
	var list strings.Builder
	list.WriteByte('[')
	for i, seq := range seqs {
		if i > 0 {
			list.WriteByte(',')
		}
		list.WriteString(strconv.FormatInt(seq, 10))
	}
	list.WriteByte(']')
	rows, err := s.rdb.Query(`SELECT `+captureColumns+` FROM captures c
		WHERE c.seq IN (SELECT value FROM json_each(?)) ORDER BY c.seq`, list.String())
	if err != nil {
		return nil, fmt.Errorf("scan captures: %w", err)
	}
	defer rows.Close()
	var out []*Capture
	for rows.Next() {
		_, c, err := scanCapture(rows)
		if err != nil {
			return nil, fmt.Errorf("scan captures: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("scan captures: %w", err)
	}
	return out, nil
}

// where turns f into a WHERE clause over captures c, with the same
// meaning as f.Match.
func (s *SQLiteStore) where(f Filter) (string, []any) {
	var conds []string
	var args []any
	if f.Endpoint != "" {
		conds = append(conds, `c.endpoint = ?`)
		args = append(args, f.Endpoint)
	}
	if f.Method != "" {
		// Methods are ASCII tokens, where NOCASE is strings.EqualFold.
		conds = append(conds, `c.method = ? COLLATE NOCASE`)
		args = append(args, f.Method)
	}
	switch {
	case f.Status == 0:
	case f.Status < 10:
		// status/100 == f.Status, with Go's division truncating toward 0.
		lo, hi := f.Status*100, f.Status*100+99
		if f.Status < 0 {
			lo, hi = f.Status*100-99, f.Status*100
		}
		conds = append(conds, `c.status BETWEEN ? AND ?`)
		args = append(args, lo, hi)
	default:
		conds = append(conds, `c.status = ?`)
		args = append(args, f.Status)
	}
	if !f.Since.IsZero() {
		conds = append(conds, `c.time >= ?`) // the zero Time is NULL: before any Since
		args = append(args, nanos(f.Since))
	}
	if f.Event != "" {
		// Event types are ASCII names, where NOCASE is strings.EqualFold.
		conds = append(conds, `c.event = ? COLLATE NOCASE`)
		args = append(args, f.Event)
	}
	if words := strings.Fields(strings.ToLower(f.Text)); len(words) > 0 {
		cond, textArgs := s.textCond(words)
		conds = append(conds, cond)
		args = append(args, textArgs...)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// DeleteOldest deletes the oldest n captures and gives the space they
// held back to the file system as far as it can (the WAL is truncated);
// it returns how many it deleted. It is the way out of a full disk that
// keeps the newest captures.
func (s *SQLiteStore) DeleteOldest(n int64) (deleted int64, err error) {
	err = s.do(func(w *writer) error {
		deleted, err = w.deleteOldest(n)
		return err
	})
	return deleted, err
}
