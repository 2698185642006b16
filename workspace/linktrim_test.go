package workspace

import (
	"bytes"
	"context"
	"errors"
	"log"
	"strings"
	"sync"
	"testing"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/workspace/poll"
)

// linkRows counts the rows of a link table.
func linkRows(t *testing.T, w *Workspace, table string) int {
	t.Helper()
	var n int
	if err := w.sqlite.ReadDB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The store keeps two captures: the links of the ones it prunes go with
// them, and the request's Caused lists the two kept.
func TestPrunedCapturesLoseTheirLinks(t *testing.T) {
	w, err := Open(Options{DataDir: t.TempDir(), History: true, Retain: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	s := serveTest(t, w, ServeOptions{})
	srv := idServer(t)
	resp, err := w.Send(context.Background(), "t", requester.Request{Method: "POST", URL: srv.URL + "/?id=job_Z9pruned"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	hist, _ := w.History().List("", 0, 1)
	ev := subscribe(t, w)
	// One at a time: a capture pruned before the linker read it would
	// not be linked at all.
	for i := range 5 {
		postJSON(t, s.CatcherURL+"jobs", `{"job_id":"job_Z9pruned"}`)
		ev.until("the capture linked", func(got []Event) bool {
			n := 0
			for _, e := range got {
				if _, ok := e.(CaptureLinked); ok {
					n++
				}
			}
			return n == i+1
		})
	}
	w.Stop() // the linker finishes what is queued, pruning included
	if n := linkRows(t, w, "links"); n != 2 {
		t.Errorf("%d links kept for 2 captures", n)
	}
	caused, err := w.Caused(context.Background(), hist[0].ID)
	if err != nil || len(caused) != 2 {
		t.Errorf("caused %v, %v; want the 2 kept", caused, err)
	}
}

// An entry the history dropped to stay within its limit (as its
// retention does: the oldest rows go) is no cause for a later webhook,
// once the next send recorded its exchange.
func TestDroppedHistoryEntriesAreNotCauses(t *testing.T) {
	w := openTest(t, t.TempDir())
	s := serveTest(t, w, ServeOptions{})
	srv := idServer(t)
	for _, id := range []string{"job_Z9dropped", "job_Z9kept"} {
		if id == "job_Z9kept" {
			hist, _ := w.History().List("", 0, 1)
			err := w.sqlite.WriteTx(context.Background(), func(ctx context.Context, tx capture.Tx) error {
				_, err := tx.ExecContext(ctx, `DELETE FROM history WHERE id = ?`, hist[0].ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		resp, err := w.Send(context.Background(), "t", requester.Request{Method: "POST", URL: srv.URL + "/?id=" + id}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		resp.Close()
	}
	postJSON(t, s.CatcherURL+"jobs", `{"job_id":"job_Z9dropped"}`)
	postJSON(t, s.CatcherURL+"jobs", `{"job_id":"job_Z9kept"}`)
	var list []capture.Summary
	poll.Until(t, "two captures", func() bool { list, _ = w.Store().List(capture.Filter{}, 0, 10); return len(list) == 2 })
	w.Stop()
	if l, ok, err := w.CausedBy(context.Background(), list[1].ID); ok || err != nil {
		t.Errorf("the older webhook linked to a dropped entry: %+v, %v", l, err)
	}
	if _, ok, err := w.CausedBy(context.Background(), list[0].ID); !ok || err != nil {
		t.Errorf("the newer webhook is not linked to the kept entry: %v", err)
	}
}

// syncBuffer is a log's destination read while the linker writes.
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

// A failing link table is logged once while it fails, and once when it
// works again, in the servers' log.
func TestLinkFailuresAreLoggedOnce(t *testing.T) {
	w := openTest(t, t.TempDir())
	var out syncBuffer
	o := ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Logger: log.New(&out, "", 0)}
	if _, err := w.Serve(o); err != nil {
		t.Fatal(err)
	}
	full := errors.New("database or disk is full")
	for _, err := range []error{nil, full, full, full, nil, nil, full} {
		w.linkDone(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || strings.Count(out.String(), "database or disk is full") != 2 ||
		!strings.Contains(lines[1], "works again") {
		t.Errorf("logged:\n%s", out.String())
	}
}
