package history

import (
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hooklab/capture"
)

func TestDBFileNameIsCaptures(t *testing.T) {
	if DBFileName != capture.DBFileName {
		t.Fatalf("DBFileName %q, capture.DBFileName %q", DBFileName, capture.DBFileName)
	}
}

func testCapture(i int) *capture.Capture {
	body := fmt.Sprintf(`{"n":%d}`, i)
	return &capture.Capture{
		ID: fmt.Sprintf("cap_%03d", i), Time: testEpoch.Add(time.Duration(i) * time.Millisecond), Method: "POST",
		Path: "/payments", Proto: "HTTP/1.1", Host: "localhost", Remote: "127.0.0.1:1", Status: 200,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body), BodySize: int64(len(body)),
	}
}

func openCapture(t *testing.T, dir string) *capture.SQLiteStore {
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

// TestCoexistsWithCaptureStore opens both stores on one file, in either
// order, writes to both at once, and reopens both: neither store's checks
// at Open may object to the other's tables.
func TestCoexistsWithCaptureStore(t *testing.T) {
	for _, historyFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("historyFirst=%v", historyFirst), func(t *testing.T) {
			dir := t.TempDir()
			var (
				cs *capture.SQLiteStore
				hs *Store
			)
			openBoth := func(historyFirst bool) {
				if historyFirst {
					hs = openTest(t, dir, Options{})
				}
				cs = openCapture(t, dir)
				if !historyFirst {
					hs = openTest(t, dir, Options{})
				}
			}
			openBoth(historyFirst)

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
			if err := cs.Close(); err != nil {
				t.Fatal(err)
			}
			if err := hs.Close(); err != nil {
				t.Fatal(err)
			}

			openBoth(!historyFirst)
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
			want := fullEntry()
			got, err := hs.List("", 0, 1)
			if err != nil || len(got) != 1 {
				t.Fatalf("List: %v, %v", got, err)
			}
			e, err := hs.Get(got[0].ID)
			if err != nil {
				t.Fatal(err)
			}
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
			if names, _ := filepath.Glob(filepath.Join(dir, DBFileName+".corrupt*")); len(names) > 0 {
				t.Fatalf("moved aside: %v", names)
			}
		})
	}
}
