package history

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"hooklab/requester"
)

func TestFromExchangeSuccess(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Echo", r.Header.Get("X-Test"))
		w.WriteHeader(http.StatusCreated)
		w.Write(append([]byte("got "), body...))
	}))
	defer srv.Close()
	r := requester.Request{
		Name:    "Create payment",
		Method:  "POST",
		URL:     "{{base}}/v1/payments",
		Headers: []requester.Header{{Name: "X-Test", Value: "{{v}}"}},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: `{"amount":1}`},
	}
	resp, err := requester.NewClient().Send(context.Background(), r, requester.Vars{"base": srv.URL, "v": "yes"})
	if err != nil {
		t.Fatal(err)
	}
	e := FromExchange("", r, resp, nil, testEpoch)

	if e.Name != "Create payment" || !e.Time.Equal(testEpoch) || !reflect.DeepEqual(e.Request, r) {
		t.Errorf("name %q, time %v, request %+v", e.Name, e.Time, e.Request)
	}
	if e.Method != "POST" || e.URL != srv.URL+"/v1/payments" {
		t.Errorf("sent %s %s, want the expanded URL", e.Method, e.URL)
	}
	if e.SentHeader.Get("X-Test") != "yes" || e.SentHeader.Get("User-Agent") != requester.UserAgent {
		t.Errorf("sent header %v", e.SentHeader)
	}
	if string(e.SentBody) != `{"amount":1}` || e.SentSize != 12 {
		t.Errorf("sent body %q of %d", e.SentBody, e.SentSize)
	}
	if e.Status != 201 || e.StatusText != "201 Created" || e.Proto != "HTTP/1.1" || e.RemoteAddr == "" {
		t.Errorf("status %d %q %q from %q", e.Status, e.StatusText, e.Proto, e.RemoteAddr)
	}
	if e.RespHeader.Get("X-Echo") != "yes" || string(e.RespBody) != `got {"amount":1}` || e.RespSize != 16 || e.Truncated {
		t.Errorf("response %v %q of %d truncated=%v", e.RespHeader, e.RespBody, e.RespSize, e.Truncated)
	}
	if e.Timings != resp.Timings || e.Timings.Total <= 0 || e.Err != "" {
		t.Errorf("timings %+v, err %q", e.Timings, e.Err)
	}

	// Stored and read back whole.
	s := openTest(t, t.TempDir(), Options{})
	id := mustAdd(t, s, e)
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	sameEntry(t, got, e, id)
}

func TestFromExchangeError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now: the connection is refused
	r := requester.Request{Name: "Ping", URL: "  " + url + "/ping "}
	resp, err := requester.NewClient().Send(context.Background(), r, nil)
	var se *requester.SendError
	if !errors.As(err, &se) || resp != nil {
		t.Fatalf("Send = %v, %v; want a SendError", resp, err)
	}
	e := FromExchange("Ping (2)", r, resp, err, testEpoch)
	want := Entry{Time: testEpoch, Name: "Ping (2)", Request: r, Method: "GET", URL: url + "/ping", Err: err.Error()}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("entry\n got %+v\nwant %+v", e, want)
	}
	s := openTest(t, t.TempDir(), Options{})
	id := mustAdd(t, s, e)
	sums, err := s.List("ping", 0, 10)
	if err != nil || len(sums) != 1 || sums[0].ID != id || sums[0].Err != e.Err || sums[0].Status != 0 {
		t.Fatalf("List = %+v, %v", sums, err)
	}
}
