//go:build hostile

package hostile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func errKind(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	if strings.Contains(err.Error(), "reset") {
		return "reset"
	}
	return "closed"
}

// statusOf is "200" of "HTTP/1.1 200 OK".
func statusOf(line string) string {
	f := strings.Fields(line)
	if len(f) < 2 {
		return "?" + line
	}
	return f[1]
}

func decodeJSON(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}

// Row 4: a full disk (16 MiB tmpfs), then `captures clear`: captures are
// accepted again, and again after a restart.
func TestRow4FullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	p := startListen(t, listenOpts{dir: dir})
	cl := client(30 * time.Second)
	body := bytes.Repeat([]byte("f"), 256<<10)
	accepted, refused, streak := 0, 0, 0
	for i := 0; i < 400 && streak < 5; i++ {
		st, _, err := post(cl, p.catcher+"fill", body)
		if err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
		if st == 200 {
			accepted++
			streak = 0
		} else {
			refused++
			streak++
		}
	}
	df := func() string {
		out, _ := exec.Command("df", "-k", dir).Output()
		l := strings.Split(strings.TrimSpace(string(out)), "\n")
		return strings.Join(strings.Fields(l[len(l)-1])[2:5], " ")
	}
	full := df()
	if streak < 5 {
		t.Fatalf("the disk never filled: %d accepted", accepted)
	}
	out, err := run(t, "captures", "clear", "--data-dir", dir)
	cleared := df()
	st1, _, err1 := post(cl, p.catcher+"after-clear", []byte("again"))
	p.stop()
	p2 := startListen(t, listenOpts{dir: dir})
	st2, id2, err2 := post(cl, p2.catcher+"after-restart", []byte("again"))
	// And it fills and clears a second time the same way.
	refused2 := 0
	for i := 0; i < 400 && refused2 == 0; i++ {
		if st, _, err := post(cl, p2.catcher+"fill2", body); err != nil || st != 200 {
			refused2++
		}
	}
	out2, errc2 := run(t, "captures", "clear", "--data-dir", dir)
	st3, _, err3 := post(cl, p2.catcher+"after-second-clear", []byte("again"))
	p2.stop()
	record(t, "filled: %d accepted then %d refused (df used/avail/use%%: %s); clear: %q err %v (df %s); POST after clear %d %v; after restart %d %v (id %s); filled again, clear %q %v; POST %d %v (df %s)",
		accepted, refused, full, strings.TrimSpace(out), err, cleared, st1, err1, st2, err2, id2, strings.TrimSpace(out2), errc2, st3, err3, df())
	if err != nil || st1 != 200 || st2 != 200 || errc2 != nil || st3 != 200 {
		t.Errorf("not recovered: clear %v, after clear %d, after restart %d, second clear %v, after it %d", err, st1, st2, errc2, st3)
	}
}

