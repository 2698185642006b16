package history

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"hooklab/requester"
)

// TestResponseUndoesFromExchange: an entry built from an exchange gives
// back the response it was built from, but for what an entry does not
// keep (cookies, which are in the header, and the body file).
func TestResponseUndoesFromExchange(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		http.SetCookie(w, &http.Cookie{Name: "s", Value: "1"})
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"queued":true}`)
	}))
	defer srv.Close()
	// A body from a file longer than the preview a Prepared keeps.
	file := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(file, bytes.Repeat([]byte("x"), requester.BodyPreviewBytes+10), 0o600); err != nil {
		t.Fatal(err)
	}
	r := requester.Request{Name: "Upload", Method: "PUT", URL: srv.URL + "/up", Body: requester.Body{Kind: requester.BodyFile, File: file}}
	resp, err := requester.NewClient().Send(context.Background(), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := FromExchange("", r, resp, nil, testEpoch)
	if e.SentSize != requester.BodyPreviewBytes+10 {
		t.Errorf("SentSize %d, want the whole body sent (%d), not its preview", e.SentSize, requester.BodyPreviewBytes+10)
	}

	got, err := e.Response()
	if err != nil {
		t.Fatal(err)
	}
	want := *resp
	want.Cookies = nil
	want.Request = &requester.Prepared{Method: resp.Request.Method, URL: resp.Request.URL, Header: resp.Request.Header,
		Head: resp.Request.Head, Body: resp.Request.Body, BodySize: resp.Request.BodySize}
	if resp.Request.Head == "" {
		t.Error("the exchange has no head as sent")
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("Response()\n got %+v\nwant %+v", *got, want)
	}
	if !reflect.DeepEqual(*got.Request, *want.Request) {
		t.Errorf("Response().Request\n got %+v\nwant %+v", *got.Request, *want.Request)
	}

	// The same after the store kept it.
	s := openTest(t, t.TempDir(), Options{})
	stored, err := s.Get(mustAdd(t, s, e))
	if err != nil {
		t.Fatal(err)
	}
	again, err := stored.Response()
	if err != nil {
		t.Fatal(err)
	}
	if again.Status != 202 || string(again.Body) != `{"queued":true}` || again.Request.BodySize != e.SentSize || again.Request.Head != resp.Request.Head ||
		again.Header.Get("Set-Cookie") == "" || again.Timings != resp.Timings {
		t.Errorf("read back: %d %q sent %d, head %q, header %v, timings %+v", again.Status, again.Body, again.Request.BodySize, again.Request.Head, again.Header, again.Timings)
	}
}

// TestResponseOfAFailedRequest: without a response, the error is the
// one the entry kept.
func TestResponseOfAFailedRequest(t *testing.T) {
	failure := errors.New("dial tcp 127.0.0.1:1: connection refused")
	e := FromExchange("Ping", requester.Request{URL: "http://127.0.0.1:1/"}, nil, failure, testEpoch)
	resp, err := e.Response()
	if resp != nil || err == nil || err.Error() != failure.Error() {
		t.Fatalf("Response() = %v, %v; want nil and %q", resp, err, failure)
	}
}
