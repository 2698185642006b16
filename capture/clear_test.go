package capture

import "testing"

// TestClearCountIsWhatWasDeleted: both stores say how many captures
// their clear removed, including those another handle on the same
// database (another process) stored.
func TestClearCountIsWhatWasDeleted(t *testing.T) {
	dir := t.TempDir()
	a := openTestSQLite(t, dir, SQLiteOptions{})
	b := openTestSQLite(t, dir, SQLiteOptions{})
	mem := NewMemoryStore(0, 0)
	for i := range 3 {
		mustAdd(t, a, sampleCapture(i))
		mustAdd(t, mem, sampleCapture(i))
	}
	mustAdd(t, b, sampleCapture(3))
	for name, s := range map[string]interface{ ClearCount() (int64, error) }{"sqlite": a, "memory": mem} {
		want := int64(4)
		if name == "memory" {
			want = 3
		}
		if n, err := s.ClearCount(); err != nil || n != want {
			t.Errorf("%s: ClearCount = %d, %v; want %d", name, n, err, want)
		}
		if n, err := s.ClearCount(); err != nil || n != 0 {
			t.Errorf("%s: ClearCount again = %d, %v; want 0", name, n, err)
		}
	}
}
