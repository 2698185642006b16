package capture

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// CrashLogName is the file in the data directory that recovered panics
// are written to.
const CrashLogName = "crash.log"

// CrashLog reports panics that were recovered (in a catcher handler, in
// the window): each is appended to a file with its time, the version
// and the stack, and said in one line on stderr. Safe for concurrent use.
type CrashLog struct {
	// Path is the file (dir/crash.log); "" writes no file.
	Path    string
	Version string
	Stderr  io.Writer // nil: os.Stderr
	// Now stamps the reports; nil is time.Now.
	Now func() time.Time

	mu sync.Mutex
}

// NewCrashLog returns a CrashLog writing to crash.log in dir ("": no
// file).
func NewCrashLog(dir, version string, stderr io.Writer) *CrashLog {
	l := &CrashLog{Version: version, Stderr: stderr}
	if dir != "" {
		l.Path = filepath.Join(dir, CrashLogName)
	}
	return l
}

// Report records a panic with value v and its stack, recovered in where
// ("catcher", "window"). It returns what it says on stderr, for the
// window to show; a file that cannot be written is said too.
func (l *CrashLog) Report(where string, v any, stack []byte) string {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	t := now()
	l.mu.Lock()
	defer l.mu.Unlock()
	msg := fmt.Sprintf("hooklab: internal error in the %s, recovered: %v", where, v)
	if l.Path != "" {
		var b strings.Builder
		fmt.Fprintf(&b, "=== %s · hooklab %s · %s\npanic: %v\n\n%s\n", t.Format(time.RFC3339Nano), l.Version, where, v, stack)
		if err := appendFile(l.Path, b.String()); err != nil {
			msg += fmt.Sprintf(" (and %s could not be written: %v)", l.Path, err)
		} else {
			msg += "; details in " + l.Path
		}
	}
	w := l.Stderr
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintln(w, msg)
	return msg
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
