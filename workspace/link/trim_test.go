package link

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"hooklab/capture"
)

// openBoth opens a capture database in a temporary directory and the
// link store on it, keeping at most max captures.
func openBoth(t testing.TB, max int) (*capture.SQLiteStore, *Store) {
	t.Helper()
	cs, _, err := capture.OpenSQLite(t.TempDir(), capture.SQLiteOptions{MaxCaptures: max})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs, New(DB{
		Read: cs.ReadDB(),
		Write: func(ctx context.Context, fn func(context.Context, Tx) error) error {
			return cs.WriteTx(ctx, func(ctx context.Context, tx capture.Tx) error { return fn(ctx, tx) })
		},
	})
}

func linkedIDs(t *testing.T, s *Store, requestID int64) []string {
	t.Helper()
	ids, err := s.Caused(context.Background(), requestID)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// The store keeps three captures of the 300 + capture.DropStep linked: DropPruned
// drops the links of the others, over several steps, and keeps the
// three.
func TestDropPrunedKeepsTheLinksOfKeptCaptures(t *testing.T) {
	cs, s := openBoth(t, 3)
	mustIndex(t, s, req(1, 0), "pay_P1111111")
	n := 300 + capture.DropStep
	var all []string
	for i := range n {
		c := &capture.Capture{ID: fmt.Sprintf("cap_%04d", i), Time: epoch.Add(time.Second + time.Duration(i)*time.Millisecond),
			Method: "POST", Path: "/payments"}
		if err := cs.Add(c); err != nil {
			t.Fatal(err)
		}
		mustLink(t, s, c.ID, time.Second+time.Duration(i)*time.Millisecond, "pay_P1111111")
		all = append(all, c.ID)
	}
	if got := len(linkedIDs(t, s, 1)); got != n {
		t.Fatalf("%d links before, want %d", got, n)
	}
	dropped, err := s.DropPruned(context.Background())
	if err != nil || dropped != n-3 {
		t.Fatalf("dropped %d, %v; want %d", dropped, err, n-3)
	}
	if got := linkedIDs(t, s, 1); !slices.Equal(got, all[n-3:]) {
		t.Errorf("links kept %v, want %v", got, all[n-3:])
	}
	if dropped, err := s.DropPruned(context.Background()); dropped != 0 || err != nil {
		t.Errorf("again: dropped %d, %v", dropped, err)
	}
}

// Requests below the oldest kept history id are no cause any more.
func TestForgetRequestsBefore(t *testing.T) {
	s := openStore(t)
	mustIndex(t, s, req(1, 0), "pay_Q1111111")
	mustIndex(t, s, req(2, time.Millisecond), "cus_Q1111111")
	if err := s.ForgetRequestsBefore(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	if made := mustLink(t, s, "cap_q1", time.Second, "pay_Q1111111"); len(made) != 0 {
		t.Errorf("linked to a forgotten request: %+v", made)
	}
	if made := mustLink(t, s, "cap_q2", time.Second, "cus_Q1111111"); len(made) != 1 || made[0].Request.ID != 2 {
		t.Errorf("not linked to the kept request: %+v", made)
	}
}