// Row 6: the head as received, in the JSON line.
func TestRow6HeadAsReceived(t *testing.T) {
	p := startListen(t, listenOpts{dir: t.TempDir()})
	cases := []struct {
		name string
		head string // through the blank line
		body string
		want map[string]string // JSON field → value
	}{
		{"non-UTF-8 path and header", "POST /p\xff\xfe HTTP/1.1\r\nHost: x\r\nX-Bin: v\xffw\r\nContent-Length: 0\r\n\r\n", "", nil},
		{"bad escape and order", "GET /q?b=2&a=1&b=3&%zz=1 HTTP/1.1\r\nHost: x\r\n\r\n", "", map[string]string{"raw_query": "b=2&a=1&b=3&%zz=1"}},
		{"%2F", "GET /a%2Fb%20c HTTP/1.1\r\nHost: x\r\n\r\n", "", map[string]string{"raw_path": "/a%2Fb%20c"}},
		{"Host and Transfer-Encoding", "POST /te HTTP/1.1\r\nHost: example.test:1234\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", map[string]string{"body": "hello"}},
		{"CONNECT target", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", "", nil},
		{"header case", "POST /case HTTP/1.1\r\nHost: x\r\nx-lower-CASE: v\r\nContent-Length: 0\r\n\r\n", "", nil},
		{"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "", map[string]string{"method": "OPTIONS"}},
	}
	for _, c := range cases {
		status, err := rawRequest(p.hostPort(), []byte(c.head+c.body), 15*time.Second)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		line := p.nextLine(15 * time.Second)
		head, _ := line["head"].(string)
		if b64, ok := line["head_base64"].(string); ok {
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				t.Errorf("%s: head_base64: %v", c.name, err)
			}
			head = string(raw)
		}
		// Every line sent is in the head, byte for byte and in order.
		sent := strings.Split(strings.TrimSuffix(c.head, "\r\n\r\n"), "\r\n")
		rest, ok := head, true
		for _, l := range sent {
			i := strings.Index(rest, l)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(l):]
		}
		bad := []string{}
		if !ok {
			bad = append(bad, fmt.Sprintf("head %q does not hold %q as sent", head, sent))
		}
		for k, v := range c.want {
			if got := fmt.Sprint(line[k]); got != v {
				bad = append(bad, fmt.Sprintf("%s = %q, want %q", k, got, v))
			}
		}
		_, b64 := line["head_base64"]
		record(t, "%s: answer %q; method %v path %q raw_path %q raw_query %q head_base64 %v; ok=%v",
			c.name, status, line["method"], line["path"], line["raw_path"], line["raw_query"], b64, len(bad) == 0)
		for _, b := range bad {
			t.Errorf("%s: %s", c.name, b)
		}
	}
}

// Row 8: exposure needs --expose; exposed, a sender without the token
// gets 401 and nothing is stored.
func TestRow8Exposure(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, "listen", "--data-dir", dir, "--addr", "0.0.0.0:0", "--sandbox-addr", "127.0.0.1:0")
	record(t, "--addr 0.0.0.0:0 without --expose: err %v, %q", err, strings.TrimSpace(out))
	if err == nil || !strings.Contains(out, "--expose") {
		t.Errorf("not refused")
	}
	out, err = run(t, "listen", "--data-dir", dir, "--addr", "127.0.0.1:0", "--sandbox-addr", "0.0.0.0:0")
	record(t, "--sandbox-addr 0.0.0.0:0: err %v, %q", err, strings.TrimSpace(out))
	if err == nil {
		t.Errorf("sandbox beyond loopback not refused")
	}
	ipOut, _ := exec.Command("hostname", "-I").Output()
	var ip string
	for _, f := range strings.Fields(string(ipOut)) {
		if a := net.ParseIP(f); a != nil && a.To4() != nil && !a.IsLoopback() {
			ip = f
			break
		}
	}
	if ip == "" {
		t.Skip("no non-loopback IPv4 address")
	}
	const token = "hostile-run-token-0123456789"
	p := startListen(t, listenOpts{dir: dir, args: []string{"--expose", "--addr", "0.0.0.0:0", "--token", token}})
	url := fmt.Sprintf("http://%s/", net.JoinHostPort(ip, p.port))
	// A request from ip to ip comes from this computer, which the
	// catcher lets in without the token. Another computer is played by
	// a second address on lo (root only), the client's source address.
	const other = "198.51.100.77"
	from := ip + " (this computer's own address)"
	cl := client(10 * time.Second)
	if out, err := exec.Command("ip", "addr", "add", other+"/32", "dev", "lo").CombinedOutput(); err == nil {
		t.Cleanup(func() { _ = exec.Command("ip", "addr", "del", other+"/32", "dev", "lo").Run() })
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(other)}, Timeout: 10 * time.Second}
		cl.Transport.(*http.Transport).DialContext = d.DialContext
		from = other + " (an address of another computer, added to lo)"
	} else {
		t.Logf("cannot add %s to lo (%v: %s): sending from %s", other, err, out, ip)
	}
	stSelf, _, errSelf := post(client(10*time.Second), url+"self-without", []byte("self"))
	st0, _, err0 := post(cl, url+"no-token", []byte("stranger"))
	req, _ := http.NewRequest("POST", url+"with-token", strings.NewReader("friend"))
	req.Header.Set("X-Hooklab-Token", token)
	resp, err1 := cl.Do(req)
	st1 := 0
	if err1 == nil {
		st1 = resp.StatusCode
		resp.Body.Close()
	}
	st2, _, err2 := post(cl, url+"query-token?hooklab_token="+token, []byte("friend"))
	st3, _, err3 := post(client(10*time.Second), p.catcher+"loopback-no-token", []byte("local"))
	printed := regexp.MustCompile(`(?m)^  http\S+`).FindAllString(p.errText(), -1)
	p.stop()
	exp, _ := run(t, "export", "--data-dir", dir)
	stored := regexp.MustCompile(`"path":"[^"]*"`).FindAllString(exp, -1)
	record(t, "from %s to itself without token: %d %v", ip, stSelf, errSelf)
	record(t, "exposed on 0.0.0.0:%s, printed URLs %q; from %s: no token %d %v, header token %d %v, query token %d %v; loopback without token %d %v; stored %q, token in export %v, \"stranger\" in export %v",
		p.port, printed, from, st0, err0, st1, err1, st2, err2, st3, err3, stored, strings.Contains(exp, token), strings.Contains(exp, "/no-token"))
	if st0 != 401 || st1 != 200 || st2 != 200 {
		t.Errorf("statuses: no token %d, header %d, query %d", st0, st1, st2)
	}
	if strings.Contains(exp, "/no-token") || strings.Contains(exp, token) {
		t.Errorf("the refused request or the token is stored:\n%s", exp)
	}
}

