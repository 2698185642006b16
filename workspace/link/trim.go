package link

import (
	"context"
	"fmt"
)

// Keeping the link tables to what is still there. Deleting a capture or
// clearing them drops their links in the same write (the capture
// store's); what the stores drop to stay within their limits is trimmed
// here, a bounded amount at a time.

// ForgetRequestsBefore drops the identifiers of the requests whose ids
// are below first, the oldest history entry kept, so that no capture
// links to an entry the history dropped to stay within its limit. Ids
// grow as entries are added, so every id below the oldest kept one is
// gone; the delete is a range of an index (link_requests_request),
// empty but for the entries dropped since the last call.
func (s *Store) ForgetRequestsBefore(ctx context.Context, first int64) error {
	err := s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM link_requests WHERE request_id < ?`, first)
		return err
	})
	if err != nil {
		return fmt.Errorf("forget the identifiers of requests before %d: %w", first, err)
	}
	return nil
}

// trimStep is how many links DropPruned looks at in one write.
const trimStep = 256

// DropPruned deletes the links of captures the capture store pruned
// (deleted, oldest first, to stay within its limits) and returns how
// many it deleted. Links are made in the order their captures arrive,
// so those of pruned captures are the oldest: it looks at the oldest
// links, trimStep at a time, and stops at a step that found a capture
// still kept. Its cost follows what was pruned, not what is kept.
func (s *Store) DropPruned(ctx context.Context) (int, error) {
	dropped := 0
	for {
		n, more, err := s.dropPrunedStep(ctx)
		dropped += n
		if err != nil {
			return dropped, fmt.Errorf("drop the links of pruned captures: %w", err)
		}
		if !more {
			return dropped, nil
		}
	}
}

// dropPrunedStep deletes the links among the trimStep oldest whose
// capture is gone; more is set when all of them were.
func (s *Store) dropPrunedStep(ctx context.Context) (n int, more bool, err error) {
	err = s.db.Write(ctx, func(ctx context.Context, tx Tx) error {
		n, more = 0, false
		rows, err := tx.QueryContext(ctx, `SELECT l.rowid, c.seq IS NULL FROM links l
			LEFT JOIN captures c ON c.id = l.capture_id ORDER BY l.rowid LIMIT ?`, trimStep)
		if err != nil {
			return err
		}
		var gone []int64
		seen := 0
		for rows.Next() {
			var row int64
			var isGone bool
			if err := rows.Scan(&row, &isGone); err != nil {
				rows.Close()
				return err
			}
			seen++
			if isGone {
				gone = append(gone, row)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, row := range gone {
			if _, err := tx.ExecContext(ctx, `DELETE FROM links WHERE rowid = ?`, row); err != nil {
				return err
			}
		}
		n, more = len(gone), seen == trimStep && len(gone) == seen
		return nil
	})
	return n, more, err
}
