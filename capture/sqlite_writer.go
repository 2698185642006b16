package capture

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Writing. One goroutine (writer.run) makes every write of a store, in
// transactions on one connection. Other processes (`hooklab export` or
// `hooklab captures clear` next to the window) may write the same
// database, so everything the writers share lives in the database, read
// and changed inside the write transaction: the next seq, the counters
// retention and Count use (table state), and how far the search index got.

const (
	// maxBatch bounds how many queued requests one commit takes.
	maxBatch = 512
	// idleAfter is how long the writer must have had no request before it
	// counts as idle and spends time on the search index and checkpoints,
	// so that work never competes with a burst of captures for the CPU or
	// delays their commits.
	idleAfter = 5 * time.Millisecond
	// defaultWALSoftLimit is the WAL file size below which a busy writer
	// leaves checkpoints for later: it asks for one once it has been idle
	// for idleAfter, so a burst of captures does not pay for copying
	// pages back into the database while it lasts. A checkpoint competes
	// with the burst for the CPU: asking for one every 32 MiB, the
	// catcher acknowledged 15-20% fewer captures per second in a 3 s
	// burst and its p99 was 1.6x as long (docs/performance.md). A commit
	// writes about 4 KiB of WAL per capture of 1 KiB, so 384 MiB is about
	// 95,000 captures, four seconds of the fastest burst this machine
	// takes. Past it the checkpointer runs while captures keep coming and
	// the writer starts the WAL over (see wrote), so under a sustained
	// load the WAL stays near this size.
	defaultWALSoftLimit = 384 << 20
	// pruneStep bounds the captures one pruning transaction deletes.
	pruneStep = 1000
)

// writeReq is one request to the writer: a capture to insert (add), or
// any other write (op). The writer answers on done after committing.
type writeReq struct {
	add  bool
	rec  record
	op   func(*writer) error
	done chan error
}

// addReqs recycles the requests of Add, so a capture costs no allocation
// beyond its header blobs.
var addReqs = sync.Pool{New: func() any { return &writeReq{add: true, done: make(chan error, 1)} }}

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
		encodeHeader(c.Header), encodeHeader(c.RespHeader), c.Body, c.RespBody}
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
const insertColumns = `seq, id, time, method, path, endpoint, raw_query, proto, host, remote, status, content_type, body_size, truncated, header, resp_header, body, resp_body`

// insertWidth is how many values each capture binds.
const insertWidth = 18

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

// queryRow runs a raw query and scans its one row of integers into dest.
func (w *writer) queryRow(st driver.StmtQueryContext, args []driver.NamedValue, dest ...*int64) error {
	rows, err := st.QueryContext(w.ctx, args)
	if err != nil {
		return err
	}
	defer rows.Close()
	values := make([]driver.Value, len(dest))
	if err := rows.Next(values); err != nil {
		if err == io.EOF {
			return errors.New("no row")
		}
		return err
	}
	for i, v := range values {
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("column %d is %T, not an integer", i, v)
		}
		*dest[i] = n
	}
	return nil
}

// writer owns every write to the database. It runs on one goroutine.
type writer struct {
	s     *SQLiteStore
	ctx   context.Context
	conn  *sql.Conn
	batch []*writeReq
	// indexPending: there may be captures the search index has not seen.
	indexPending bool
	// garbage: the index may hold rows of pruned captures.
	garbage bool
	// unchecked: something was committed since the writer last asked for
	// a checkpoint.
	unchecked bool
	commits   int
	// seenVersion is PRAGMA data_version when the writer last looked for
	// commits of other connections (lookForOthers); -1 before.
	seenVersion int64
}

func newWriter(s *SQLiteStore) *writer {
	w := &writer{s: s, ctx: context.Background(), conn: s.wconn, indexPending: s.fts, garbage: s.fts}
	w.seenVersion = w.dataVersion()
	return w
}

