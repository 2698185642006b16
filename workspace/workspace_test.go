package workspace

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklab/capture"
	"hooklab/workspace/poll"
)

// openTest opens a workspace with history in dir, closed when t ends.
func openTest(t testing.TB, dir string) *Workspace {
	t.Helper()
	w, err := Open(Options{DataDir: dir, History: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return w
}

// events gathers what a subscription receives.
type events struct {
	t   *testing.T
	sub *Subscription
	got []Event
}

func subscribe(t *testing.T, w *Workspace) *events {
	e := &events{t: t, sub: w.Events().Subscribe()}
	t.Cleanup(e.sub.Close)
	return e
}

// until takes events until cond holds for what was taken so far.
func (e *events) until(what string, cond func([]Event) bool) []Event {
	e.t.Helper()
	poll.Until(e.t, what, func() bool {
		e.got = append(e.got, e.sub.Take()...)
		return cond(e.got)
	})
	return e.got
}

// count returns how many of list are of the type of like.
func count[T Event](list []Event) int {
	n := 0
	for _, ev := range list {
		if _, ok := ev.(T); ok {
			n++
		}
	}
	return n
}

// plainFile returns a regular file: a data directory beneath it cannot
// be made, even by root.
func plainFile(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestOpenFreshDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	w := openTest(t, dir)
	if w.Dir() != dir || w.History() == nil || len(w.Notes()) != 0 {
		t.Fatalf("Dir %q, History %v, Notes %q", w.Dir(), w.History(), w.Notes())
	}
	if _, ok := w.Store().(*capture.SQLiteStore); !ok {
		t.Fatalf("store is %T, want the SQLite store", w.Store())
	}
	if _, err := os.Stat(filepath.Join(dir, capture.DBFileName)); err != nil {
		t.Fatal(err)
	}
}

func TestOpenFallbacksAndTheirNotes(t *testing.T) {
	bad := filepath.Join(plainFile(t), "sub")
	garbage := bytes.Repeat([]byte("not a database "), 500)
	for _, tc := range []struct {
		name    string
		opts    Options
		corrupt bool
		wantErr bool
		notes   []string // each note starts so, in order
		memory  bool
		history bool
		dir     string
	}{
		{name: "unusable dir", opts: Options{DataDir: bad, History: true}, memory: true, dir: bad, notes: []string{
			"Captures are kept in memory only and will be lost on exit: data directory " + bad + " cannot be created",
			"Requests are not kept in history: data directory " + bad + " cannot be created",
		}},
		{name: "unusable dir, listen", opts: Options{DataDir: bad}, memory: true, dir: bad, notes: []string{
			"Captures are kept in memory only and will be lost on exit: ",
		}},
		{name: "unusable dir, tool", opts: Options{DataDir: bad, Tool: true}, wantErr: true},
		{name: "corrupt database", corrupt: true, opts: Options{History: true}, history: true, notes: []string{
			"The capture database could not be read (",
		}},
		{name: "corrupt database, tool", corrupt: true, opts: Options{Tool: true}, notes: []string{
			"the capture database could not be read (",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			if o.DataDir == "" {
				o.DataDir = t.TempDir()
				tc.dir = o.DataDir
			}
			if tc.corrupt {
				if err := os.WriteFile(filepath.Join(o.DataDir, capture.DBFileName), garbage, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			w, err := Open(o)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), bad) {
					w.Close()
					t.Fatalf("Open = %v, want an error naming %s", err, bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			notes := w.Notes()
			if len(notes) != len(tc.notes) {
				t.Fatalf("notes %q, want %d", notes, len(tc.notes))
			}
			for i, n := range notes {
				if !strings.HasPrefix(n, tc.notes[i]) {
					t.Errorf("note %d: %q, want it to start %q", i, n, tc.notes[i])
				}
			}
			if tc.corrupt && !strings.Contains(notes[0], ".corrupt-") {
				t.Errorf("note %q does not say where the database went", notes[0])
			}
			if _, mem := w.Store().(*capture.MemoryStore); mem != tc.memory {
				t.Errorf("store %T, want memory %v", w.Store(), tc.memory)
			}
			if (w.History() != nil) != tc.history {
				t.Errorf("history %v, want %v", w.History(), tc.history)
			}
			if w.Dir() != tc.dir {
				t.Errorf("Dir %q, want %q", w.Dir(), tc.dir)
			}
		})
	}
}

func TestDataDirPrecedence(t *testing.T) {
	t.Setenv(capture.DataDirEnv, "/from/env")
	if got, _ := DataDir("/from/flag"); got != "/from/flag" {
		t.Errorf("with a flag: %q", got)
	}
	if got, _ := DataDir(""); got != "/from/env" {
		t.Errorf("with the variable: %q", got)
	}
	t.Setenv(capture.DataDirEnv, "")
	want, err := capture.DataDir()
	if got, gotErr := DataDir(""); got != want || (err == nil) != (gotErr == nil) {
		t.Errorf("default: %q, %v; want %q, %v", got, gotErr, want, err)
	}
}

// TestToolModeNeverPrunes: export and captures clear open what the
// window kept, whatever their limits.
func TestToolModeNeverPrunes(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(Options{DataDir: dir, Retain: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := w.Store().Add(&capture.Capture{ID: string(rune('a' + i)), Path: "/p"}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	tool, err := Open(Options{DataDir: dir, Retain: 2, Tool: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tool.Close()
	if n, err := tool.Store().Count(capture.Filter{}); err != nil || n != 5 {
		t.Fatalf("a tool counts %d (%v), want all 5 kept", n, err)
	}
}

// TestStoreChangesBecomeEvents: what the store did reaches the hub as
// typed events, with the summaries of what was added.
func TestStoreChangesBecomeEvents(t *testing.T) {
	w, err := Open(Options{DataDir: t.TempDir(), Retain: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ev := subscribe(t, w)
	for _, id := range []string{"a", "b", "c"} {
		if err := w.Store().Add(&capture.Capture{ID: id, Method: "POST", Path: "/github/push", Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.DeleteCapture("c"); err != nil {
		t.Fatal(err)
	}
	if err := w.ClearCaptures(); err != nil {
		t.Fatal(err)
	}
	got := ev.until("the clear", func(l []Event) bool { return count[CapturesCleared](l) == 1 })
	var ids []string
	var pruned int
	for _, e := range got {
		switch e := e.(type) {
		case CapturesAdded:
			for _, s := range e.Summaries {
				ids = append(ids, s.ID+" "+s.Method+" "+s.Path)
			}
		case CapturesPruned:
			pruned += e.N
		case CaptureDeleted:
			ids = append(ids, "deleted "+e.ID)
		}
	}
	if strings.Join(ids, ", ") != "a POST /github/push, b POST /github/push, c POST /github/push, deleted c" || pruned != 1 {
		t.Fatalf("events %#v", got)
	}
}
