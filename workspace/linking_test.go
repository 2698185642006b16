package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/workspace/poll"
)

// paymentID is the payment a sandbox webhook is about.
func paymentID(t *testing.T, w *Workspace, captureID string) string {
	t.Helper()
	c, err := w.Store().Get(captureID)
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Data struct {
			Object struct{ ID string } `json:"object"`
		} `json:"data"`
	}
	if err := json.Unmarshal(c.Body, &ev); err != nil {
		t.Fatal(err)
	}
	return ev.Data.Object.ID
}

// Two payments sent through Send to the workspace's own sandbox: each
// one's two webhooks link to its POST, and never to the other's.
func TestSandboxPaymentsLinkToTheirPost(t *testing.T) {
	w := openTest(t, t.TempDir())
	serveTest(t, w, ServeOptions{Sandbox: fastSandbox})
	ev := subscribe(t, w)

	type sent struct {
		reqID int64
		payID string
	}
	var payments []sent
	for range 2 {
		resp, err := w.Send(context.Background(), "t", ExampleRequest(), w.Vars(), "")
		if err != nil {
			t.Fatal(err)
		}
		var p struct{ ID string }
		if err := json.Unmarshal(resp.Body, &p); err != nil || p.ID == "" {
			t.Fatalf("payment %s: %v", resp.Body, err)
		}
		resp.Close()
		hist, err := w.History().List("", 0, 1)
		if err != nil || len(hist) != 1 {
			t.Fatalf("history %+v, %v", hist, err)
		}
		payments = append(payments, sent{hist[0].ID, p.ID})
	}
	f := capture.Filter{Endpoint: "payments"}
	var list []capture.Summary
	poll.Until(t, "four payment webhooks, linked", func() bool {
		list, _ = w.Store().List(f, 0, 10)
		if len(list) != 4 {
			return false
		}
		for _, s := range list {
			if _, ok, _ := w.CausedBy(context.Background(), s.ID); !ok {
				return false
			}
		}
		return true
	}, func() string {
		var b strings.Builder
		for _, s := range list {
			_, ok, err := w.CausedBy(context.Background(), s.ID)
			fmt.Fprintf(&b, "%s %s %s linked=%v %v; ", s.ID, s.Time.Format("15:04:05.000000"), s.Event, ok, err)
		}
		for _, p := range payments {
			fmt.Fprintf(&b, "request %d %s; ", p.reqID, p.payID)
		}
		return fmt.Sprintf("%d captures: %s", len(list), b.String())
	})
	for _, s := range list {
		l, _, err := w.CausedBy(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		pay := paymentID(t, w, s.ID)
		var want sent
		for _, p := range payments {
			if p.payID == pay {
				want = p
			}
		}
		if l.Request.ID != want.reqID || l.SharedID != pay || l.Request.Method != "POST" || l.Request.Status != 201 ||
			!strings.HasSuffix(l.Request.URL, "/v1/payments") {
			t.Errorf("capture %s about %s: linked %+v, want request %d by %s", s.ID, pay, l, want.reqID, pay)
		}
	}
	for _, p := range payments {
		caused, err := w.Caused(context.Background(), p.reqID)
		if err != nil || len(caused) != 2 {
			t.Fatalf("request %d caused %+v, %v", p.reqID, caused, err)
		}
		events := map[string]bool{}
		for _, s := range caused {
			events[s.Event] = true
			if got := paymentID(t, w, s.ID); got != p.payID {
				t.Errorf("request %d (%s) caused a webhook about %s", p.reqID, p.payID, got)
			}
		}
		if !events["payment.created"] || !events["payment.succeeded"] {
			t.Errorf("request %d caused %+v", p.reqID, caused)
		}
	}
	ev.until("four CaptureLinked events", func(l []Event) bool { return count[CaptureLinked](l) == 4 })
}

// idServer answers every request with a payment of the id in its query.
func idServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusCreated)
		json.NewEncoder(rw).Encode(map[string]any{"id": r.URL.Query().Get("id"), "amount": 1200, "created": 1765071025})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A webhook caught by one process (hooklab listen) links to a request