// run serves requests until Close closes the queue. Requests always come
// first: once the queue has been empty for idleAfter, the writer asks for
// a checkpoint and does background work (indexing, removing the index
// rows of pruned captures) one short step at a time, checking the queue
// between steps.
func (w *writer) run() {
	defer close(w.s.done)
	idle := time.NewTimer(time.Hour)
	idle.Stop()
	quiet := false
	for {
		if quiet && w.backgroundDue() {
			select {
			case r, ok := <-w.s.reqs:
				if !ok {
					return
				}
				quiet = false
				w.handle(r)
			default:
				w.background()
			}
			continue
		}
		var idleC <-chan time.Time
		if w.unchecked || w.backgroundDue() {
			idle.Reset(w.s.opts.idleAfter)
			idleC = idle.C
		}
		select {
		case r, ok := <-w.s.reqs:
			if !ok {
				return
			}
			quiet = false
			w.handle(r)
		case <-idleC:
			quiet = true
			w.checkpoint()
		}
	}
}

// handle takes first and whatever else is queued (up to maxBatch),
// commits runs of Adds as one transaction each, answering every request
// after its commit, and prunes if that left the store over its limits.
func (w *writer) handle(first *writeReq) {
	batch := append(w.batch[:0], first)
	// Let the senders that are about to queue do so first, for as long as
	// the queue keeps growing: one commit for many costs little more than
	// for one. This waits only for goroutines that are ready to run; an
	// idle catcher commits at once.
	for n := -1; n != len(w.s.reqs) && len(w.s.reqs) < maxBatch; {
		n = len(w.s.reqs)
		runtime.Gosched()
	}
drain:
	for len(batch) < maxBatch {
		select {
		case r, ok := <-w.s.reqs:
			if !ok {
				break drain
			}
			batch = append(batch, r)
		default:
			break drain
		}
	}
	for i := 0; i < len(batch); {
		if !batch[i].add {
			batch[i].done <- batch[i].op(w)
			i++
			continue
		}
		j := i + 1
		for j < len(batch) && batch[j].add {
			j++
		}
		w.insert(batch[i:j])
		i = j
	}
	clear(batch)
	w.batch = batch[:0]
}

// insert commits reqs in one transaction and answers them, then prunes.
func (w *writer) insert(reqs []*writeReq) {
	n, bytes, err := w.insertTx(reqs)
	if err != nil && len(reqs) > 1 {
		// One bad capture (a duplicate id, say) must not fail the others.
		for i := range reqs {
			w.insert(reqs[i : i+1])
		}
		return
	}
	if err == nil {
		w.indexPending = w.s.fts
		w.s.report(Change{Added: w.summaries(reqs)})
		w.wrote()
	}
	// After its answer a request belongs to Add again.
	for _, r := range reqs {
		r.done <- err
	}
	if err == nil && w.overLimits(n, bytes) {
		// A failed prune leaves the store over its limits, which is
		// safe; the next commit tries again.
		_ = w.prune()
	}
}

// summaries are the list rows of the captures of reqs, as List returns
// them; nil when no one observes the store, so a commit costs nothing
// more then.
func (w *writer) summaries(reqs []*writeReq) []Summary {
	if !w.s.watched() {
		return nil
	}
	out := make([]Summary, len(reqs))
	for i, r := range reqs {
		c := r.rec.c
		ct, _ := r.rec.values[11].(string) // content_type, worked out by newRecord
		out[i] = Summary{ID: c.ID, Time: storedTime(c.Time), Method: c.Method, Path: c.Path,
			Status: c.Status, Size: c.BodySize, ContentType: ct}
	}
	return out
}

// storedTime is t as the store gives it back: clamped to Unix
// nanoseconds, in local time, without a monotonic reading.
func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Unix(0, nanos(t))
}

