package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"hooklab/capture"
	"hooklab/workspace/poll"
)

// Listening beyond loopback without --expose: refused, saying how.
func TestListenBeyondLoopbackNeedsExpose(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "[::]:0"} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"listen", "--addr", addr, "--sandbox-addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "start with --expose") {
			t.Fatalf("%s: exit %d, stderr %q", addr, code, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"listen", "--token", "x", "--addr", "127.0.0.1:0", "--sandbox-addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "add --expose") {
		t.Fatalf("--token alone: exit %d, stderr %q", code, stderr.String())
	}
}

// Exposed, listen prints the token; a request without it is answered
// 401 and printed nowhere; with it, its line holds no token.
func TestListenExposedWantsTheToken(t *testing.T) {
	url, stdout, stderr, stop := startListen(t, listenFlags(t, "--data-dir", t.TempDir(), "--expose", "--token", "tok-42"))
	defer stop()
	if !strings.Contains(stderr.String(), "header X-Hooklab-Token: tok-42") {
		t.Fatalf("banner:\n%s", stderr.String())
	}
	res, err := http.Post(url+"hook", "text/plain", strings.NewReader("no token"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without the token: %d", res.StatusCode)
	}
	res, err = http.Post(url+"hook?x=1&hooklab_token=tok-42", "text/plain", strings.NewReader("with token"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("with the token: %d", res.StatusCode)
	}
	poll.Until(t, "one JSON line", func() bool { return strings.Count(stdout.String(), "\n") >= 1 })
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var l capture.JSONLine
	if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || *l.Body != "with token" || l.RawQuery != "x=1" || strings.Contains(lines[0], "tok-42") {
		t.Fatalf("lines:\n%s", stdout.String())
	}
}
