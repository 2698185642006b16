package history

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/requester"
)

var testEpoch = time.Date(2025, 3, 14, 12, 1, 3, 412_000_123, time.UTC)

// openTest opens a capture store in dir and the history on its
// database, both closed when t ends.
func openTest(t testing.TB, dir string, opts Options) *Store {
	t.Helper()
	cs := openCapture(t, dir)
	s, err := New(sharedDB(cs), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		cs.Close()
	})
	return s
}

func mustAdd(t testing.TB, s *Store, e Entry) int64 {
	t.Helper()
	id, err := s.Add(e)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// fullEntry sets every field, with a binary response body and the phases
// of a reused connection not applicable.
func fullEntry() Entry {
	return Entry{
		Time: testEpoch,
		Name: "Create payment",
		Request: requester.Request{
			Name:    "Create payment",
			Method:  "POST",
			URL:     "{{sandbox_url}}/v1/payments?expand=customer",
			Params:  []requester.Param{{Name: "expand", Value: "customer"}, {Name: "debug", Value: "1", Disabled: true}},
			Headers: []requester.Header{{Name: "Idempotency-Key", Value: "{{uuid}}"}, {Name: "X-Off", Disabled: true}},
			Body: requester.Body{
				Kind:    requester.BodyJSON,
				Text:    `{"amount": 1200, "currency": "eur"}`,
				Form:    []requester.Param{{Name: "a", Value: "1"}},
				Parts:   []requester.Part{{Name: "file", File: "/tmp/receipt.pdf", ContentType: "application/pdf"}},
				File:    "/tmp/body.bin",
				GraphQL: requester.GraphQL{Query: "{ me { id } }", Variables: `{"x":1}`},
			},
			Auth:    requester.Auth{Kind: requester.AuthBearer, Token: "{{token}}"},
			Options: requester.Options{Timeout: 5 * time.Second, MaxRedirects: 3, Insecure: true, Proxy: "socks5://127.0.0.1:1080"},
		},
		Method:     "POST",
		URL:        "http://127.0.0.1:8089/v1/payments?expand=customer",
		SentHeader: http.Header{"Content-Type": {"application/json"}, "X-Multi": {"a", "b"}},
		SentBody:   []byte(`{"amount": 1200, "currency": "eur"}`),
		SentSize:   35,
		Status:     201,
		StatusText: "201 Created",
		Proto:      "HTTP/1.1",
		RemoteAddr: "127.0.0.1:8089",
		RespHeader: http.Header{"Content-Type": {"application/octet-stream"}, "Set-Cookie": {"a=1", "b=2"}},
		RespBody:   []byte{0, 0xff, 0xfe, 'x', 0},
		RespSize:   5,
		Timings: requester.Timings{
			DNS: requester.Phase{NA: true}, Connect: requester.Phase{NA: true}, TLS: requester.Phase{NA: true},
			ServerWait: requester.Phase{Duration: 3 * time.Millisecond},
			Download:   requester.Phase{Duration: 150 * time.Microsecond},
			Total:      4 * time.Millisecond,
			ConnReused: true,
		},
	}
}

// sameEntry fails unless got is want with id, comparing times as instants.
func sameEntry(t *testing.T, got, want Entry, id int64) {
	t.Helper()
	if !got.Time.Equal(want.Time) {
		t.Errorf("time %v, want %v", got.Time, want.Time)
	}
	want.ID, want.Time = id, got.Time
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func TestAddGetRoundTrip(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	want := fullEntry()
	id := mustAdd(t, s, want)
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	sameEntry(t, got, want, id)
}

func TestAddGetBodyKinds(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	for _, kind := range []requester.BodyKind{
		requester.BodyNone, requester.BodyJSON, requester.BodyXML, requester.BodyText, requester.BodyForm,
		requester.BodyMultipart, requester.BodyFile, requester.BodyGraphQL,
	} {
		t.Run(string(kind)+"-", func(t *testing.T) {
			want := fullEntry()
			want.Request.Body.Kind = kind
			id := mustAdd(t, s, want)
			got, err := s.Get(id)
			if err != nil {
				t.Fatal(err)
			}
			sameEntry(t, got, want, id)
		})
	}
}

func TestAddGetErrorEntry(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	want := Entry{Time: testEpoch, Name: "down", Method: "GET", URL: "http://127.0.0.1:1/", Err: "Connection refused by 127.0.0.1:1 — is the server running?: dial tcp"}
	id := mustAdd(t, s, want)
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	sameEntry(t, got, want, id)
}

func TestGetMissing(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	if _, err := s.Get(42); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(42) = %v, want ErrNotFound", err)
	}
}

func TestAddStampsZeroTime(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	before := time.Now()
	id := mustAdd(t, s, Entry{Method: "GET", URL: "http://x.test/"})
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Time.Before(before) || got.Time.After(time.Now()) {
		t.Fatalf("time %v, want about now", got.Time)
	}
}

func TestBodyCap(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{BodyCap: 4})
	id := mustAdd(t, s, Entry{Time: testEpoch, SentBody: []byte("123456"), RespBody: []byte("abcdefgh")})
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.SentBody) != "1234" || got.SentSize != 6 {
		t.Errorf("sent %q of %d, want \"1234\" of 6", got.SentBody, got.SentSize)
	}
	if string(got.RespBody) != "abcd" || got.RespSize != 8 || !got.Truncated {
		t.Errorf("received %q of %d truncated=%v, want \"abcd\" of 8 truncated", got.RespBody, got.RespSize, got.Truncated)
	}

	// Cut before it reached the store (requester.MaxBodyBytes): kept as told.
	id = mustAdd(t, s, Entry{Time: testEpoch, RespBody: []byte("ab"), RespSize: 100, Truncated: true})
	if got, _ = s.Get(id); string(got.RespBody) != "ab" || got.RespSize != 100 || !got.Truncated {
		t.Errorf("pre-cut body: %q of %d truncated=%v", got.RespBody, got.RespSize, got.Truncated)
	}
}

func TestPersistsAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	want := fullEntry()
	id := mustAdd(t, s, want)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, Options{})
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	sameEntry(t, got, want, id)
	if n, _ := s.Count(""); n != 1 {
		t.Fatalf("count %d after reopen, want 1", n)
	}
}

func ids(t *testing.T, sums []Summary) []int64 {
	t.Helper()
	out := make([]int64, len(sums))
	for i, sum := range sums {
		out[i] = sum.ID
	}
	return out
}

func TestSearch(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	entries := []Entry{
		{Name: "Create payment", Method: "POST", URL: "http://api.test/v1/payments", Status: 201},
		{Name: "List users", Method: "GET", URL: "http://api.test/v1/users?page_size=10", Status: 200},
		{Name: "Discount 100%", Method: "PATCH", URL: "http://api.test/v1/coupons/50%25", Status: 404},
		{Name: "Ärger", Method: "GET", URL: "http://other.test/x", Err: "refused"},
	}
	for i, e := range entries {
		e.Time = testEpoch.Add(time.Duration(i) * time.Second)
		mustAdd(t, s, e)
	}
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{4, 3, 2, 1}},
		{"  ", []int64{4, 3, 2, 1}},
		{"payments", []int64{1}},
		{"V1/USERS", []int64{2}},
		{"post", []int64{1}},
		{"get", []int64{4, 2}},
		{"404", []int64{3}},
		{"20", []int64{2, 1}},
		{"0", []int64{3, 2, 1}}, // no response is not status 0
		{"create pay", []int64{1}},
		{"pay create", []int64{1}},
		{"create users", nil},
		{"%", []int64{3}},
		{"0%", []int64{3}},
		{"%%", nil},
		{"_", []int64{2}},
		{"t_u", nil}, // a wildcard _ would match "List users"
		{`\`, nil},
		{"äRGER", []int64{4}},
		{"refused", nil},                // errors are not searched
		{"paymentpost", nil},            // no word spans two fields
		{"payment\x1fpost", []int64{1}}, // the separator is a space
	} {
		got, err := s.List(tc.query, 0, 100)
		if err != nil {
			t.Fatalf("List(%q): %v", tc.query, err)
		}
		if g := ids(t, got); !slices.Equal(g, tc.want) {
			t.Errorf("List(%q) = %v, want %v", tc.query, g, tc.want)
		}
		if n, err := s.Count(tc.query); err != nil || n != len(tc.want) {
			t.Errorf("Count(%q) = %d, %v; want %d", tc.query, n, err, len(tc.want))
		}
	}
}

func TestListSummary(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	e := fullEntry()
	e.RespSize = 1 << 30 // as counted by the requester, beyond the bytes kept
	e.Truncated = true
	id := mustAdd(t, s, e)
	bad := Entry{Time: testEpoch.Add(time.Second), Name: "down", Method: "GET", URL: "http://127.0.0.1:1/", Err: "refused"}
	badID := mustAdd(t, s, bad)
	got, err := s.List("", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []Summary{
		{ID: badID, Time: bad.Time, Name: "down", Method: "GET", URL: "http://127.0.0.1:1/", Err: "refused"},
		{ID: id, Time: e.Time, Name: e.Name, Method: e.Method, URL: e.URL, Status: 201, Duration: 4 * time.Millisecond, Size: 1 << 30},
	}
	for i := range got {
		if !got[i].Time.Equal(want[i].Time) {
			t.Errorf("summary %d time %v, want %v", i, got[i].Time, want[i].Time)
		}
		want[i].Time = got[i].Time
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("summaries:\n got %+v\nwant %+v", got, want)
	}
}

func TestListNewestFirstPaging(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	for i := range 25 {
		mustAdd(t, s, Entry{Time: testEpoch.Add(time.Duration(i) * time.Second), Method: "GET", URL: fmt.Sprintf("http://x.test/%d", i)})
	}
	// Same time as the newest: the later Add is newer. An older time goes
	// where its time puts it, whenever it was added.
	same := mustAdd(t, s, Entry{Time: testEpoch.Add(24 * time.Second), Method: "GET"})
	old := mustAdd(t, s, Entry{Time: testEpoch.Add(-time.Hour), Method: "GET"})
	var all []int64
	for offset := 0; ; offset += 10 {
		page, err := s.List("", offset, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		all = append(all, ids(t, page)...)
	}
	want := []int64{same}
	for id := int64(25); id >= 1; id-- {
		want = append(want, id)
	}
	want = append(want, old)
	if !slices.Equal(all, want) {
		t.Fatalf("pages %v, want %v", all, want)
	}
	if page, err := s.List("", 0, 0); err != nil || page != nil {
		t.Fatalf("limit 0: %v, %v; want nothing", page, err)
	}
	if page, err := s.List("", -5, 2); err != nil || !slices.Equal(ids(t, page), want[:2]) {
		t.Fatalf("negative offset: %v, %v", ids(t, page), err)
	}
}

func TestRetention(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{Retain: 3})
	for i := range 5 {
		mustAdd(t, s, Entry{Time: testEpoch.Add(time.Duration(i) * time.Second)})
	}
	// Older than every kept entry: it is the oldest, so it goes at once.
	if id := mustAdd(t, s, Entry{Time: testEpoch.Add(-time.Hour)}); id != 6 {
		t.Fatalf("id %d, want 6", id)
	}
	page, err := s.List("", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, page); !slices.Equal(got, []int64{5, 4, 3}) {
		t.Fatalf("kept %v, want [5 4 3]", got)
	}
	for _, id := range []int64{1, 2, 6} {
		if _, err := s.Get(id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%d) = %v, want ErrNotFound", id, err)
		}
	}
	s.Close()

	// A smaller Retain applies when the store is made again.
	s = openTest(t, dir, Options{Retain: 2})
	page, err = s.List("", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, page); !slices.Equal(got, []int64{5, 4}) {
		t.Fatalf("kept %v after reopening with Retain 2, want [5 4]", got)
	}
}

func TestDeleteAndClear(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	for i := range 3 {
		mustAdd(t, s, Entry{Time: testEpoch.Add(time.Duration(i) * time.Second)})
	}

	if err := s.Delete(2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := s.Delete(2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete = %v, want ErrNotFound", err)
	}
	if page, _ := s.List("", 0, 10); !slices.Equal(ids(t, page), []int64{3, 1}) {
		t.Fatalf("after Delete: %v", ids(t, page))
	}

	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Count(""); err != nil || n != 0 {
		t.Fatalf("Count after Clear = %d, %v", n, err)
	}
	if id := mustAdd(t, s, Entry{Time: testEpoch}); id != 4 {
		t.Fatalf("id after Clear %d, want 4 (ids are never reused)", id)
	}
}

func TestClosed(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := s.Add(Entry{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Add = %v", err)
	}
	if _, err := s.Get(1); !errors.Is(err, ErrClosed) {
		t.Errorf("Get = %v", err)
	}
	if _, err := s.List("", 0, 1); !errors.Is(err, ErrClosed) {
		t.Errorf("List = %v", err)
	}
	if _, err := s.Count(""); !errors.Is(err, ErrClosed) {
		t.Errorf("Count = %v", err)
	}
	if err := s.Delete(1); !errors.Is(err, ErrClosed) {
		t.Errorf("Delete = %v", err)
	}
	if err := s.Clear(); !errors.Is(err, ErrClosed) {
		t.Errorf("Clear = %v", err)
	}
}

func TestConcurrentAdds(t *testing.T) {
	dir := t.TempDir()
	// Two stores on one file stand for two processes as well.
	stores := []*Store{openTest(t, dir, Options{}), openTest(t, dir, Options{})}
	const writers, perWriter = 8, 20
	var wg sync.WaitGroup
	got := make([][]int64, writers)
	for w := range writers {
		s := stores[w%2]
		wg.Go(func() {
			for i := range perWriter {
				e := fullEntry()
				e.Name = fmt.Sprintf("w%d-%d", w, i)
				id, err := s.Add(e)
				if err != nil {
					t.Error(err)
					return
				}
				got[w] = append(got[w], id)
			}
		})
		wg.Go(func() { // a reader beside each writer
			for range perWriter {
				if _, err := s.List("w", 0, 20); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Count("1"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, list := range got {
		for _, id := range list {
			if seen[id] {
				t.Fatalf("id %d given out twice", id)
			}
			seen[id] = true
		}
	}
	for _, s := range stores {
		if n, err := s.Count(""); err != nil || n != writers*perWriter {
			t.Fatalf("Count = %d, %v; want %d", n, err, writers*perWriter)
		}
	}
}

// write runs query on the database of s, under the store's back.
func write(t *testing.T, s *Store, query string, args ...any) {
	t.Helper()
	err := s.db.Write(context.Background(), func(ctx context.Context, tx Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenSchemaVersions(t *testing.T) {
	for _, tc := range []struct {
		version  string
		unusable bool
		mention  string
	}{
		{"4", false, "newer Hooklab"},
		{"0", true, `"0"`},
		{"x", true, `"x"`},
	} {
		t.Run(tc.version, func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{})
			mustAdd(t, s, fullEntry())
			write(t, s, `UPDATE history_meta SET value = ? WHERE key = 'schema_version'`, tc.version)
			_, err := New(s.db, Options{})
			if err == nil || errors.Is(err, ErrUnusable) != tc.unusable || !strings.Contains(err.Error(), tc.mention) {
				t.Fatalf("New = %v; want unusable=%v, mentioning %s", err, tc.unusable, tc.mention)
			}
		})
	}
}

// TestOpenForeignHistoryTable: a table named history that Hooklab did
// not make is refused and left as it was.
func TestOpenForeignHistoryTable(t *testing.T) {
	cs := openCapture(t, t.TempDir())
	t.Cleanup(func() { cs.Close() })
	db := sharedDB(cs)
	err := db.Write(context.Background(), func(ctx context.Context, tx Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE history (id INTEGER PRIMARY KEY, what TEXT)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(db, Options{}); !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), cs.Path()) {
		t.Fatalf("New = %v, want ErrUnusable naming %s", err, cs.Path())
	}
	var n int
	if err := cs.ReadDB().QueryRow(`SELECT count(*) FROM sqlite_master WHERE tbl_name = 'history' AND type = 'index'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("indexes on the foreign table: %d, %v", n, err)
	}
}
