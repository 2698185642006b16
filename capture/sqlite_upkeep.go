package capture

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Upkeep: the work commits leave behind. After a commit the writer asks
// for a checkpoint, or restarts the WAL (wrote, checkpoint), and prunes
// what is over the retention limits (prune); once idle it takes the
// background steps on the search index (background; the steps
// themselves, indexStep and collectStep, are in sqlite_search.go).

const (
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
		if fi, err := os.Stat(w.s.path + "-wal"); err == nil {
			w.lowDisk = w.diskLow(fi.Size())
			switch {
			case w.lowDisk:
				// Between two commits a checkpoint copies everything, so
				// the next commit starts the WAL over: it stays at a
				// few commits' size.
				_, _ = w.exec(`PRAGMA wal_checkpoint(PASSIVE)`)
			case fi.Size() > w.s.opts.walSoftLimit:
				w.checkpoint()
			}
		}
		// Made again once there is room, after a way out of a full
		// disk used it.
		w.s.makeReserve()
	}
	ck := w.s.ckpt
	if (w.lowDisk || ck.walBytes.Load() > w.s.opts.walSoftLimit) && ck.caughtUp.Swap(false) {
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

// lowDiskMargin is the free space under which (beyond twice the WAL's
// size) a busy writer keeps the WAL checkpointed.
const lowDiskMargin = 64 << 20

// diskLow reports whether the disk is nearly full for a WAL of walSize:
// then the writer keeps asking for checkpoints while busy, so that the
// database file, not the WAL, holds the captures when the disk fills up.
// A WAL holding most of them could not be copied back on a full disk
// (the file would have to grow), and only a VACUUM, which needs room
// for all that is kept, would then give space back; with the pages in
// the database file, deleting the oldest captures and a checkpoint do.
func (w *writer) diskLow(walSize int64) bool {
	free, ok := freeBytes(filepath.Dir(w.s.path))
	return ok && free < 2*walSize+lowDiskMargin
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

func (w *writer) backgroundDue() bool { return w.indexPending || w.garbage }

// background does one bounded step of background work. On an error it
// stops until the next write gives it reason to try again, rather than
// spinning on, say, a full disk.
func (w *writer) background() {
	var err error
	if w.indexPending {
		w.indexPending, err = w.indexStep()
	} else {
		w.garbage, err = w.collectStep()
	}
	if err != nil {
		w.indexPending, w.garbage = false, false
	}
}

// reclaim gives the disk space that deleted captures held back to the
// file system, for a disk that is full: the WAL is checkpointed and
// truncated to nothing (a WAL keeps its size when it starts over, and on
// a full disk it is what holds the last free blocks), and with vacuum
// the database file is rebuilt without its free pages and cut to size.
// VACUUM copies what the database still holds, so it is run only where
// that is little (after Clear). Each step may fail on a disk with no
// room at all; the deleted captures' pages are then still reused by the
// next captures, so the store works again either way.
func (w *writer) reclaim(vacuum bool) {
	if vacuum {
		// First: its commit makes the database small, so the checkpoint
		// then copies only the pages it kept. A checkpoint before it
		// would copy every page the WAL holds, and on a full disk run
		// out of room doing so.
		_, _ = w.exec(`VACUUM`)
	}
	_, _ = w.exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	w.s.ckpt.walBytes.Store(0)
	w.s.makeReserve()
}

// ReserveFileName is the file beside the database that holds disk space
// back for the way out of a full disk (ReserveBytes of it): Clear and
// DeleteOldest delete it first, so that their own writes and the
// checkpoint that gives the WAL's space back have room, and make it
// again afterwards when there is room.
const ReserveFileName = DBFileName + "-reserve"

// ReserveBytes is the size of the reserve file (4 MiB).
const ReserveBytes = 4 << 20

func (s *SQLiteStore) reservePath() string { return s.path + "-reserve" }

// makeReserve writes the reserve file unless it is there; a disk with
// no room for it is left without one until the next try.
func (s *SQLiteStore) makeReserve() {
	path := s.reservePath()
	if fi, err := os.Stat(path); err == nil && fi.Size() == ReserveBytes {
		return
	}
	// Written, not sized: a sparse file would hold no blocks.
	err := os.WriteFile(path, make([]byte, ReserveBytes), 0o600)
	if err != nil {
		_ = os.Remove(path)
	}
}

func (s *SQLiteStore) releaseReserve() { _ = os.Remove(s.reservePath()) }

// deleteOldest deletes the oldest n captures, pruneStep at a time, and
// gives their space back (reclaim). It returns how many it deleted.
func (w *writer) deleteOldest(n int64) (deleted int64, err error) {
	// On a full disk the reserve makes room for the deletes; no
	// checkpoint before them (see clearCounted).
	w.s.releaseReserve()
	for deleted < n {
		var step, freed int64
		err = w.tx(func() error {
			var cut int64 = -1
			rows, err := w.conn.QueryContext(w.ctx, `SELECT seq, coalesce(length(body), 0) FROM captures ORDER BY seq LIMIT ?`, min(n-deleted, pruneStep))
			if err != nil {
				return err
			}
			for rows.Next() {
				var size int64
				if err := rows.Scan(&cut, &size); err != nil {
					rows.Close()
					return err
				}
				step++
				freed += size
			}
			rows.Close()
			if err := rows.Err(); err != nil || step == 0 {
				return err
			}
			for _, q := range []string{`DELETE FROM captures WHERE seq <= ?`, `DELETE FROM search_skipped WHERE seq <= ?`} {
				if _, err := w.exec(q, cut); err != nil {
					return err
				}
			}
			_, err = w.exec(`UPDATE state SET captures = captures - ?, body_bytes = body_bytes - ?`, step, freed)
			return err
		})
		if err != nil {
			return deleted, fmt.Errorf("delete the oldest captures: %w", err)
		}
		if step == 0 {
			break
		}
		deleted += step
		w.garbage = w.s.fts
		w.s.report(Change{Pruned: int(step)})
	}
	w.reclaim(false)
	return deleted, nil
}
