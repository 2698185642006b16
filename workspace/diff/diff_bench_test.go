package diff

import (
	"fmt"
	"strings"
	"testing"
)

// bigJSON is a 1 MiB-ish array of payment objects; amount of item i is
// bumped by bump when i%1000 == 0.
func bigJSON(bump int) []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := 0; b.Len() < 1<<20; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		amount := 1000 + i
		if i%1000 == 0 {
			amount += bump
		}
		fmt.Fprintf(&b, `{"id":"pay_%06d","amount":%d,"currency":"eur","status":"succeeded"}`, i, amount)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkCompareJSON1MiB compares two 1 MiB JSON bodies that differ
// in a few values, as Compare does off the UI goroutine.
func BenchmarkCompareJSON1MiB(b *testing.B) {
	x, y := bigJSON(0), bigJSON(7)
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	for b.Loop() {
		if _, vs, _, _ := Bodies(x, y); len(vs) == 0 {
			b.Fatal("no differences")
		}
	}
}

// BenchmarkCompareText20kLines diffs two 20,000-line texts that differ
// in every 100th line.
func BenchmarkCompareText20kLines(b *testing.B) {
	var x, y strings.Builder
	for i := range MaxLines {
		fmt.Fprintf(&x, "line %d\n", i)
		if i%100 == 0 {
			fmt.Fprintf(&y, "changed %d\n", i)
		} else {
			fmt.Fprintf(&y, "line %d\n", i)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Text(x.String(), y.String())
	}
}

// BenchmarkWithin1MiB finds a 1 MiB object in a webhook that carries it
// at data.object, as the Compare view does before narrowing (both
// bodies are decoded once more for it).
func BenchmarkWithin1MiB(b *testing.B) {
	part := []byte(`{"id":"pay_1","status":"pending","items":` + string(bigJSON(7)) + `}`)
	whole := []byte(`{"id":"evt_1","type":"payment.succeeded","data":{"object":{"id":"pay_1","status":"succeeded","items":` + string(bigJSON(0)) + `}}}`)
	b.SetBytes(int64(len(part) + len(whole)))
	b.ReportAllocs()
	for b.Loop() {
		if p, ok := Within(part, whole); !ok || p != "$.data.object" {
			b.Fatal(p, ok)
		}
	}
}
