package history

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkHistorySearch lists the first page of a query over a full
// history of 5,000 entries: one that matches a tenth of them and one that
// matches none, which scans every row.
func BenchmarkHistorySearch(b *testing.B) {
	s := openTest(b, b.TempDir(), Options{})
	for i := range DefaultRetain {
		e := fullEntry()
		e.Time = testEpoch.Add(time.Duration(i) * time.Second)
		e.Name = fmt.Sprintf("Request %d", i)
		e.URL = fmt.Sprintf("https://api%d.example.com/v1/customers/%d/orders?page=%d", i%10, i, i%7)
		mustAdd(b, s, e)
	}
	for _, q := range []struct{ name, query string }{{"tenth", "api3.example"}, {"none", "no-such-thing"}} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.List(q.query, 0, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
