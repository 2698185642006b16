package history

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hooklab/capture"
)

func testCapture(i int) *capture.Capture {
	body := fmt.Sprintf(`{"n":%d}`, i)
	return &capture.Capture{
		ID: fmt.Sprintf("cap_%03d", i), Time: testEpoch.Add(time.Duration(i) * time.Millisecond), Method: "POST",
		Path: "/payments", Proto: "HTTP/1.1", Host: "localhost", Remote: "127.0.0.1:1", Status: 200,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body), BodySize: int64(len(body)),
	}
}

// openCapture opens the capture store in dir; the caller closes it.
func openCapture(t testing.TB, dir string) *capture.SQLiteStore {
	t.Helper()
	cs, rec, err := capture.OpenSQLite(dir, capture.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rec != nil {
		t.Fatalf("the capture store moved the database aside: %+v", rec)
	}
	return cs
}

// sharedDB is the history's view of a capture store's database, as the
// workspace builds it.
func sharedDB(cs *capture.SQLiteStore) DB {
	return DB{
		Name: cs.Path(),
		Read: cs.ReadDB(),
		Write: func(ctx context.Context, fn func(context.Context, Tx) error) error {
			return cs.WriteTx(ctx, func(ctx context.Context, tx capture.Tx) error { return fn(ctx, tx) })
		},
	}
}

// TestSharesTheCaptureStore writes captures and history through one
// capture store at once, reopens both, and clears each: neither store's
// checks may object to the other's tables, nor either lose the other's
// data.
func TestSharesTheCaptureStore(t *testing.T) {
	dir := t.TempDir()
	cs := openCapture(t, dir)
	hs, err := New(sharedDB(cs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 30
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range n {
			if err := cs.Add(testCapture(i)); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Go(func() {
		for i := range n {
			e := fullEntry()
			e.Time = testEpoch.Add(time.Duration(i) * time.Second)
			if _, err := hs.Add(e); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
	if t.Failed() {
		return
	}
	if err := hs.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cs.Close(); err != nil {
		t.Fatal(err)
	}

	hs = openTest(t, dir, Options{})
	cs = openCapture(t, dir)
	defer cs.Close()
	if got, err := cs.Count(capture.Filter{}); err != nil || got != n {
		t.Fatalf("captures after reopen: %d, %v; want %d", got, err, n)
	}
	if c, err := cs.Get("cap_007"); err != nil || string(c.Body) != `{"n":7}` {
		t.Fatalf("capture after reopen: %+v, %v", c, err)
	}
	if got, err := hs.Count(""); err != nil || got != n {
		t.Fatalf("history after reopen: %d, %v; want %d", got, err, n)
	}
	got, err := hs.List("", 0, 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("List: %v, %v", got, err)
	}
	e, err := hs.Get(got[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := fullEntry()
	want.Time = e.Time
	sameEntry(t, e, want, got[0].ID)

	// Clearing one leaves the other alone.
	if err := hs.Clear(); err != nil {
		t.Fatal(err)
	}
	if got, _ := cs.Count(capture.Filter{}); got != n {
		t.Fatalf("captures after clearing history: %d", got)
	}
	if err := cs.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, err := hs.Add(fullEntry()); err != nil {
		t.Fatal(err)
	}
	if got, _ := hs.Count(""); got != 1 {
		t.Fatalf("history after clearing captures: %d", got)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, capture.DBFileName+".corrupt*")); len(names) > 0 {
		t.Fatalf("moved aside: %v", names)
	}
}

// TestRecordSummaryIsListed: what Record returns is the row List shows.
func TestRecordSummaryIsListed(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	e := fullEntry()
	e.RespSize = 0 // taken from the body
	sum, err := s.Record(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.List("", 0, 1)
	if err != nil || len(list) != 1 {
		t.Fatalf("List: %v, %v", list, err)
	}
	if list[0] != sum {
		t.Fatalf("Record returned %+v, List shows %+v", sum, list[0])
	}
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Record(ended, fullEntry()); err == nil {
		t.Fatal("Record with an ended context kept the entry")
	}
	if n, _ := s.Count(""); n != 1 {
		t.Fatalf("count %d, want 1", n)
	}
}
