package capture

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// maxWAL is about how large the WAL may grow before the writer starts it
// over itself. Passive checkpoints copy pages back into the database but
// cannot start over a WAL that is written to all the time: under a
// sustained load it would grow for as long as the load lasts. It is
// twice what the writer lets pile up before asking for a checkpoint, so
// a burst that ends before that is copied back by a passive checkpoint
// and never holds the writer for a restart.
const maxWAL = 2 * maxUncheckpointed

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
	// walTooLarge tells the writer that the WAL passed maxWAL.
	walTooLarge atomic.Bool
}

func newCheckpointer(conn *sql.Conn) (*checkpointer, error) {
	c := &checkpointer{conn: conn, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
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
			err := c.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
			if err == nil && frames*c.pageSize > maxWAL {
				c.walTooLarge.Store(true)
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
