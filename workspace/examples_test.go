package workspace

import (
	"context"
	"strings"
	"testing"

	"hooklab/capture"
	"hooklab/workspace/poll"
)

// Every example, sent as the composer sends it, is accepted by the
// sandbox and brings its webhooks back to the catcher.
func TestExamplesAreAcceptedAndCallBack(t *testing.T) {
	w, err := Open(Options{DataDir: t.TempDir(), History: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(); w.Close() })
	serveTest(t, w, ServeOptions{Sandbox: fastSandbox})
	want := map[string]struct {
		status   int
		endpoint string
		webhooks int
	}{
		"Create payment": {201, "payments", 2},
		"Start a job":    {202, "jobs", 4},
		"Git push":       {202, "github", 1},
		"Retries":        {201, "retries", 2},
	}
	examples := Examples()
	if len(examples) != len(want) {
		t.Fatalf("%d examples", len(examples))
	}
	for _, ex := range examples {
		exp, ok := want[ex.Name]
		if !ok || ex.Request.Name != ex.Name || ex.Description == "" {
			t.Errorf("example %+v", ex)
			continue
		}
		for _, v := range []string{"{{sandbox_url}}", "{{webhook_url}}"} {
			if !strings.Contains(ex.Request.URL+ex.Request.Body.Text, v) {
				t.Errorf("%s does not use %s", ex.Name, v)
			}
		}
		resp, err := w.Send(context.Background(), "t", ex.Request, w.Vars(), "")
		if err != nil {
			t.Fatalf("%s: %v", ex.Name, err)
		}
		resp.Close()
		if resp.Status != exp.status {
			t.Errorf("%s answered %d, want %d", ex.Name, resp.Status, exp.status)
		}
		f := capture.Filter{Endpoint: exp.endpoint}
		poll.Until(t, ex.Name+"'s webhooks", func() bool { n, _ := w.Store().Count(f); return n == exp.webhooks })
	}
	if !Examples()[0].Request.Equal(ExampleRequest()) {
		t.Error("the first example is not the first-run request")
	}
}
