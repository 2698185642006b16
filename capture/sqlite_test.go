package capture

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/workspace/poll"
)

func mustCount(t *testing.T, s Store, f Filter) int {
	t.Helper()
	n, err := s.Count(f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sampleCapture is capture number i of a test, with a body naming it.
func sampleCapture(i int) *Capture {
	body := fmt.Sprintf(`{"n":%d,"word":"needle%03d"}`, i, i)
	return &Capture{
		ID: fmt.Sprintf("cap_%03d", i), Time: testEpoch.Add(time.Duration(i) * time.Millisecond), Method: "POST",
		Path: fmt.Sprintf("/ep%d/x", i%3), Proto: "HTTP/1.1", Host: "localhost", Remote: "127.0.0.1:1", Status: 200,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body), BodySize: int64(len(body)),
	}
}

func TestSQLiteRestartKeepsCaptures(t *testing.T) {
	dir := t.TempDir()
	s, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want []*Capture
	for i := range 50 {
		c := sampleCapture(i)
		want = append(want, c)
		mustAdd(t, s, c)
	}
	before, _ := s.List(Filter{}, 0, 100)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTestSQLite(t, dir, SQLiteOptions{})
	if n := mustCount(t, s, Filter{}); n != 50 {
		t.Fatalf("%d captures after reopening, want 50", n)
	}
	for _, c := range want {
		got, err := s.Get(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameCapture(t, got, c)
	}
	after, _ := s.List(Filter{}, 0, 100)
	if !slices.Equal(summaryIDs(after), summaryIDs(before)) {
		t.Fatalf("order changed across a restart:\n%v\n%v", summaryIDs(before), summaryIDs(after))
	}
	if got, _ := s.List(Filter{Text: "NEEDLE017"}, 0, 10); !slices.Equal(summaryIDs(got), []string{"cap_017"}) {
		t.Fatalf("text search after reopening: %v", summaryIDs(got))
	}
	// New captures sort after the old ones and are found the same way.
	mustAdd(t, s, sampleCapture(50))
	if got, _ := s.List(Filter{}, 0, 1); !slices.Equal(summaryIDs(got), []string{"cap_050"}) {
		t.Fatalf("newest after reopening: %v", summaryIDs(got))
	}
	waitIndexed(t, s)
	if got, _ := s.List(Filter{Text: "needle0"}, 0, 100); len(got) != 51 {
		t.Fatalf("indexed search after reopening found %d, want 51", len(got))
	}
}

func TestSQLiteRetentionByCount(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{MaxCaptures: 10})
	for i := range 25 {
		mustAdd(t, s, sampleCapture(i))
	}
	poll.Until(t, "pruned to 10", func() bool { return mustCount(t, s, Filter{}) == 10 })
	list, _ := s.List(Filter{}, 0, 100)
	if want := []string{"cap_024", "cap_023", "cap_022", "cap_021", "cap_020", "cap_019", "cap_018", "cap_017", "cap_016", "cap_015"}; !slices.Equal(summaryIDs(list), want) {
		t.Fatalf("kept %v, want the newest 10", summaryIDs(list))
	}
	if _, err := s.Get("cap_014"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("oldest capture still there: %v", err)
	}
	if n := mustCount(t, s, Filter{Text: "needle"}); n != 10 {
		t.Fatalf("text search counts %d pruned captures", n-10)
	}
	// The index rows of pruned captures are removed in the background.
	poll.Until(t, "index rows of pruned captures collected", func() bool {
		var n int
		if err := s.rdb.QueryRow(`SELECT count(*) FROM search`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 10
	})
}

func TestSQLiteRetentionByBytes(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{MaxBodyBytes: 10})
	for i := range 4 {
		mustAdd(t, s, &Capture{ID: fmt.Sprint(i), Path: "/b", Body: []byte("abcd")})
	}
	poll.Until(t, "10 bytes hold two 4-byte bodies", func() bool { return mustCount(t, s, Filter{}) == 2 })
	if _, err := s.Get("1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("capture 1 still there: %v", err)
	}
	// A single capture larger than the limit is still kept.
	mustAdd(t, s, &Capture{ID: "big", Path: "/b", Body: make([]byte, 50)})
	poll.Until(t, "only the big capture left", func() bool { return mustCount(t, s, Filter{}) == 1 })
	if _, err := s.Get("big"); err != nil {
		t.Fatal(err)
	}
}

func TestSQLiteRetentionAppliesAtOpen(t *testing.T) {
	dir := t.TempDir()
	s, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		mustAdd(t, s, sampleCapture(i))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTestSQLite(t, dir, SQLiteOptions{MaxCaptures: 5})
	if n := mustCount(t, s, Filter{}); n != 5 {
		t.Fatalf("%d captures after reopening with a limit of 5", n)
	}
	if list, _ := s.List(Filter{}, 0, 1); !slices.Equal(summaryIDs(list), []string{"cap_019"}) {
		t.Fatalf("newest after pruning at open: %v", summaryIDs(list))
	}
}

// corruptions make dir/hooklab.db unusable in different ways; keep
// reports whether the moved file must hold the bytes it had.
var corruptions = []struct {
	name string
	keep bool
	make func(t *testing.T, path string)
}{
	{"garbage", true, func(t *testing.T, path string) {
		writeTestFile(t, path, bytes.Repeat([]byte("not a database, just bytes\n"), 2000))
	}},
	{"text", true, func(t *testing.T, path string) { writeTestFile(t, path, []byte("hello")) }},
	{"truncated", true, func(t *testing.T, path string) {
		s, _, err := OpenSQLite(filepath.Dir(path), SQLiteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 300 {
			c := sampleCapture(i)
			c.Body = bytes.Repeat([]byte{byte(i)}, 4000)
			mustAdd(t, s, c)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, fi.Size()*2/5); err != nil {
			t.Fatal(err)
		}
	}},
	{"bad header", true, func(t *testing.T, path string) {
		s, _, err := OpenSQLite(filepath.Dir(path), SQLiteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mustAdd(t, s, sampleCapture(1))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		copy(data[16:24], "\xff\xff\xff\xff\xff\xff\xff\xff") // page size and format bytes
		writeTestFile(t, path, data)
	}},
	// Only PRAGMA quick_check finds this one: the damaged page holds
	// captures, which opening the store does not read.
	{"damaged page", true, func(t *testing.T, path string) {
		s, _, err := OpenSQLite(filepath.Dir(path), SQLiteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 200 {
			c := sampleCapture(i)
			c.Body = bytes.Repeat([]byte("x"), 2000)
			mustAdd(t, s, c)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		var page, pageSize int64
		err = db.QueryRow(`SELECT pageno, pgsize FROM dbstat WHERE name = 'captures' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 20`).Scan(&page, &pageSize)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		copy(data[(page-1)*pageSize:], bytes.Repeat([]byte{0xff}, 12)) // the page header
		writeTestFile(t, path, data)
	}},
	// Opening switches the file to WAL mode before its tables turn out
	// to be someone else's: the bytes change, the data does not.
	{"foreign schema", false, func(t *testing.T, path string) {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`CREATE TABLE captures (x TEXT); INSERT INTO captures VALUES ('theirs')`); err != nil {
			t.Fatal(err)
		}
	}},
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSQLiteRecoversUnusableDatabase(t *testing.T) {
	for _, tc := range corruptions {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, DBFileName)
			tc.make(t, path)
			bad, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, rec, err := OpenSQLite(dir, SQLiteOptions{})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			if rec == nil {
				t.Fatal("no Recovery for an unusable database")
			}
			t.Logf("recovery: %+v", rec)
			if tc.name == "damaged page" && !strings.HasPrefix(rec.Reason, "quick_check: ") {
				t.Errorf("reason %q, want quick_check's finding", rec.Reason)
			}
			if rec.Reason == "" || !strings.HasPrefix(filepath.Base(rec.MovedTo), DBFileName+".corrupt-") || filepath.Dir(rec.MovedTo) != dir {
				t.Fatalf("recovery %+v", rec)
			}
			if moved, err := os.ReadFile(rec.MovedTo); err != nil || (tc.keep && !bytes.Equal(moved, bad)) {
				t.Fatalf("the old file was not kept as it was at %s (%v)", rec.MovedTo, err)
			}
			if !tc.keep {
				db, err := sql.Open("sqlite", rec.MovedTo)
				if err != nil {
					t.Fatal(err)
				}
				var x string
				err = db.QueryRow(`SELECT x FROM captures`).Scan(&x)
				db.Close()
				if err != nil || x != "theirs" {
					t.Fatalf("moved database lost its data: %q, %v", x, err)
				}
			}
			c := sampleCapture(7)
			mustAdd(t, s, c)
			got, err := s.Get(c.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameCapture(t, got, c)
			if n := mustCount(t, s, Filter{}); n != 1 {
				t.Fatalf("new store holds %d captures", n)
			}
		})
	}
}

func TestMoveAsideTakesWALAndSHM(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DBFileName)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		writeTestFile(t, path+suffix, []byte("old"+suffix))
	}
	at := time.Date(2026, 11, 27, 9, 30, 5, 0, time.Local)
	moved, err := moveAside(path, at)
	if err != nil {
		t.Fatal(err)
	}
	if want := path + ".corrupt-20261127T093005"; moved != want {
		t.Fatalf("moved to %s, want %s", moved, want)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if data, err := os.ReadFile(moved + suffix); err != nil || string(data) != "old"+suffix {
			t.Errorf("%s: %q, %v", moved+suffix, data, err)
		}
		if _, err := os.Stat(path + suffix); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there (%v)", path+suffix, err)
		}
	}
	// Without -wal and -shm, and with the name taken.
	writeTestFile(t, path, []byte("again"))
	again, err := moveAside(path, at)
	if err != nil || again != moved+".1" {
		t.Fatalf("second move to %s, %v; want %s", again, err, moved+".1")
	}
}

