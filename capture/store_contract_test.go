package capture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestStoreContract runs the one Store suite against every Store.
func TestStoreContract(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		testStore(t, func(*testing.T) Store { return NewMemoryStore(0, 0) })
	})
	t.Run("sqlite", func(t *testing.T) {
		testStore(t, func(t *testing.T) Store { return openTestSQLite(t, t.TempDir(), SQLiteOptions{}) })
	})
	// Every read waits for the search index to catch up first, so text
	// filters go through FTS5 rather than the scan of new captures.
	t.Run("sqlite-indexed", func(t *testing.T) {
		testStore(t, func(t *testing.T) Store {
			return indexedStore{openTestSQLite(t, t.TempDir(), SQLiteOptions{}), t}
		})
	})
	// Search without FTS5, as on a driver that lacks it.
	t.Run("sqlite-nofts", func(t *testing.T) {
		testStore(t, func(t *testing.T) Store { return openTestSQLite(t, t.TempDir(), SQLiteOptions{noFTS: true}) })
	})
}

// openTestSQLite opens a SQLiteStore in dir, closed when t ends.
func openTestSQLite(t testing.TB, dir string, opts SQLiteOptions) *SQLiteStore {
	t.Helper()
	s, rec, err := OpenSQLite(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rec != nil {
		t.Fatalf("fresh store reports a recovery: %+v", rec)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// indexedStore is a SQLiteStore whose filtered reads first wait until
// every capture is in the search index.
type indexedStore struct {
	*SQLiteStore
	t *testing.T
}

func (s indexedStore) List(f Filter, offset, limit int) ([]Summary, error) {
	waitIndexed(s.t, s.SQLiteStore)
	return s.SQLiteStore.List(f, offset, limit)
}

func (s indexedStore) Count(f Filter) (int, error) {
	waitIndexed(s.t, s.SQLiteStore)
	return s.SQLiteStore.Count(f)
}

func (s indexedStore) ListContext(ctx context.Context, f Filter, offset, limit int) ([]Summary, error) {
	waitIndexed(s.t, s.SQLiteStore)
	return s.SQLiteStore.ListContext(ctx, f, offset, limit)
}

func (s indexedStore) CountContext(ctx context.Context, f Filter) (int, error) {
	waitIndexed(s.t, s.SQLiteStore)
	return s.SQLiteStore.CountContext(ctx, f)
}

func (s indexedStore) Scan(f Filter, fn func(*Capture) error) error {
	waitIndexed(s.t, s.SQLiteStore)
	return s.SQLiteStore.Scan(f, fn)
}

// testStore is the behaviour every Store shares. open returns a new,
// empty store that lives until t ends.
func testStore(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"GetMissing", testGetMissing},
		{"ListNewestFirstAndPaging", testListPaging},
		{"Filters", testFilters},
		{"Endpoints", testEndpoints},
		{"Scan", testScan},
		{"DeleteAndClear", testDeleteClear},
		{"ReportsEachChange", testChangeReports},
		{"ReadsStopWithTheirContext", testContextEnded},
		{"ConcurrentAdds", testConcurrentAdds},
		{"MatchesFilterMatch", testMatchesReference},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var testEpoch = time.Date(2026, 11, 27, 8, 0, 0, 123456789, time.UTC)

func mustAdd(t *testing.T, s Store, cs ...*Capture) {
	t.Helper()
	for _, c := range cs {
		if err := s.Add(c); err != nil {
			t.Fatalf("add %s: %v", c.ID, err)
		}
	}
}

// sameCapture fails t unless got holds what want held. Times are equal
// instants (a store may hand back another location); nil and empty bodies
// are alike.
func sameCapture(t *testing.T, got, want *Capture) {
	t.Helper()
	g, w := *got, *want
	if !g.Time.Equal(w.Time) {
		t.Errorf("%s: time %v, want %v", w.ID, g.Time, w.Time)
	}
	if !bytes.Equal(g.Body, w.Body) || !bytes.Equal(g.RespBody, w.RespBody) {
		t.Errorf("%s: body %q / response body %q, want %q / %q", w.ID, g.Body, g.RespBody, w.Body, w.RespBody)
	}
	g.Time, w.Time = time.Time{}, time.Time{}
	g.Body, w.Body, g.RespBody, w.RespBody = nil, nil, nil, nil
	if !reflect.DeepEqual(g, w) {
		t.Errorf("capture differs:\n got %+v\nwant %+v", g, w)
	}
}

func testRoundTrip(t *testing.T, s Store) {
	full := &Capture{
		ID: "cap_full", Time: testEpoch, Method: "POST", Path: "/stripe/events", RawQuery: "a=1&a=2&b=x%20y",
		Proto: "HTTP/1.1", Host: "127.0.0.1:8088", Remote: "127.0.0.1:50123", Status: 201,
		Header: http.Header{
			"Content-Type":     {"application/json; charset=utf-8"},
			"X-Multi":          {"a", "b", ""},
			"X-Latin1":         {"caf\xe9"}, // not UTF-8: HTTP allows it
			"Stripe-Signature": {"t=1,v1=abc"},
		},
		Body: []byte{0xff, 0x00, 'b', 'i', 'n', 0x80}, BodySize: 12, Truncated: true,
		RespHeader: http.Header{"Content-Type": {"application/json"}, "X-Rule": {"slow"}},
		RespBody:   []byte(`{"ok":true,"id":"cap_full"}` + "\n"),
	}
	bare := &Capture{ID: "cap_bare", Method: "GET", Path: "/"} // zero time, nil headers, no body
	mustAdd(t, s, full, bare)
	for _, want := range []*Capture{full, bare} {
		got, err := s.Get(want.ID)
		if err != nil {
			t.Fatalf("get %s: %v", want.ID, err)
		}
		sameCapture(t, got, want)
	}
	got, _ := s.Get("cap_bare")
	if got.Header != nil || got.RespHeader != nil || !got.Time.IsZero() {
		t.Errorf("bare capture came back with header %v, response header %v, time %v", got.Header, got.RespHeader, got.Time)
	}
	list, err := s.List(Filter{}, 0, 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %v, %v", list, err)
	}
	want := full.Summary()
	if l := list[1]; l.ID != want.ID || !l.Time.Equal(want.Time) || l.Method != want.Method || l.Path != want.Path ||
		l.Status != want.Status || l.Size != want.Size || l.ContentType != "application/json" {
		t.Errorf("summary %+v, want %+v", l, want)
	}
}

func testGetMissing(t *testing.T, s Store) {
	if _, err := s.Get("cap_none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get of a missing id: %v, want ErrNotFound", err)
	}
}

func summaryIDs(list []Summary) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func testListPaging(t *testing.T, s Store) {
	for i := range 25 {
		mustAdd(t, s, &Capture{ID: fmt.Sprintf("c%02d", i), Time: testEpoch.Add(time.Duration(i) * time.Second), Method: "POST", Path: "/p"})
	}
	page := func(offset, limit int) []string {
		t.Helper()
		list, err := s.List(Filter{}, offset, limit)
		if err != nil {
			t.Fatal(err)
		}
		return summaryIDs(list)
	}
	if got := page(0, 3); !slices.Equal(got, []string{"c24", "c23", "c22"}) {
		t.Errorf("first page %v", got)
	}
	if got := page(10, 3); !slices.Equal(got, []string{"c14", "c13", "c12"}) {
		t.Errorf("page at 10: %v", got)
	}
	if got := page(23, 5); !slices.Equal(got, []string{"c01", "c00"}) {
		t.Errorf("last page %v", got)
	}
	if got := page(-4, 1); !slices.Equal(got, []string{"c24"}) {
		t.Errorf("negative offset: %v, want the first page", got)
	}
	for _, tc := range []struct{ offset, limit int }{{25, 10}, {0, 0}, {0, -1}} {
		if list, err := s.List(Filter{}, tc.offset, tc.limit); err != nil || len(list) != 0 {
			t.Errorf("List(%d, %d) = %v, %v; want nothing", tc.offset, tc.limit, list, err)
		}
	}
	var all []string
	for off := 0; ; off += 7 {
		p := page(off, 7)
		if len(p) == 0 {
			break
		}
		all = append(all, p...)
	}
	if len(all) != 25 || all[0] != "c24" || all[24] != "c00" {
		t.Errorf("paging through all: %v", all)
	}
	if n, err := s.Count(Filter{}); n != 25 || err != nil {
		t.Errorf("count %d, %v", n, err)
	}
}

// filterFixture adds five captures, one second apart, and returns them.
func filterFixture(t *testing.T, s Store) []*Capture {
	cs := []*Capture{
		{ID: "c1", Method: "POST", Path: "/stripe/events", RawQuery: "a=1", Status: 200,
			Header: http.Header{"Content-Type": {"application/json"}, "Stripe-Signature": {"t=1,v1=abc"}},
			Body:   []byte(`{"type":"payment.succeeded"}`)},
		{ID: "c2", Method: "POST", Path: "/github", Status: 500,
			Header: http.Header{"X-Github-Event": {"push"}}, Body: []byte(`{"ref":"refs/heads/main"}`)},
		{ID: "c3", Method: "GET", Path: "/", Status: 204, Header: http.Header{"User-Agent": {"curl/8"}}},
		{ID: "c4", Method: "put", Path: "/stripe/refunds", Status: 404,
			Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("Refund OK — Größe")},
		{ID: "c5", Method: "DELETE", Path: "/shop/items/9", Status: 201, Header: http.Header{"X-Id": {"9"}}},
	}
	for i, c := range cs {
		c.Time = testEpoch.Add(time.Duration(i) * time.Second)
		c.BodySize = int64(len(c.Body))
		mustAdd(t, s, c)
	}
	return cs
}

func testFilters(t *testing.T, s Store) {
	filterFixture(t, s)
	tests := []struct {
		name string
		f    Filter
		want []string // newest first
	}{
		{"all", Filter{}, []string{"c5", "c4", "c3", "c2", "c1"}},
		{"endpoint", Filter{Endpoint: "stripe"}, []string{"c4", "c1"}},
		{"endpoint root", Filter{Endpoint: "/"}, []string{"c3"}},
		{"endpoint none", Filter{Endpoint: "nope"}, nil},
		{"method", Filter{Method: "POST"}, []string{"c2", "c1"}},
		{"method any case", Filter{Method: "PUT"}, []string{"c4"}},
		{"status class", Filter{Status: 2}, []string{"c5", "c3", "c1"}},
		{"status class 5", Filter{Status: 5}, []string{"c2"}},
		{"status exact", Filter{Status: 404}, []string{"c4"}},
		{"status exact none", Filter{Status: 418}, nil},
		{"since", Filter{Since: testEpoch.Add(2 * time.Second)}, []string{"c5", "c4", "c3"}},
		{"since inside a second", Filter{Since: testEpoch.Add(2*time.Second + 1)}, []string{"c5", "c4"}},
		{"text in body", Filter{Text: "succeeded"}, []string{"c1"}},
		{"text in path", Filter{Text: "refunds"}, []string{"c4"}},
		{"text in query", Filter{Text: "a=1"}, []string{"c1"}},
		{"text in header name", Filter{Text: "stripe-signature"}, []string{"c1"}},
		{"text in header value", Filter{Text: "push"}, []string{"c2"}},
		{"text header name with colon", Filter{Text: "event: pu"}, []string{"c2"}},
		{"text case-insensitive", Filter{Text: "REFS/Heads"}, []string{"c2"}},
		{"text non-ASCII case", Filter{Text: "GRÖßE"}, []string{"c4"}},
		{"text words AND", Filter{Text: "github push"}, []string{"c2"}},
		{"text words AND none", Filter{Text: "github refund"}, nil},
		{"text short word", Filter{Text: "ok"}, []string{"c4"}},
		{"text one char", Filter{Text: "9"}, []string{"c5"}},
		{"text short and long", Filter{Text: "stripe ok"}, []string{"c4"}},
		{"text slash everywhere", Filter{Text: "/"}, []string{"c5", "c4", "c3", "c2", "c1"}},
		{"text only spaces", Filter{Text: "  \t "}, []string{"c5", "c4", "c3", "c2", "c1"}},
		{"text quote", Filter{Text: `"type"`}, []string{"c1"}},
		{"text no match", Filter{Text: "zzz"}, nil},
		{"endpoint and status", Filter{Endpoint: "stripe", Status: 2}, []string{"c1"}},
		{"method and text", Filter{Method: "POST", Text: "main"}, []string{"c2"}},
		{"everything", Filter{Endpoint: "stripe", Method: "POST", Status: 200, Text: "payment", Since: testEpoch}, []string{"c1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := s.List(tc.f, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			if got := summaryIDs(list); !slices.Equal(got, append([]string{}, tc.want...)) {
				t.Errorf("List(%+v) = %v, want %v", tc.f, got, tc.want)
			}
			if n, err := s.Count(tc.f); err != nil || n != len(tc.want) {
				t.Errorf("Count(%+v) = %d, %v; want %d", tc.f, n, err, len(tc.want))
			}
		})
	}
}

func testEndpoints(t *testing.T, s Store) {
	if got, err := s.Endpoints(); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	filterFixture(t, s)
	got, err := s.Endpoints()
	if want := []string{"/", "github", "shop", "stripe"}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("Endpoints() = %v, %v; want %v", got, err, want)
	}
}

