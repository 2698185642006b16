//go:build hostile

// Package hostile repeats issue 16's hostile-sender run against the real
// `hooklab listen` binary, one test per row. It is not part of
// `make test` (the build tag keeps it out): run it with .ci/hostile, which
// builds the binary and sets HOSTILE_BIN. See docs/hostile-run.md.
package hostile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// bin is the hooklab binary under test.
func bin(t *testing.T) string {
	t.Helper()
	b := os.Getenv("HOSTILE_BIN")
	if b == "" {
		t.Skip("HOSTILE_BIN is not set: run .ci/hostile")
	}
	return b
}

// listenProc is one running `hooklab listen`.
type listenProc struct {
	t       *testing.T
	cmd     *exec.Cmd
	catcher string // http://127.0.0.1:PORT/
	sandbox string
	port    string
	mu      sync.Mutex
	stderr  bytes.Buffer
	lines   chan []byte // stdout JSON lines, when read
	done    chan struct{}
}

type listenOpts struct {
	dir     string
	args    []string
	nofile  int  // ulimit -n for the process (0: inherited)
	noRead  bool // stdout is a pipe nobody reads
	wantErr bool // the process is expected to exit at start
}

var urlRE = regexp.MustCompile(`Catching webhooks at (\S+)\nSandbox API at (\S+)`)

// startListen starts hooklab listen and waits for its URLs on stderr.
func startListen(t *testing.T, o listenOpts) *listenProc {
	t.Helper()
	args := append([]string{"listen", "--data-dir", o.dir}, o.args...)
	if !hasFlag(o.args, "--addr") {
		args = append(args, "--addr", "127.0.0.1:0")
	}
	args = append(args, "--sandbox-addr", "127.0.0.1:0")
	var cmd *exec.Cmd
	if o.nofile > 0 {
		// bash's ulimit -n sets the soft and the hard limit, so Go's
		// runtime cannot raise it again.
		q := make([]string, len(args))
		for i, a := range args {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		cmd = exec.Command("bash", "-c", fmt.Sprintf("ulimit -n %d && exec '%s' %s", o.nofile, bin(t), strings.Join(q, " ")))
	} else {
		cmd = exec.Command(bin(t), args...)
	}
	p := &listenProc{t: t, cmd: cmd, lines: make(chan []byte, 1<<16), done: make(chan struct{})}
	errR, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var outR *os.File
	if o.noRead {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout = w
		outR = r
		t.Cleanup(func() { r.Close() })
		defer w.Close()
	} else {
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			sc := bufio.NewScanner(out)
			sc.Buffer(make([]byte, 1<<20), 1<<27)
			for sc.Scan() {
				select {
				case p.lines <- append([]byte(nil), sc.Bytes()...):
				default: // a test that does not look at lines
				}
			}
		}()
	}
	_ = outR
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	go func() {
		r := bufio.NewReader(errR)
		signalled := false
		for {
			line, err := r.ReadString('\n')
			p.mu.Lock()
			p.stderr.WriteString(line)
			s := p.stderr.String()
			p.mu.Unlock()
			if !signalled {
				if m := urlRE.FindStringSubmatch(s); m != nil {
					p.catcher, p.sandbox = m[1], m[2]
					signalled = true
					close(started)
				}
			}
			if err != nil {
				break
			}
		}
		_ = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop() })
	select {
	case <-started:
		u := strings.TrimSuffix(strings.TrimPrefix(p.catcher, "http://"), "/")
		_, p.port, _ = net.SplitHostPort(u)
	case <-p.done:
		if !o.wantErr {
			t.Fatalf("listen exited at start: %s", p.errText())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("listen did not start: %s", p.errText())
	}
	return p
}

func hasFlag(args []string, f string) bool {
	for _, a := range args {
		if a == f {
			return true
		}
	}
	return false
}

func (p *listenProc) errText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

func (p *listenProc) pid() int { return p.cmd.Process.Pid }

// stop ends the process with SIGTERM (SIGKILL after 20 s).
func (p *listenProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *listenProc) kill9() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// status reads a field of /proc/PID/status in kB.
func (p *listenProc) statusKB(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid()))
	if err != nil {
		p.t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field+":") {
			f := strings.Fields(l)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	p.t.Fatalf("no %s in /proc/%d/status", field, p.pid())
	return 0
}

func (p *listenProc) peakMB() float64 { return float64(p.statusKB("VmHWM")) / 1024 }
func (p *listenProc) rssMB() float64  { return float64(p.statusKB("VmRSS")) / 1024 }

// hostPort is the catcher's 127.0.0.1:PORT.
func (p *listenProc) hostPort() string { return "127.0.0.1:" + p.port }

// nextLine waits for the next stdout JSON line.
func (p *listenProc) nextLine(d time.Duration) map[string]any {
	p.t.Helper()
	select {
	case l := <-p.lines:
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			p.t.Fatalf("stdout line is not JSON: %v: %.200q", err, l)
		}
		return m
	case <-time.After(d):
		p.t.Fatalf("no JSON line on stdout within %v", d)
		return nil
	}
}

// client is a plain HTTP client with its own connections.
func client(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true, Proxy: nil}}
}

type ackBody struct {
	OK bool   `json:"ok"`
	ID string `json:"id"`
}

// post sends one POST and returns its status and the ack's id.
func post(c *http.Client, url string, body []byte) (int, string, error) {
	resp, err := c.Post(url, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var a ackBody
	_ = json.Unmarshal(b, &a)
	return resp.StatusCode, a.ID, nil
}

// rawRequest writes head (and body) on a new connection and reads the
// status line of the answer.
func rawRequest(addr string, req []byte, d time.Duration) (string, error) {
	c, err := net.DialTimeout("tcp", addr, d)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(d))
	if _, err := c.Write(req); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line), err
}

// run runs hooklab with args and returns its combined output.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin(t), args...).CombinedOutput()
	return string(out), err
}

// exportIDs returns the ids of every stored capture.
func exportIDs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin(t), "export", "--data-dir", dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<27)
	for sc.Scan() {
		var m struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("export line: %v", err)
		}
		ids[m.ID] = true
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("export: %v: %s", err, errb.String())
	}
	return ids
}

// record logs a row's figures in a form docs/hostile-run.md quotes.
func record(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf("FIGURE %s: %s", t.Name(), fmt.Sprintf(format, args...))
}
