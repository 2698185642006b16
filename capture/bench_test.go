package capture

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

// benchDuration is how long each load run lasts: HOOKLAB_BENCH_SECONDS,
// default 3.
func benchDuration(b *testing.B) time.Duration {
	v := os.Getenv("HOOKLAB_BENCH_SECONDS")
	if v == "" {
		return 3 * time.Second
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs <= 0 {
		b.Fatalf("HOOKLAB_BENCH_SECONDS=%q is not a positive number of seconds", v)
	}
	return time.Duration(secs * float64(time.Second))
}

// loadResult is what one load run measured.
type loadResult struct {
	requests  int
	errors    int
	elapsed   time.Duration
	cpu       time.Duration // this process's CPU time, client included
	latencies []time.Duration
}

// cpuTime returns the CPU time this process has used, read from
// /proc/self/stat (user + system, in clock ticks of 10 ms); 0 where there
// is no /proc.
func cpuTime() time.Duration {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The command name, field 2, may hold spaces: mustCount from its ')'.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func (r loadResult) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// latencyPercentile returns the p-th percentile (0–100) of sorted latencies, in
// milliseconds.
func latencyPercentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return float64(sorted[max(i, 0)]) / float64(time.Millisecond)
}

// benchFiller pads benchBody to 1 KiB with text that looks like a
// webhook description.
var benchFiller = strings.Repeat("Payment for order received via the storefront checkout; charge captured and settled. ", 16)

// benchBody is a 1 KiB JSON body like a payment webhook, with an event id
// and a customer id made from n.
func benchBody(n int) []byte {
	b := make([]byte, 0, 1024)
	b = append(b, `{"id":"evt_`...)
	b = appendPadded(b, n, 8)
	b = append(b, `","type":"payment_intent.succeeded","data":{"object":{"customer":"cus_`...)
	b = appendPadded(b, n%100_000, 6)
	b = append(b, `","amount":`...)
	b = strconv.AppendInt(b, int64(100+n%9000), 10)
	b = append(b, `,"currency":"eur"}},"description":"`...)
	b = append(b, benchFiller[:1024-len(b)-2]...)
	return append(b, `"}`...)
}

func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// serveLoopback runs h on a loopback listener until stop is called.
func serveLoopback(b *testing.B, h http.Handler) (url string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	return URLFor(ln) + "hook", func() { _ = srv.Close() }
}

// driveLoad POSTs 1 KiB bodies to url from conns keep-alive connections for
// d, after a short warm-up that opens the connections.
func driveLoad(b *testing.B, url string, conns int, d time.Duration) loadResult {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	bodies := make([][]byte, 256)
	for i := range bodies {
		bodies[i] = benchBody(i)
	}
	run := func(d time.Duration) loadResult {
		var mu sync.Mutex
		var res loadResult
		var wg sync.WaitGroup
		cpu0 := cpuTime()
		start := time.Now()
		deadline := start.Add(d)
		for w := range conns {
			wg.Go(func() {
				var lat []time.Duration
				errs := 0
				for i := w; time.Now().Before(deadline); i += conns {
					sent := time.Now()
					resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[i%len(bodies)]))
					if err == nil {
						_, err = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if err == nil && resp.StatusCode != http.StatusOK {
							err = errors.New(resp.Status)
						}
					}
					if err != nil {
						errs++
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
		res.cpu = cpuTime() - cpu0
		res.requests = len(res.latencies)
		return res
	}
	run(300 * time.Millisecond)
	res := run(d)
	if res.errors > 0 {
		b.Errorf("%s: %d requests failed", url, res.errors)
	}
	return res
}

// BenchmarkCatcher compares the durable catcher (Server over a
// SQLiteStore) with a bare net/http handler that only reads the body, in
// the same run: 64 keep-alive senders, 1 KiB JSON bodies, each measured
// twice, alternating, to even out noise.
func BenchmarkCatcher(b *testing.B) {
	const conns = 64
	d := benchDuration(b)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	var ceiling, catcher []loadResult
	for round := range 2 {
		url, stop := serveLoopback(b, bare)
		ceiling = append(ceiling, driveLoad(b, url, conns, d))
		stop()

		store, _, err := OpenSQLite(fmt.Sprintf("%s/round%d", b.TempDir(), round), SQLiteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		url, stop = serveLoopback(b, NewServer(store))
		catcher = append(catcher, driveLoad(b, url, conns, d))
		stop()
		if err := store.Close(); err != nil {
			b.Fatal(err)
		}
		if n := catcher[round].requests; n == 0 {
			b.Fatal("the catcher answered no request")
		}
	}
	// merge averages the rates and pools the latencies of runs; cpu is
	// the CPU time per request in µs.
	merge := func(rs []loadResult) (rate, cpu float64, lat []time.Duration) {
		var n int
		var used time.Duration
		for _, r := range rs {
			rate += r.rate() / float64(len(rs))
			lat = append(lat, r.latencies...)
			n += r.requests
			used += r.cpu
		}
		slices.Sort(lat)
		return rate, float64(used.Microseconds()) / float64(n), lat
	}
	ceilRate, ceilCPU, ceilLat := merge(ceiling)
	catRate, catCPU, catLat := merge(catcher)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(ceilRate, "ceiling-req/s")
	b.ReportMetric(catRate, "catcher-req/s")
	b.ReportMetric(catRate/ceilRate, "ratio")
	b.ReportMetric(latencyPercentile(catLat, 50), "p50-ms")
	b.ReportMetric(latencyPercentile(catLat, 99), "p99-ms")
	b.ReportMetric(latencyPercentile(ceilLat, 99), "ceiling-p99-ms")
	b.ReportMetric(ceilCPU, "ceiling-cpu-us/req")
	b.ReportMetric(catCPU, "catcher-cpu-us/req")
	b.Logf("ceiling %.0f req/s (p50 %.2f ms, p99 %.2f ms, %.0f µs CPU/req); catcher %.0f req/s (p50 %.2f ms, p99 %.2f ms, %.0f µs CPU/req); ratio %.2f; %d conns, %v per run, GOMAXPROCS %d",
		ceilRate, latencyPercentile(ceilLat, 50), latencyPercentile(ceilLat, 99), ceilCPU, catRate, latencyPercentile(catLat, 50), latencyPercentile(catLat, 99), catCPU,
		catRate/ceilRate, conns, d, runtime.GOMAXPROCS(0))
}

// fillStore adds n captures with 1 KiB bodies through the store, from 64
// goroutines as the catcher would, spread over five endpoints.
func fillStore(tb testing.TB, s Store, n int) {
	endpoints := []string{"stripe", "github", "shop", "chat", "billing"}
	first := time.Now().Add(-time.Duration(n) * time.Millisecond)
	var wg sync.WaitGroup
	const workers = 64
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				at := first.Add(time.Duration(i) * time.Millisecond)
				c := &Capture{
					ID: NewID(at), Time: at, Method: "POST", Path: "/" + endpoints[i%len(endpoints)] + "/events",
					Proto: "HTTP/1.1", Host: "127.0.0.1:8088", Remote: "127.0.0.1:50000", Status: 200,
					Header: http.Header{"Content-Type": {"application/json"}, "User-Agent": {"Stripe/1.0"}},
					Body:   benchBody(i),
				}
				c.BodySize = int64(len(c.Body))
				if err := s.Add(c); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		tb.Fatal(err)
	}
}

// waitIndexed waits until the idle writer has put every queued search
// text into the FTS index.
func waitIndexed(tb testing.TB, s *SQLiteStore) {
	tb.Helper()
	var n int
	poll.Until(tb, "every search text indexed", func() bool {
		err := s.rdb.QueryRow(`SELECT count(*) FROM captures WHERE seq > (SELECT indexed_through FROM state)`).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			n = 0
		} else if err != nil {
			tb.Fatal(err)
		}
		return n == 0
	}, func() string { return fmt.Sprintf("%d still not indexed", n) })
}

// rssMB returns the resident set size of this process (Linux only).
func rssMB(tb testing.TB) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc/self/status: %v", err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				tb.Fatalf("VmRSS line %q: %v", line, err)
			}
			return kb / 1024
		}
	}
	tb.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// BenchmarkCatcherMemory100k fills a SQLiteStore with 100,000 1 KiB
