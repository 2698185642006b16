package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"hooklab/capture"
	"hooklab/workspace/forward"
	"hooklab/workspace/poll"
)

// jsonTarget answers each forward 202 with a JSON body and a custom
// header.
func jsonTarget(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header()["x-Request-ID"] = []string{"req_42"} // the case as written goes on the wire
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"received":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// forwardedOne posts one capture to ep on s and waits for the result of
// forwarding it; it returns the capture's id.
func forwardedOne(t *testing.T, w *Workspace, s Serving, ep string) string {
	t.Helper()
	postJSON(t, s.CatcherURL+strings.TrimPrefix(ep, "/"), `{"id":"evt_1"}`)
	var id string
	poll.Until(t, "the capture forwarded", func() bool {
		list, err := w.Store().List(capture.Filter{}, 0, 1)
		if err != nil || len(list) == 0 {
			return false
		}
		id = list[0].ID
		_, ok := w.Forwarded(id)
		return ok
	}, func() string { return id })
	return id
}

func forwardRows(t *testing.T, w *Workspace) int {
	t.Helper()
	var n int
	if err := w.sqlite.ReadDB().QueryRow(`SELECT count(*) FROM forwards`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A forward's result and the target's answer (headers as received, the
// JSON body) are kept next to the capture: after a restart on the same
// data directory, with no forwarding rule any more, Forwarded and
// ForwardResponse still say how it went.
func TestForwardResultSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	tg := jsonTarget(t)
	w, err := Open(Options{DataDir: dir, History: true})
	if err != nil {
		t.Fatal(err)
	}
	s := serveTest(t, w, ServeOptions{NoSandbox: true, Forward: []forward.Rule{forwardRule(t, "/pay", tg.URL+"/hooks")}})
	id := forwardedOne(t, w, s, "/pay")
	w.Stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	w2 := openTest(t, dir)
	r, ok := w2.Forwarded(id)
	if !ok || r.Status != http.StatusAccepted || r.URL != tg.URL+"/hooks" || r.Attempts != 1 || r.Err != "" || r.At.IsZero() {
		t.Fatalf("after a restart: %+v, %v", r, ok)
	}
	resp, err := w2.ForwardResponse(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusLine() != "HTTP/1.1 202 Accepted" || string(resp.Body) != `{"received":true}` || resp.Truncated || resp.Size != 17 {
		t.Errorf("response %q %q size %d truncated %v", resp.StatusLine(), resp.Body, resp.Size, resp.Truncated)
	}
	var names []string
	for _, f := range resp.Fields() {
		names = append(names, f.Name)
	}
	if !strings.Contains(string(resp.Head), "\r\nx-Request-ID: req_42\r\n") || names[0] != "Content-Type" {
		t.Errorf("head %q: want the custom header as written, names as received %v", resp.Head, names)
	}
	if _, err := w2.ForwardResponse(context.Background(), "cap_none"); !errors.Is(err, ErrNoForwardResponse) {
		t.Errorf("a capture not forwarded: %v", err)
	}
}

// Deleting a forwarded capture drops its row, Undo (RestoreCapture)
// brings it back with the capture, Clear drops them all.
func TestDeleteRestoreClearForwards(t *testing.T) {
	w := openTest(t, t.TempDir())
	tg := jsonTarget(t)
	s := serveTest(t, w, ServeOptions{NoSandbox: true, Forward: []forward.Rule{forwardRule(t, "/pay", tg.URL)}})
	t.Cleanup(w.Stop)
	id := forwardedOne(t, w, s, "/pay")
	forwardedOne(t, w, s, "/pay")
	if n := forwardRows(t, w); n != 2 {
		t.Fatalf("%d rows for 2 forwarded captures", n)
	}
	c, err := w.Store().Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteCapture(id); err != nil {
		t.Fatal(err)
	}
	if n := forwardRows(t, w); n != 1 {
		t.Fatalf("%d rows after deleting one of 2", n)
	}
	if _, ok := w.Forwarded(id); ok {
		t.Fatal("a deleted capture is still forwarded")
	}
	if err := w.RestoreCapture(c); err != nil {
		t.Fatal(err)
	}
	if r, ok := w.Forwarded(id); !ok || r.Status != http.StatusAccepted {
		t.Fatalf("after Undo: %+v, %v", r, ok)
	}
	if resp, err := w.ForwardResponse(context.Background(), id); err != nil || string(resp.Body) != `{"received":true}` {
		t.Fatalf("the response after Undo: %v", err)
	}
	if n := forwardRows(t, w); n != 2 {
		t.Fatalf("%d rows after Undo, want 2", n)
	}
	if err := w.ClearCaptures(); err != nil {
		t.Fatal(err)
	}
	if n := forwardRows(t, w); n != 0 {
		t.Fatalf("%d rows after Clear", n)
	}
}

// The store keeps two captures: the forwards of those it prunes go with
// them.
func TestPrunedCapturesLoseTheirForwards(t *testing.T) {
	w, err := Open(Options{DataDir: t.TempDir(), History: true, Retain: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	tg := jsonTarget(t)
	s := serveTest(t, w, ServeOptions{NoSandbox: true, Forward: []forward.Rule{forwardRule(t, "/pay", tg.URL)}})
	// One at a time, each forwarded before the next arrives: a capture
	// pruned before its result is written gets no row at all.
	for range 5 {
		forwardedOne(t, w, s, "/pay")
	}
	w.Stop() // the linker finishes what is queued, pruning included
	if n := forwardRows(t, w); n != 2 {
		t.Errorf("%d forwards kept for 2 captures", n)
	}
}

// `hooklab export --format jsonl` gives a forwarded capture the
// "forward" object listen prints; a capture not forwarded has none.
func TestExportJSONLHasForward(t *testing.T) {
	w := openTest(t, t.TempDir())
	tg := jsonTarget(t)
	s := serveTest(t, w, ServeOptions{NoSandbox: true, Forward: []forward.Rule{forwardRule(t, "/pay", tg.URL+"/in")}})
	t.Cleanup(w.Stop)
	id := forwardedOne(t, w, s, "/pay")
	postJSON(t, s.CatcherURL+"other", `{}`)
	var out bytes.Buffer
	if n, err := w.Export(context.Background(), &out, "jsonl", capture.Filter{}); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var first, second map[string]json.RawMessage
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	var fw capture.Forward
	if err := json.Unmarshal(first["forward"], &fw); err != nil {
		t.Fatalf("line %s: %v", lines[0], err)
	}
	if string(first["id"]) != `"`+id+`"` || fw.URL != tg.URL+"/in" || fw.Status != 202 || fw.Attempts != 1 || fw.Error != "" {
		t.Errorf("forward %+v in %s", fw, lines[0])
	}
	if _, ok := second["forward"]; ok {
		t.Errorf("a capture not forwarded has a forward: %s", lines[1])
	}
}

// With captures in memory (a data directory that cannot be used), the
// result and the latest responses are kept in memory: Forwarded,
// ForwardResponse and the export say how it went; a delete forgets it
// and Undo brings it back.
func TestForwardResultsInMemory(t *testing.T) {
	w, err := Open(Options{DataDir: filepath.Join(plainFile(t), "sub")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if w.sqlite != nil {
		t.Fatal("the workspace kept a database")
	}
	tg := jsonTarget(t)
	s := serveTest(t, w, ServeOptions{NoSandbox: true, Forward: []forward.Rule{forwardRule(t, "/pay", tg.URL)}})
	t.Cleanup(w.Stop)
	id := forwardedOne(t, w, s, "/pay")
	resp, err := w.ForwardResponse(context.Background(), id)
	if err != nil || string(resp.Body) != `{"received":true}` {
		t.Fatalf("response %v, %v", resp, err)
	}
	var out bytes.Buffer
	if _, err := w.Export(context.Background(), &out, "jsonl", capture.Filter{}); err != nil || !strings.Contains(out.String(), `"forward":{"url":"`+tg.URL+`","status":202,`) {
		t.Fatalf("export %s, %v", out.String(), err)
	}
	c, err := w.Store().Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteCapture(id); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the forward forgotten", func() bool { _, ok := w.Forwarded(id); return !ok }, func() string { return "" })
	if err := w.RestoreCapture(c); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ForwardResponse(context.Background(), id); err != nil {
		t.Fatalf("after Undo: %v", err)
	}
}
