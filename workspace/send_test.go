package workspace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"hooklab/requester"
)

// cookieServer sets a cookie on /login and answers every request with
// the Cookie header it got.
func cookieServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/"})
		}
		fmt.Fprint(w, r.Header.Get("Cookie"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(url string) requester.Request {
	return requester.Request{Name: "Get " + url, Method: "GET", URL: url}
}

func TestSendPublishesThenKeepsHistory(t *testing.T) {
	srv := cookieServer(t)
	w := openTest(t, t.TempDir())
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	w.now = func() time.Time { return at }
	ev := subscribe(t, w)
	resp, err := w.Send(context.Background(), "tab-1", get("{{base}}/first"), requester.Vars{"base": srv.URL}, "")
	if err != nil || resp.Status != 200 {
		t.Fatalf("Send = %+v, %v", resp, err)
	}
	got := ev.until("the history entry", func(l []Event) bool { return count[HistoryAdded](l) == 1 })
	if len(got) != 3 {
		t.Fatalf("events %#v, want three", got)
	}
	if s, ok := got[0].(SendStarted); !ok || s.Tab != "tab-1" {
		t.Fatalf("first event %#v, want SendStarted of tab-1", got[0])
	}
	if f, ok := got[1].(SendFinished); !ok || f.Tab != "tab-1" || f.Resp != resp || f.Err != nil {
		t.Fatalf("second event %#v, want SendFinished with the response", got[1])
	}
	h := got[2].(HistoryAdded).Entry
	if !h.Time.Equal(at) || h.Status != 200 || h.URL != srv.URL+"/first" || h.Name != "Get {{base}}/first" {
		t.Fatalf("history summary %+v", h)
	}
	e, err := w.History().Get(h.ID)
	if err != nil || e.Request.URL != "{{base}}/first" || e.Method != "GET" {
		t.Fatalf("history entry %+v, %v", e, err)
	}
}

func TestSendUsesTheJarItIsGiven(t *testing.T) {
	srv := cookieServer(t)
	w := openTest(t, t.TempDir())
	ev := subscribe(t, w)
	ctx := context.Background()
	if _, err := w.Send(ctx, "t", get(srv.URL+"/login"), nil, "coll#dev"); err != nil {
		t.Fatal(err)
	}
	got := ev.until("the login's end", func(l []Event) bool { return count[SendFinished](l) == 1 })
	var cookies []*http.Cookie
	for _, e := range got {
		if f, ok := e.(SendFinished); ok {
			cookies = f.Cookies
		}
	}
	if len(cookies) != 1 || cookies[0].Value != "s1" {
		t.Fatalf("SendFinished carries cookies %v, want the session", cookies)
	}
	for jar, want := range map[string]string{"coll#dev": "session=s1", "coll#prod": ""} {
		resp, err := w.Send(ctx, "t", get(srv.URL+"/me"), nil, jar)
		if err != nil || string(resp.Body) != want {
			t.Errorf("jar %s sent cookies %q (%v), want %q", jar, resp.Body, err, want)
		}
	}
	w.ClearCookies("coll#dev")
	if c := w.Cookies("coll#dev"); len(c) != 0 {
		t.Fatalf("cleared jar holds %v", c)
	}
}

// TestACancelledSendIsKept: the user's cancellation is an outcome the
// history keeps.
func TestACancelledSendIsKept(t *testing.T) {
	w := openTest(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.Send(ctx, "t", get("http://127.0.0.1:1/"), nil, ""); err == nil {
		t.Fatal("a cancelled send succeeded")
	}
	list, err := w.History().List("", 0, 10)
	if err != nil || len(list) != 1 || list[0].Err == "" {
		t.Fatalf("history %+v, %v; want the cancelled send with its error", list, err)
	}
}

// TestCloseCancelsSendsInFlightAndWaitsForThem is the regression test
// for sends that outlived the window: Close must cancel a send in
// flight and wait for it before the database closes, and the send must
// write no history once Close began.
func TestCloseCancelsSendsInFlightAndWaitsForThem(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done() // answers only when the client gives up
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	w, err := Open(Options{DataDir: dir, History: true})
	if err != nil {
		t.Fatal(err)
	}
	ev := subscribe(t, w)
	type result struct {
		resp *requester.Response
		err  error
	}
	sent := make(chan result, 1)
	go func() {
		resp, err := w.Send(context.Background(), "t", get(srv.URL+"/slow"), nil, "")
		sent <- result{resp, err}
	}()
	<-arrived
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-sent:
	default:
		t.Fatal("Close returned while a send was still in flight")
	}
	var se *requester.SendError
	if !errors.As(r.err, &se) || se.Kind != "canceled" {
		t.Fatalf("the send ended with %v, want it cancelled", r.err)
	}
	for _, e := range ev.sub.Take() {
		switch e.(type) {
		case HistoryAdded, HistoryNotKept:
			t.Fatalf("the cancelled send went on to history: %#v", e)
		}
	}
	if _, err := w.Send(context.Background(), "t", get(srv.URL), nil, ""); !errors.Is(err, ErrStopped) {
		t.Fatalf("Send after Close = %v, want ErrStopped", err)
	}
	again := openTest(t, dir)
	if n, err := again.History().Count(""); err != nil || n != 0 {
		t.Fatalf("history holds %d (%v), want nothing", n, err)
	}
}

func TestHistoryEditsPublish(t *testing.T) {
	srv := cookieServer(t)
	w := openTest(t, t.TempDir())
	for range 2 {
		if _, err := w.Send(context.Background(), "t", get(srv.URL), nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	ev := subscribe(t, w)
	list, _ := w.History().List("", 0, 10)
	if err := w.DeleteHistory(list[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := w.ClearHistory(); err != nil {
		t.Fatal(err)
	}
	if got := ev.sub.Take(); count[HistoryChanged](got) != 2 {
		t.Fatalf("events %#v, want two HistoryChanged", got)
	}
	w.Stop()
	if err := w.ClearHistory(); !errors.Is(err, ErrStopped) {
		t.Fatalf("ClearHistory after Stop = %v", err)
	}
	if n, err := w.History().Count(""); err != nil || n != 0 {
		t.Fatalf("after Stop the history still reads: %d, %v", n, err)
	}
}
