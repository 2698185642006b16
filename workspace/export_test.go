package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"hooklab/capture"
)

func TestExportByFormat(t *testing.T) {
	w := openTest(t, t.TempDir())
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for i, path := range []string{"/github/push", "/stripe/a", "/stripe/b"} {
		c := &capture.Capture{ID: "cap_" + path[1:], Time: at.Add(time.Duration(i) * time.Second), Method: "POST", Path: path, Status: 200, Body: []byte(`{}`), BodySize: 2}
		if err := w.Store().Add(c); err != nil {
			t.Fatal(err)
		}
	}
	stripe := capture.Filter{Endpoint: "stripe"}
	for _, tc := range []struct {
		format string
		check  func(string) bool
	}{
		{"jsonl", func(out string) bool {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			var first capture.JSONLine
			return len(lines) == 2 && json.Unmarshal([]byte(lines[0]), &first) == nil && first.Path == "/stripe/a"
		}},
		{"har", func(out string) bool {
			var har struct{ Log struct{ Entries []any } }
			return json.Unmarshal([]byte(out), &har) == nil && len(har.Log.Entries) == 2
		}},
	} {
		var out bytes.Buffer
		n, err := w.Export(context.Background(), &out, tc.format, stripe)
		if err != nil || n != 2 || !tc.check(out.String()) {
			t.Errorf("%s: wrote %d, %v:\n%s", tc.format, n, err, out.String())
		}
		if !IsExportFormat(tc.format) {
			t.Errorf("IsExportFormat(%q) is false", tc.format)
		}
	}
	if _, err := w.Export(context.Background(), &bytes.Buffer{}, "xml", stripe); err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("export as xml: %v", err)
	}
	if IsExportFormat("xml") || ExportFormatNames() != "jsonl or har" {
		t.Errorf("formats %q", ExportFormatNames())
	}
	if f := ExportFormats(); len(f) != 2 || f[1].Label != "HAR" {
		t.Errorf("ExportFormats() = %+v", f)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := w.Export(ctx, &bytes.Buffer{}, "jsonl", capture.Filter{}); !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("export with an ended context wrote %d, %v", n, err)
	}
}
