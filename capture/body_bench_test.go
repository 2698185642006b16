package capture

import (
	"bytes"
	"net/http/httptest"
	"testing"
)

// BenchmarkBody10MB: what one 10 MB body costs the catcher on its way
// from the connection into the durable store, declared (Content-Length)
// and chunked. B/op counts Go allocations only: the SQLite driver's
// copies are C memory (see BenchmarkListenMemory for the process's peak).
//
//	go test -tags migrated_fynedo -run '^$' -bench Body10MB -benchmem -benchtime 20x ./capture/
func BenchmarkBody10MB(b *testing.B) {
	body := bytes.Repeat([]byte(`{"k":"0123456789abcdef"},`), 10_000_000/25)
	for _, tc := range []struct {
		name     string
		declared bool
	}{{"declared", true}, {"chunked", false}} {
		b.Run(tc.name, func(b *testing.B) {
			store, _, err := OpenSQLite(b.TempDir(), SQLiteOptions{MaxBodyBytes: 64 << 20})
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			srv := NewServer(store)
			srv.MaxBody = 16 << 20
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/big", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if !tc.declared {
					req.ContentLength = -1
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("answered %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
