package sandbox

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// defaultLogEvery is Options.LogEvery's default.
const defaultLogEvery = 5 * time.Second

// logLimiter writes the delivery log at most one line every `every`:
// the first line at once, then one summary line per interval counting
// the lines in between and repeating the last, so a dead callback URL
// under hundreds of payments does not flood the terminal while no
// failure goes uncounted. A negative every writes every line.
type logLimiter struct {
	logf  func(format string, args ...any)
	every time.Duration
	now   func() time.Time
	// after runs fn once d has passed (time.AfterFunc; tests fake it).
	after func(d time.Duration, fn func())

	mu       sync.Mutex
	last     time.Time // when a line was last written
	quiet    int       // lines since, not written
	lastLine string
	pending  bool // a summary is scheduled
	stopped  bool
}

func newLogLimiter(logf func(string, ...any), every time.Duration) *logLimiter {
	if every == 0 {
		every = defaultLogEvery
	}
	return &logLimiter{logf: logf, every: every, now: time.Now, after: func(d time.Duration, fn func()) { time.AfterFunc(d, fn) }}
}

// printf logs one line of the delivery log, or counts it.
func (l *logLimiter) printf(format string, args ...any) {
	if l.every < 0 {
		l.logf(format, args...)
		return
	}
	line := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if since := now.Sub(l.last); !l.last.IsZero() && since < l.every {
		l.quiet++
		l.lastLine = line
		if !l.pending && !l.stopped {
			l.pending = true
			l.after(l.every-since, l.flush)
		}
		return
	}
	l.flushLocked()
	l.logf("%s", line)
	l.last = now
}

// flush writes the summary of the lines counted since the last one.
func (l *logLimiter) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = false
	l.flushLocked()
}

// stop writes what is counted and schedules nothing more.
func (l *logLimiter) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	l.flushLocked()
}

func (l *logLimiter) flushLocked() {
	if l.quiet == 0 {
		return
	}
	what := fmt.Sprintf("%d more delivery log lines", l.quiet)
	if l.quiet == 1 {
		what = "1 more delivery log line"
	}
	l.logf("sandbox: %s since %s; the last: %s", what, l.last.Format("15:04:05"), strings.TrimPrefix(l.lastLine, "sandbox: "))
	l.last, l.quiet, l.lastLine = l.now(), 0, ""
}
