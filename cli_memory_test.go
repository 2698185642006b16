package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

// BenchmarkListenMemory measures the peak resident memory (VmHWM) of a
// `hooklab listen` process of its own (this test binary run as the
// command) under the two loads of issue 16: 100 connections each holding
// a nearly complete 10 MiB body and then finishing it, and 50 concurrent
// POSTs of 10 MB. It reports the peak in MB (hwm-MB) and how many
// senders were answered 200 and 503. Linux only (/proc).
//
//	go test -tags migrated_fynedo -run '^$' -bench ListenMemory -benchtime 1x .
func BenchmarkListenMemory(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	for _, tc := range []struct {
		name string
		load func(b *testing.B, addr string) (ok, refused int)
	}{
		{"hold100x10MiB", holdBodies},
		{"post50x10MB", postBodies},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				cmd := command(b, "LANG=C.UTF-8", "listen", "--addr", "127.0.0.1:0", "--sandbox-addr", "127.0.0.1:0",
					"--data-dir", b.TempDir(), "--max-conns", "200")
				var stderr syncBuffer
				cmd.Stderr = &stderr
				out, err := cmd.StdoutPipe()
				if err != nil {
					b.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				go func() { _, _ = io.Copy(io.Discard, out) }()
				poll.Until(b, "listen to start", func() bool { return strings.Contains(stderr.String(), "Press Ctrl+C") }, stderr.String)
				addr := regexp.MustCompile(`Catching webhooks at http://([^/]+)/`).FindStringSubmatch(stderr.String())[1]
				ok, refused := tc.load(b, addr)
				hwm := vmHWM(b, cmd.Process.Pid)
				_ = cmd.Process.Signal(os.Interrupt)
				_ = cmd.Wait()
				b.ReportMetric(hwm, "hwm-MB")
				b.ReportMetric(float64(ok), "ok")
				b.ReportMetric(float64(refused), "503s")
			}
		})
	}
}

// holdBodies opens 100 connections, sends each a 10 MiB body but its
// last byte, then the last bytes, and reads every answer.
func holdBodies(b *testing.B, addr string) (ok, refused int) {
	const n, size = 100, 10 << 20
	chunk := make([]byte, 1<<20)
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		conns[i] = c
		_ = c.SetDeadline(time.Now().Add(5 * time.Minute))
		wg.Go(func() {
			fmt.Fprintf(c, "POST /hold HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", size)
			for left := size - 1; left > 0; {
				k, err := c.Write(chunk[:min(left, len(chunk))])
				if err != nil {
					return // answered 503 and closed
				}
				left -= k
			}
		})
	}
	wg.Wait()
	for _, c := range conns {
		_, _ = c.Write([]byte("x"))
	}
	for _, c := range conns {
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			switch res.StatusCode {
			case 200:
				ok++
			case 503:
				refused++
			}
		}
		c.Close()
	}
	return ok, refused
}

// postBodies sends 50 POSTs of 10 MB at once.
func postBodies(b *testing.B, addr string) (ok, refused int) {
	body := strings.Repeat("0123456789", 1_000_000)
	var mu sync.Mutex
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 100, DisableKeepAlives: true}}
	for range 50 {
		wg.Go(func() {
			res, err := client.Post("http://"+addr+"/post", "text/plain", strings.NewReader(body))
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			switch res.StatusCode {
			case 200:
				ok++
			case 503:
				refused++
			}
		})
	}
	wg.Wait()
	return ok, refused
}

// vmHWM is the peak resident set of process pid, in MB.
func vmHWM(b *testing.B, pid int) float64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(status)
	if m == nil {
		b.Fatal("no VmHWM")
	}
	kb, _ := strconv.ParseFloat(string(m[1]), 64)
	return kb / 1024
}