func testScan(t *testing.T, s Store) {
	cs := filterFixture(t, s)
	var seen []string
	err := s.Scan(Filter{Status: 2}, func(c *Capture) error {
		seen = append(seen, c.ID)
		if c.ID == "c1" {
			sameCapture(t, c, cs[0])
		}
		return nil
	})
	if err != nil || !slices.Equal(seen, []string{"c1", "c3", "c5"}) {
		t.Fatalf("scan of 2xx: %v, %v; want c1 c3 c5, oldest first", seen, err)
	}
	stop := errors.New("stop")
	seen = nil
	err = s.Scan(Filter{}, func(c *Capture) error {
		seen = append(seen, c.ID)
		if len(seen) == 2 {
			return stop
		}
		return nil
	})
	if err != stop || !slices.Equal(seen, []string{"c1", "c2"}) {
		t.Fatalf("scan stopped by fn: %v, %v; want the error after c1 c2", seen, err)
	}
	seen = nil
	if err := s.Scan(Filter{Text: "stripe"}, func(c *Capture) error { seen = append(seen, c.ID); return nil }); err != nil || !slices.Equal(seen, []string{"c1", "c4"}) {
		t.Fatalf("scan with text: %v, %v", seen, err)
	}
	// fn may use the store while the scan runs.
	n := 0
	err = s.Scan(Filter{}, func(c *Capture) error {
		n++
		if _, err := s.Get(c.ID); err != nil {
			return err
		}
		if c.ID == "c5" {
			return s.Delete("c5")
		}
		return nil
	})
	if err != nil || n != 5 {
		t.Fatalf("scan using the store: %d captures, %v", n, err)
	}
}

