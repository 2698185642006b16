package ui

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// replayKeep is how long a replay's body file outlives the tabs that
// use it: another Hooklab on the same data directory may still have one
// open.
const replayKeep = 24 * time.Hour

// pruneReplays removes the body files in dir that no saved tab uses
// (keep) and that were written before cutoff. Failures are left for the
// next time.
func pruneReplays(dir string, keep map[string]bool, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.IsDir() || keep[path] || !strings.HasPrefix(e.Name(), "replay-") {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			os.Remove(path)
		}
	}
}
