package workspace

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/requester/history"
)

// TestOpensADatabaseMadeBeforeTheWorkspace opens a data directory
// written when captures and history each opened the file themselves
// (testdata/README.md): every capture, rule and history entry is there.
func TestOpensADatabaseMadeBeforeTheWorkspace(t *testing.T) {
	dir := t.TempDir()
	gz, err := os.ReadFile("testdata/wave1-hooklab.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	db, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, capture.DBFileName), db, 0o600); err != nil {
		t.Fatal(err)
	}
	w := openTest(t, dir)
	if len(w.Notes()) != 0 || w.History() == nil {
		t.Fatalf("notes %q, history %v", w.Notes(), w.History())
	}

	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	list, err := w.Store().List(capture.Filter{}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	if !reflect.DeepEqual(ids, []string{"cap_old_3", "cap_old_2", "cap_old_1"}) {
		t.Fatalf("captures %v", ids)
	}
	c, err := w.Store().Get("cap_old_1")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Time.Equal(at) || c.Path != "/github/push" || string(c.Body) != `{"ref":"main"}` || c.Header.Get("X-Github-Event") != "push" || string(c.RespBody) != `{"ok":true}` {
		t.Fatalf("capture 1: %+v", c)
	}
	if c, err := w.Store().Get("cap_old_2"); err != nil || !bytes.Equal(c.Body, []byte{0, 1, 0xff}) || c.RawQuery != "a=1" || c.Status != 202 {
		t.Fatalf("capture 2: %+v, %v", c, err)
	}
	if n, err := w.Store().Count(capture.Filter{Text: "main"}); err != nil || n != 1 {
		t.Fatalf("search finds %d, %v", n, err)
	}

	rules, err := w.Rules().Rules()
	wantRule := capture.Rule{Endpoint: "stripe", Status: 202, Header: http.Header{"X-Rule": {"yes"}}, Body: "accepted {{capture.id}}", Delay: 1500 * time.Millisecond}
	if err != nil || len(rules) != 1 || !reflect.DeepEqual(rules[0], wantRule) {
		t.Fatalf("rules %+v, %v", rules, err)
	}

	sums, err := w.History().List("", 0, 10)
	if err != nil || len(sums) != 2 {
		t.Fatalf("history %+v, %v", sums, err)
	}
	failed, err := w.History().Get(sums[0].ID)
	if err != nil || failed.Name != "Down" || failed.Err != "connection refused" || failed.Status != 0 {
		t.Fatalf("failed entry %+v, %v", failed, err)
	}
	ok, err := w.History().Get(sums[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	wantReq := requester.Request{Name: "Create payment", Method: "POST", URL: "{{sandbox_url}}/v1/payments",
		Headers: []requester.Header{{Name: "Idempotency-Key", Value: "{{uuid}}"}},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: `{"amount":1200}`},
		Auth:    requester.Auth{Kind: requester.AuthBearer, Token: "{{token}}"}}
	if !ok.Time.Equal(at.Add(time.Minute)) || !reflect.DeepEqual(ok.Request, wantReq) || ok.Status != 201 ||
		string(ok.RespBody) != `{"id":"pay_1"}` || string(ok.SentBody) != `{"amount":1200}` ||
		ok.Timings.Total != 4*time.Millisecond || ok.RespHeader.Get("Content-Type") != "application/json" {
		t.Fatalf("answered entry %+v", ok)
	}

	// And both keep working on the one database.
	if err := w.Store().Add(&capture.Capture{ID: "cap_new", Path: "/new"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.History().Add(history.Entry{Name: "new"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.History().Count(""); n != 3 {
		t.Fatalf("history holds %d, want 3", n)
	}
}
