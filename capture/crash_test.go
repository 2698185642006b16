package capture

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCrashLogRecordsAPanicInAHandler: a handler's panic ends up in
// crash.log with its time, version and stack, and one line on stderr;
// the server keeps serving.
func TestCrashLogRecordsAPanicInAHandler(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	l := NewCrashLog(dir, "9.9.9", &stderr)
	l.Now = func() time.Time { return time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) }
	srv := NewServer(NewMemoryStore(0, 0))
	srv.Verify = func(c *Capture) *Verdict {
		if c.Path == "/boom" {
			panic("injected in Verify")
		}
		return nil
	}
	srv.OnPanic = func(v any, stack []byte) { l.Report("catcher", v, stack) }
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, path := range []string{"/boom", "/fine"} {
		res, err := http.Post(ts.URL+path, "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := map[string]int{"/boom": 500, "/fine": 200}[path]; res.StatusCode != want {
			t.Fatalf("%s answered %d, want %d", path, res.StatusCode, want)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, CrashLogName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"=== 2026-12-07T03:00:00Z · hooklab 9.9.9 · catcher", "panic: injected in Verify", "crash_test.go", "goroutine "} {
		if !strings.Contains(string(data), want) {
			t.Errorf("crash.log lacks %q:\n%s", want, data)
		}
	}
	if got := stderr.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "injected in Verify") || !strings.Contains(got, CrashLogName) {
		t.Errorf("stderr %q", got)
	}
}
