package codeview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

// webhookJSON returns about n bytes of pretty-printed JSON shaped like a
// list of webhook events.
func webhookJSON(n int) []byte {
	type object struct {
		ID       string            `json:"id"`
		Amount   int               `json:"amount"`
		Currency string            `json:"currency"`
		Paid     bool              `json:"paid"`
		Rate     float64           `json:"rate"`
		Note     *string           `json:"note"`
		Metadata map[string]string `json:"metadata"`
	}
	type event struct {
		ID      string `json:"id"`
		Type    string `json:"type"`
		Created int64  `json:"created"`
		Data    struct {
			Object object `json:"object"`
		} `json:"data"`
	}
	var events []event
	var out []byte
	for i := 0; len(out) < n; i++ {
		e := event{ID: fmt.Sprintf("evt_%08d", i), Type: "payment.succeeded", Created: 1795770000 + int64(i)}
		e.Data.Object = object{ID: fmt.Sprintf("pay_%08d", i), Amount: i * 7, Currency: "eur", Paid: i%2 == 0,
			Rate: 1.0 / float64(i+1), Metadata: map[string]string{"order": fmt.Sprint(i), "note": "naïve café ☕"}}
		events = append(events, e)
		if len(events)%64 == 0 || len(out) == 0 {
			out, _ = json.MarshalIndent(events, "", "  ")
		}
	}
	return out
}

// BenchmarkCodeView measures what a user waits for after selecting a
// capture: from the raw body to highlighted rows drawn in a window.
// Rendering (pretty-print and tokenize) and indexing the lines run off
// the UI goroutine in the app; apply is the UI goroutine's share, one
// fyne.Do. Metrics: render-ms, rows-ms (line index), ui-ms (mean apply)
// and ui-max-ms (the longest single apply), scroll-ms (a jump to a far
// row and drawing it), B/byte (allocated per body byte) and live-B/byte
// (heap the shown body keeps).
func BenchmarkCodeView(b *testing.B) {
	app := test.NewTempApp(b)
	app.Settings().SetTheme(widgets.Theme())
	sizes := []struct {
		name string
		n    int
	}{{"json-1KiB", 1 << 10}, {"json-100KiB", 100 << 10}, {"json-1MiB", 1 << 20}, {"json-10MiB", 10 << 20}}
	for _, sz := range sizes {
		body := webhookJSON(sz.n)
		for _, mode := range []struct {
			name  string
			limit int
		}{{"", highlight.MaxShown}, {"-all", 0}} {
			if mode.limit == 0 && len(body) <= highlight.MaxShown {
				continue // the same as the capped run
			}
			b.Run(sz.name+mode.name, func(b *testing.B) {
				v := New()
				w := test.NewTempWindow(b, v)
				w.Resize(fyne.NewSize(900, 700))
				var render, build, apply, uiMax time.Duration
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					t0 := time.Now()
					res := highlight.RenderLimit("application/json", body, true, mode.limit)
					t1 := time.Now()
					idx := newLineIndex(res.Lines)
					t2 := time.Now()
					v.gen++
					v.apply(v.gen, res, idx)
					d := time.Since(t2)
					render += t1.Sub(t0)
					build += t2.Sub(t1)
					apply += d
					uiMax = max(uiMax, d)
				}
				b.StopTimer()
				runtime.ReadMemStats(&after)
				allocated := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N) / float64(len(body))
				if v.grid.styledTexts() == 0 {
					b.Fatal("rows are not highlighted")
				}
				const jumps = 20
				t0 := time.Now()
				for i := range jumps {
					v.grid.scrollTo(len(v.grid.Rows)*(i+1)/(jumps+1), 0, 1)
				}
				scroll := time.Since(t0) / jumps
				runtime.GC()
				runtime.ReadMemStats(&after)
				live := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / float64(len(body))
				runtime.KeepAlive(v)
				per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
				b.ReportMetric(per(render), "render-ms")
				b.ReportMetric(per(build), "rows-ms")
				b.ReportMetric(per(apply), "ui-ms")
				b.ReportMetric(float64(uiMax.Microseconds())/1000, "ui-max-ms")
				b.ReportMetric(float64(scroll.Microseconds())/1000, "scroll-ms")
				b.ReportMetric(allocated, "B/byte")
				b.ReportMetric(live, "live-B/byte")
			})
		}
	}
	// chroma's own regexp JSON lexer on the 1 MiB body, beside ours.
	body := webhookJSON(1 << 20)
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, body, "", "  ")
	for _, lx := range []struct {
		name  string
		lexer chroma.Lexer
	}{{"tokenize-fast-1MiB", highlight.NewJSONLexer()}, {"tokenize-chroma-1MiB", lexers.Get("json")}} {
		b.Run(lx.name, func(b *testing.B) {
			b.SetBytes(int64(pretty.Len()))
			for b.Loop() {
				it, err := lx.lexer.Tokenise(nil, pretty.String())
				if err != nil {
					b.Fatal(err)
				}
				for tok := it(); tok != chroma.EOF; tok = it() {
				}
			}
		})
	}
}
