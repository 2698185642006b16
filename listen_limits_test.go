package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"math"
	"net"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"hooklab/workspace/poll"
)

// TestMaxConnsFlagCapsTheCatcher: with --max-conns 1, a connection in
// the middle of its head takes the one place, and a sender past it is
// answered 503.
func TestMaxConnsFlagCapsTheCatcher(t *testing.T) {
	url, _, _, stop := startListen(t, listenFlags(t, "--data-dir", t.TempDir(), "--max-conns", "1"))
	defer stop()
	c, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "POST /slow HTTP/1.1\r\n"); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	// Until the held connection is accepted, a sender may still get in.
	poll.Until(t, "a sender past the cap answered 503", func() bool {
		res, err := client.Post(url+"x", "text/plain", strings.NewReader("hi"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode == http.StatusServiceUnavailable
	})
}

// stalledStdout blocks every write until released, like a pipe nobody
// reads; entered says a write is waiting.
type stalledStdout struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
	syncBuffer
}

func (s *stalledStdout) Write(p []byte) (int, error) {
	s.once.Do(func() { close(s.entered) })
	<-s.release
	return s.syncBuffer.Write(p)
}

// TestListenAnswersWhenStdoutIsNotRead: senders are answered while
// stdout is stalled; the lines past the buffer are dropped, and stderr
// says how many.
func TestListenAnswersWhenStdoutIsNotRead(t *testing.T) {
	stdout := &stalledStdout{entered: make(chan struct{}), release: make(chan struct{})}
	var stderr syncBuffer
	a := listenFlags(t, "--data-dir", t.TempDir())
	a.lineBuffer = 1 // the line being written fills it
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- listen(ctx, a, stdout, &stderr) }()
	re := regexp.MustCompile(`Catching webhooks at (\S+)`)
	var m []string
	poll.Until(t, "start-up line", func() bool { m = re.FindStringSubmatch(stderr.String()); return m != nil })
	url := m[1]

	var answered atomic.Int32
	send := func(n int) {
		for range n {
			go func() {
				res, err := http.Post(url+"x", "text/plain", strings.NewReader("hi"))
				if err == nil && res.StatusCode == 200 {
					answered.Add(1)
				}
				if err == nil {
					res.Body.Close()
				}
			}()
		}
	}
	send(1)
	// The first line is being written, into a stdout that takes nothing.
	poll.Until(t, "the first line written", func() bool {
		select {
		case <-stdout.entered:
			return true
		default:
			return false
		}
	})
	send(4) // all dropped
	poll.Until(t, "5 senders answered", func() bool { return answered.Load() == 5 }, stderr.String)
	if !strings.Contains(stderr.String(), "stdout is not being read") {
		t.Fatalf("stderr does not say stdout stalled: %q", stderr.String())
	}
	close(stdout.release)
	poll.Until(t, "stderr to count the dropped lines", func() bool {
		return strings.Contains(stderr.String(), "4 captures were not printed while stdout was not read")
	}, stderr.String)
	if n := strings.Count(stdout.String(), "\n"); n != 1 {
		t.Fatalf("%d lines printed, want 1: %q", n, stdout.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("listen exited %d", code)
	}
}

// TestBodyBudgetFlag: with --body-budget 1 (MiB), a sender holding a
// body of nearly that size makes the next sender get 503 with
// Retry-After; once it is stored, senders are taken again.
func TestBodyBudgetFlag(t *testing.T) {
	defer debug.SetMemoryLimit(math.MaxInt64) // listen sets it for the process
	url, _, _, stop := startListen(t, listenFlags(t, "--data-dir", t.TempDir(), "--body-budget", "1"))
	defer stop()
	held, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if _, err := io.WriteString(held, "POST /held HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\nstart"); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	post := func() *http.Response {
		res, err := client.Post(url+"next", "text/plain", strings.NewReader(strings.Repeat("n", 200_000)))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	var res *http.Response
	poll.Until(t, "a sender past the budget answered 503", func() bool { res = post(); return res.StatusCode == http.StatusServiceUnavailable })
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	if _, err := held.Write(bytes.Repeat([]byte("h"), 1000000-len("start"))); err != nil {
		t.Fatal(err)
	}
	answer, err := http.ReadResponse(bufio.NewReader(held), nil)
	if err != nil || answer.StatusCode != 200 {
		t.Fatalf("the held body: %v, %v", answer, err)
	}
	poll.Until(t, "senders taken again", func() bool { return post().StatusCode == 200 })
}
