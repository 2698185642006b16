package catcher

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/ui/widgets"
)

// TestCaptureRowShowsASummary: a list row shows a capture's columns in
// the colours of its method and status class, and a row still loading
// shows nothing but an ellipsis.
func TestCaptureRowShowsASummary(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(widgets.Theme())
	r := newCaptureRow()
	at := time.Date(2026, 1, 2, 12, 1, 3, 412e6, time.Local)
	r.show(capture.Summary{ID: "c1", Time: at, Method: "POST", Path: "/payments", Status: 404, Size: 1200, ContentType: "application/json"}, true)
	got := []string{r.time.Text, r.method.Text, r.path.Text, r.status.Text, r.size.Text, r.mediaType.Text}
	want := []string{"12:01:03.412", "POST", "/payments", "404", "1.2 KB", "json"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row shows %q, want %q", got, want)
		}
	}
	if r.method.Color != widgets.MethodColor("POST") || r.status.Color != widgets.StatusColor(404) || r.sel.Hidden {
		t.Fatal("colours or selection not shown")
	}
	r.loading()
	if r.time.Text != "…" || r.method.Text != "" || r.path.Text != "" || !r.sel.Hidden {
		t.Fatalf("loading row shows %q %q %q", r.time.Text, r.method.Text, r.path.Text)
	}
}
