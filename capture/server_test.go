package capture

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func post(t *testing.T, method, url, ctype string, body io.Reader) (int, ack) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("X-Test", "yes")
	req.Header.Add("X-Multi", "a")
	req.Header.Add("X-Multi", "b")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a ack
	if method != http.MethodHead {
		if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
			t.Fatalf("ack is not JSON: %v", err)
		}
	}
	return res.StatusCode, a
}

func TestServerCapturesAnyMethodAndPath(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	cases := []struct {
		method, path, query, body string
	}{
		{"POST", "/stripe/events", "a=1&a=2&b=x%20y", `{"type":"payment.succeeded"}`},
		{"PUT", "/", "", "plain"},
		{"PATCH", "/deep/nested/path", "", ""},
		{"DELETE", "/x", "k=v", ""},
		{"GET", "/github", "", ""},
		{"OPTIONS", "/opt", "", ""},
		{"CUSTOM", "/custom-method", "", "body"},
	}
	for _, tc := range cases {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			url := srv.URL + tc.path
			if tc.query != "" {
				url += "?" + tc.query
			}
			status, a := post(t, tc.method, url, "application/json; charset=utf-8", strings.NewReader(tc.body))
			if status != 200 || !a.OK || !strings.HasPrefix(a.ID, "cap_") {
				t.Fatalf("got %d %+v, want 200 ok with a cap_ id", status, a)
			}
			c, err := store.Get(a.ID)
			if err != nil {
				t.Fatalf("capture %s not in store", a.ID)
			}
			if c.Method != tc.method || c.Path != tc.path || c.RawQuery != tc.query || string(c.Body) != tc.body {
				t.Errorf("stored %s %s ?%s %q", c.Method, c.Path, c.RawQuery, c.Body)
			}
			if c.Header.Get("X-Test") != "yes" || len(c.Header.Values("X-Multi")) != 2 {
				t.Errorf("headers not kept: %v", c.Header)
			}
			if c.Status != 200 || c.BodySize != int64(len(tc.body)) || c.Truncated {
				t.Errorf("status %d size %d truncated %v", c.Status, c.BodySize, c.Truncated)
			}
			if s := c.Summary(); s.ContentType != "application/json" {
				t.Errorf("content type %q", s.ContentType)
			}
		})
	}
	if n, _ := store.Count(Filter{}); n != len(cases) {
		t.Fatalf("store has %d, want %d", n, len(cases))
	}
	list, _ := store.List(Filter{}, 0, 100)
	if list[0].Method != "CUSTOM" || list[len(list)-1].Method != "POST" {
		t.Errorf("list is not newest first: %v … %v", list[0].Method, list[len(list)-1].Method)
	}
}

func TestServerBodyLimit(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	exact := bytes.Repeat([]byte("a"), DefaultMaxBody)
	status, a := post(t, "POST", srv.URL+"/exact", "text/plain", bytes.NewReader(exact))
	if status != 200 {
		t.Fatalf("a body of exactly the limit got %d", status)
	}
	if c, _ := store.Get(a.ID); c == nil || c.Truncated || int64(len(c.Body)) != DefaultMaxBody {
		t.Fatalf("exact body: truncated=%v len=%d", c.Truncated, len(c.Body))
	}

	over := bytes.Repeat([]byte("b"), DefaultMaxBody+12345)
	status, a = post(t, "POST", srv.URL+"/over", "text/plain", bytes.NewReader(over))
	if status != http.StatusRequestEntityTooLarge || a.OK || a.ID == "" || a.Error == "" {
		t.Fatalf("over limit: got %d %+v, want 413 with id and error", status, a)
	}
	c, err := store.Get(a.ID)
	if err != nil {
		t.Fatal("over-limit capture not recorded")
	}
	if !c.Truncated || int64(len(c.Body)) != DefaultMaxBody || c.BodySize != int64(len(over)) || c.Status != 413 {
		t.Fatalf("over limit stored: truncated=%v kept=%d size=%d status=%d", c.Truncated, len(c.Body), c.BodySize, c.Status)
	}
}

func TestServerConcurrentSenders(t *testing.T) {
	store := NewMemoryStore(0, 0)
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()

	const senders, each = 16, 25
	ids := make(chan string, senders*each)
	var wg sync.WaitGroup
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				body := fmt.Sprintf(`{"g":%d,"i":%d}`, g, i)
				res, err := http.Post(srv.URL+"/load", "application/json", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				var a ack
				_ = json.NewDecoder(res.Body).Decode(&a)
				res.Body.Close()
				ids <- a.ID
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
		if _, err := store.Get(id); err != nil {
			t.Fatalf("acknowledged id %s not stored", id)
		}
	}
	if n, _ := store.Count(Filter{}); n != senders*each {
		t.Fatalf("stored %d, want %d", n, senders*each)
	}
}

func TestServerOnCaptureBeforeAck(t *testing.T) {
	store := NewMemoryStore(0, 0)
	s := NewServer(store)
	var got []string
	s.OnCapture = func(c *Capture) { got = append(got, c.ID) }
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/hook?x=1", strings.NewReader("hi")))
	var a ack
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != a.ID {
		t.Fatalf("OnCapture got %v, ack id %s", got, a.ID)
	}
}
