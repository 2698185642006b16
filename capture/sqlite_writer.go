package capture

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"runtime"
	"sync"
	"time"
)

// Writing. One goroutine (writer.run) makes every write of a store, in
// transactions on one connection. Other processes (`hooklab export` or
// `hooklab captures clear` next to the window) may write the same
// database, so everything the writers share lives in the database, read
// and changed inside the write transaction: the next seq, the counters
// retention and Count use (table state), and how far the search index got.

// maxBatch bounds how many queued requests one commit takes.
const maxBatch = 512

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
	// reserved: the reserve file was made (or tried) since the store
	// opened.
	reserved bool
	// lowDisk: the disk was nearly full when last looked at (see
	// diskLow); the writer then keeps the WAL short.
	lowDisk bool
	// seenVersion is PRAGMA data_version when the writer last looked for
	// commits of other connections (lookForOthers), first read when the
	// store opened.
	seenVersion int64
}

func newWriter(s *SQLiteStore) (*writer, error) {
	w := &writer{s: s, ctx: context.Background(), conn: s.wconn, indexPending: s.fts, garbage: s.fts}
	var err error
	w.seenVersion, err = w.dataVersion()
	return w, err
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
	if err == nil && !w.reserved {
		// Only a store that takes captures keeps a reserve (the command
		// line tools never make one), written once these were answered.
		w.reserved = true
		w.s.makeReserve()
	}
	if err == nil && w.overLimits(n, bytes) {
		// A failed prune leaves the store over its limits, which is
		// safe; the next commit tries again.
		_ = w.prune()
	}
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
				// The driver copies every bound body, and SQLite builds
				// each row in one piece: a statement binds at most
				// statementBodies of bodies, unless one body alone is larger.
				for k > 0 && bodyBytes(rest[:1<<k]) > statementBodies {
					k--
				}
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

// statementBodies bounds the bytes of bodies one INSERT binds (but one
// body larger than that): the driver copies each bound body, so 64
// bodies of 10 MiB would cost 640 MiB more while the statement runs.
const statementBodies = 1 << 20

func bodyBytes(reqs []*writeReq) int {
	n := 0
	for _, r := range reqs {
		n += len(r.rec.c.Body)
	}
	return n
}
