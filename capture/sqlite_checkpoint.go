package capture

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"
)

// checkpointGap is the least time between two checkpoint passes while
// the writer keeps asking (a WAL past the soft limit under a sustained
// load): each pass copies what came since the last and syncs the
// database file, so back-to-back passes would spend more on syncs than
// on pages.
const checkpointGap = 50 * time.Millisecond

// quickPass is how short a pass that copied the whole WAL must have been
// for the writer to finish the job itself (see writer.wrote): then little
// came in since, and the writer's own pass holds the captures briefly.
const quickPass = 25 * time.Millisecond

// checkpointer copies WAL pages back into the database (PRAGMA
// wal_checkpoint(PASSIVE)) on its own connection, when the writer asks.
// A PASSIVE checkpoint never blocks the writer, so the page copying and
// the fsyncs that come with it stay off the path of every Add; SQLite's
// automatic checkpoint would run them inside the commit that crosses the
// threshold.
type checkpointer struct {
	conn     *sql.Conn
	pageSize int64
	kick     chan struct{} // capacity 1: requests coalesce
	quit     chan struct{}
	done     chan struct{}
	// hardLimit is the WAL size past which the writer restarts the WAL.
	hardLimit int64
	gap       time.Duration
	// walTooLarge tells the writer that the WAL passed hardLimit.
	walTooLarge atomic.Bool
	// After each pass: how large the WAL was, and whether the pass
	// copied all of it, quickly.
	walBytes atomic.Int64
	caughtUp atomic.Bool
	// now and after time the passes: how long one took, and the gap
	// before the next (time.Now and time.After). A test replaces them
	// before the store's first write, to run the passes one at a time
	// between commits of its choosing.
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
}

func newCheckpointer(conn *sql.Conn, hardLimit int64, gap time.Duration) (*checkpointer, error) {
	c := &checkpointer{conn: conn, hardLimit: hardLimit, gap: gap, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}),
		now: time.Now, after: time.After}
	err := conn.QueryRowContext(context.Background(), `PRAGMA page_size`).Scan(&c.pageSize)
	return c, err
}

func (c *checkpointer) request() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.kick:
			// A failed checkpoint loses nothing: the frames stay in the
			// WAL and the next one copies them.
			var busy, frames, copied int64
			start := c.now()
			err := c.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
			if err == nil {
				c.walBytes.Store(frames * c.pageSize)
				// A long pass is not caught up: commits kept coming while
				// it copied.
				c.caughtUp.Store(copied == frames && c.now().Sub(start) < quickPass)
				if frames*c.pageSize > c.hardLimit {
					c.walTooLarge.Store(true)
				}
			}
			// Pace the passes a busy writer keeps asking for.
			select {
			case <-c.after(c.gap):
			case <-c.quit:
				return
			}
		case <-c.quit:
			return
		}
	}
}

// stop ends run; the last connection to close checkpoints what is left.
func (c *checkpointer) stop() {
	close(c.quit)
	<-c.done
}
