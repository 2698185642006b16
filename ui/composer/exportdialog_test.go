package composer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/bru/bruexport"
	"hooklab/requester/collection"
	"hooklab/requester/har"
	"hooklab/requester/postman"
	"hooklab/ui/dialogs/dialogstest"
)

// importedShop imports the Postman fixture through the Import dialog and
// returns the collection, selected in the tree.
func importedShop(t *testing.T, r *rig, p *collectionsPanel) *collection.Collection {
	t.Helper()
	src, err := filepath.Abs("../../requester/postman/testdata/shop-v2.1.json")
	if err != nil {
		t.Fatal(err)
	}
	importAnswering(t, r, src)
	r.c.AskImport()
	r.loop.WaitFor(t, "the import", func() bool { return len(r.dialogs.Titles(dialogstest.Custom)) > 0 })
	coll := p.collByRoot(p.selected)
	if coll == nil || coll.Name != "Shop API" {
		t.Fatalf("the imported collection is not selected: %q", p.selected)
	}
	r.dialogs.Asked = nil
	return coll
}

// menuAction is the action of the collections menu entry labelled label.
func menuAction(t *testing.T, p *collectionsPanel, label string) func() {
	t.Helper()
	for _, it := range p.menuItems() {
		if it.Label == label {
			return it.Action
		}
	}
	t.Fatalf("the collections menu has no %q", label)
	return nil
}

// answerExport answers the export form with format and the secrets box.
func answerExport(r *rig, format string, secrets bool) {
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		if a.Kind == dialogstest.Form && strings.HasPrefix(a.Title, "Export") {
			for _, it := range a.Items {
				switch w := it.Widget.(type) {
				case *widget.RadioGroup:
					w.SetSelected(format)
				case *widget.Check:
					w.SetChecked(secrets)
				}
			}
		}
		return true
	}
}

func exported(t *testing.T, r *rig) dialogstest.Asked {
	t.Helper()
	r.loop.WaitFor(t, "the export", func() bool {
		return len(r.dialogs.Titles(dialogstest.Custom)) > 0 || len(r.dialogs.Titles(dialogstest.Error)) > 0
	})
	a, _ := r.dialogs.Last()
	if a.Kind != dialogstest.Custom || a.Title != "Exported" {
		t.Fatalf("shown %+v", a)
	}
	return a
}

func requestCount(c *collection.Collection) (n int) {
	collection.Walk(c.Items, func(it *collection.Item) {
		if it.Request != nil {
			n++
		}
	})
	return n
}