// sent by another (the window) sharing the data directory, and each sees
// the other's links.
func TestLinksAcrossProcessesSharingTheDataDirectory(t *testing.T) {
	dir := t.TempDir()
	window := openTest(t, dir)
	listen, err := Open(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listen.Close() })
	s := serveTest(t, listen, ServeOptions{})
	srv := idServer(t)

	resp, err := window.Send(context.Background(), "t", requester.Request{Method: "POST", URL: srv.URL + "/v1/payments?id=pay_X1crossproc"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	postJSON(t, s.CatcherURL+"payments", `{"type":"payment.succeeded","data":{"object":{"id":"pay_X1crossproc"}}}`)
	postJSON(t, s.CatcherURL+"payments", `{"type":"payment.succeeded","data":{"object":{"id":"pay_Y2unrelated"}}}`)
	var list []capture.Summary
	poll.Until(t, "two captures in the window", func() bool { list, _ = window.Store().List(capture.Filter{}, 0, 10); return len(list) == 2 })
	linked, unlinked := list[1], list[0]
	poll.Until(t, "the link, seen by the window", func() bool {
		_, ok, _ := window.CausedBy(context.Background(), linked.ID)
		return ok
	})
	hist, _ := window.History().List("", 0, 1)
	l, _, _ := window.CausedBy(context.Background(), linked.ID)
	if l.Request.ID != hist[0].ID || l.SharedID != "pay_X1crossproc" || l.Request.Status != 201 {
		t.Fatalf("link %+v, want request %d", l, hist[0].ID)
	}
	if l2, ok, err := listen.CausedBy(context.Background(), linked.ID); !ok || err != nil || l2 != l {
		t.Fatalf("listen sees %+v, %v, %v", l2, ok, err)
	}
	if _, ok, _ := window.CausedBy(context.Background(), unlinked.ID); ok {
		t.Fatal("a webhook about another payment was linked")
	}
	caused, err := window.Caused(context.Background(), hist[0].ID)
	if err != nil || len(caused) != 1 || caused[0].ID != linked.ID {
		t.Fatalf("caused %+v, %v", caused, err)
	}

	// hooklab export --format jsonl, a third process: "caused_by" on the
	// linked capture's line only.
	tool, err := Open(Options{DataDir: dir, Tool: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tool.Close()
	var out bytes.Buffer
	if n, err := tool.Export(context.Background(), &out, "jsonl", capture.Filter{}); err != nil || n != 2 {
		t.Fatalf("export: %d, %v", n, err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var first, second map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"request_id": float64(hist[0].ID), "method": "POST", "url": srv.URL + "/v1/payments?id=pay_X1crossproc",
		"status": float64(201), "shared_id": "pay_X1crossproc"}
	if !reflect.DeepEqual(first["caused_by"], want) {
		t.Errorf("caused_by %#v, want %#v", first["caused_by"], want)
	}
	if _, ok := second["caused_by"]; ok {
		t.Errorf("the unlinked capture's line has caused_by: %s", lines[1])
	}
}

// Deleting a history entry forgets its identifiers: a later webhook does
// not link to it.
func TestDeletedRequestsAreNotCauses(t *testing.T) {
	w := openTest(t, t.TempDir())
	s := serveTest(t, w, ServeOptions{})
	srv := idServer(t)
	resp, err := w.Send(context.Background(), "t", requester.Request{Method: "POST", URL: srv.URL + "/?id=job_Z9deleted"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	hist, _ := w.History().List("", 0, 1)
	if err := w.DeleteHistory(hist[0].ID); err != nil {
		t.Fatal(err)
	}
	postJSON(t, s.CatcherURL+"jobs", `{"job_id":"job_Z9deleted"}`)
	postJSON(t, s.CatcherURL+"jobs", `{"marker":"done"}`)
	var list []capture.Summary
	poll.Until(t, "two captures", func() bool { list, _ = w.Store().List(capture.Filter{}, 0, 10); return len(list) == 2 })
	w.Stop() // the linker finishes what is queued
	if _, ok, err := w.CausedBy(context.Background(), list[1].ID); ok || err != nil {
		t.Fatalf("linked to a deleted request: %v, %v", ok, err)
	}
}
