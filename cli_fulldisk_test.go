package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"hooklab/capture"
)

// TestCapturesClearOnAFullDisk: `hooklab captures clear` works on a full
// disk, says how many it deleted, and captures are stored afterwards,
// after a restart too (the store opened again). Needs root, for a small
// tmpfs.
func TestCapturesClearOnAFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a full disk is tried on a small tmpfs, which only root can mount")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs to fill (%v: %s)", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })

	s, _, err := capture.OpenSQLite(dir, capture.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("x"), 64<<10)
	stored := 0
	for i := 0; ; i++ {
		c := &capture.Capture{ID: fmt.Sprintf("cap_%06d", i), Method: "POST", Path: "/fill", Body: body, BodySize: int64(len(body))}
		if err := s.Add(c); err != nil {
			if !capture.IsDiskFull(err) {
				t.Fatalf("refused, not for a full disk: %v", err)
			}
			break
		}
		stored++
	}
	s.Close()

	var stdout, stderr bytes.Buffer
	if code := run([]string{"captures", "clear", "--data-dir", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("captures clear on a full disk exited %d: %s", code, stderr.String())
	}
	if m := regexp.MustCompile(`^deleted (\d+) captures\n$`).FindStringSubmatch(stdout.String()); m == nil || m[1] != fmt.Sprint(stored) {
		t.Fatalf("printed %q, want deleted %d captures", stdout.String(), stored)
	}
	s, _, err = capture.OpenSQLite(dir, capture.SQLiteOptions{})
	if err != nil {
		t.Fatalf("open after clearing: %v", err)
	}
	defer s.Close()
	for i := range stored / 2 {
		if err := s.Add(&capture.Capture{ID: fmt.Sprintf("cap_again_%06d", i), Method: "POST", Path: "/again", Body: body, BodySize: int64(len(body))}); err != nil {
			t.Fatalf("capture %d of %d after clearing: %v", i, stored/2, err)
		}
	}
	if strings.Contains(stderr.String(), "moved") {
		t.Errorf("stderr %q", stderr.String())
	}
}
