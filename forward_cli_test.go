package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"hooklab/workspace/poll"
)

// TestListenForwards: --forward delivers an endpoint's webhook to the
// target as received, answers the sender without waiting for it, and
// the JSON line says how the forward went.
func TestListenForwards(t *testing.T) {
	release := make(chan struct{})
	got := make(chan string, 1)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r.Method + " " + r.RequestURI + " " + r.Header.Get("X-Sig") + " " + string(b)
		<-release // the target is slow: the sender must not wait for it
		w.WriteHeader(http.StatusAccepted)
	}))
	defer target.Close()
	url, stdout, _, stop := startListen(t, listenFlags(t, "--data-dir", t.TempDir(), "--forward", "/stripe="+target.URL+"/hooks"))
	defer stop()

	req, _ := http.NewRequest("POST", url+"stripe/evt?x=1", strings.NewReader(`{"id":"evt_1"}`))
	req.Header.Set("X-Sig", "v1=abc")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the sender got %d", res.StatusCode)
	}
	// Answered while the target still holds the forward.
	if s := <-got; s != `POST /hooks/evt?x=1 v1=abc {"id":"evt_1"}` {
		t.Errorf("the target got %q", s)
	}
	close(release)
	poll.Until(t, "the forwarded line", func() bool { return strings.Contains(stdout.String(), `"forward"`) }, func() string { return stdout.String() })
	var line struct {
		Path    string
		Forward struct {
			URL      string
			Status   int
			Attempts int
			Error    string
		}
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout.String())), &line); err != nil {
		t.Fatal(err)
	}
	if line.Path != "/stripe/evt" || line.Forward.Status != http.StatusAccepted || line.Forward.Attempts != 1 || !strings.HasSuffix(line.Forward.URL, "/hooks/evt?x=1") {
		t.Errorf("line %+v", line)
	}
}
