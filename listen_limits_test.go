package main

import (
	"io"
	"net"
	"net/http"
	"strings"
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
