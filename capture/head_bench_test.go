package capture

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
)

// serveGuarded runs h on a loopback listener through NewHTTPServer with
// l, as the app serves the catcher, until stop is called.
func serveGuarded(b *testing.B, h http.Handler, l ConnLimits) (url string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv, wrapped := NewHTTPServer(ln, h, l, nil)
	go func() { _ = srv.Serve(wrapped) }()
	return URLFor(ln) + "hook", func() { _ = srv.Close() }
}

// BenchmarkCatcherHead measures what recording each request's head
// costs: the durable catcher served as the app serves it (NewHTTPServer)
// without and with RecordHeads, each against a bare net/http handler
// that only reads the body, in the same run, alternating, twice (the
// two catchers in the other order the second time). It
// reports both ratios and the CPU time per request.
func BenchmarkCatcherHead(b *testing.B) {
	const conns = 64
	d := benchDuration(b)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	var ceiling, without, with []loadResult
	for round := range 2 {
		url, stop := serveLoopback(b, bare)
		ceiling = append(ceiling, driveLoad(b, url, conns, d))
		stop()
		// Each round in the other order, so neither always runs second.
		order := []bool{false, true}
		if round == 1 {
			order = []bool{true, false}
		}
		for _, heads := range order {
			store, _, err := OpenSQLite(fmt.Sprintf("%s/round%d-%v", b.TempDir(), round, heads), SQLiteOptions{})
			if err != nil {
				b.Fatal(err)
			}
			url, stop := serveGuarded(b, NewServer(store), ConnLimits{RecordHeads: heads})
			res := driveLoad(b, url, conns, d)
			stop()
			if err := store.Close(); err != nil {
				b.Fatal(err)
			}
			if res.requests == 0 {
				b.Fatal("the catcher answered no request")
			}
			if heads {
				with = append(with, res)
			} else {
				without = append(without, res)
			}
		}
	}
	avg := func(rs []loadResult) (rate, cpu float64) {
		var n int
		var used float64
		for _, r := range rs {
			rate += r.rate() / float64(len(rs))
			n += r.requests
			used += float64(r.cpu.Microseconds())
		}
		return rate, used / float64(n)
	}
	ceilRate, ceilCPU := avg(ceiling)
	offRate, offCPU := avg(without)
	onRate, onCPU := avg(with)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(offRate/ceilRate, "ratio-no-heads")
	b.ReportMetric(onRate/ceilRate, "ratio-heads")
	b.ReportMetric(offCPU, "no-heads-cpu-us/req")
	b.ReportMetric(onCPU, "heads-cpu-us/req")
	b.Logf("bare %.0f req/s (%.0f µs CPU/req); catcher without heads %.0f req/s (%.0f µs), ratio %.2f; with heads %.0f req/s (%.0f µs), ratio %.2f; %d conns, %v per run",
		ceilRate, ceilCPU, offRate, offCPU, offRate/ceilRate, onRate, onCPU, onRate/ceilRate, conns, d)
}

// BenchmarkHeadTee is the tee's own work for one request as the load
// client sends it (its head and a 1 KiB body in one read), taking the
// head as the handler does.
func BenchmarkHeadTee(b *testing.B) {
	req := []byte("POST /hook HTTP/1.1\r\nHost: 127.0.0.1:8088\r\nUser-Agent: Go-http-client/1.1\r\nContent-Length: 1024\r\n" +
		"Content-Type: application/json\r\nAccept-Encoding: gzip\r\n\r\n")
	req = append(req, make([]byte, 1024)...)
	tee := newHeadTee(0)
	b.ReportAllocs()
	for b.Loop() {
		tee.write(req)
		if tee.take("POST", "/hook") == nil {
			b.Fatal("no head")
		}
	}
}
