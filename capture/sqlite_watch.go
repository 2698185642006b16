package capture

import (
	"context"
	"time"
)

// watchInterval is how often a store looks for commits made elsewhere.
var watchInterval = time.Second

// watcher notices commits made through other connections, such as
// `hooklab captures clear` run while the window is open, and raises
// Changed so the list catches up without waiting for the next capture.
type watcher struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// watch starts the store's watcher. PRAGMA data_version, asked on one
// connection, changes whenever another connection committed; the
// store's own writes are among those, but Changed coalesces.
func (s *SQLiteStore) watch() *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		conn, err := s.rdb.Conn(ctx)
		if err != nil {
			return
		}
		defer conn.Close()
		t := time.NewTicker(watchInterval)
		defer t.Stop()
		last := int64(-1)
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var v int64
			if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
				continue
			}
			if last >= 0 && v != last {
				s.signal()
			}
			last = v
		}
	}()
	return w
}

func (w *watcher) stop() {
	w.cancel()
	<-w.done
}
