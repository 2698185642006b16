package main

import (
	"encoding/json"
	"io"
	"log"
	"strconv"
	"sync"
	"time"

	"hooklab/capture"
	"hooklab/workspace/forward"
)

// defaultLineBuffer is how many bytes of captures (their bodies, and a
// little for the rest) listen holds for a stdout that is not being read.
const defaultLineBuffer = 64 << 20

// lineQueue prints listen's JSON lines from one goroutine of its own,
// so that a sender is answered once its capture is committed whether or
// not anyone reads stdout: a stalled pipe would otherwise block every
// handler. The same goroutine turns each capture into its line, one at
// a time: a 10 MiB body of NUL bytes makes a 60 MB line, and building
// the lines of many such bodies at once on their senders' goroutines
// took gigabytes. Captures that do not fit in the buffer are dropped
// and counted, and stderr says how many: the captures themselves are
// stored.
type lineQueue struct {
	w      io.Writer
	logger *log.Logger
	max    int

	mu      sync.Mutex
	ready   *sync.Cond // a capture was queued, or the queue closed
	lines   []queued
	bytes   int
	closed  bool
	dropped int // since stderr last said so
	done    chan struct{}
}

func newLineQueue(w io.Writer, maxBytes int, logger *log.Logger) *lineQueue {
	if maxBytes <= 0 {
		maxBytes = defaultLineBuffer
	}
	q := &lineQueue{w: w, logger: logger, max: maxBytes, done: make(chan struct{})}
	q.ready = sync.NewCond(&q.mu)
	go q.run()
	return q
}

// queued is a capture waiting for its line, with how forwarding it
// went when its endpoint is forwarded.
type queued struct {
	c   *capture.Capture
	fwd *forward.Result
}

// lineCost is what a queued capture counts against the buffer.
func lineCost(c *capture.Capture) int { return len(c.Body) + len(c.RespBody) + 1024 }

// add queues c's line and never waits. A capture larger than the whole
// buffer is still taken when the queue is empty, so a big capture is
// printed when stdout keeps up.
func (q *lineQueue) add(c *capture.Capture) { q.push(queued{c: c}) }

// addForwarded queues c's line with "forward" saying how r went.
func (q *lineQueue) addForwarded(c *capture.Capture, r forward.Result) { q.push(queued{c: c, fwd: &r}) }

func (q *lineQueue) push(it queued) {
	c := it.c
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if q.bytes > 0 && q.bytes+lineCost(c) > q.max {
		if q.dropped == 0 {
			q.logger.Printf("stdout is not being read: captures are stored, but their lines are dropped until it is")
		}
		q.dropped++
		return
	}
	q.lines = append(q.lines, it)
	q.bytes += lineCost(c)
	q.ready.Signal()
}

func (q *lineQueue) run() {
	defer close(q.done)
	for {
		q.mu.Lock()
		for len(q.lines) == 0 && !q.closed {
			q.ready.Wait()
		}
		if len(q.lines) == 0 {
			q.mu.Unlock()
			return
		}
		it := q.lines[0]
		q.lines[0] = queued{}
		q.lines = q.lines[1:]
		q.mu.Unlock()
		c := it.c
		err := q.print(it)
		q.mu.Lock()
		// The capture leaves the buffer only once written: until then it
		// holds its memory.
		q.bytes -= lineCost(c)
		dropped := q.dropped
		if err == nil {
			q.dropped = 0
		}
		q.mu.Unlock()
		if err != nil {
			q.logger.Printf("stdout: %v", err)
		} else if dropped > 0 {
			q.logger.Printf("%s while stdout was not read (hooklab export has them)", notPrinted(dropped))
		}
	}
}

// print writes c's JSON line. The encoder makes the line in its own
// pooled buffer, reused from line to line, and hands it to stdout in one
// write (it ends it with '\n'); stdout is unbuffered, so a pipe sees it
// at once. A line's fields are strings and maps of them: only the write
// can fail.
func (q *lineQueue) print(it queued) error {
	l := it.c.JSONLine()
	if it.fwd != nil {
		l.Forward = it.fwd.JSON()
	}
	return json.NewEncoder(q.w).Encode(l)
}

// close prints what is queued, waiting at most grace for a stdout that
// does not take it, and then says how many lines were never printed.
func (q *lineQueue) close(grace time.Duration) {
	q.mu.Lock()
	q.closed = true
	q.ready.Signal()
	q.mu.Unlock()
	select {
	case <-q.done:
	case <-time.After(grace):
	}
	q.mu.Lock()
	n := q.dropped + len(q.lines)
	q.dropped, q.lines = 0, nil
	q.mu.Unlock()
	if n > 0 {
		q.logger.Printf("%s: stdout was not read", notPrinted(n))
	}
}

func notPrinted(n int) string {
	if n == 1 {
		return "1 capture was not printed"
	}
	return strconv.Itoa(n) + " captures were not printed"
}

// shutdownGrace is how long listen, stopping, waits for stdout to take
// the lines still queued.
const shutdownGrace = 2 * time.Second
