package capture

import (
	"database/sql"
	"errors"
	"fmt"
)

// The store's other writes on the writer: Delete, Clear, SetRule and
// DeleteRule. Foreign writes (WriteTx) are in sqlite_share.go.

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
		for _, q := range []string{`DELETE FROM links WHERE capture_id = ?`, `DELETE FROM forwards WHERE capture_id = ?`} {
			if _, err := w.exec(q, id); err != nil {
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
	_, err := w.clearCounted()
	return err
}

// clearCounted is clearCaptures, returning how many captures the
// DELETE removed: a count taken before it could miss a capture another
// process stored in between.
func (w *writer) clearCounted() (deleted int64, err error) {
	// On a full disk the reserve makes room for the DELETE and the
	// VACUUM after it (see reclaim). No checkpoint before: the WAL may
	// hold what the database file does not, and copying it would take
	// that room.
	w.s.releaseReserve()
	err = w.tx(func() error {
		queries := []string{`DELETE FROM captures`, `DELETE FROM search_skipped`, `UPDATE state SET captures = 0, body_bytes = 0`,
			`DELETE FROM links`, `DELETE FROM link_captures`, `DELETE FROM forwards`}
		if w.s.fts {
			queries = append(queries, `DROP TABLE search`, ftsSchema)
		}
		for i, q := range queries {
			res, err := w.exec(q)
			if err != nil {
				return err
			}
			if i == 0 {
				if deleted, err = res.RowsAffected(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("clear captures: %w", err)
	}
	w.garbage = false
	w.s.report(Change{Cleared: true})
	w.reclaim(true)
	return deleted, nil
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
