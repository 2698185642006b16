package capture

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAbuse drives the durable catcher, served as the app and
// `hooklab listen` serve it (NewHTTPServer's connection limits), with
// legitimate senders while hostile clients run beside them:
//   - slowloris: connections that send a request head a byte a second;
//   - idle keep-alive: connections that send one request, then nothing;
//   - slow body: a 10 MB Content-Length sent at 1 KiB a second;
//   - malformed: a stream of broken request lines, heads and chunked bodies.
//
// It runs once with 64 and once with 512 legitimate keep-alive senders,
// each for HOOKLAB_ABUSE_SECONDS (default 30), loopback only, and stops
// by itself. It reports the legitimate senders' throughput, p99 and
// errors, the process's peak resident memory (clients included), and
// captures acknowledged but not stored, which must be 0.
func BenchmarkAbuse(b *testing.B) {
	d := 30 * time.Second
	if v := os.Getenv("HOOKLAB_ABUSE_SECONDS"); v != "" {
		secs, err := strconv.ParseFloat(v, 64)
		if err != nil || secs <= 0 {
			b.Fatalf("HOOKLAB_ABUSE_SECONDS=%q is not a positive number of seconds", v)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	for _, senders := range []int{64, 512} {
		b.Run(fmt.Sprintf("senders=%d", senders), func(b *testing.B) {
			r := runAbuse(b, senders, d)
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(r.rate(), "req/s")
			b.ReportMetric(latencyPercentile(r.latencies, 99), "p99-ms")
			b.ReportMetric(float64(r.errors), "errors")
			b.ReportMetric(r.peakMB, "peak-rss-MB")
			b.ReportMetric(float64(r.lost), "lost")
			b.ReportMetric(float64(r.hostile), "hostile-conns")
			b.Logf("%d senders for %v beside %d hostile connections: %.0f req/s, p99 %.1f ms, %d errors, peak RSS %.0f MB, %d acknowledged, %d lost",
				senders, d, r.hostile, r.rate(), latencyPercentile(r.latencies, 99), r.errors, r.peakMB, r.requests, r.lost)
			if r.lost > 0 {
				b.Errorf("%d acknowledged captures were not stored", r.lost)
			}
			if r.requests == 0 {
				b.Error("no legitimate request was answered")
			}
		})
	}
}

type abuseResult struct {
	loadResult
	peakMB  float64
	lost    int
	hostile int64
}

func runAbuse(b *testing.B, senders int, d time.Duration) abuseResult {
	// No retention: every acknowledged capture must still be there to
	// be counted (the defaults keep the newest 100,000).
	store, _, err := OpenSQLite(b.TempDir(), SQLiteOptions{MaxCaptures: 1 << 30, MaxBodyBytes: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv, wrapped := NewHTTPServer(ln, NewServer(store), ConnLimits{}, nil)
	go func() { _ = srv.Serve(wrapped) }()
	defer srv.Close()
	addr := ln.Addr().String()
	url := "http://" + addr + "/legit"

	resetPeakRSS()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var hostile atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { slowloris(ctx, addr, &hostile) })
	}
	for range 200 {
		wg.Go(func() { idleKeepAlive(ctx, addr, &hostile) })
	}
	for range 20 {
		wg.Go(func() { slowBody(ctx, addr, &hostile) })
	}
	for range 2 {
		wg.Go(func() { malformed(ctx, addr, &hostile) })
	}
	res := legitLoad(ctx, url, senders)
	cancel()
	wg.Wait()

	n, err := store.Count(Filter{Endpoint: "legit"})
	if err != nil {
		b.Fatal(err)
	}
	return abuseResult{loadResult: res, peakMB: peakRSSMB(), lost: max(res.requests-n, 0), hostile: hostile.Load()}
}

// legitLoad POSTs 1 KiB bodies from senders keep-alive connections
// until ctx ends; latencies are those of acknowledged requests.
func legitLoad(ctx context.Context, url string, senders int) loadResult {
	tr := &http.Transport{MaxIdleConns: senders, MaxIdleConnsPerHost: senders, MaxConnsPerHost: senders}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var res loadResult
	var wg sync.WaitGroup
	start := time.Now()
	for w := range senders {
		wg.Go(func() {
			var lat []time.Duration
			errs := 0
			for i := w; ctx.Err() == nil; i += senders {
				sent := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(benchBody(i)))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s", resp.Status)
					}
				}
				if err != nil {
					if ctx.Err() == nil {
						errs++
					}
					continue
				}
				lat = append(lat, time.Since(sent))
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.requests = len(res.latencies)
	slices.Sort(res.latencies)
	return res
}

// dialHostile connects and counts the connection; nil when ctx ended
// or the catcher refused it.
func dialHostile(ctx context.Context, addr string, n *atomic.Int64) net.Conn {
	var dl net.Dialer
	c, err := dl.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil
	}
	n.Add(1)
	context.AfterFunc(ctx, func() { c.Close() })
	return c
}

// tick waits d or until ctx ends, and says whether to go on.
func tick(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// slowloris sends a request head a byte a second, reconnecting when the
// catcher hangs up.
func slowloris(ctx context.Context, addr string, n *atomic.Int64) {
	head := []byte("POST /slow HTTP/1.1\r\nHost: x\r\nX-Padding: " + strings.Repeat("a", 4096) + "\r\n\r\n")
	for ctx.Err() == nil {
		c := dialHostile(ctx, addr, n)
		if c == nil {
			tick(ctx, time.Second)
			continue
		}
		for _, ch := range head {
			if _, err := c.Write([]byte{ch}); err != nil || !tick(ctx, time.Second) {
				break
			}
		}
		c.Close()
	}
}

// idleKeepAlive sends one request, reads the answer, and stays silent,
// reconnecting when the catcher hangs up.
func idleKeepAlive(ctx context.Context, addr string, n *atomic.Int64) {
	for ctx.Err() == nil {
		c := dialHostile(ctx, addr, n)
		if c == nil {
			tick(ctx, time.Second)
			continue
		}
		fmt.Fprintf(c, "POST /idle HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
		br := bufio.NewReader(c)
		if resp, err := http.ReadResponse(br, nil); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		// Blocks until the catcher closes the idle connection or ctx ends.
		_, _ = io.Copy(io.Discard, br)
		c.Close()
	}
}

// slowBody announces 10 MB and sends 1 KiB a second.
func slowBody(ctx context.Context, addr string, n *atomic.Int64) {
	chunk := bytes.Repeat([]byte("x"), 1024)
	for ctx.Err() == nil {
		c := dialHostile(ctx, addr, n)
		if c == nil {
			tick(ctx, time.Second)
			continue
		}
		fmt.Fprintf(c, "POST /slowbody HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
		for {
			if _, err := c.Write(chunk); err != nil || !tick(ctx, time.Second) {
				break
			}
		}
		c.Close()
	}
}

// malformedRequests are sent in turn, each on a new connection.
var malformedRequests = []string{
	"GARBAGE\r\n\r\n",
	"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
	"POST /m HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
	"POST /m HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
	"POST /m HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
	"POST /m HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
	"POST /m HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x00\x00",
	"\x00\x01\x02\x03\xff\xfe\r\n\r\n",
}

// malformed sends broken requests, one per connection, as fast as
// the catcher answers them.
func malformed(ctx context.Context, addr string, n *atomic.Int64) {
	for i := 0; ctx.Err() == nil; i++ {
		c := dialHostile(ctx, addr, n)
		if c == nil {
			tick(ctx, 10*time.Millisecond)
			continue
		}
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		_, _ = io.WriteString(c, malformedRequests[i%len(malformedRequests)])
		// One answer (a 400, or a 200 for what the catcher could keep),
		// or the catcher hanging up.
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
			resp.Body.Close()
		}
		c.Close()
	}
}

// resetPeakRSS resets the kernel's peak resident size of this process
// (VmHWM), so peakRSSMB measures from here; a no-op without /proc.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMB is VmHWM, the peak resident size since resetPeakRSS; 0
// without /proc.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
