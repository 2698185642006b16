package workspace

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"hooklab/workspace/forward"
)

// BenchmarkForwardSlowTarget: the catcher's answer time to a sender is
// the same whether its endpoint forwards to a target that takes a
// second to answer or forwards nowhere, measured in the same run: 400
// sequential webhooks each way, p50 and p99 of the sender's wait, and
// their ratio (forwarding / not).
func BenchmarkForwardSlowTarget(b *testing.B) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	measure := func(fwd bool) []time.Duration {
		w := openTest(b, b.TempDir())
		o := ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Logger: quiet}
		if fwd {
			r, err := forward.ParseFlag("/hooks=" + slow.URL)
			if err != nil {
				b.Fatal(err)
			}
			o.Forward = []forward.Rule{r}
		}
		s, err := w.Serve(o)
		if err != nil {
			b.Fatal(err)
		}
		defer w.Stop()
		client := &http.Client{Timeout: 30 * time.Second}
		var took []time.Duration
		for i := range 400 {
			start := time.Now()
			res, err := client.Post(s.CatcherURL+"hooks/evt", "application/json", strings.NewReader(fmt.Sprintf(`{"n":%d}`, i)))
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		return took
	}
	pct := func(d []time.Duration, p float64) float64 {
		return float64(d[int(p*float64(len(d)-1))]) / float64(time.Millisecond)
	}
	base := measure(false)
	fwd := measure(true)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(pct(base, 0.5), "p50-ms")
	b.ReportMetric(pct(fwd, 0.5), "fwd-p50-ms")
	b.ReportMetric(pct(fwd, 0.99), "fwd-p99-ms")
	b.ReportMetric(pct(fwd, 0.5)/pct(base, 0.5), "p50-ratio")
	b.Logf("answer time without forwarding p50 %.2f ms p99 %.2f ms; forwarding to a 1 s target p50 %.2f ms p99 %.2f ms",
		pct(base, 0.5), pct(base, 0.99), pct(fwd, 0.5), pct(fwd, 0.99))
}
