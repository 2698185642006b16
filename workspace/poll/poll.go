// Package poll is test support: waiting, with a deadline, for something
// another goroutine does. It imports only the standard library, so any
// package's tests may use it.
package poll

import (
	"strings"
	"testing"
	"time"
)

// limit is how long Until waits before failing: generous, so that a
// machine whose cores are busy with other work never fails a test that
// is only slow. It is a safety net against a hang, not a timing
// assertion. interval is how often cond is asked.
var (
	limit    = 60 * time.Second
	interval = 2 * time.Millisecond
)

// Until asks cond every few milliseconds until it returns true. If it
// is still false after the deadline, Until fails the test with
// t.Fatalf, naming what it waited for and adding what each show
// returns (what was seen instead). Call it from the test's goroutine.
func Until(t testing.TB, what string, cond func() bool, show ...func() string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			var seen strings.Builder
			for _, s := range show {
				seen.WriteString("\n")
				seen.WriteString(s())
			}
			t.Fatalf("timed out waiting for %s (%v)%s", what, limit, seen.String())
			return
		}
		time.Sleep(interval)
	}
}
