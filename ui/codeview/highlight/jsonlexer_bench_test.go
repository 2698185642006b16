package highlight

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/alecthomas/chroma/v2"
)

// benchJSON is a deterministic, pretty-printed JSON document of exactly
// 1 MiB: an array of webhook-like events (nested objects and arrays,
// strings with escapes and non-ASCII text, integers, floats, booleans,
// nulls), padded with trailing newlines.
var benchJSON = sync.OnceValue(func() string {
	const size = 1 << 20
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"order", "payment", "café", "naïve", "日本", "tab\there", `quote"d`, `back\slash`, "line\nbreak", "emoji 🚀", "plain"}
	word := func() string { return words[rng.IntN(len(words))] }
	var events []any
	var b []byte
	for len(b) < size-64<<10 {
		for range 64 {
			i := len(events)
			events = append(events, map[string]any{
				"id":       fmt.Sprintf("evt_%08d", i),
				"type":     word() + "." + word(),
				"created":  1724245321 + i,
				"livemode": rng.IntN(2) == 0,
				"amount":   rng.Float64() * 1000,
				"ratio":    -rng.Float64() / 1e6,
				"customer": nil,
				"tags":     []any{word(), word(), rng.IntN(100)},
				"data": map[string]any{
					"object": map[string]any{
						"description": word() + " " + word() + " " + word(),
						"metadata":    map[string]any{"k": word(), "n": rng.Int64()},
						"lines":       []any{map[string]any{"qty": rng.IntN(9), "price": float64(rng.IntN(10000)) / 100}},
						"empty":       map[string]any{},
					},
				},
			})
		}
		var err error
		if b, err = json.MarshalIndent(events, "", "  "); err != nil {
			panic(err)
		}
	}
	if len(b) > size {
		panic("bench JSON too large")
	}
	return string(b) + strings.Repeat("\n", size-len(b))
})

func drainJSON(b *testing.B, lexer chroma.Lexer, text string) {
	it, err := lexer.Tokenise(nil, text)
	if err != nil {
		b.Fatal(err)
	}
	for tok := it(); tok != chroma.EOF; tok = it() {
	}
}

func BenchmarkJSONLexer(b *testing.B) {
	text := benchJSON()
	for _, bc := range []struct {
		name  string
		lexer chroma.Lexer
	}{
		{"fast-1MiB", NewJSONLexer()},
		{"fast-coalesce-1MiB", chroma.Coalesce(NewJSONLexer())},
		{"chroma-1MiB", chromaJSONLexer()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				drainJSON(b, bc.lexer, text)
			}
		})
	}
}
