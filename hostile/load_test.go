//go:build hostile

package hostile

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Row 1: 1,100 idle keep-alive connections against a process with 1,024
// file descriptors; legitimate senders must still be answered.
func TestRow1IdleConnections(t *testing.T) {
	p := startListen(t, listenOpts{dir: t.TempDir(), nofile: 1024})
	const idle = 1100
	var (
		mu     sync.Mutex
		conns  []net.Conn
		served atomic.Int64 // idle connections whose first request was answered
		refusd atomic.Int64 // answered other than 200, or closed before an answer
	)
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i := range idle {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := net.DialTimeout("tcp", p.hostPort(), 10*time.Second)
			if err != nil {
				refusd.Add(1)
				return
			}
			_ = c.SetDeadline(time.Now().Add(20 * time.Second))
			fmt.Fprintf(c, "POST /idle HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || !strings.Contains(line, " 200 ") {
				refusd.Add(1)
				c.Close()
				return
			}
			served.Add(1)
			if i%10 == 0 {
				// A tenth start the next request and stop mid-method.
				_, _ = c.Write([]byte("POS"))
			}
			_ = c.SetDeadline(time.Time{})
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		})
	}
	wg.Wait()
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	// Now the legitimate senders, each on a new connection.
	cl := client(15 * time.Second)
	cl.Transport.(*http.Transport).DisableKeepAlives = true
	ok, other, failed := 0, 0, 0
	var firstErr error
	for i := range 200 {
		st, _, err := post(cl, p.catcher+"legit", []byte(fmt.Sprint("legit ", i)))
		switch {
		case err != nil:
			failed++
			if firstErr == nil {
				firstErr = err
			}
		case st == 200:
			ok++
		default:
			other++
		}
	}
	// How many of the idle connections the catcher has closed by now.
	closed := 0
	for _, c := range conns {
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Millisecond))
		var b [1]byte
		if _, err := c.Read(b[:]); err != nil {
			if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
				closed++
			}
		}
	}
	record(t, "idle conns opened %d (first request answered 200: %d, refused/closed: %d); still open then %d, closed by the catcher %d; legit senders: 200=%d other=%d failed=%d; peak RSS %.0f MB",
		idle, served.Load(), refusd.Load(), len(conns)-closed, closed, ok, other, failed, p.peakMB())
	// Then every idle connection, silent or stopped mid-method, must be
	// closed by the catcher's idle timeout (60 s) and header timeout.
	start := time.Now()
	open := len(conns) - closed
	for open > 0 && time.Since(start) < 120*time.Second {
		open = 0
		for _, c := range conns {
			_ = c.SetReadDeadline(time.Now().Add(time.Millisecond))
			var b [512]byte
			if _, err := c.Read(b[:]); err != nil {
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					open++
				}
			}
		}
		if open > 0 {
			time.Sleep(2 * time.Second) // polling the connections, not a sync
		}
	}
	record(t, "%d idle connections still open %.0f s later", open, time.Since(start).Seconds())
	if open > 0 {
		t.Errorf("%d idle connections never closed", open)
	}
	if failed > 0 || other > 0 {
		t.Errorf("legitimate senders not all answered 200: %d failed (first: %v), %d other status", failed, firstErr, other)
	}
	if strings.Contains(p.errText(), "too many open files") {
		t.Errorf("listen ran out of descriptors: %s", p.errText())
	}
}

// Row 2: Content-Length 10 MB sent at 1 byte per second must be cut.
func TestRow2SlowBody(t *testing.T) {
	p := startListen(t, listenOpts{dir: t.TempDir()})
	c, err := net.Dial("tcp", p.hostPort())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	fmt.Fprintf(c, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
	stop := make(chan struct{})
	sent := atomic.Int64{}
	go func() {
		tk := time.NewTicker(time.Second)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				if _, err := c.Write([]byte("x")); err != nil {
					return
				}
				sent.Add(1)
			}
		}
	}()
	defer close(stop)
	_ = c.SetReadDeadline(time.Now().Add(120 * time.Second))
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	elapsed := time.Since(start)
	record(t, "cut after %.1f s, %d body bytes sent; answer %q, read error %v", elapsed.Seconds(), sent.Load(), strings.TrimSpace(line), err)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("a 1 B/s body was still open after %v", elapsed)
	}
}

// Row 3a: 100 connections each holding a nearly complete 10 MiB body.
func TestRow3HeldBodies(t *testing.T) {
	p := startListen(t, listenOpts{dir: t.TempDir()})
	const n, size = 100, 10 << 20
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	conns := make([]net.Conn, n)
	var wrote, cut atomic.Int64
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := net.Dial("tcp", p.hostPort())
			if err != nil {
				cut.Add(1)
				return
			}
			conns[i] = c
			_ = c.SetWriteDeadline(time.Now().Add(60 * time.Second))
			fmt.Fprintf(c, "POST /held HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", size)
			left := size - 1
			for left > 0 {
				k := min(left, len(chunk))
				if _, err := c.Write(chunk[:k]); err != nil {
					cut.Add(1) // answered 503 and closed: the budget was spent
					return
				}
				left -= k
			}
			wrote.Add(1)
		})
	}
	wg.Wait()
	heldPeak := p.peakMB()
	// Finish every body and read the answers.
	statuses := map[string]int{}
	var smu sync.Mutex
	for _, c := range conns {
		if c == nil {
			continue
		}
		wg.Go(func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(90 * time.Second))
			_, _ = c.Write([]byte("a"))
			line, err := bufio.NewReader(c).ReadString('\n')
			smu.Lock()
			defer smu.Unlock()
			if err != nil && line == "" {
				statuses["no answer: "+errKind(err)]++
				return
			}
			statuses[statusOf(line)]++
		})
	}
	wg.Wait()
	peak := p.peakMB()
	record(t, "%d held 10 MiB-1 bytes, %d cut while sending; peak RSS while held %.0f MB, after finishing %.0f MB; answers %v",
		wrote.Load(), cut.Load(), heldPeak, peak, statuses)
	if peak >= 600 {
		t.Errorf("peak RSS %.0f MB, budget 600 MB", peak)
	}
}