func TestSQLiteRecoveryKeepsEarlierOnes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DBFileName)
	var moved []string
	for range 2 {
		writeTestFile(t, path, []byte("garbage"))
		s, rec, err := OpenSQLite(dir, SQLiteOptions{})
		if err != nil || rec == nil {
			t.Fatalf("open: %v, recovery %v", err, rec)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		moved = append(moved, rec.MovedTo)
	}
	// Both recoveries may happen within one second, so one name is taken.
	if moved[0] == moved[1] {
		t.Fatalf("second recovery overwrote the first at %s", moved[0])
	}
	for _, m := range moved {
		if _, err := os.Stat(m); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSQLiteEmptyFileIsAFreshDatabase(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, DBFileName), nil)
	s := openTestSQLite(t, dir, SQLiteOptions{})
	mustAdd(t, s, sampleCapture(1))
}

func TestSQLiteNewerSchemaIsLeftAlone(t *testing.T) {
	dir := t.TempDir()
	s, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, s, sampleCapture(1))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, DBFileName)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, rec, err := OpenSQLite(dir, SQLiteOptions{})
	if err == nil {
		s.Close()
		t.Fatal("opened a database with a newer schema")
	}
	if rec != nil || !strings.Contains(err.Error(), "newer Hooklab (schema 99)") || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %q, recovery %v", err, rec)
	}
	if matches, _ := filepath.Glob(path + ".corrupt-*"); len(matches) > 0 {
		t.Fatalf("a newer database was moved aside: %v", matches)
	}
}

func TestSQLiteUnusableDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	writeTestFile(t, file, []byte("x"))
	// Under a regular file nothing can be created, not even by root.
	for _, dir := range []string{filepath.Join(file, "sub"), file} {
		s, rec, err := OpenSQLite(dir, SQLiteOptions{})
		if err == nil {
			s.Close()
			t.Fatalf("opened a store in %s", dir)
		}
		if rec != nil || !strings.Contains(err.Error(), "data directory "+dir) {
			t.Fatalf("OpenSQLite(%s): %v (recovery %v); want an error naming the data directory", dir, err, rec)
		}
	}
}

func TestSQLiteDataDirNames(t *testing.T) {
	names := []string{"with space", "percent%41 hash#", "ünïcode"}
	if runtime.GOOS != "windows" {
		names = append(names, "question?mark", "q?&_pragma=query_only(1)")
	}
	for _, name := range names {
		dir := filepath.Join(t.TempDir(), name)
		s := openTestSQLite(t, dir, SQLiteOptions{})
		mustAdd(t, s, sampleCapture(1))
		if _, err := os.Stat(filepath.Join(dir, DBFileName)); err != nil {
			t.Errorf("%q: the database is not in the data directory: %v", name, err)
		}
	}
}

func TestSQLiteRules(t *testing.T) {
	dir := t.TempDir()
	s, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rules, err := s.Rules(); err != nil || rules == nil || len(rules) != 0 {
		t.Fatalf("rules of a new store: %#v, %v; want none, as an empty slice", rules, err)
	}
	slow := Rule{Endpoint: "stripe", Status: 500, Header: http.Header{"Retry-After": {"3"}}, Body: `{"id":"{{capture.id}}"}`, Delay: 1500 * time.Millisecond}
	root := Rule{Endpoint: "/", Status: 204}
	for _, r := range []Rule{slow, root, {Endpoint: "github", Status: 200}} {
		if err := s.SetRule(r); err != nil {
			t.Fatal(err)
		}
	}
	replaced := Rule{Endpoint: "github", Status: 202, Body: "queued"}
	if err := s.SetRule(replaced); err != nil {
		t.Fatal(err)
	}
	want := []Rule{root, replaced, slow}
	if got, err := s.Rules(); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Rules() = %+v, %v\nwant %+v", got, err, want)
	}
	if err := s.DeleteRule("/"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRule("never-set"); err != nil {
		t.Fatalf("deleting a rule that does not exist: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTestSQLite(t, dir, SQLiteOptions{})
	if got, err := s.Rules(); err != nil || !reflect.DeepEqual(got, want[1:]) {
		t.Fatalf("rules after reopening: %+v, %v", got, err)
	}
	for _, bad := range []Rule{
		{Status: 200},
		{Endpoint: "x", Status: 99},
		{Endpoint: "x", Status: 200, Delay: 31 * time.Second},
	} {
		var re *RuleError
		if err := s.SetRule(bad); !errors.As(err, &re) {
			t.Errorf("SetRule(%+v) = %v, want a *RuleError", bad, err)
		}
	}
	if got, _ := s.Rules(); len(got) != 2 {
		t.Fatalf("refused rules were stored: %+v", got)
	}
}

func TestSQLiteWritesAfterClose(t *testing.T) {
	s, _, err := OpenSQLite(t.TempDir(), SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	for name, err := range map[string]error{
		"Add":     s.Add(sampleCapture(1)),
		"Delete":  s.Delete("cap_001"),
		"Clear":   s.Clear(),
		"SetRule": s.SetRule(Rule{Endpoint: "x", Status: 200}),
	} {
		if err == nil {
			t.Errorf("%s after Close succeeded", name)
		}
	}
}

// TestSQLiteCloseCommitsQueuedAdds closes the store while Adds are in
// flight: each Add either fails or is there after reopening.
func TestSQLiteCloseCommitsQueuedAdds(t *testing.T) {
	dir := t.TempDir()
	s, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	started := make(chan struct{})
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				if w == 0 && i == 5 {
					close(started)
				}
				c := sampleCapture(w*1000 + i)
				if err := s.Add(c); err != nil {
					return
				}
				mu.Lock()
				acked = append(acked, c.ID)
				mu.Unlock()
			}
		})
	}
	<-started
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	s = openTestSQLite(t, dir, SQLiteOptions{})
	for _, id := range acked {
		if _, err := s.Get(id); err != nil {
			t.Fatalf("acknowledged capture %s: %v", id, err)
		}
	}
	if n := mustCount(t, s, Filter{}); n < len(acked) || len(acked) == 0 {
		t.Fatalf("%d captures stored, %d acknowledged", n, len(acked))
	}
}