// captures and reports the resident memory after a GC, once right after
// the fill and once the search index has caught up.
func BenchmarkCatcherMemory100k(b *testing.B) {
	base := rssMB(b)
	s, _, err := OpenSQLite(b.TempDir(), SQLiteOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	fillStore(b, s, 100_000)
	fill := time.Since(start)
	runtime.GC()
	debug.FreeOSMemory()
	filled := rssMB(b)
	start = time.Now()
	waitIndexed(b, s)
	index := time.Since(start)
	runtime.GC()
	debug.FreeOSMemory()
	indexed := rssMB(b)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(filled, "rss-MB")
	b.ReportMetric(indexed, "rss-indexed-MB")
	b.ReportMetric(base, "rss-before-MB")
	b.Logf("100k captures: filled in %v (%.0f/s), indexed %v later; RSS %.0f MB before, %.0f MB filled, %.0f MB indexed",
		fill.Round(time.Millisecond), 100_000/fill.Seconds(), index.Round(time.Millisecond), base, filled, indexed)
}

// BenchmarkStoreSustained keeps a store busy for 20 s: 64 goroutines
// adding captures of 1 KiB through Add with no pause, as a catcher under
// a sustained full-speed load, past retention (100,000) and past the WAL
// soft limit. It reports the rate, the largest the WAL file got and the
// longest Add.
func BenchmarkStoreSustained(b *testing.B) {
	dir := b.TempDir()
	s, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	body := bytes.Repeat([]byte("x"), 1024)
	var mu sync.Mutex
	var peak int64
	var longest time.Duration
	n := 0
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if fi, err := os.Stat(dir + "/" + DBFileName + "-wal"); err == nil {
				mu.Lock()
				peak = max(peak, fi.Size())
				mu.Unlock()
			}
		}
	}()
	const secs = 20
	deadline := time.Now().Add(secs * time.Second)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				now := time.Now()
				c := &Capture{ID: NewID(now), Time: now, Method: "POST", Path: "/stripe/events", Proto: "HTTP/1.1", Host: "127.0.0.1:8088",
					Remote: "127.0.0.1:50000", Status: 200, Header: http.Header{"Content-Type": {"application/json"}},
					Body: body, BodySize: int64(len(body)), RespBody: []byte(`{"ok":true}`)}
				if err := s.Add(c); err != nil {
					b.Error(err)
					return
				}
				took := time.Since(now)
				mu.Lock()
				n++
				longest = max(longest, took)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(n)/secs, "captures/s")
	b.ReportMetric(float64(peak)/(1<<20), "wal-peak-MiB")
	b.ReportMetric(float64(longest)/float64(time.Millisecond), "longest-add-ms")
	b.Logf("%d captures in %d s (%.0f/s); WAL file at most %d MiB; longest Add %v", n, secs, float64(n)/secs, peak>>20, longest.Round(time.Millisecond))
}

