package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/workspace/poll"
)

// syncBuffer is a bytes.Buffer safe to write from server goroutines
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestCommands(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"version"}, 0, "hooklab " + Version, ""},
		{[]string{"help"}, 0, "hooklab listen", ""},
		{[]string{"--help"}, 0, "", "hooklab listen"},
		{[]string{"listen", "--help"}, 0, "", "hooklab listen"},
		{[]string{"bogus"}, 2, "", `unknown command "bogus"`},
		{[]string{"listen", "--nope"}, 2, "", "flag provided but not defined: -nope"},
		{[]string{"listen", "extra"}, 2, "", `unexpected argument "extra"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tc.args, &out, &errOut); code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tc.code, errOut.String())
			}
			if !strings.Contains(out.String(), tc.out) || !strings.Contains(errOut.String(), tc.err) {
				t.Fatalf("stdout %q stderr %q", out.String(), errOut.String())
			}
		})
	}
}

func TestListenPrintsOneJSONLinePerCapture(t *testing.T) {
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	a := &addrFlags{addr: "127.0.0.1:0", sandboxAddr: "127.0.0.1:0", dataDir: t.TempDir()}
	go func() { done <- listen(ctx, a, &stdout, &stderr) }()

	re := regexp.MustCompile(`Catching webhooks at (\S+)\nSandbox API at (\S+)`)
	var m []string
	poll.Until(t, "start-up line", func() bool { m = re.FindStringSubmatch(stderr.String()); return m != nil })
	catcherURL, sandboxURL := m[1], m[2]

	// A request of our own, then the sandbox's two webhooks.
	res, err := http.Post(catcherURL+"hook?a=1", "application/json", strings.NewReader(`{"n":1}`))
	if err != nil {
		t.Fatal(err)
	}
	var ack struct{ ID string }
	_ = json.NewDecoder(res.Body).Decode(&ack)
	res.Body.Close()
	res, err = http.Post(sandboxURL+"v1/payments", "application/json",
		strings.NewReader(`{"amount":5,"currency":"usd","callback_url":"`+catcherURL+`payments"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("sandbox answered %d", res.StatusCode)
	}

	poll.Until(t, "three JSON lines", func() bool { return strings.Count(stdout.String(), "\n") >= 3 }, func() string { return stdout.String() + stderr.String() })
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var first capture.JSONLine
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatalf("line 1 is not JSON: %v\n%s", err, lines[0])
	}
	if first.ID != ack.ID || first.Method != "POST" || first.Path != "/hook" || first.Query["a"][0] != "1" || *first.Body != `{"n":1}` {
		t.Fatalf("line 1 = %+v (ack id %s)", first, ack.ID)
	}
	if _, err := time.Parse(time.RFC3339, first.Time); err != nil || !strings.Contains(first.Time, ".") {
		t.Fatalf("time %q is not RFC 3339 with milliseconds", first.Time)
	}
	for i, want := range []string{"payment.created", "payment.succeeded"} {
		if !strings.Contains(lines[i+1], `\"type\":\"`+want+`\"`) {
			t.Fatalf("line %d lacks %s: %s", i+2, want, lines[i+1])
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("listen exited %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("listen did not stop")
	}
}

// startListen runs listen with args in the background; it returns the
// catcher URL, stdout and a stop function that waits for the exit.
func startListen(t *testing.T, a *addrFlags) (string, *syncBuffer, *syncBuffer, func()) {
	t.Helper()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- listen(ctx, a, &stdout, &stderr) }()
	re := regexp.MustCompile(`Catching webhooks at (\S+)`)
	var m []string
	poll.Until(t, "start-up line", func() bool { m = re.FindStringSubmatch(stderr.String()); return m != nil })
	return m[1], &stdout, &stderr, func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("listen exited %d", code)
		}
	}
}

