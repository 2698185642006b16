package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSQLiteWALStaysBoundedUnderSustainedLoad: a writer that is never
// idle (idleAfter an hour here) still keeps the WAL near its soft limit.
// Under a sustained load commits land while every checkpointer pass
// runs, so no pass leaves the whole WAL copied and the WAL cannot start
// over by itself; past the soft limit, once a pass caught up, the writer
// copies the last commits itself between two commits, and the next
// commit starts the WAL over.
//
// The test plays that load one step at a time, with no clock: captures
// are added one by one until the writer asks for a pass, then the pass
// runs while the next commit is under way (between its BEGIN and its
// COMMIT). The checkpointer's clock is the test's: every pass takes no
// time, and the next pass starts only when the test lets it.
func TestSQLiteWALStaysBoundedUnderSustainedLoad(t *testing.T) {
	dir := t.TempDir()
	const soft = 1 << 20
	// The hard limit is out of reach: the soft limit's mechanism alone
	// bounds the WAL here. Nothing reads the database meanwhile (the
	// watcher never ticks): a reader could keep a pass from copying
	// everything or the WAL from starting over.
	s, _, err := OpenSQLite(dir, SQLiteOptions{walSoftLimit: soft, walHardLimit: 1 << 40, idleAfter: time.Hour,
		watchTicks: make(chan time.Time)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ck := s.ckpt
	// A pass ends by asking for the gap before the next one; the test
	// takes that channel and closes it to let the next pass start.
	gaps := make(chan chan time.Time, 1)
	ck.now = func() time.Time { return testEpoch }
	ck.after = func(time.Duration) <-chan time.Time {
		c := make(chan time.Time)
		gaps <- c
		return c
	}
	// A first pass over the empty WAL; from here on the checkpointer
	// waits for the test, and what the writer asks for stays pending.
	ck.request()
	gap := <-gaps
	// pass lets the checkpointer take the pending request and waits for
	// the pass to end.
	pass := func() {
		close(gap)
		gap = <-gaps
	}

	wal := filepath.Join(dir, DBFileName+"-wal")
	walSize := func() int64 {
		fi, err := os.Stat(wal)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// restarts counts the times the WAL started over: the checkpoint
	// sequence number in its header, written again with the first frame
	// after each start.
	restarts := func() uint32 {
		f, err := os.Open(wal)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var hdr [16]byte
		if _, err := f.ReadAt(hdr[:], 0); err != nil {
			t.Fatal(err)
		}
		return binary.BigEndian.Uint32(hdr[12:])
	}

	body := bytes.Repeat([]byte("x"), 2048)
	added := 0
	add := func() {
		c := sampleCapture(added)
		c.ID = fmt.Sprintf("cap_%05d", added)
		c.Body, c.BodySize = body, int64(len(body))
		mustAdd(t, s, c)
		added++
	}
	add()
	started := restarts()
	// Each round is 15 captures and one other commit, about 430 KiB of
	// WAL: more than 10 times the soft limit in all, in 30 passes.
	const rounds = 30
	over := 0 // passes that found the WAL past the soft limit
	for round := range rounds {
		// Captures come until the writer asks for a pass: it looks at the
		// WAL file every 16th commit, and asks once the file is past the
		// soft limit (about 40 commits, the first time).
		for since := 0; len(ck.kick) == 0; since++ {
			if since > 100 {
				t.Fatalf("round %d: no pass asked for in %d commits, WAL file %d KiB", round, since, walSize()>>10)
			}
			add()
		}
		// The pass runs while the next commit is under way.
		err := s.do(func(w *writer) error {
			err := w.tx(func() error {
				if err := w.setRule(Rule{Endpoint: "/during-the-pass", Status: 200, Body: fmt.Sprint(round, body)}, nil); err != nil {
					return err
				}
				pass()
				if ck.walBytes.Load() > soft {
					over++
				}
				return nil
			})
			if err == nil {
				w.wrote()
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add() // the commit that starts the WAL over after the last pass
	// Every pass that found the WAL past the soft limit was followed by
	// its start over, and nothing else started it over.
	if got := restarts() - started; over < rounds/4 || int(got) != over {
		t.Errorf("the WAL started over %d times in %d passes, %d of which found it past the soft limit; want once for each of those (at least %d)", got, rounds, over, rounds/4)
	}
	// A WAL that starts over is written from its beginning again, so the
	// file's size is the most it ever held: the soft limit and what came
	// until the next pass (a round), and the commits until it started over.
	if size := walSize(); size > 2*soft {
		t.Errorf("after %d passes and %d captures the WAL file is %d KiB; want it kept near the soft limit, %d KiB", rounds, added, size>>10, soft>>10)
	}
	if got := mustCount(t, s, Filter{}); got != added {
		t.Fatalf("%d captures, want %d", got, added)
	}
}