// BenchmarkStoreFilter measures what the catcher list does per keystroke
// in the search box: Count(f) and List(f, 0, 200), on 100,000 captures
// with the search index caught up.
func BenchmarkStoreFilter(b *testing.B) {
	s, _, err := OpenSQLite(b.TempDir(), SQLiteOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	fillStore(b, s, 100_000)
	waitIndexed(b, s)
	filters := []struct {
		name string
		f    Filter
		want int // how many match, to prove the filter did its work
	}{
		{"text", Filter{Text: "cus_042017"}, 1},
		{"text-2-words", Filter{Text: "Payment_Intent cus_04201"}, 10},
		{"text-short", Filter{Text: "cus_042017 ur"}, 1},
		{"endpoint", Filter{Endpoint: "github"}, 20_000},
		{"endpoint-text", Filter{Endpoint: "stripe", Text: "cus_0420"}, 20},
		{"method", Filter{Method: "POST"}, 100_000},
		{"status-class", Filter{Status: 2}, 100_000},
		{"since", Filter{Since: time.Now().Add(-time.Hour)}, 100_000},
	}
	for _, tc := range filters {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				n, err := s.Count(tc.f)
				if err != nil {
					b.Fatal(err)
				}
				page, err := s.List(tc.f, 0, 200)
				if err != nil {
					b.Fatal(err)
				}
				if n != tc.want || len(page) != min(n, 200) {
					b.Fatalf("%+v: count %d, page %d; want %d", tc.f, n, len(page), tc.want)
				}
			}
			b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Millisecond), "ms/op")
		})
	}
}
