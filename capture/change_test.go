package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

// changeLog collects the changes a store reports.
type changeLog struct {
	mu   sync.Mutex
	list []Change
}

func (l *changeLog) add(c Change) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, c)
}

// take returns what was reported since the last take.
func (l *changeLog) take() []Change {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.list
	l.list = nil
	return out
}

func testChangeReports(t *testing.T, s Store) {
	var log changeLog
	remove := s.OnChange(log.add)
	a := &Capture{ID: "a", Time: testEpoch, Method: "POST", Path: "/github/push", Status: 202, BodySize: 2, Body: []byte("{}"),
		Header: map[string][]string{"Content-Type": {"Application/JSON; charset=utf-8"}}}
	b := &Capture{ID: "b", Time: testEpoch.Add(time.Second), Method: "GET", Path: "/"}
	mustAdd(t, s, a, b)
	got := log.take()
	list, err := s.List(Filter{}, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Each Add was committed alone: one report each, summaries as List
	// gives them.
	want := []Change{{Added: []Summary{list[1]}}, {Added: []Summary{list[0]}}}
	if !sameChanges(got, want) {
		t.Fatalf("adds reported\n%+v\nwant\n%+v", got, want)
	}
	if err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	if got, want := log.take(), []Change{{Deleted: "a"}, {Cleared: true}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("reported %+v, want %+v", got, want)
	}
	remove()
	remove() // twice is harmless
	mustAdd(t, s, &Capture{ID: "c", Path: "/c"})
	if got := log.take(); len(got) != 0 {
		t.Fatalf("reported after remove: %+v", got)
	}
}

// sameChanges compares reports, times as instants.
func sameChanges(got, want []Change) bool {
	norm := func(list []Change) []Change {
		out := make([]Change, len(list))
		for i, c := range list {
			c.Added = append([]Summary(nil), c.Added...)
			for j := range c.Added {
				c.Added[j].Time = c.Added[j].Time.UTC()
			}
			out[i] = c
		}
		return out
	}
	return reflect.DeepEqual(norm(got), norm(want))
}

func testContextEnded(t *testing.T, s Store) {
	mustAdd(t, s, &Capture{ID: "a", Path: "/a"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.ListContext(ctx, Filter{Text: "a"}, 0, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("ListContext = %v, want context.Canceled", err)
	}
	if _, err := s.CountContext(ctx, Filter{Method: "POST"}); !errors.Is(err, context.Canceled) {
		t.Errorf("CountContext = %v, want context.Canceled", err)
	}
	if _, err := s.EndpointsContext(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("EndpointsContext = %v, want context.Canceled", err)
	}
	if n, err := s.CountContext(context.Background(), Filter{}); err != nil || n != 1 {
		t.Errorf("CountContext with a live context = %d, %v", n, err)
	}
}

// TestStoresReportPruning: a capture past the limit reports its add,
// then how many of the oldest went.
func TestStoresReportPruning(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) Store{
		"memory": func(*testing.T) Store { return NewMemoryStore(2, 0) },
		"sqlite": func(t *testing.T) Store { return openTestSQLite(t, t.TempDir(), SQLiteOptions{MaxCaptures: 2}) },
	} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			var log changeLog
			s.OnChange(log.add)
			for i := range 3 {
				mustAdd(t, s, &Capture{ID: fmt.Sprint("c", i), Path: "/p"})
			}
			// A SQLiteStore prunes after it answered the Add.
			var pruned, added int
			poll.Until(t, "the prune reported", func() bool {
				for _, c := range log.take() {
					pruned += c.Pruned
					added += len(c.Added)
				}
				return pruned > 0
			})
			if added != 3 || pruned != 1 {
				t.Fatalf("reported %d added and %d pruned, want 3 and 1", added, pruned)
			}
		})
	}
}