// Row 3b: 50 concurrent 10 MB POSTs; acknowledged ones must be stored.
func TestRow3ConcurrentPosts(t *testing.T) {
	dir := t.TempDir()
	p := startListen(t, listenOpts{dir: dir})
	body := bytes.Repeat([]byte("b"), 10_000_000)
	cl := client(120 * time.Second)
	var mu sync.Mutex
	statuses := map[int]int{}
	var acked []string
	retryAfter := 0
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			resp, err := cl.Post(p.catcher+"big", "application/octet-stream", bytes.NewReader(body))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				statuses[0]++
				return
			}
			defer resp.Body.Close()
			statuses[resp.StatusCode]++
			if resp.Header.Get("Retry-After") != "" {
				retryAfter++
			}
			var a ackBody
			if decodeJSON(resp, &a) == nil && resp.StatusCode == 200 && a.ID != "" {
				acked = append(acked, a.ID)
			}
		})
	}
	wg.Wait()
	peak := p.peakMB()
	p.stop()
	ids := exportIDs(t, dir)
	lost := 0
	for _, id := range acked {
		if !ids[id] {
			lost++
		}
	}
	record(t, "statuses %v (%d with Retry-After); peak RSS %.0f MB; acknowledged %d, stored %d, lost %d", statuses, retryAfter, peak, len(acked), len(ids), lost)
	if peak >= 600 {
		t.Errorf("peak RSS %.0f MB, budget 600 MB", peak)
	}
	if lost > 0 {
		t.Errorf("%d acknowledged captures lost", lost)
	}
}

// Row 5: nobody reads listen's stdout; captures are still acknowledged.
func TestRow5StalledStdout(t *testing.T) {
	dir := t.TempDir()
	p := startListen(t, listenOpts{dir: dir, noRead: true})
	cl := client(15 * time.Second)
	body := bytes.Repeat([]byte("s"), 8<<10)
	var acked []string
	failed := 0
	start := time.Now()
	for range 2000 {
		st, id, err := post(cl, p.catcher+"stall", body)
		if err != nil || st != 200 {
			failed++
			continue
		}
		acked = append(acked, id)
	}
	elapsed := time.Since(start)
	// Then more than the 64 MiB of lines held for stdout: 100 of 1 MiB.
	big := bytes.Repeat([]byte("S"), 1<<20)
	for range 100 {
		st, id, err := post(cl, p.catcher+"stall-big", big)
		if err != nil || st != 200 {
			failed++
			continue
		}
		acked = append(acked, id)
	}
	peak := p.peakMB()
	p.stop()
	ids := exportIDs(t, dir)
	lost := 0
	for _, id := range acked {
		if !ids[id] {
			lost++
		}
	}
	var said []string
	for _, l := range strings.Split(p.errText(), "\n") {
		if strings.Contains(l, "stdout") {
			said = append(said, l)
		}
	}
	record(t, "2000 POSTs of 8 KiB (%.1f s) then 100 of 1 MiB with stdout unread: acknowledged %d, failed %d, lost %d; peak RSS %.0f MB; stderr said %q", elapsed.Seconds(), len(acked), failed, lost, peak, said)
	if failed > 0 || lost > 0 {
		t.Errorf("failed %d, lost %d", failed, lost)
	}
}

// Row 10: SIGKILL during a 64-sender load, three times; every
// acknowledged id must be stored after the restart.
func TestRow10KillDurability(t *testing.T) {
	dir := t.TempDir()
	var acked []string
	var mu sync.Mutex
	for round := range 3 {
		p := startListen(t, listenOpts{dir: dir})
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for s := range 64 {
			wg.Go(func() {
				cl := client(10 * time.Second)
				body := []byte(strings.Repeat("k", 1000))
				for {
					select {
					case <-stop:
						return
					default:
					}
					st, id, err := post(cl, fmt.Sprintf("%ssender%d", p.catcher, s), body)
					if err != nil {
						return // the process is gone
					}
					if st == 200 && id != "" {
						mu.Lock()
						acked = append(acked, id)
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(4 * time.Second) // the load runs for a while: this is the run's length, not a sync
		p.kill9()
		close(stop)
		wg.Wait()
		t.Logf("round %d: %d acknowledged so far", round, len(acked))
	}
	// Restart once more, so the last kill's database is opened.
	p := startListen(t, listenOpts{dir: dir})
	p.stop()
	ids := exportIDs(t, dir)
	lost := 0
	for _, id := range acked {
		if !ids[id] {
			lost++
		}
	}
	record(t, "3 SIGKILLs under 64 senders: acknowledged %d, stored %d, lost %d", len(acked), len(ids), lost)
	if lost > 0 {
		t.Errorf("%d acknowledged captures lost", lost)
	}
}