// insertTx inserts reqs in one transaction and returns the number of
// captures and of body bytes the store holds after it.
func (w *writer) insertTx(reqs []*writeReq) (n, bytes int64, err error) {
	st := &w.s.stmts
	err = w.conn.Raw(func(dc any) error {
		if _, err := st.begin.ExecContext(w.ctx, nil); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		err := func() error {
			var added, last int64
			for _, r := range reqs {
				added += int64(len(r.rec.c.Body))
			}
			counts := []driver.NamedValue{{Ordinal: 1, Value: int64(len(reqs))}, {Ordinal: 2, Value: added}}
			if _, err := st.addCounts.ExecContext(w.ctx, counts); err != nil {
				return fmt.Errorf("count captures: %w", err)
			}
			if err := w.queryRow(st.counts, nil, &last, &n, &bytes); err != nil {
				return fmt.Errorf("count captures: %w", err)
			}
			seq := last - int64(len(reqs)) + 1
			for rest := reqs; len(rest) > 0; {
				// The largest statement that fits what is left.
				k := min(bits.Len(uint(len(rest))), len(st.inserts)) - 1
				stmt, err := st.insertStmt(w.ctx, dc, k)
				if err != nil {
					return fmt.Errorf("prepare insert: %w", err)
				}
				st.args = st.args[:0]
				for _, r := range rest[:1<<k] {
					st.appendInsertArgs(seq, &r.rec)
					seq++
				}
				if _, err := stmt.ExecContext(w.ctx, st.args); err != nil {
					if k == 0 {
						return fmt.Errorf("store capture %s: %w", rest[0].rec.c.ID, err)
					}
					return fmt.Errorf("store %d captures: %w", 1<<k, err)
				}
				rest = rest[1<<k:]
			}
			if _, err := st.commit.ExecContext(w.ctx, nil); err != nil {
				return fmt.Errorf("commit: %w", err)
			}
			return nil
		}()
		if err != nil {
			// A failed COMMIT may already have rolled back.
			_, _ = st.rollback.ExecContext(w.ctx, nil)
		}
		return err
	})
	clear(st.args) // let the bodies go
	return n, bytes, err
}