func TestSQLiteDuplicateIDFailsAlone(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{})
	mustAdd(t, s, &Capture{ID: "dup", Path: "/d"})
	var wg sync.WaitGroup
	errs := make(chan error, 21)
	for i := range 21 {
		wg.Go(func() {
			id := fmt.Sprintf("c%02d", i)
			if i == 10 {
				id = "dup"
			}
			errs <- s.Add(&Capture{ID: id, Path: "/d"})
		})
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
			if !strings.Contains(err.Error(), "dup") {
				t.Errorf("error %q does not name the capture", err)
			}
		}
	}
	if failed != 1 || mustCount(t, s, Filter{}) != 21 {
		t.Fatalf("%d adds failed, %d stored; want only the duplicate to fail", failed, mustCount(t, s, Filter{}))
	}
}

// A body that is not UTF-8 is kept exactly but not searched: only the
// path and the headers of such a capture are.
func TestSQLiteBinaryBodyIsNotSearched(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{})
	body := append([]byte{0xff, 0xfe}, "payment succeeded"...)
	mustAdd(t, s, &Capture{ID: "bin", Path: "/upload", Header: http.Header{"X-Kind": {"image"}}, Body: body})
	for _, indexed := range []bool{false, true} {
		if indexed {
			waitIndexed(t, s)
		}
		if n := mustCount(t, s, Filter{Text: "payment"}); n != 0 {
			t.Errorf("indexed %v: a word of a binary body was found", indexed)
		}
		if n := mustCount(t, s, Filter{Text: "upload image"}); n != 1 {
			t.Errorf("indexed %v: path and header of a binary capture not found", indexed)
		}
	}
	got, err := s.Get("bin")
	if err != nil || !bytes.Equal(got.Body, body) {
		t.Fatalf("binary body came back as %q, %v", got.Body, err)
	}
}