func listenFlags(t *testing.T, args ...string) *addrFlags {
	t.Helper()
	fs, a := newFlagSet("listen", &bytes.Buffer{})
	if err := fs.Parse(append([]string{"--addr", "127.0.0.1:0", "--sandbox-addr", "127.0.0.1:0"}, args...)); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCapturesSurviveARestartAndExport(t *testing.T) {
	dir := t.TempDir()
	url, _, _, stop := startListen(t, listenFlags(t, "--data-dir", dir))
	ids := map[string]bool{}
	for _, path := range []string{"github/push", "stripe/evt", "stripe/evt2"} {
		res, err := http.Post(url+path, "application/json", strings.NewReader(`{"path":"`+path+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		var ack struct{ ID string }
		_ = json.NewDecoder(res.Body).Decode(&ack)
		res.Body.Close()
		ids[ack.ID] = true
	}
	stop()

	var out, errOut bytes.Buffer
	if code := run([]string{"export", "--data-dir", dir, "--format", "jsonl", "--endpoint", "stripe"}, &out, &errOut); code != 0 {
		t.Fatalf("export exited %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("export of /stripe gave %d lines:\n%s", len(lines), out.String())
	}
	for _, l := range lines {
		var jl capture.JSONLine
		if err := json.Unmarshal([]byte(l), &jl); err != nil || !ids[jl.ID] || !strings.HasPrefix(jl.Path, "/stripe/") {
			t.Fatalf("line %s: %v", l, err)
		}
	}

	out.Reset()
	if code := run([]string{"export", "--data-dir", dir, "--format", "har"}, &out, &errOut); code != 0 {
		t.Fatalf("har export exited %d: %s", code, errOut.String())
	}
	var har struct {
		Log struct {
			Version string
			Entries []struct {
				Request  struct{ Method, URL string }
				Response struct{ Status int }
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &har); err != nil || har.Log.Version != "1.2" || len(har.Log.Entries) != 3 || har.Log.Entries[0].Response.Status != 200 {
		t.Fatalf("har: %v %+v", err, har)
	}

	// A restart finds what was stored.
	url, _, _, stop = startListen(t, listenFlags(t, "--data-dir", dir))
	stop()
	_ = url
	out.Reset()
	if code := run([]string{"captures", "clear", "--data-dir", dir}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "deleted 3 captures") {
		t.Fatalf("clear: %d %q %q", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := run([]string{"export", "--data-dir", dir}, &out, &errOut); code != 0 || out.Len() != 0 {
		t.Fatalf("export after clear: %d %q", code, out.String())
	}
}

func TestRespondFlagSetsTheAnswer(t *testing.T) {
	url, _, stderr, stop := startListen(t, listenFlags(t, "--data-dir", t.TempDir(), "--respond", "/github=202", "--respond", "/slow=500:body=nope"))
	defer stop()
	for path, want := range map[string]int{"github/x": 202, "slow": 500, "other": 200} {
		res, err := http.Post(url+path, "text/plain", strings.NewReader("hi"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("/%s answered %d, want %d", path, res.StatusCode, want)
		}
	}
	if !strings.Contains(stderr.String(), "Answering /github with 202") {
		t.Errorf("stderr %q does not list the rule", stderr.String())
	}
}

func TestBadInputOnTheCommandLine(t *testing.T) {
	file := plainFile(t)
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"listen", "--respond", "github"}, 2, "respond"},
		{[]string{"export", "--format", "xml"}, 2, "--format must be jsonl or har"},
		{[]string{"export", "--since", "yesterday"}, 2, "neither an RFC 3339 time"},
		{[]string{"export", "--data-dir", file + "/sub"}, 1, "plain-file"},
		{[]string{"captures"}, 2, "captures clear"},
		{[]string{"captures", "clear", "--data-dir", file + "/sub"}, 1, "plain-file"},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		if code := run(tc.args, &out, &errOut); code != tc.code || !strings.Contains(errOut.String(), tc.err) {
			t.Errorf("%v: exit %d stderr %q; want %d and %q", tc.args, code, errOut.String(), tc.code, tc.err)
		}
	}
}

func TestUnwritableDataDirFallsBackToMemory(t *testing.T) {
	file := plainFile(t)
	url, _, stderr, stop := startListen(t, listenFlags(t, "--data-dir", file+"/sub"))
	defer stop()
	if !strings.Contains(stderr.String(), "in memory only") {
		t.Fatalf("stderr %q does not say captures are in memory only", stderr.String())
	}
	res, err := http.Post(url+"x", "text/plain", strings.NewReader("still caught"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("answered %d", res.StatusCode)
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	if got, err := parseSince("90m", now); err != nil || !got.Equal(now.Add(-90*time.Minute)) {
		t.Fatalf("90m: %v %v", got, err)
	}
	if got, err := parseSince("2026-11-27T08:00:00Z", now); err != nil || got.Hour() != 8 {
		t.Fatalf("rfc3339: %v %v", got, err)
	}
}

func TestCorruptDatabaseIsSetAsideAndTheAppStarts(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/"+capture.DBFileName, bytes.Repeat([]byte("not a database "), 500), 0o600); err != nil {
		t.Fatal(err)
	}
	url, _, stderr, stop := startListen(t, listenFlags(t, "--data-dir", dir))
	defer stop()
	if !strings.Contains(stderr.String(), "could not be read") || !strings.Contains(stderr.String(), ".corrupt-") {
		t.Fatalf("stderr %q does not say the database was moved aside", stderr.String())
	}
	res, err := http.Post(url+"after", "text/plain", strings.NewReader("kept"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("catcher on the fresh database answered %d", res.StatusCode)
	}
}

func TestRetainFlagKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	url, _, _, stop := startListen(t, listenFlags(t, "--data-dir", dir, "--retain", "3"))
	for i := range 8 {
		res, err := http.Post(url+"n", "text/plain", strings.NewReader(strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	stop()
	var out, errOut bytes.Buffer
	if code := run([]string{"export", "--data-dir", dir}, &out, &errOut); code != 0 {
		t.Fatalf("export: %d %s", code, errOut.String())
	}
	var bodies []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var jl capture.JSONLine
		if err := json.Unmarshal([]byte(l), &jl); err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, *jl.Body)
	}
	if strings.Join(bodies, ",") != "5,6,7" {
		t.Fatalf("kept %v, want the newest three", bodies)
	}
}

// plainFile returns a regular file: a data dir beneath it cannot be
// made, even by root, so it stands for an unwritable data directory.
func plainFile(t *testing.T) string {
	t.Helper()
	file := t.TempDir() + "/plain-file"
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestRefusalLogIsRateLimited(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	var scheduled []func()
	var delays []time.Duration
	f := newRefusalLog(log.New(&out, "", 0))
	f.now = func() time.Time { return now }
	f.after = func(d time.Duration, fn func()) { delays, scheduled = append(delays, d), append(scheduled, fn) }
	c := &capture.Capture{Method: "POST", Path: "/github/push"}
	full := errors.New("database or disk is full")

	f.report(c, full) // written at once
	now = now.Add(time.Second)
	f.report(c, full) // counted, a flush scheduled for the end of the 5 s
	f.report(c, full)
	if len(scheduled) != 1 || delays[0] != 4*time.Second {
		t.Fatalf("flushes scheduled after %v, want one after 4s", delays)
	}
	now = now.Add(4 * time.Second)
	scheduled[0]() // the refusals stopped: the count is still written
	f.flush()      // at exit: nothing more to say
	now = now.Add(refusalLogEvery)
	f.report(c, full)
	// A refusal counted, then one past the window before the scheduled
	// flush ran: the count is written first, in order.
	now = now.Add(time.Second)
	f.report(c, full)
	now = now.Add(refusalLogEvery)
	f.report(c, full)
	want := "POST /github/push not stored, its sender was answered 503: database or disk is full\n" +
		"2 more captures not stored since 13:00:00, their senders were answered 503; the last: database or disk is full\n" +
		"POST /github/push not stored, its sender was answered 503: database or disk is full\n" +
		"1 more capture not stored since 13:00:10, its sender was answered 503; the last: database or disk is full\n" +
		"POST /github/push not stored, its sender was answered 503: database or disk is full\n"
	if out.String() != want {
		t.Fatalf("logged:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestListenVerifyAddsTheVerdict(t *testing.T) {
	url, stdout, stderr, stop := startListen(t, listenFlags(t, "--data-dir", t.TempDir(), "--verify", "/gh=github:s3cret"))
	defer stop()
	if !strings.Contains(stderr.String(), "Verifying /gh signatures as github") || strings.Contains(stderr.String(), "s3cret") {
		t.Fatalf("stderr: %s", stderr.String())
	}
	body := `{"ref":"main"}`
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write([]byte(body))
	for _, sig := range []string{"sha256=" + hex.EncodeToString(mac.Sum(nil)), ""} {
		req, _ := http.NewRequest(http.MethodPost, url+"gh", strings.NewReader(body))
		req.Header.Set("X-GitHub-Event", "push")
		if sig != "" {
			req.Header.Set("X-Hub-Signature-256", sig)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	poll.Until(t, "two JSON lines", func() bool { return strings.Count(stdout.String(), "\n") >= 2 })
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	for i, want := range []string{`"event":"push","signature":{"scheme":"github","valid":true,"reason":""}`,
		`"event":"push","signature":{"scheme":"github","valid":false,"reason":"no signature header","detail":"X-Hub-Signature-256 is missing"}`} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d lacks %s: %s", i+1, want, lines[i])
		}
	}
}