// tx runs fn in a write transaction on the writer's connection.
func (w *writer) tx(fn func() error) error {
	if _, err := w.conn.ExecContext(w.ctx, `BEGIN IMMEDIATE`); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(); err != nil {
		w.rollback()
		return err
	}
	if _, err := w.conn.ExecContext(w.ctx, `COMMIT`); err != nil {
		w.rollback()
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (w *writer) rollback() {
	// A failed COMMIT may already have rolled back; nothing else can go
	// wrong here that the caller is not already reporting.
	_, _ = w.conn.ExecContext(w.ctx, `ROLLBACK`)
}

func (w *writer) exec(query string, args ...any) (sql.Result, error) {
	return w.conn.ExecContext(w.ctx, query, args...)
}

// wrote follows a commit. Once the WAL file is larger than the soft
// limit, it asks for a checkpoint even though the writer is busy (the
// requests coalesce, and the checkpointer paces its passes); otherwise
// the checkpoint waits until the writer is idle. It restarts the WAL
// when the checkpointer found it past the hard limit: passive
// checkpoints cannot start over a WAL that is written all the time.
func (w *writer) wrote() {
	w.unchecked = true
	// A commit of 1 KiB captures adds a few dozen KiB; looking at the
	// file every 16th commit keeps the stat off most of them.
	w.commits++
	if w.commits%16 == 0 {
		if fi, err := os.Stat(w.s.path + "-wal"); err == nil && fi.Size() > w.s.opts.walSoftLimit {
			w.checkpoint()
		}
	}
	ck := w.s.ckpt
	if ck.walBytes.Load() > w.s.opts.walSoftLimit && ck.caughtUp.Swap(false) {
		// The checkpointer copied the WAL up to a moment ago. Copying the
		// few commits since, here between two commits, leaves nothing to
		// copy, so the next commit starts the WAL over from its beginning
		// (unless a reader still uses it): a passive checkpoint on another
		// connection never can while commits keep coming.
		_, _ = w.exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		ck.walBytes.Store(0)
	}
	if ck.walTooLarge.Swap(false) {
		// This holds the writer for as long as it takes to copy what the
		// passive checkpoints have not; after a failure the WAL grows on
		// until the checkpointer finds it too large again.
		_, _ = w.exec(`PRAGMA wal_checkpoint(RESTART)`)
	}
}

// checkpoint asks for a checkpoint if anything was committed since the
// last request.
func (w *writer) checkpoint() {
	if w.unchecked {
		w.unchecked = false
		w.s.ckpt.request()
	}
}

// overLimits reports whether n captures holding bytes of bodies are more
// than the store keeps; like MemoryStore, the newest capture is kept even
// when it alone is over the byte limit.
func (w *writer) overLimits(n, bytes int64) bool {
	return n > int64(w.s.opts.MaxCaptures) || (bytes > w.s.opts.MaxBodyBytes && n > 1)
}

// prune deletes the oldest captures while the store is over its limits,
// up to pruneStep in one transaction. Their index rows are left for
// background collection: deleting FTS rows costs far more than the
// captures themselves.
func (w *writer) prune() error {
	for more := true; more; {
		var dropped int64
		err := w.tx(func() error {
			var n, bytes int64
			if err := w.conn.QueryRowContext(w.ctx, `SELECT captures, body_bytes FROM state`).Scan(&n, &bytes); err != nil {
				return err
			}
			rows, err := w.conn.QueryContext(w.ctx, `SELECT seq, coalesce(length(body), 0) FROM captures ORDER BY seq LIMIT ?`, pruneStep)
			if err != nil {
				return err
			}
			var cut, freed int64
			for w.overLimits(n-dropped, bytes-freed) && rows.Next() {
				var size int64
				if err := rows.Scan(&cut, &size); err != nil {
					rows.Close()
					return err
				}
				dropped++
				freed += size
			}
			rows.Close()
			if err := rows.Err(); err != nil || dropped == 0 {
				return err
			}
			more = w.overLimits(n-dropped, bytes-freed)
			for _, q := range []string{`DELETE FROM captures WHERE seq <= ?`, `DELETE FROM search_skipped WHERE seq <= ?`} {
				if _, err := w.exec(q, cut); err != nil {
					return err
				}
			}
			_, err = w.exec(`UPDATE state SET captures = captures - ?, body_bytes = body_bytes - ?`, dropped, freed)
			return err
		})
		if err != nil {
			return err
		}
		if dropped == 0 {
			return nil
		}
		w.garbage = w.s.fts
		w.s.report(Change{Pruned: int(dropped)})
		w.wrote()
	}
	return nil
}

// deleteCapture is Delete on the writer.
func (w *writer) deleteCapture(id string) error {
	err := w.tx(func() error {
		var seq, size int64
		err := w.conn.QueryRowContext(w.ctx, `SELECT seq, coalesce(length(body), 0) FROM captures WHERE id = ?`, id).Scan(&seq, &size)
		if err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM captures WHERE seq = ?`, `DELETE FROM search_skipped WHERE seq = ?`} {
			if _, err := w.exec(q, seq); err != nil {
				return err
			}
		}
		if w.s.fts {
			if _, err := w.exec(`DELETE FROM search WHERE rowid = ?`, seq); err != nil {
				return err
			}
		}
		_, err = w.exec(`UPDATE state SET captures = captures - 1, body_bytes = body_bytes - ?`, size)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("delete capture %s: %w", id, err)
	}
	w.s.report(Change{Deleted: id})
	return nil
}

// clearCaptures is Clear on the writer. The FTS table is dropped and made
// again: emptying it row by row would cost as much as indexing.
func (w *writer) clearCaptures() error {
	err := w.tx(func() error {
		queries := []string{`DELETE FROM captures`, `DELETE FROM search_skipped`, `UPDATE state SET captures = 0, body_bytes = 0`}
		if w.s.fts {
			queries = append(queries, `DROP TABLE search`, ftsSchema)
		}
		for _, q := range queries {
			if _, err := w.exec(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("clear captures: %w", err)
	}
	w.garbage = false
	w.s.report(Change{Cleared: true})
	return nil
}

// setRule is SetRule on the writer.
func (w *writer) setRule(r Rule, header []byte) error {
	if _, err := w.s.stmts.setRule.ExecContext(w.ctx, r.Endpoint, r.Status, header, r.Body, r.Delay.Milliseconds()); err != nil {
		return fmt.Errorf("set rule for endpoint %q: %w", r.Endpoint, err)
	}
	return nil
}

// deleteRule is DeleteRule on the writer.
func (w *writer) deleteRule(endpoint string) error {
	if _, err := w.exec(`DELETE FROM rules WHERE endpoint = ?`, endpoint); err != nil {
		return fmt.Errorf("delete rule for endpoint %q: %w", endpoint, err)
	}
	return nil
}
