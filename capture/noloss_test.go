package capture

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// noLossChildEnv names the data directory of the catcher that
// TestNoLossChild runs; set only in the child process.
const noLossChildEnv = "HOOKLAB_NOLOSS_CHILD"

// TestNoLossChild is the catcher of TestNoLossAcrossKill, which runs it
// in a child process (this test binary again) and kills it. It prints
// the catcher's URL and serves until killed or until its stdin closes,
// which happens when the parent goes away.
func TestNoLossChild(t *testing.T) {
	dir := os.Getenv(noLossChildEnv)
	if dir == "" {
		t.Skip("runs only as the child process of TestNoLossAcrossKill")
	}
	store, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = http.Serve(ln, NewServer(store)) }()
	fmt.Printf("URL %s\n", URLFor(ln))
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// catcherProcess is a running TestNoLossChild.
type catcherProcess struct {
	cmd    *exec.Cmd
	url    string
	stdin  io.Closer
	stderr *bytes.Buffer
}

// startCatcher starts a catcher process on dir; t ends it if the test
// does not.
func startCatcher(t *testing.T, dir string) (*catcherProcess, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoLossChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), noLossChildEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &catcherProcess{cmd: cmd, stdin: stdin, stderr: &bytes.Buffer{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	t.Cleanup(p.kill)
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if url, ok := strings.CutPrefix(lines.Text(), "URL "); ok {
			p.url = url
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return p, nil
		}
	}
	p.kill()
	return nil, fmt.Errorf("the catcher process printed no URL; stderr:\n%s", p.stderr)
}

// kill ends the process with SIGKILL (TerminateProcess on Windows): no
// deferred call, no Close, nothing flushed.
func (p *catcherProcess) kill() {
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	_ = p.stdin.Close()
}

// TestNoLossAcrossKill sends 5,000 POSTs with distinct bodies from 32
// senders to a catcher in a child process, SIGKILLs it after about 1,500
// acknowledgements, with requests in flight, starts it again on the same
// data directory for the rest, and kills that one too. Every request the
// catcher acknowledged with a 2xx must then be in the store, with the
// body that was sent, and nothing may be stored twice.
func TestNoLossAcrossKill(t *testing.T) {
	const total, senders, killAfter = 5000, 32, 1500
	dir := t.TempDir()
	body := func(i int) []byte { return fmt.Appendf(nil, `{"n":%d,"pad":"%s"}`, i, strings.Repeat("x", i%300)) }

	var (
		gate    sync.RWMutex // held to restart the catcher; each send holds it shared
		url     atomic.Pointer[string]
		mu      sync.Mutex
		ackedID = map[int]string{} // request → the id the catcher acknowledged
		failed  atomic.Int64
		acks    atomic.Int64
		next    atomic.Int64
	)
	child, err := startCatcher(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	url.Store(&child.url)
	tr := &http.Transport{MaxIdleConnsPerHost: senders}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	send := func(i int) (string, error) {
		gate.RLock()
		defer gate.RUnlock()
		resp, err := client.Post(*url.Load()+"noloss", "application/json", bytes.NewReader(body(i)))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var a struct{ ID string }
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			return "", err
		}
		if resp.StatusCode/100 != 2 || a.ID == "" {
			return "", fmt.Errorf("status %s, ack id %q", resp.Status, a.ID)
		}
		return a.ID, nil
	}

	killNow := make(chan struct{})
	restarted := make(chan error, 1)
	go func() {
		<-killNow
		child.kill() // requests are still in flight
		gate.Lock()
		defer gate.Unlock()
		tr.CloseIdleConnections()
		second, err := startCatcher(t, dir)
		if err == nil {
			child = second
			url.Store(&child.url)
		}
		restarted <- err
	}()
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				id, err := send(i)
				if err != nil {
					failed.Add(1)
					continue
				}
				mu.Lock()
				ackedID[i] = id
				mu.Unlock()
				if acks.Add(1) == killAfter {
					close(killNow)
				}
			}
		})
	}
	wg.Wait()
	if acks.Load() < killAfter {
		t.Fatalf("only %d of %d requests acknowledged before the kill", acks.Load(), total)
	}
	if err := <-restarted; err != nil {
		t.Fatal(err)
	}
	child.kill()
	t.Logf("%d acknowledged, %d failed around the kill", acks.Load(), failed.Load())
	if acks.Load() <= killAfter {
		t.Fatalf("only %d acknowledgements: the second catcher took no requests", acks.Load())
	}

	store := openTestSQLite(t, dir, SQLiteOptions{})
	stored := map[string][]byte{} // id → body
	bodies := map[string]int{}
	err = store.Scan(Filter{}, func(c *Capture) error {
		if _, dup := stored[c.ID]; dup {
			t.Errorf("id %s stored twice", c.ID)
		}
		stored[c.ID] = c.Body
		bodies[string(c.Body)]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for b, n := range bodies {
		if n > 1 {
			t.Errorf("body %.40q stored %d times", b, n)
		}
	}
	lost := 0
	for i, id := range ackedID {
		got, ok := stored[id]
		if !ok {
			lost++
			continue
		}
		if !bytes.Equal(got, body(i)) {
			t.Errorf("capture %s holds %.40q, want %.40q", id, got, body(i))
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged captures are gone", lost, len(ackedID))
	}
	if len(stored) > total {
		t.Fatalf("%d captures stored from %d requests", len(stored), total)
	}
}