// Row 9: 500 payments of 1 MiB with a dead callback, 8 at a time
// (HOSTILE_PAYMENTS and HOSTILE_PAYMENT_SENDERS change them).
func TestRow9SandboxMemory(t *testing.T) {
	p := startListen(t, listenOpts{dir: t.TempDir()})
	before := strings.Count(p.errText(), "\n")
	desc := strings.Repeat("d", (1<<20)-300)
	payload, _ := json.Marshal(map[string]any{"amount": 1200, "currency": "usd", "callback_url": "http://127.0.0.1:9/dead", "description": desc})
	cl := client(60 * time.Second)
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	senders := 8
	if v, err := strconv.Atoi(os.Getenv("HOSTILE_PAYMENT_SENDERS")); err == nil && v > 0 {
		senders = v
	}
	sem := make(chan struct{}, senders)
	start := time.Now()
	n := 500
	if v, err := strconv.Atoi(os.Getenv("HOSTILE_PAYMENTS")); err == nil && v > 0 {
		n = v // to see how the peak grows with the payments retrying
	}
	for range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			resp, err := cl.Post(p.sandbox+"v1/payments", "application/json", bytes.NewReader(payload))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				statuses[0]++
				return
			}
			resp.Body.Close()
			statuses[resp.StatusCode]++
		})
	}
	wg.Wait()
	sent := time.Since(start)
	peakSent := p.peakMB()
	// Let the retries to the dead callback run for a minute.
	time.Sleep(60 * time.Second) // the observation window, not a sync
	elapsed := time.Since(start)
	lines := strings.Split(p.errText(), "\n")
	logLines := strings.Count(p.errText(), "\n") - before
	other := 0
	for _, l := range lines[before:] {
		if l != "" && !strings.Contains(l, " sandbox: ") {
			other++
			t.Logf("stderr: %s", l)
		}
	}
	record(t, "%d payments of 1 MiB, %d at a time: statuses %v in %.1f s; peak RSS after sending %.0f MB, after %.0f s peak %.0f MB, RSS now %.0f MB; %d stderr lines (%d not the sandbox's) in %.0f s (last: %q)",
		n, senders, statuses, sent.Seconds(), peakSent, elapsed.Seconds(), p.peakMB(), p.rssMB(), logLines, other, elapsed.Seconds(), lines[max(len(lines)-2, 0)])
	if p.peakMB() >= 600 {
		t.Errorf("peak RSS %.0f MB", p.peakMB())
	}
	// The delivery log means one line per 5 s; when its timer runs late (a
	// busy machine), a line, the summary before it and the timer's own
	// summary can come close together: at most three per interval.
	if limit := 3*int(elapsed/(5*time.Second)) + 10; logLines > limit {
		t.Errorf("%d log lines in %v: not rate-limited", logLines, elapsed)
	}
}
