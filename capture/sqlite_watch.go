package capture

import (
	"context"
	"time"
)

// watchInterval is how often a store looks for commits made elsewhere.
var watchInterval = time.Second

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
// connection, so there a change means someone else wrote.
func (s *SQLiteStore) watch() *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(watchInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
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

// dataVersion reads PRAGMA data_version on the writer's connection;
// -1 when it cannot.
func (w *writer) dataVersion() int64 {
	var v int64
	if err := w.conn.QueryRowContext(w.ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return -1
	}
	return v
}

// lookForOthers reports an External change when another connection
// committed since the writer last looked.
func (w *writer) lookForOthers() {
	v := w.dataVersion()
	if v < 0 {
		return // the next look compares with the last good reading
	}
	if w.seenVersion >= 0 && v != w.seenVersion {
		w.s.report(Change{External: true})
	}
	w.seenVersion = v
}

func (w *watcher) stop() {
	w.cancel()
	<-w.done
}