// TestExportCollectionAsPostmanFromTheWindow: ⋮ › Export collection…,
// Postman, a file: the file imports back with every request, and the
// dialog says where it went.
func TestExportCollectionAsPostmanFromTheWindow(t *testing.T) {
	r, p, _ := workspaceRig(t)
	coll := importedShop(t, r, p)
	out := filepath.Join(t.TempDir(), "shop.json")
	r.dialogs.SavePath = out
	answerExport(r, formatPostman, false)
	menuAction(t, p, "Export collection…")()
	a := exported(t, r)
	if !strings.Contains(labelsOf(a.Content), "Written to "+out) {
		t.Errorf("the result says %q", labelsOf(a.Content))
	}
	if saves := r.dialogs.Titles(dialogstest.SaveFile); len(saves) != 1 {
		t.Fatalf("asked where to save %d times", len(saves))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := postman.Import(data)
	if err != nil || back.Name != "Shop API" || requestCount(back) != requestCount(coll) {
		t.Errorf("read back: %v %q %d requests, want %d", err, back.Name, requestCount(back), requestCount(coll))
	}
}

// TestExportCollectionAsBrunoFromTheWindow: Bruno writes a new folder in
// the one chosen, never into one that holds files; it loads back with
// every request, and what Bruno cannot hold is listed.
func TestExportCollectionAsBrunoFromTheWindow(t *testing.T) {
	r, p, _ := workspaceRig(t)
	coll := importedShop(t, r, p)
	parent := t.TempDir()
	r.dialogs.OpenPath = parent
	answerExport(r, formatBruno, false)
	menuAction(t, p, "Export collection…")()
	a := exported(t, r)
	dir := filepath.Join(parent, "Shop API (Bruno)")
	back, err := collection.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Name != "Shop API" || requestCount(back) != requestCount(coll) || len(back.Problems) > 0 {
		t.Errorf("read back %q: %d requests (want %d), problems %v", back.Name, requestCount(back), requestCount(coll), back.Problems)
	}
	_, want := bruexport.Files(coll, bruexport.Options{})
	text := labelsOf(a.Content)
	for _, w := range want {
		if !strings.Contains(text, w.Error()) {
			t.Errorf("warning %q not listed in %q", w.Error(), text)
		}
	}
	r.dialogs.Asked = nil
	menuAction(t, p, "Export collection…")()
	exported(t, r)
	if _, err := os.Stat(filepath.Join(parent, "Shop API (Bruno) 2", "bruno.json")); err != nil {
		t.Errorf("a second export does not go to a new folder: %v", err)
	}
}

// TestExportCollectionAsHARFromTheWindow: HAR holds every request.
func TestExportCollectionAsHARFromTheWindow(t *testing.T) {
	r, p, _ := workspaceRig(t)
	coll := importedShop(t, r, p)
	out := filepath.Join(t.TempDir(), "shop.har")
	r.dialogs.SavePath = out
	answerExport(r, formatHAR, false)
	menuAction(t, p, "Export collection…")()
	exported(t, r)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Log struct{ Entries []json.RawMessage }
	}
	if err := json.Unmarshal(data, &f); err != nil || len(f.Log.Entries) == 0 || len(f.Log.Entries) > requestCount(coll) {
		t.Errorf("HAR: %v, %d entries for %d requests", err, len(f.Log.Entries), requestCount(coll))
	}
	if _, _, err := har.Import(data); err != nil {
		t.Errorf("the HAR does not import: %v", err)
	}
}

// TestExportEnvironmentLeavesSecretsOutUnlessAsked: ⋮ › Export
// environment… writes a Postman environment; the secret's value only
// with the box ticked.
func TestExportEnvironmentLeavesSecretsOutUnlessAsked(t *testing.T) {
	r, p, _ := workspaceRig(t)
	coll := importedShop(t, r, p)
	env := requester.Environment{Name: "Staging", Vars: []requester.Var{
		{Name: "base", Value: "https://staging.example"},
		{Name: "token", Value: "tok_s3cret", Secret: true},
	}}
	if err := collection.SaveEnvironment(coll.Root, env, p.secrets); err != nil {
		t.Fatal(err)
	}
	r.reloaded(t, p)
	for _, with := range []bool{false, true} {
		r.dialogs.Asked = nil
		out := filepath.Join(t.TempDir(), "env.json")
		r.dialogs.SavePath = out
		answerExport(r, "", with)
		menuAction(t, p, "Export environment…")()
		a := exported(t, r)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		back, err := postman.ImportEnvironment(data)
		if err != nil || back.Name != "Staging" || len(back.Vars) != 2 {
			t.Fatalf("read back %v %+v", err, back)
		}
		got := back.Vars[1]
		switch {
		case !with && (got.Value != "" || strings.Contains(string(data), "s3cret")):
			t.Errorf("the secret was exported without being asked: %s", data)
		case !with && !strings.Contains(labelsOf(a.Content), "secret token written empty"):
			t.Errorf("the result does not say the secret was left out: %q", labelsOf(a.Content))
		case with && got.Value != "tok_s3cret":
			t.Errorf("asked for secrets, got %+v", got)
		}
	}
}

// TestFileMenuExportsTheSelectedCollection: File › Export collection…
// exports the collection selected in the sidebar, as the collections
// menu does.
func TestFileMenuExportsTheSelectedCollection(t *testing.T) {
	r, p, _ := workspaceRig(t)
	coll := importedShop(t, r, p)
	out := filepath.Join(t.TempDir(), "shop.json")
	r.dialogs.SavePath = out
	answerExport(r, formatPostman, false)
	r.c.AskExportCollection()
	exported(t, r)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if back, _, err := postman.Import(data); err != nil || requestCount(back) != requestCount(coll) {
		t.Errorf("read back: %v", err)
	}
}
