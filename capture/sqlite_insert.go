package capture

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"strings"
	"time"
)

// Inserting captures: the record Add works out on the sender's
// goroutine, and the statements the writer prepares once and binds it to.

// record is a capture with everything the insert needs worked out by
// Add, on the sender's goroutine, so the writer only binds and steps:
// values holds its arguments for insertColumns, already boxed (boxing
// allocates, and the writer is the one goroutine every capture waits
// for), but seq, which the writer gives out.
type record struct {
	c      *Capture
	values [insertWidth]driver.Value
}

func newRecord(c *Capture) record {
	r := record{c: c}
	r.values = [insertWidth]driver.Value{nil, c.ID, timeValue(c.Time), c.Method, c.Path, Endpoint(c.Path), c.RawQuery, c.Proto, c.Host, c.Remote,
		int64(c.Status), MediaType(c.Header.Get("Content-Type")), c.BodySize, c.Truncated,
		encodeHeader(c.Header), encodeHeader(c.RespHeader), c.Body, c.RespBody, c.Event, encodeVerdict(c.Signature), c.RawPath, c.Head}
	for i, v := range r.values {
		// A nil []byte is NULL, as database/sql would bind it.
		if b, ok := v.([]byte); ok && b == nil {
			r.values[i] = nil
		}
	}
	return r
}

var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// timeValue is t as stored: Unix nanoseconds, clamped to what an int64
// holds; nil for the zero Time.
func timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return nanos(t)
}

func nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// insertColumns are the columns of captures an insert sets, in the
// order of record.values.
const insertColumns = `seq, id, time, method, path, endpoint, raw_query, proto, host, remote, status, content_type, body_size, truncated, header, resp_header, body, resp_body, event, signature, raw_path, head`

// insertWidth is how many values each capture binds.
const insertWidth = 22

// insertSizes is how many INSERT statements of different widths the
// writer keeps: a batch is inserted by statements of 1, 2, 4, … 64 rows.
// One statement for many rows saves SQLite the per-statement work
// (reset, opening the table and its indexes, halting) and the driver a
// call.
const insertSizes = 7

// insertSQL inserts rows captures; its arguments are the values of each
// in turn (appendInsertArgs).
func insertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO captures (` + insertColumns + `) VALUES `)
	row := `(?` + strings.Repeat(`, ?`, insertWidth-1) + `)`
	for i := range rows {
		if i > 0 {
			b.WriteString(`, `)
		}
		b.WriteString(row)
	}
	return b.String()
}

// writerStmts are prepared once on the writer's connection and reused by
// every transaction.
type writerStmts struct {
	conn        *sql.Conn
	indexText   *sql.Stmt
	skipText    *sql.Stmt
	indexedUpTo *sql.Stmt
	setRule     *sql.Stmt
	// The hot path, inserting a batch, runs on the driver's connection
	// itself (sql.Conn.Raw): database/sql's per-call work (argument
	// conversion, locking, a prepared statement per connection) costs as
	// much as SQLite's own for an insert. These statements are used only
	// inside Raw on conn, which the writer owns.
	begin, commit, rollback, addCounts driver.StmtExecContext
	counts                             driver.StmtQueryContext
	// inserts[k] inserts 1<<k captures; each is prepared when first used.
	inserts [insertSizes]driver.StmtExecContext
	args    []driver.NamedValue
}

func (st *writerStmts) prepare(ctx context.Context, conn *sql.Conn) error {
	st.conn = conn
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&st.skipText, `INSERT INTO search_skipped (seq) VALUES (?)`},
		{&st.indexedUpTo, `UPDATE state SET indexed_through = ?`},
		{&st.setRule, `INSERT OR REPLACE INTO rules (endpoint, status, header, body, delay_ms) VALUES (?, ?, ?, ?, ?)`},
	} {
		var err error
		if *p.stmt, err = conn.PrepareContext(ctx, p.query); err != nil {
			return err
		}
	}
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("SQLite driver connection %T cannot prepare statements", dc)
		}
		prepare := func(query string) (driver.Stmt, error) { return pc.PrepareContext(ctx, query) }
		for _, p := range []struct {
			stmt  *driver.StmtExecContext
			query string
		}{
			{&st.begin, `BEGIN IMMEDIATE`},
			// Not UPDATE … RETURNING: SQLite gathers RETURNING rows in a
			// temporary table, which costs as much as the rest of a small
			// batch. The SELECT after it sees the update.
			{&st.addCounts, `UPDATE state SET last_seq = last_seq + ?1, captures = captures + ?1, body_bytes = body_bytes + ?2`},
			{&st.commit, `COMMIT`},
			{&st.rollback, `ROLLBACK`},
		} {
			s, err := prepare(p.query)
			if err != nil {
				return err
			}
			if *p.stmt, ok = s.(driver.StmtExecContext); !ok {
				s.Close()
				return fmt.Errorf("SQLite driver statement %T cannot execute with a context", s)
			}
		}
		for _, p := range []struct {
			stmt  *driver.StmtQueryContext
			query string
		}{
			{&st.counts, `SELECT last_seq, captures, body_bytes FROM state`},
		} {
			s, err := prepare(p.query)
			if err != nil {
				return err
			}
			if *p.stmt, ok = s.(driver.StmtQueryContext); !ok {
				s.Close()
				return fmt.Errorf("SQLite driver statement %T cannot query with a context", s)
			}
		}
		return nil
	})
}

// prepareFTS prepares the statements on the search index, which exists
// only when the driver has FTS5.
func (st *writerStmts) prepareFTS(ctx context.Context, conn *sql.Conn) (err error) {
	st.indexText, err = conn.PrepareContext(ctx, `INSERT INTO search (rowid, text) VALUES (?, ?)`)
	return err
}

func (st *writerStmts) close() {
	for _, s := range []*sql.Stmt{st.indexText, st.skipText, st.indexedUpTo, st.setRule} {
		if s != nil {
			_ = s.Close()
		}
	}
	if st.conn == nil {
		return
	}
	_ = st.conn.Raw(func(any) error {
		stmts := []any{st.begin, st.commit, st.rollback, st.addCounts, st.counts}
		for _, s := range st.inserts {
			stmts = append(stmts, s)
		}
		for _, s := range stmts {
			if c, ok := s.(driver.Stmt); ok {
				_ = c.Close()
			}
		}
		return nil
	})
}

// insertStmt returns the statement inserting 1<<k captures, preparing
// it on dc, the writer's driver connection, when first asked.
func (st *writerStmts) insertStmt(ctx context.Context, dc any, k int) (driver.StmtExecContext, error) {
	if st.inserts[k] != nil {
		return st.inserts[k], nil
	}
	pc, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("SQLite driver connection %T cannot prepare statements", dc)
	}
	s, err := pc.PrepareContext(ctx, insertSQL(1<<k))
	if err != nil {
		return nil, err
	}
	if st.inserts[k], ok = s.(driver.StmtExecContext); !ok {
		s.Close()
		return nil, fmt.Errorf("SQLite driver statement %T cannot execute with a context", s)
	}
	return st.inserts[k], nil
}

// appendInsertArgs appends rec's values for an insert to st.args,
// numbered on from what is there.
func (st *writerStmts) appendInsertArgs(seq int64, rec *record) {
	for i, v := range rec.values {
		if i == 0 {
			v = seq
		}
		st.args = append(st.args, driver.NamedValue{Ordinal: len(st.args) + 1, Value: v})
	}
}
