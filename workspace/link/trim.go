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

// DropPruned deletes the links of captures the capture store pruned
// (deleted, oldest first, to stay within its limits) and returns how
// many it deleted. Links are made in the order their captures arrive,
// so those of pruned captures are the oldest: it looks at the oldest
// links first (capture.Shared.DropPruned), so its cost follows what was
// pruned, not what is kept.
func (s *Store) DropPruned(ctx context.Context) (int, error) {
	n, err := s.db.DropPruned(ctx, "links", "rowid")
	if err != nil {
		return n, fmt.Errorf("drop the links of pruned captures: %w", err)
	}
	return n, nil
}
