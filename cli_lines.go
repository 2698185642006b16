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

// defaultLineBuffer is how many bytes of JSON lines listen holds for a
// stdout that is not being read.
const defaultLineBuffer = 64 << 20

// lineQueue prints listen's JSON lines from one goroutine of its own,
// so that a sender is answered once its capture is committed whether or
// not anyone reads stdout: a stalled pipe would otherwise block every
// handler. Lines that do not fit in the buffer are dropped and counted,
// and stderr says how many: the captures themselves are stored.
type lineQueue struct {
	w      io.Writer
	logger *log.Logger
	max    int

	mu      sync.Mutex
	ready   *sync.Cond // a line was queued, or the queue closed
	lines   [][]byte
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

// add queues line (ending in a newline) and never waits. A line larger
// than the whole buffer is still taken when the queue is empty, so a
// big capture is printed when stdout keeps up.
func (q *lineQueue) add(line []byte) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if q.bytes > 0 && q.bytes+len(line) > q.max {
		if q.dropped == 0 {
			q.logger.Printf("stdout is not being read: captures are stored, but their lines are dropped until it is")
		}
		q.dropped++
		return
	}
	q.lines = append(q.lines, line)
	q.bytes += len(line)
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
		line := q.lines[0]
		q.lines[0] = nil
		q.lines = q.lines[1:]
		q.mu.Unlock()
		// One write per line: stdout is unbuffered, so a pipe sees it now.
		_, err := q.w.Write(line)
		q.mu.Lock()
		// The line leaves the buffer only once written: until then it
		// holds its memory.
		q.bytes -= len(line)
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

// forwardJSON is the "forward" member of a JSON line: how delivering
// the capture to its endpoint's --forward URL went.
type forwardJSON struct {
	URL      string `json:"url"`
	Status   int    `json:"status,omitempty"`
	MS       int64  `json:"ms"`
	Attempts int    `json:"attempts"`
	Error    string `json:"error,omitempty"`
}

// printLine queues c's JSON line, with "forward" when r is set.
func printLine(lines *lineQueue, logger *log.Logger, c *capture.Capture, r *forward.Result) {
	line, err := c.MarshalJSONLine()
	if err != nil {
		logger.Printf("capture %s: %v", c.ID, err)
		return
	}
	if r != nil && len(line) > 1 && line[len(line)-1] == '}' {
		fw, _ := json.Marshal(forwardJSON{URL: r.URL, Status: r.Status, MS: r.Time.Milliseconds(), Attempts: r.Attempts, Error: r.Err})
		line = append(append(append(line[:len(line)-1], `,"forward":`...), fw...), '}')
	}
	lines.add(append(line, '\n'))
}