// TestSQLiteReportsOnlyOthersCommits: the store's own commits (its
// captures and whatever WriteTx wrote) are never reported as External;
// a commit through another store is, once the writer looks.
func TestSQLiteReportsOnlyOthersCommits(t *testing.T) {
	dir := t.TempDir()
	// a's watcher never ticks: the test looks itself, and a look of the
	// watcher's between a commit and the test's look would take the
	// report away from it.
	a := openTestSQLite(t, dir, SQLiteOptions{watchTicks: make(chan time.Time)})
	// Without a search index b commits nothing of its own accord: with
	// one, it would index a's captures, and rightly be reported.
	b := openTestSQLite(t, dir, SQLiteOptions{noFTS: true})
	var log changeLog
	a.OnChange(log.add)
	look := func() []Change {
		t.Helper()
		log.take()
		if err := a.do(func(w *writer) error { w.lookForOthers(); return nil }); err != nil {
			t.Fatal(err)
		}
		return log.take()
	}
	look() // whatever came before
	mustAdd(t, a, sampleCapture(1))
	if err := a.WriteTx(context.Background(), func(ctx context.Context, tx Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE other (x)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// Copying the WAL back is no commit, whoever does it.
	raw, err := sql.Open("sqlite", a.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var busy, frames, copied int
	if err := raw.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil || frames == 0 {
		t.Fatalf("checkpoint: %v (%d frames)", err, frames)
	}
	if got := look(); len(got) != 0 {
		t.Fatalf("own commits and a checkpoint reported as %+v", got)
	}
	if err := b.Clear(); err != nil {
		t.Fatal(err)
	}
	if got := look(); !reflect.DeepEqual(got, []Change{{External: true}}) {
		t.Fatalf("another store's commit reported as %+v, want one External", got)
	}
	if got := look(); len(got) != 0 {
		t.Fatalf("reported again without a new commit: %+v", got)
	}
}

func TestSQLiteWriteTx(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{})
	ctx := context.Background()
	exec := func(query string, args ...any) func(context.Context, Tx) error {
		return func(ctx context.Context, tx Tx) error {
			_, err := tx.ExecContext(ctx, query, args...)
			return err
		}
	}
	if err := s.WriteTx(ctx, exec(`CREATE TABLE notes (text TEXT NOT NULL)`)); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteTx(ctx, exec(`INSERT INTO notes VALUES (?)`, "kept")); err != nil {
		t.Fatal(err)
	}
	failure := errors.New("changed my mind")
	err := s.WriteTx(ctx, func(ctx context.Context, tx Tx) error {
		if err := exec(`INSERT INTO notes VALUES ('rolled back')`)(ctx, tx); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("WriteTx = %v, want fn's error", err)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := s.WriteTx(ended, func(context.Context, Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("WriteTx with an ended context = %v (ran %v), want context.Canceled without running", err, ran)
	}
	var texts []string
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT text FROM notes`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var x string
		if err := rows.Scan(&x); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, x)
	}
	rows.Close()
	if !reflect.DeepEqual(texts, []string{"kept"}) {
		t.Fatalf("notes %q, want only the committed one", texts)
	}
	if _, err := s.ReadDB().ExecContext(ctx, `INSERT INTO notes VALUES ('x')`); err == nil {
		t.Fatal("the read pool accepted a write")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteTx(ctx, exec(`INSERT INTO notes VALUES ('late')`)); err == nil {
		t.Fatal("WriteTx after Close did not fail")
	}
}

func TestRefusalCause(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{})
	mustAdd(t, s, &Capture{ID: "dup", Path: "/x"})
	dupErr := s.Add(&Capture{ID: "dup", Path: "/x"})
	if dupErr == nil {
		t.Fatal("a duplicate id was stored")
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"plain", errors.New("disk on fire"), "disk on fire"},
		{"wrapped", fmt.Errorf("store capture x: %w", fmt.Errorf("commit: %w", errors.New("database or disk is full"))), "database or disk is full"},
		{"sqlite", dupErr, "constraint failed: UNIQUE constraint failed: captures.id"},
		{"closed", fmt.Errorf("add: %w", errClosed), "capture store is closed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := RefusalCause(tc.err); got != tc.want {
				t.Fatalf("RefusalCause(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}
