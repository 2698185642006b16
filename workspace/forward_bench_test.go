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
		target := ""
		if fwd {
			target = slow.URL
		}
		return answerTimes(b, target)
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

// answerTimes posts 400 webhooks one after another to a catcher whose
// /hooks endpoint forwards to target ("": forwards nowhere) and returns
// the sender's waits, sorted.
func answerTimes(b *testing.B, target string) []time.Duration {
	w := openTest(b, b.TempDir())
	o := ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Logger: quiet}
	if target != "" {
		r, err := forward.ParseFlag("/hooks=" + target)
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

func pct(d []time.Duration, p float64) float64 {
	return float64(d[int(p*float64(len(d)-1))]) / float64(time.Millisecond)
}

// BenchmarkForwardKeptResults: the catcher's answer time when every
// capture is forwarded to a target that answers at once with 16 KiB of
// JSON, so each forward's result and response are written to the
// database (on the forwarder's worker, through the one writer the
// captures use) while the next webhooks arrive; against forwarding
// nowhere, in the same run.
func BenchmarkForwardKeptResults(b *testing.B) {
	body := `{"received":true,"pad":"` + strings.Repeat("x", 16<<10) + `"}`
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	defer fast.Close()
	base := answerTimes(b, "")
	fwd := answerTimes(b, fast.URL)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(pct(base, 0.5), "p50-ms")
	b.ReportMetric(pct(fwd, 0.5), "fwd-p50-ms")
	b.ReportMetric(pct(fwd, 0.99), "fwd-p99-ms")
	b.ReportMetric(pct(fwd, 0.5)/pct(base, 0.5), "p50-ratio")
	b.Logf("answer time without forwarding p50 %.2f ms p99 %.2f ms; forwarding to a 16 KiB JSON target, results kept, p50 %.2f ms p99 %.2f ms",
		pct(base, 0.5), pct(base, 0.99), pct(fwd, 0.5), pct(fwd, 0.99))
}