func testDeleteClear(t *testing.T, s Store) {
	filterFixture(t, s)
	if err := s.Delete("c2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("c2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
	if _, err := s.Get("c2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if n, _ := s.Count(Filter{}); n != 4 {
		t.Fatalf("count after delete %d", n)
	}
	if n, _ := s.Count(Filter{Text: "push"}); n != 0 {
		t.Fatalf("deleted capture still found by text")
	}
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(Filter{}); n != 0 {
		t.Fatalf("count after clear %d", n)
	}
	if list, _ := s.List(Filter{Text: "stripe"}, 0, 10); len(list) != 0 {
		t.Fatalf("text search after clear: %v", summaryIDs(list))
	}
	if got, _ := s.Endpoints(); len(got) != 0 {
		t.Fatalf("endpoints after clear: %v", got)
	}
	// The store works on after Clear.
	mustAdd(t, s, &Capture{ID: "after", Path: "/again", Body: []byte("fresh start")})
	if list, err := s.List(Filter{Text: "fresh"}, 0, 10); err != nil || !slices.Equal(summaryIDs(list), []string{"after"}) {
		t.Fatalf("after clear: %v, %v", summaryIDs(list), err)
	}
}

func testConcurrentAdds(t *testing.T, s Store) {
	const workers, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%02d", w, i)
				if err := s.Add(&Capture{ID: id, Time: time.Now(), Method: "POST", Path: "/w" + fmt.Sprint(w), Body: []byte(id)}); err != nil {
					errs <- err
				}
			}
		})
	}
	// Readers run alongside the writers.
	wg.Go(func() {
		for range 20 {
			if _, err := s.List(Filter{Text: "w1"}, 0, 50); err != nil {
				errs <- err
			}
			if _, err := s.Count(Filter{Endpoint: "w2"}); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, err := s.Count(Filter{}); err != nil || n != workers*each {
		t.Fatalf("count %d, %v; want %d", n, err, workers*each)
	}
	for w := range workers {
		if n, err := s.Count(Filter{Endpoint: fmt.Sprintf("w%d", w)}); err != nil || n != each {
			t.Fatalf("worker %d: %d captures, %v", w, n, err)
		}
		c, err := s.Get(fmt.Sprintf("w%d-%02d", w, each-1))
		if err != nil || string(c.Body) != c.ID {
			t.Fatalf("worker %d: last capture %v, %v", w, c, err)
		}
	}
}

// testMatchesReference compares List and Count with Filter.Match over
// random captures and random filters (fixed seed, so a failure repeats).
func testMatchesReference(t *testing.T, s Store) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"Payment", "INVOICE", "refund", "Über", "straße", "ab", "x", "é", "ok", "a%b", "a_b", `"q"`, "*", "ÉCOLE", "über", "id=42"}
	text := func(n int) string {
		var parts []string
		for range n {
			parts = append(parts, pickOne(rng, words...))
		}
		return strings.Join(parts, pickOne(rng, " ", "-", "", "\n"))
	}
	var all []*Capture
	for i := range 200 {
		c := &Capture{
			ID:       fmt.Sprintf("r%03d", i),
			Time:     testEpoch.Add(time.Duration(rng.IntN(100)) * time.Second),
			Method:   pickOne(rng, "GET", "POST", "PUT", "delete"),
			Path:     pickOne(rng, "/", "/stripe", "/stripe/", "/github/hook", "/Shop/x", "/é/ü") + pickOne(rng, "", "/"+text(1)),
			RawQuery: pickOne(rng, "", "", "id=42", "q="+text(1)),
			Status:   pickOne(rng, 200, 201, 204, 302, 404, 500, 503),
		}
		if rng.IntN(4) > 0 {
			c.Header = http.Header{"X-" + pickOne(rng, "Event", "Note"): {text(rng.IntN(3))}}
		}
		switch rng.IntN(4) {
		case 0:
			c.Body = []byte(text(rng.IntN(6)))
		case 1:
			// Not UTF-8, and no ASCII the words could match, so
			// Filter.Match (which searches it) and a store (which
			// leaves it out of the search text) agree.
			c.Body = []byte{0xff, 0xfe, 0x80, 0x81}
		}
		all = append(all, c)
		mustAdd(t, s, c)
	}
	for i := range 150 {
		f := Filter{}
		if rng.IntN(3) == 0 {
			f.Endpoint = pickOne(rng, "/", "stripe", "github", "Shop", "shop", "é")
		}
		if rng.IntN(4) == 0 {
			f.Method = pickOne(rng, "GET", "post", "DELETE")
		}
		if rng.IntN(4) == 0 {
			f.Status = pickOne(rng, 2, 4, 5, 3, 404, 201)
		}
		if rng.IntN(4) == 0 {
			f.Since = testEpoch.Add(time.Duration(rng.IntN(100)) * time.Second)
		}
		if rng.IntN(3) > 0 {
			f.Text = text(1 + rng.IntN(2))
			if rng.IntN(2) == 0 {
				f.Text = strings.ToUpper(f.Text)
			}
		}
		var want []string
		for j := len(all) - 1; j >= 0; j-- {
			if f.Match(all[j]) {
				want = append(want, all[j].ID)
			}
		}
		list, err := s.List(f, 0, len(all))
		if err != nil {
			t.Fatal(err)
		}
		if got := summaryIDs(list); !slices.Equal(got, append([]string{}, want...)) {
			t.Fatalf("filter %d %+v:\n got %v\nwant %v", i, f, got, want)
		}
		if n, err := s.Count(f); err != nil || n != len(want) {
			t.Fatalf("filter %d %+v: Count %d, %v; want %d", i, f, n, err, len(want))
		}
	}
}

func pickOne[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }
