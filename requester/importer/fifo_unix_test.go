//go:build unix

package importer

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestImportOneBruFileReadsOnlyIt: importing one .bru file reads that file,
// not the folder it is in (a Downloads folder may hold anything). A named
// pipe next to it blocks whoever reads it; the import must not.
func TestImportOneBruFileReadsOnlyIt(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "one.bru"), []byte("meta {\n  name: One\n}\n\nget {\n  url: https://api.test/one\n}\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "other"), 0o755)
	pipe := filepath.Join(dir, "other", "pipe.bru")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	t.Cleanup(func() {
		// Unblock a reader left waiting on the pipe.
		if f, err := os.OpenFile(pipe, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	type result struct {
		res *Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := Import(filepath.Join(dir, "one.bru"), filepath.Join(t.TempDir(), "into"), Options{})
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		if r.err != nil || len(r.res.Requests) != 1 {
			t.Fatalf("%+v %v", r.res, r.err)
		}
	case <-time.After(30 * time.Second): // a deadline, not a sleep: the import is done long before
		t.Fatal("importing one .bru file read the other files of its folder (blocked on a named pipe)")
	}
}
