package catcher

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkBurstToList sends 1,000 webhooks from 50 concurrent senders
// to the real catcher and store, with the real list in a headless
// window, and reports how long after the last acknowledgement the list
// showed all of them (catchup-ms, budget 250) and the longest UI
// callback meanwhile (max-ui-block-ms, budget 50), with the CPU time
// the longest one used (max-ui-cpu-ms: on a loaded machine the wall
// time includes the time other processes held the core). Run it with
// -benchtime 1x: one burst is the measurement.
func BenchmarkBurstToList(b *testing.B) {
	const senders, n = 50, 1000
	var catchup, block, cpuBlock time.Duration
	measured := false
	// The UI goroutine keeps one OS thread, so its CPU time can be read.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for i := range b.N {
		r := newRig(b)
		c := r.c
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			lastAck time.Time
			failed  error
		)
		done := make(chan struct{})
		for g := range senders {
			wg.Go(func() {
				for k := range n / senders {
					res, err := client.Post(fmt.Sprintf("%s/burst%d/%d/%d", r.url, i, g, k), "application/json", strings.NewReader(`{"n":1}`))
					at := time.Now()
					mu.Lock()
					if err != nil && failed == nil {
						failed = err
					}
					if err == nil && at.After(lastAck) {
						lastAck = at
					}
					mu.Unlock()
					if err == nil {
						res.Body.Close()
					}
				}
			})
		}
		go func() { wg.Wait(); close(done) }()
		// The test goroutine is the UI goroutine: run its work, timing
		// each callback, until the burst is acknowledged and listed.
		var shownAt time.Time
		acked := false
		deadline := time.After(2 * time.Minute)
		tick := time.NewTicker(time.Millisecond)
		for !acked || shownAt.IsZero() {
			select {
			case f := <-r.loop.Q:
				start := time.Now()
				cpu0, _ := threadCPU()
				f()
				block = max(block, time.Since(start))
				if cpu1, ok := threadCPU(); ok {
					cpuBlock, measured = max(cpuBlock, cpu1-cpu0), true
				}
			case <-done:
				acked, done = true, nil
			case <-tick.C:
			case <-deadline:
				b.Fatalf("timed out: %d of %d listed", c.Total(), n)
			}
			if shownAt.IsZero() && c.Total() == n && c.pager.all == n {
				shownAt = time.Now()
			}
		}
		tick.Stop()
		if failed != nil {
			b.Fatal(failed)
		}
		catchup = max(catchup, shownAt.Sub(lastAck))
		client.CloseIdleConnections()
	}
	b.ReportMetric(float64(catchup.Microseconds())/1000, "catchup-ms")
	b.ReportMetric(float64(block.Microseconds())/1000, "max-ui-block-ms")
	if measured {
		b.ReportMetric(float64(cpuBlock.Microseconds())/1000, "max-ui-cpu-ms")
	}
}
