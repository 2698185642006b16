package collection

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hooklab/requester"
)

func TestWatchSeesOutsideEdits(t *testing.T) {
	root := copyTestdata(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan []string, 16)
	if err := Watch(ctx, root, 5*time.Millisecond, func(c []string) { changes <- c }); err != nil {
		t.Fatal(err)
	}
	// wait collects reported paths until want is seen or the deadline
	// passes. A path may come twice (a write seen half done), but nothing
	// outside want and the earlier steps may come at all.
	allowed := map[string]bool{}
	wait := func(want ...string) {
		t.Helper()
		for _, p := range want {
			allowed[p] = true
		}
		deadline := time.After(10 * time.Second)
		seen := map[string]bool{}
		for {
			select {
			case c := <-changes:
				for _, p := range c {
					if !allowed[p] {
						t.Errorf("reported %q", p)
					}
					seen[p] = true
				}
				all := true
				for _, p := range want {
					all = all && seen[p]
				}
				if all {
					return
				}
			case <-deadline:
				t.Fatalf("not reported: %v (saw %v)", want, seen)
			}
		}
	}

	// An editor outside the app changes a request.
	p := filepath.Join(root, "Payments", "Create payment.yml")
	data, _ := os.ReadFile(p)
	if err := os.WriteFile(p, append(data, "# edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	wait("Payments/Create payment.yml")

	// Added through the API (temp file + rename), then removed; files in
	// hidden folders and other files are ignored.
	os.MkdirAll(filepath.Join(root, ".git"), 0o755)
	os.WriteFile(filepath.Join(root, ".git", "x.yml"), []byte("a: 1\n"), 0o644)
	os.WriteFile(filepath.Join(root, "notes.txt"), []byte("x"), 0o644)
	rel, err := NewRequest(root, "Webhooks", "Replay", requester.Request{Method: "POST", URL: "http://h/"})
	if err != nil {
		t.Fatal(err)
	}
	wait(rel)
	if err := Delete(root, "Version.yml"); err != nil {
		t.Fatal(err)
	}
	wait("Version.yml")
}

func TestWatchMissingRoot(t *testing.T) {
	err := Watch(context.Background(), filepath.Join(t.TempDir(), "gone"), time.Millisecond, func([]string) {})
	if err == nil {
		t.Error("no error for a missing folder")
	}
}

// TestWatcherStopWaitsForTheCallback: Stop returns only after a call of
// onChange in progress ended, and none comes after it (-race checks the
// unsynchronised counter).
func TestWatcherStopWaitsForTheCallback(t *testing.T) {
	root := t.TempDir()
	entered, release := make(chan struct{}), make(chan struct{})
	calls := 0
	w, err := NewWatcher(root, time.Millisecond, func([]string) {
		calls++
		if calls == 1 {
			close(entered)
			<-release
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "a.yml"), []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the new file was not reported")
	}
	stopped := make(chan struct{})
	go func() { w.Stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("Stop returned while onChange was running")
	default:
	}
	close(release)
	<-stopped
	calls = 100 // a race with the watcher's goroutine if it still ran
	if err := os.WriteFile(filepath.Join(root, "b.yml"), []byte("b: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.Stop() // a second Stop returns at once
	if calls != 100 {
		t.Fatalf("onChange called after Stop (%d calls)", calls)
	}
}
