package link

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hooklab/capture"
)

var epoch = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// openStore opens a capture database in a temporary directory (its
// schema makes the link tables) and the link store on it.
func openStore(t testing.TB) *Store {
	t.Helper()
	s, _, err := capture.OpenSQLite(t.TempDir(), capture.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(DB{
		Read: s.ReadDB(),
		Write: func(ctx context.Context, fn func(context.Context, Tx) error) error {
			return s.WriteTx(ctx, func(ctx context.Context, tx capture.Tx) error { return fn(ctx, tx) })
		},
	})
}

func req(id int64, at time.Duration) Request {
	return Request{ID: id, Time: epoch.Add(at), Method: "POST", URL: "http://api/v1/payments", Status: 201}
}

func mustIndex(t testing.TB, s *Store, r Request, ids ...string) []Link {
	t.Helper()
	made, err := s.IndexRequest(context.Background(), r, ids, r.Time.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return made
}

func mustLink(t testing.TB, s *Store, id string, at time.Duration, ids ...string) []Link {
	t.Helper()
	made, err := s.LinkCaptures(context.Background(), []Capture{{ID: id, Time: epoch.Add(at), IDs: ids}}, epoch.Add(at))
	if err != nil {
		t.Fatal(err)
	}
	return made
}

func causeOf(t *testing.T, s *Store, captureID string) (int64, string) {
	t.Helper()
	l, ok, err := s.CausedBy(context.Background(), captureID)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return 0, ""
	}
	return l.Request.ID, l.SharedID
}

func TestMostRecentRequestBeforeTheCaptureWins(t *testing.T) {
	s := openStore(t)
	mustIndex(t, s, req(1, 0), "pay_A1111111", "cus_C1111111")
	mustIndex(t, s, req(2, time.Second), "pay_B2222222", "cus_C1111111")
	mustIndex(t, s, req(3, 10*time.Second), "pay_A1111111") // after the capture: not its cause

	mustLink(t, s, "cap_a", 5*time.Second, "evt_00000001", "pay_A1111111", "cus_C1111111")
	mustLink(t, s, "cap_b", 5*time.Second, "evt_00000002", "pay_B2222222", "cus_C1111111")
	mustLink(t, s, "cap_c", 5*time.Second, "cus_C1111111")
	mustLink(t, s, "cap_none", 5*time.Second, "evt_00000003")
	mustLink(t, s, "cap_later", 20*time.Second, "pay_A1111111")
	for _, tc := range []struct {
		capture string
		req     int64
		shared  string
	}{
		// The payment's id, which one request had, wins over the
		// customer's, which two had, though request 2 is more recent.
		{"cap_a", 1, "pay_A1111111"},
		{"cap_b", 2, "pay_B2222222"},
		// Only the customer's: the most recent of the two.
		{"cap_c", 2, "cus_C1111111"},
		{"cap_none", 0, ""},
		{"cap_later", 3, "pay_A1111111"},
	} {
		if id, shared := causeOf(t, s, tc.capture); id != tc.req || shared != tc.shared {
			t.Errorf("%s caused by %d (%s), want %d (%s)", tc.capture, id, shared, tc.req, tc.shared)
		}
	}
	got, err := s.Caused(context.Background(), 1)
	if err != nil || len(got) != 1 || got[0] != "cap_a" {
		t.Fatalf("Caused(1) = %v, %v", got, err)
	}
}

// A webhook that arrives before its request's response is recorded is
// linked when the response is indexed, if it arrived after the request
// was sent, within Window.
func TestACaptureBeforeItsResponseIsLinkedLater(t *testing.T) {
	s := openStore(t)
	mustLink(t, s, "cap_early", 2*time.Second, "pay_E1111111")
	mustLink(t, s, "cap_before_send", 0, "pay_E1111111")
	made := mustIndex(t, s, req(7, time.Second), "pay_E1111111")
	if len(made) != 1 || made[0].CaptureID != "cap_early" || made[0].Request.ID != 7 || made[0].SharedID != "pay_E1111111" {
		t.Fatalf("IndexRequest linked %+v", made)
	}
	if id, _ := causeOf(t, s, "cap_before_send"); id != 0 {
		t.Fatalf("a capture from before the request was sent linked to %d", id)
	}
	// Already linked: a second request sharing the id does not take it.
	if made := mustIndex(t, s, req(8, 1500*time.Millisecond), "pay_E1111111"); len(made) != 0 {
		t.Fatalf("relinked %+v", made)
	}
	// Past the window, captures' identifiers are dropped.
	mustLink(t, s, "cap_old", 3*time.Second, "pay_F1111111")
	mustLink(t, s, "cap_tick", 3*time.Second+Window+time.Second)
	r := req(9, 2*time.Second)
	made, err := s.IndexRequest(context.Background(), r, []string{"pay_F1111111"}, epoch.Add(3*time.Second+Window+2*time.Second))
	if err != nil || len(made) != 0 {
		t.Fatalf("linked past the window: %+v, %v", made, err)
	}
}

func TestForgetRequests(t *testing.T) {
	s := openStore(t)
	mustIndex(t, s, req(1, 0), "pay_G1111111")
	mustIndex(t, s, req(2, 0), "pay_H1111111")
	mustLink(t, s, "cap_g", time.Second, "pay_G1111111")
	if err := s.ForgetRequests(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if made := mustLink(t, s, "cap_g2", time.Second, "pay_G1111111"); len(made) != 0 {
		t.Fatalf("linked to a forgotten request: %+v", made)
	}
	if id, _ := causeOf(t, s, "cap_g"); id != 1 {
		t.Fatalf("a link made before was dropped: %d", id)
	}
	if err := s.ForgetRequests(context.Background()); err != nil {
		t.Fatal(err)
	}
	if made := mustLink(t, s, "cap_h", time.Second, "pay_H1111111"); len(made) != 0 {
		t.Fatalf("linked after forgetting every request: %+v", made)
	}
}

// BenchmarkLinkCapture links one capture (three identifiers, one shared
// with a request) with 100 and with 10,000 requests indexed (five
// identifiers each): the cost per capture is a few index lookups, so
// the two figures are close (compare ns/op); nothing reads the history.
func BenchmarkLinkCapture(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("history=%d", n), func(b *testing.B) {
			s := openStore(b)
			err := s.db.Write(context.Background(), func(ctx context.Context, tx Tx) error {
				for i := range n {
					for j := range 5 {
						if _, err := tx.ExecContext(ctx, `INSERT INTO link_requests (ident, request_id, time, method, url, status) VALUES (?, ?, ?, 'POST', 'http://api/v1/payments', 201)`,
							fmt.Sprintf("pay_%08d_%d", i, j), i, epoch.Add(time.Duration(i)*time.Millisecond).UnixNano()); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			at := epoch.Add(time.Hour)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				c := Capture{ID: fmt.Sprintf("cap_%d", i), Time: at, IDs: []string{fmt.Sprintf("evt_%08d", i), fmt.Sprintf("pay_%08d_%d", i%n, 0), "whsec_x1234567"}}
				made, err := s.LinkCaptures(context.Background(), []Capture{c}, at)
				if err != nil || len(made) != 1 {
					b.Fatalf("%+v, %v", made, err)
				}
			}
		})
	}
}

// The lookup of a capture's identifier is answered from the index: the
// query plan searches link_requests by its index, never scans it.
func TestLookupUsesTheIndex(t *testing.T) {
	s := openStore(t)
	rows, err := s.db.Read.Query(`EXPLAIN QUERY PLAN SELECT request_id, time, method, url, status FROM link_requests
		WHERE ident = ? AND time <= ? ORDER BY time DESC, request_id DESC LIMIT 2`, "x", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan += detail + "\n"
	}
	if want := "SEARCH link_requests USING INDEX link_requests_ident (ident=? AND time<?)"; !slices.Contains(strings.Split(plan, "\n"), want) {
		t.Fatalf("query plan:\n%s\nwant %q", plan, want)
	}
}

// CausedByAll answers as CausedBy does for each capture, across chunks.
func TestCausedByAll(t *testing.T) {
	s := openStore(t)
	mustIndex(t, s, req(1, 0), "pay_A1111111")
	mustIndex(t, s, req(2, time.Second), "pay_B2222222")
	var ids []string
	for i := range causedByChunk + 20 {
		id := fmt.Sprintf("cap_%04d", i)
		ids = append(ids, id)
		switch i % 3 {
		case 0:
			mustLink(t, s, id, 5*time.Second, "pay_A1111111")
		case 1:
			mustLink(t, s, id, 5*time.Second, "pay_B2222222")
		}
	}
	got, err := s.CausedByAll(context.Background(), append(ids, "cap_unknown"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range append(ids, "cap_unknown") {
		want, ok, err := s.CausedBy(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		l, found := got[id]
		if found != ok || (ok && l != want) {
			t.Errorf("%s: %+v (%v), CausedBy says %+v (%v)", id, l, found, want, ok)
		}
	}
	if len(got) != 2*(causedByChunk+20)/3+1 && len(got) != 2*(causedByChunk+20)/3 {
		t.Errorf("%d links", len(got))
	}
}
