package capture

import (
	"context"
	"time"
)

// watchInterval is how often a store looks for commits made elsewhere
// (unless SQLiteOptions.watchTicks drives its watcher).
const watchInterval = time.Second

// watcher notices commits made through other connections, such as
// `hooklab captures clear` run while the window is open, and reports
// them as an External change so the list catches up without waiting
// for the next capture.
type watcher struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// watch starts the store's watcher. It asks the writer to look, rather
// than looking on a connection of its own: PRAGMA data_version changes
// whenever a connection other than the one asking committed, and every
// commit of this store (history's too) is made on the writer's
// connection, so there a change means someone else wrote. The
// starting point is the writer's, read when the store opened
// (newWriter), so a commit made elsewhere before the first look is
// reported by that look.
func (s *SQLiteStore) watch() *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{cancel: cancel, done: make(chan struct{})}
	ticks := s.opts.watchTicks
	var ticker *time.Ticker
	if ticks == nil {
		ticker = time.NewTicker(watchInterval)
		ticks = ticker.C
	}
	go func() {
		defer close(w.done)
		if ticker != nil {
			defer ticker.Stop()
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticks:
			}
			// After Close the writer is gone and this fails; the watcher
			// is stopped right after.
			_ = s.do(func(w *writer) error {
				w.lookForOthers()
				return nil
			})
		}
	}()
	return w
}

// dataVersion reads PRAGMA data_version on the writer's connection.
func (w *writer) dataVersion() (int64, error) {
	var v int64
	err := w.conn.QueryRowContext(w.ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}

// lookForOthers reports an External change when another connection
// committed since the writer last looked.
func (w *writer) lookForOthers() {
	v, err := w.dataVersion()
	if err != nil {
		return // the next look compares with the last good reading
	}
	if v != w.seenVersion {
		w.s.report(Change{External: true})
	}
	w.seenVersion = v
}

func (w *watcher) stop() {
	w.cancel()
	<-w.done
}
