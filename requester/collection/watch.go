package collection

import (
	"context"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// DefaultWatchInterval is used by Watch when interval is not positive.
const DefaultWatchInterval = time.Second

type stamp struct {
	mod  time.Time
	size int64
}

// Watch polls the *.yml and *.yaml files under root (hidden directories and
// node_modules skipped) every interval and calls onChange with the
// slash-separated paths, relative to root and sorted, of files added,
// removed or changed (modification time or size) since the previous poll.
// The first scan happens before Watch returns, so any later change is
// reported; polling then goes on in a goroutine until ctx is done, and
// onChange is called from that goroutine. A change that keeps both time and
// size is not seen. Use NewWatcher to wait until polling has stopped.
func Watch(ctx context.Context, root string, interval time.Duration, onChange func(changed []string)) error {
	_, err := watch(ctx, root, interval, onChange)
	return err
}

// Watcher polls one folder for changes, as Watch does, until Stop.
type Watcher struct {
	cancel context.CancelFunc
	done   <-chan struct{}
}

// NewWatcher starts polling root as Watch does and returns the running
// watcher; the error is the first scan's (root unreadable, say).
func NewWatcher(root string, interval time.Duration, onChange func(changed []string)) (*Watcher, error) {
	ctx, cancel := context.WithCancel(context.Background())
	done, err := watch(ctx, root, interval, onChange)
	if err != nil {
		cancel()
		return nil, err
	}
	return &Watcher{cancel: cancel, done: done}, nil
}

// Stop ends polling and returns once the polling goroutine has ended:
// after Stop, onChange is neither running nor called again. Calling it
// from onChange deadlocks; calling it again returns at once.
func (w *Watcher) Stop() {
	w.cancel()
	<-w.done
}

// watch is Watch; the channel it returns is closed when the polling
// goroutine ends.
func watch(ctx context.Context, root string, interval time.Duration, onChange func(changed []string)) (<-chan struct{}, error) {
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	prev, err := scan(root)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			cur, err := scan(root)
			if err != nil {
				continue // e.g. the folder is being replaced; try again next tick
			}
			if changed := diff(prev, cur); len(changed) > 0 && ctx.Err() == nil {
				onChange(changed)
			}
			prev = cur
		}
	}()
	return done, nil
}

func scan(root string) (map[string]stamp, error) {
	files := map[string]stamp{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // vanished while walking
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && skipDir(name) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || !isYAML(name) && !isBru(name) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		files[relOf(root, p)] = stamp{fi.ModTime(), fi.Size()}
		return nil
	})
	return files, err
}

func diff(prev, cur map[string]stamp) []string {
	var changed []string
	for p, s := range cur {
		if old, ok := prev[p]; !ok || !old.mod.Equal(s.mod) || old.size != s.size {
			changed = append(changed, p)
		}
	}
	for p := range prev {
		if _, ok := cur[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	return changed
}
