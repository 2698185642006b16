package ui

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/requester"
)

// replayNewest selects the newest capture, taps Replay and returns the
// composer tab it opened.
func replayNewest(t *testing.T, r *rig) {
	t.Helper()
	r.ui.Catcher.Select(0)
	r.loop.WaitFor(t, "the newest capture shown", r.ui.Catcher.DetailShown)
	replay := button(r.win.Content(), "Replay")
	tabs := len(r.ui.Composer.Tabs.Titles())
	test.Tap(replay)
	if len(r.ui.Composer.Tabs.Titles()) != tabs+1 {
		t.Fatalf("Replay opened %d tabs, want one", len(r.ui.Composer.Tabs.Titles())-tabs)
	}
}

// sendReplay checks the replay tab's body kind, sends it, and returns
// the capture it made (the second).
func sendReplay(t *testing.T, r *rig, kind requester.BodyKind) *capture.Capture {
	t.Helper()
	c := r.ui.Composer
	if got := c.Request(); got.Body.Kind != kind {
		t.Fatalf("replay body kind %q, want %q", got.Body.Kind, kind)
	}
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "the catcher's answer to the replay", func() bool { return c.Status.Text == "200 OK" })
	return newestCapture(t, r, 2)
}

// newestCapture is the newest stored capture once there are n.
func newestCapture(t *testing.T, r *rig, n int) *capture.Capture {
	t.Helper()
	r.loop.WaitFor(t, "the replay caught", func() bool { return r.ui.Catcher.Total() == n })
	list, err := r.store.List(capture.Filter{}, 0, 1)
	if err != nil || len(list) != 1 {
		t.Fatalf("newest capture: %v %v", list, err)
	}
	cp, err := r.store.Get(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// TestReplayACapture: Replay opens the selected webhook in a new
// composer tab (method, path, query, headers, body), and Send delivers
// the same request again: here to the catcher itself.
func TestReplayACapture(t *testing.T) {
	r := newRig(t)
	req, _ := http.NewRequest("PUT", strings.TrimSuffix(r.ws.CatcherURL(), "/")+"/github/push?delivery=42&x=a%20b", strings.NewReader(`{"ref":"refs/heads/main"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "push")
	deliver(t, r, req, 1)
	replayNewest(t, r)

	c := r.ui.Composer
	if c.Method.Text != "PUT" || c.URL.Text != "{{webhook_url}}github/push?delivery=42&x=a%20b" {
		t.Fatalf("replay tab: %s %s", c.Method.Text, c.URL.Text)
	}
	if got := c.Request(); got.Body.Text != `{"ref":"refs/heads/main"}` {
		t.Fatalf("replay body %+v", got.Body)
	}
	if name := c.Request().Name; name != "Replay PUT /github/push" {
		t.Errorf("replay tab titled %q", name)
	}
	again := sendReplay(t, r, requester.BodyJSON)
	if again.Method != "PUT" || again.Path != "/github/push" || again.RawQuery != "delivery=42&x=a%20b" ||
		string(again.Body) != `{"ref":"refs/heads/main"}` || again.Header.Get("X-Github-Event") != "push" ||
		again.Header.Get("Content-Type") != "application/json" || len(again.Header.Values("Content-Type")) != 1 {
		t.Fatalf("replayed: %s %s?%s %q %v", again.Method, again.Path, again.RawQuery, again.Body, again.Header)
	}
}

// TestReplayKeepsBinaryBodiesExact: a gzip-encoded body is replayed
// byte for byte (from a file), with its Content-Encoding.
func TestReplayKeepsBinaryBodiesExact(t *testing.T) {
	r := newRig(t)
	sent := postGzip(t, r, "/shop/orders", `{"event":"compressed"}`)
	replayNewest(t, r)
	if file := r.ui.Composer.Request().Body.File; !r.ui.Composer.Files()[file] {
		t.Fatalf("the replay's body file %q is not among the files the tabs use, so quitting would prune it", file)
	}
	again := sendReplay(t, r, requester.BodyFile)
	if !bytes.Equal(again.Body, sent) || again.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("replayed %d bytes (want %d exact), Content-Encoding %q", len(again.Body), len(sent), again.Header.Get("Content-Encoding"))
	}
}

// TestReplayKeepsEscapesAndTemplates: escaped characters in the path, a
// "#" in the query and {{…}} in a body are sent as they arrived, not
// read as a query, a fragment or composer variables.
func TestReplayKeepsEscapesAndTemplates(t *testing.T) {
	r := newRig(t)
	conn, err := net.Dial("tcp", strings.Trim(strings.TrimPrefix(r.ws.CatcherURL(), "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"tmpl":"Hi {{name}}","at":"{{$timestamp}}"}`
	fmt.Fprintf(conn, "POST /a%%3Fb/c%%23d/x%%2541?a=1#frag&b=2 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	if _, err := io.ReadAll(conn); err != nil {
		t.Fatal(err)
	}
	r.loop.WaitFor(t, "the webhook listed", func() bool { return r.ui.Catcher.Total() == 1 })
	first := newestCapture(t, r, 1)
	replayNewest(t, r)
	again := sendReplay(t, r, requester.BodyFile) // a body holding {{ goes unchanged, as a file
	q1, _ := url.ParseQuery(first.RawQuery)
	q2, _ := url.ParseQuery(again.RawQuery)
	if again.Path != first.Path || !reflect.DeepEqual(q1, q2) || string(again.Body) != body {
		t.Fatalf("replayed %q ? %q %q, want %q ? %q %q", again.Path, again.RawQuery, again.Body, first.Path, first.RawQuery, body)
	}
}

// TestPruneReplays: on quit, body files of replays that no saved tab
// uses go once they are a day old; used, recent and foreign files stay.
func TestPruneReplays(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-48 * time.Hour)
	for name, mtime := range map[string]time.Time{"replay-used.bin": old, "replay-old.bin": old, "replay-new.bin": time.Now(), "notes.txt": old} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	pruneReplays(dir, map[string]bool{filepath.Join(dir, "replay-used.bin"): true}, time.Now().Add(-replayKeep))
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{"notes.txt", "replay-new.bin", "replay-used.bin"}; !reflect.DeepEqual(left, want) {
		t.Fatalf("left %v, want %v", left, want)
	}
}
