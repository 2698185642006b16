package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/workspace"
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

// Exposed, listen prints the network URLs with the token; a capture's
// line holds no token.
func TestListenExposedPrintsItsURLs(t *testing.T) {
	ip := lanIP(t)
	url, stdout, stderr, stop := startListen(t, listenFlags(t, "--data-dir", t.TempDir(), "--expose", "--token", "tok-42", "--addr", ip+":0"))
	defer stop()
	port := strings.TrimSuffix(url[strings.LastIndex(url, ":")+1:], "/")
	want := "http://" + ip + ":" + port + "/?hooklab_token=tok-42"
	poll.Until(t, "the banner", func() bool { return strings.Contains(stderr.String(), want) }, stderr.String)
	if !strings.Contains(stderr.String(), "header X-Hooklab-Token: tok-42") {
		t.Fatalf("banner:\n%s", stderr.String())
	}
	res, err := http.Post("http://"+ip+":"+port+"/hook?x=1&hooklab_token=tok-42", "text/plain", strings.NewReader("with token"))
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

// lanIP is an IPv4 address of this computer that is not loopback; the
// test is skipped where there is none.
func lanIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
				return n.IP.String()
			}
		}
	}
	t.Skip("no network address other than loopback")
	return ""
}

// The Settings switch exposes the window's catcher, with its kept token.
func TestExposeFromPrefs(t *testing.T) {
	app := test.NewTempApp(t)
	a := &addrFlags{}
	exposeFromPrefs(a, app.Preferences())
	if a.expose {
		t.Fatal("exposed with the switch off")
	}
	app.Preferences().SetBool(workspace.PrefExpose, true)
	app.Preferences().SetString(workspace.PrefExposeToken, "kept")
	exposeFromPrefs(a, app.Preferences())
	if !a.expose || a.token != "kept" {
		t.Fatalf("switch on: expose %v, token %q", a.expose, a.token)
	}
	a = &addrFlags{token: "flag"}
	exposeFromPrefs(a, app.Preferences())
	if a.token != "flag" {
		t.Fatalf("--token lost to the kept one: %q", a.token)
	}
}