// Search texts the index does not take (too large to index in one short
// step, or holding a NUL) are skipped by it and scanned instead.
func TestSQLiteUnindexableTextIsSearched(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{})
	large := strings.Repeat("lorem ipsum ", maxIndexedText/10) + "needle"
	mustAdd(t, s,
		&Capture{ID: "large", Path: "/big", Body: []byte(large)},
		&Capture{ID: "nul", Path: "/nul", Body: []byte("before\x00needle after")},
		sampleCapture(1))
	waitIndexed(t, s)
	var skipped int
	if err := s.rdb.QueryRow(`SELECT count(*) FROM search_skipped`).Scan(&skipped); err != nil || skipped != 2 {
		t.Fatalf("%d skipped, %v; want the large capture and the one with a NUL", skipped, err)
	}
	for text, want := range map[string][]string{
		"needle":       {"cap_001", "nul", "large"},
		"ipsum needle": {"large"},
		"LOREM":        {"large"},
		"AFTER":        {"nul"},
		"\x00need":     {"nul"},
	} {
		if list, _ := s.List(Filter{Text: text}, 0, 10); !slices.Equal(summaryIDs(list), want) {
			t.Errorf("search %q: %v, want %v", text, summaryIDs(list), want)
		}
	}
	for _, id := range []string{"large", "nul"} {
		if err := s.Delete(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.rdb.QueryRow(`SELECT count(*) FROM search_skipped`).Scan(&skipped); err != nil || skipped != 0 {
		t.Fatalf("deleted captures left in search_skipped (%d, %v)", skipped, err)
	}
}

func TestTimeValueClamps(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want any
	}{
		{time.Time{}, nil},
		{testEpoch, testEpoch.UnixNano()},
		{time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), int64(math.MinInt64)},
		{time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), int64(math.MaxInt64)},
	} {
		if got := timeValue(tc.t); got != tc.want {
			t.Errorf("timeValue(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
}

func FuzzHeaderBlob(f *testing.F) {
	f.Add(encodeHeader(http.Header{"A": {"1", ""}, "B": nil, "": {"\xff"}}))
	f.Add([]byte{0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := decodeHeader(b)
		if err != nil {
			return
		}
		again, err := decodeHeader(encodeHeader(h))
		if err != nil || !reflect.DeepEqual(flatHeader(again), flatHeader(h)) {
			t.Fatalf("%q: decoded %v, re-decoded %v (%v)", b, h, again, err)
		}
	})
}

// flatHeader treats a nil and an empty value list alike, as the blob does.
func flatHeader(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		out[k] = append([]string{}, v...)
	}
	return out
}

// TestSQLiteTwoStoresShareADatabase opens one data directory twice, as
// `hooklab export` or `hooklab captures clear` do next to the window:
// both write, and each sees what the other did.
func TestSQLiteTwoStoresShareADatabase(t *testing.T) {
	dir := t.TempDir()
	a := openTestSQLite(t, dir, SQLiteOptions{MaxCaptures: 150})
	b := openTestSQLite(t, dir, SQLiteOptions{MaxCaptures: 150})
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 100 {
		for _, s := range []*SQLiteStore{a, b} {
			wg.Go(func() {
				c := sampleCapture(i)
				if s == b {
					c = sampleCapture(1000 + i)
				}
				errs <- s.Add(c)
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// 200 captures were added, 150 are kept, whoever counts.
	poll.Until(t, "both prune to 150", func() bool { return mustCount(t, a, Filter{}) == 150 && mustCount(t, b, Filter{}) == 150 })
	if n := mustCount(t, a, Filter{Endpoint: "ep1"}); n != mustCount(t, b, Filter{Endpoint: "ep1"}) {
		t.Fatalf("the stores disagree on endpoint ep1: %d", n)
	}
	mustAdd(t, b, sampleCapture(2000)) // the newest, so it is kept
	waitIndexed(t, a)
	waitIndexed(t, b)
	if na, nb := mustCount(t, a, Filter{Text: "needle2000"}), mustCount(t, b, Filter{Text: "needle2000"}); na != 1 || nb != 1 {
		t.Fatalf("a capture added by b found %d times by a, %d by b", na, nb)
	}
	if err := b.Clear(); err != nil {
		t.Fatal(err)
	}
	if n := mustCount(t, a, Filter{}); n != 0 {
		t.Fatalf("a counts %d captures after b cleared them", n)
	}
	mustAdd(t, a, sampleCapture(5))
	if got, err := b.List(Filter{Text: "needle005"}, 0, 10); err != nil || !slices.Equal(summaryIDs(got), []string{"cap_005"}) {
		t.Fatalf("b after a added again: %v, %v", summaryIDs(got), err)
	}
}

// watchedPair opens two stores on one database: a, whose watcher the
// test drives, and b, the other process. b has no search index, so it
// commits nothing of its own accord (with one it would index a's
// captures, and rightly be reported). look has a's watcher look once:
// the watcher takes the second tick only after the look for the first
// has returned, so whatever that look reported is in the log by then.
func watchedPair(t *testing.T) (a, b *SQLiteStore, log *changeLog, look func()) {
	t.Helper()
	dir := t.TempDir()
	ticks := make(chan time.Time)
	a = openTestSQLite(t, dir, SQLiteOptions{watchTicks: ticks})
	log = &changeLog{}
	a.OnChange(log.add)
	b = openTestSQLite(t, dir, SQLiteOptions{noFTS: true})
	look = func() {
		ticks <- testEpoch
		ticks <- testEpoch
	}
	return a, b, log, look
}

// TestSQLiteSeesCommitsFromAnotherProcess: `hooklab captures clear` run
// beside the window must show in the window without a new capture.
func TestSQLiteSeesCommitsFromAnotherProcess(t *testing.T) {
	a, b, log, look := watchedPair(t)
	mustAdd(t, a, sampleCapture(1))
	look()
	if got := log.take(); len(got) != 1 || len(got[0].Added) != 1 || got[0].Added[0].ID != "cap_001" {
		t.Fatalf("before the other store wrote: %+v, want only a's own capture", got)
	}
	if err := b.Clear(); err != nil {
		t.Fatal(err)
	}
	look()
	// Clear commits twice (the DELETE, then the VACUUM that gives the
	// space back), so a look between them, such as the idle indexer's,
	// reports it twice: each says "read again", and nothing else.
	got := log.take()
	if len(got) == 0 {
		t.Fatal("another store's clear was not reported")
	}
	for _, c := range got {
		if !reflect.DeepEqual(c, Change{External: true}) {
			t.Fatalf("another store's clear reported as %+v, want External changes only", got)
		}
	}
	if n, _ := a.Count(Filter{}); n != 0 {
		t.Fatalf("store a counts %d after the other cleared", n)
	}
}

// TestSQLiteSeesACommitMadeBeforeTheFirstLook: the watcher's starting
// point is where the store opened, not its first look, so a commit made
// elsewhere in between is reported by that first look (it used to be
// taken as the starting point and never reported).
func TestSQLiteSeesACommitMadeBeforeTheFirstLook(t *testing.T) {
	a, b, log, look := watchedPair(t)
	mustAdd(t, b, sampleCapture(1))
	look() // a's first
	if got := log.take(); !reflect.DeepEqual(got, []Change{{External: true}}) {
		t.Fatalf("a commit before the first look reported as %+v, want one External", got)
	}
	if n, _ := a.Count(Filter{}); n != 1 {
		t.Fatalf("store a counts %d after the other added one", n)
	}
}

// A batch is inserted by statements of 1, 2, 4, … 64 rows: every size,
// across statement boundaries and beyond the widest statement, keeps
// every capture whole, in order, with the counts right.
func TestSQLiteInsertBatchSizes(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{})
	var want []*Capture
	for _, size := range []int{1, 2, 3, 7, 8, 63, 64, 65, 127, 130} {
		reqs := make([]*writeReq, size)
		for i := range reqs {
			c := sampleCapture(len(want))
			c.ID = fmt.Sprintf("cap_%04d", len(want))
			c.RespHeader = http.Header{"X-Size": {fmt.Sprint(size)}}
			c.RespBody = []byte(c.ID)
			if i%5 == 0 {
				c.Header, c.Body = nil, nil // NULLs among values
			}
			want = append(want, c)
			reqs[i] = &writeReq{add: true, rec: newRecord(c), done: make(chan error, 1)}
		}
		if err := s.do(func(w *writer) error { w.insert(reqs); return nil }); err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			if err := <-r.done; err != nil {
				t.Fatalf("batch of %d: %v", size, err)
			}
		}
	}
	var got []*Capture
	if err := s.Scan(Filter{}, func(c *Capture) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || mustCount(t, s, Filter{}) != len(want) {
		t.Fatalf("scanned %d, counted %d; want %d", len(got), mustCount(t, s, Filter{}), len(want))
	}
	for i := range want {
		sameCapture(t, got[i], want[i])
	}
}

// A duplicate id inside a batch that goes in as one multi-row statement
// fails alone.
func TestSQLiteDuplicateInWideBatchFailsAlone(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{})
	mustAdd(t, s, &Capture{ID: "dup", Path: "/d"})
	reqs := make([]*writeReq, 40)
	for i := range reqs {
		id := fmt.Sprintf("c%02d", i)
		if i == 33 {
			id = "dup"
		}
		reqs[i] = &writeReq{add: true, rec: newRecord(&Capture{ID: id, Path: "/d"}), done: make(chan error, 1)}
	}
	if err := s.do(func(w *writer) error { w.insert(reqs); return nil }); err != nil {
		t.Fatal(err)
	}
	for i, r := range reqs {
		err := <-r.done
		if (err != nil) != (i == 33) {
			t.Errorf("capture %d: error %v", i, err)
		}
		if err != nil && !strings.Contains(err.Error(), "dup") {
			t.Errorf("error %q does not name the capture", err)
		}
	}
	if n := mustCount(t, s, Filter{}); n != 40 {
		t.Fatalf("%d stored, want 40", n)
	}
}

// TestSQLiteCheckpointsOnceQuiet: captures go to the WAL while they
// arrive, and once the catcher has been quiet for a moment the
// checkpointer copies them back into the database file, so the WAL can
// start over (maxUncheckpointed keeps a burst from paying for this).
func TestSQLiteCheckpointsOnceQuiet(t *testing.T) {
	dir := t.TempDir()
	s, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dbFile := filepath.Join(dir, DBFileName)
	size := func() int64 {
		fi, err := os.Stat(dbFile)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	const n, bodySize = 200, 16 << 10
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := sampleCapture(i)
			c.Body = bytes.Repeat([]byte{'a' + byte(i%26)}, bodySize)
			c.BodySize = bodySize
			if err := s.Add(c); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	poll.Until(t, "the burst copied back into "+DBFileName, func() bool { return size()-before >= n*bodySize })
	if got := mustCount(t, s, Filter{}); got != n {
		t.Fatalf("%d captures after the checkpoint, want %d", got, n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, _, err := OpenSQLite(dir, SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := mustCount(t, s2, Filter{}); got != n {
		t.Fatalf("%d captures after reopening, want %d", got, n)
	}
}
