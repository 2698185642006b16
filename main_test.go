package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/capture"
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

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
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
	go func() {
		done <- listen(ctx, &addrFlags{addr: "127.0.0.1:0", sandboxAddr: "127.0.0.1:0"}, &stdout, &stderr)
	}()

	re := regexp.MustCompile(`Catching webhooks at (\S+)\nSandbox API at (\S+)`)
	var m []string
	waitFor(t, "start-up line", func() bool { m = re.FindStringSubmatch(stderr.String()); return m != nil })
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

	waitFor(t, "three JSON lines", func() bool { return strings.Count(stdout.String(), "\n") >= 3 })
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
