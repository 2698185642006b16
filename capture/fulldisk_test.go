package capture

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// tmpfs mounts a file system of size bytes for the test, or skips it
// when that is not possible (not root, no mount permission).
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a full disk is tried on a small tmpfs, which only root can mount")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs to fill (%v: %s)", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// fill adds captures of 64 KiB until the store refuses one for a full
// disk, and returns how many it took.
func fill(t *testing.T, s *SQLiteStore, from int) int {
	t.Helper()
	body := bytes.Repeat([]byte("x"), 64<<10)
	for i := from; ; i++ {
		c := sampleCapture(i)
		c.ID = fmt.Sprintf("cap_full_%06d", i)
		c.Body, c.BodySize = body, int64(len(body))
		err := s.Add(c)
		if err == nil {
			continue
		}
		if !IsDiskFull(err) {
			t.Fatalf("capture %d refused, but not for a full disk: %v", i, err)
		}
		return i - from
	}
}

// TestFullDiskIsRecovered: on a full disk, Clear and DeleteOldest work
// and free space, captures are stored again afterwards, and also after a
// restart.
func TestFullDiskIsRecovered(t *testing.T) {
	dir := tmpfs(t, "16m")
	s, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	n := fill(t, s, 0)
	if n == 0 {
		t.Fatal("nothing stored before the disk was full")
	}
	t.Logf("%d captures filled the disk", n)
	for _, f := range []string{"hooklab.db", "hooklab.db-wal", "hooklab.db-shm"} {
		fi, _ := os.Stat(dir + "/" + f)
		if fi != nil {
			t.Logf("%s %d", f, fi.Size())
		}
	}

	// Clear on the full disk.
	deleted, err := s.ClearCount()
	if err != nil || deleted != int64(n) {
		t.Fatalf("clear on a full disk: %d, %v; want %d", deleted, err, n)
	}
	mustAdd(t, s, sampleCapture(1))
	again := fill(t, s, 10_000)
	if again < n/2 {
		t.Fatalf("after Clear only %d captures fit, before %d", again, n)
	}

	// Delete the oldest half on the full disk.
	deleted, err = s.DeleteOldest(int64(again / 2))
	if err != nil || deleted != int64(again/2) {
		t.Fatalf("delete oldest on a full disk: %d, %v", deleted, err)
	}
	mustAdd(t, s, sampleCapture(2))

	// Full again; cleared; restarted: captures are stored.
	fill(t, s, 20_000)
	if _, err := s.ClearCount(); err != nil {
		t.Fatalf("clear: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	s, _, err = OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatalf("reopen after clearing a full disk: %v", err)
	}
	mustAdd(t, s, sampleCapture(3))
	if got := mustCount(t, s, Filter{}); got != 1 {
		t.Fatalf("%d captures after the restart, want 1", got)
	}
}
