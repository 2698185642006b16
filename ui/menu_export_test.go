package ui

import (
	"strings"
	"testing"

	"hooklab/ui/dialogs/dialogstest"
)

// TestFileMenuHasExportCollection: File › Export collection… asks how
// to export the sidebar's collection (the first start's "My requests").
func TestFileMenuHasExportCollection(t *testing.T) {
	r := newRig(t)
	var file []string
	for _, m := range r.ui.MainMenu().Items {
		if m.Label != "File" {
			continue
		}
		for _, it := range m.Items {
			file = append(file, it.Label)
			if it.Label == "Export collection…" {
				r.dialogs.Answer = func(dialogstest.Asked) bool { return false }
				it.Action()
				a, ok := r.dialogs.Last()
				if !ok || a.Kind != dialogstest.Form || !strings.HasPrefix(a.Title, "Export ") {
					t.Fatalf("Export collection… asked %+v", r.dialogs.Asked)
				}
				return
			}
		}
	}
	t.Fatalf("the File menu has no Export collection…: %q", file)
}
