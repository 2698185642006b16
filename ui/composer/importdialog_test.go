package composer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester/importer"
	"hooklab/ui/dialogs/dialogstest"
)

// labelsOf is the text of every label in o, in order.
func labelsOf(o fyne.CanvasObject) string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(x.Content)
		}
	}
	walk(o)
	return strings.Join(out, "\n")
}

// buttonIn is the button labelled text in o, or nil.
func buttonIn(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := buttonIn(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// importAnswering answers the Import form by choosing path with its
// File… button, as a user would.
func importAnswering(t *testing.T, r *rig, path string) {
	t.Helper()
	r.dialogs.OpenPath = path
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		if a.Kind == dialogstest.Form && a.Title == "Import" {
			b := buttonIn(a.Items[0].Widget, "File…")
			if b == nil {
				t.Fatal("the Import form has no File… button")
			}
			test.Tap(b)
		}
		return true
	}
}

// TestImportDialogBringsAPostmanCollectionIn: File › Import… with a
// Postman v2.1 collection writes a collection named after the file in
// the collections folder, shows it in the sidebar, opened and selected,
// and says how many requests came in and every warning.
func TestImportDialogBringsAPostmanCollectionIn(t *testing.T) {
	r, p, dir := workspaceRig(t)
	src, err := filepath.Abs("../../requester/postman/testdata/shop-v2.1.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := importer.Import(src, filepath.Join(t.TempDir(), "expected"), importer.Options{})
	if err != nil || len(want.Warnings) == 0 {
		t.Fatalf("the fixture should import with warnings: %v %+v", err, want)
	}
	importAnswering(t, r, src)
	r.c.AskImport()
	if titles := r.dialogs.Titles(dialogstest.OpenFile); len(titles) != 1 {
		t.Fatalf("the file was not asked for: %+v", r.dialogs.Asked)
	}
	r.loop.WaitFor(t, "the result", func() bool { return len(r.dialogs.Titles(dialogstest.Custom)) > 0 })

	root := filepath.Join(dir, "collections", "shop-v2.1")
	coll := p.collByRoot(root)
	if coll == nil || coll.Name != "Shop API" {
		t.Fatalf("the imported collection is not in the sidebar: %+v (status %q)", p.colls, p.status.Text)
	}
	if !r.c.SidebarShown() || p.selected != root || !p.Tree.IsBranchOpen(root) {
		t.Errorf("the collection is not brought out: sidebar %v, selected %q", r.c.SidebarShown(), p.selected)
	}
	if _, err := os.Stat(filepath.Join(dir, "opened-collections.json")); err == nil {
		t.Error("a collection of the collections folder was added to the opened list")
	}
	a, _ := r.dialogs.Last()
	if a.Kind != dialogstest.Custom || a.Title != "Imported" {
		t.Fatalf("shown %+v", a)
	}
	text := labelsOf(a.Content)
	if !strings.Contains(text, "Postman collection") || !strings.Contains(text, fmt.Sprintf("%d request(s)", len(want.Requests))) {
		t.Errorf("the summary: %q", text)
	}
	for _, w := range want.Warnings {
		if !strings.Contains(text, w.Error()) {
			t.Errorf("warning %q is not listed in %q", w.Error(), text)
		}
	}
	var scroll bool
	var find func(fyne.CanvasObject)
	find = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *container.Scroll:
			scroll = true
		case *fyne.Container:
			for _, c := range x.Objects {
				find(c)
			}
		}
	}
	find(a.Content)
	if !scroll {
		t.Error("the warnings are not in a list that scrolls")
	}
}

// TestImportDialogSaysWhyNothingCameIn: a file of no known format is
// refused in plain words, and nothing is added.
func TestImportDialogSaysWhyNothingCameIn(t *testing.T) {
	r, p, _ := workspaceRig(t)
	junk := filepath.Join(t.TempDir(), "notes.json")
	if err := os.WriteFile(junk, []byte(`{"hello": "world"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	before := len(p.colls)
	importAnswering(t, r, junk)
	r.c.AskImport()
	r.loop.WaitFor(t, "the error", func() bool { return len(r.dialogs.Asked) > 2 })
	a, _ := r.dialogs.Last()
	if a.Kind != dialogstest.Error || !strings.Contains(a.Message, "notes.json was not imported") || !strings.Contains(a.Message, "neither a Postman collection") {
		t.Fatalf("shown %+v", a)
	}
	r.reloaded(t, p)
	if len(p.colls) != before {
		t.Errorf("%d collections after a failed import, %d before", len(p.colls), before)
	}
}

// TestImportDialogListsWhyNothingWasImported: a HAR whose only entry
// cannot be a request imports nothing; the dialog says so and lists
// the warning.
func TestImportDialogListsWhyNothingWasImported(t *testing.T) {
	r, p, _ := workspaceRig(t)
	har := filepath.Join(t.TempDir(), "data.har")
	if err := os.WriteFile(har, []byte(`{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "data:,x"}}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	before := len(p.colls)
	importAnswering(t, r, har)
	r.c.AskImport()
	r.loop.WaitFor(t, "the result", func() bool { return len(r.dialogs.Titles(dialogstest.Custom)) > 0 })
	a, _ := r.dialogs.Last()
	text := labelsOf(a.Content)
	if a.Title != "Not imported" || !strings.Contains(text, "data.har was not imported") || !strings.Contains(text, "data:") {
		t.Fatalf("shown %q: %q", a.Title, text)
	}
	r.reloaded(t, p)
	if len(p.colls) != before {
		t.Errorf("%d collections after importing nothing, %d before", len(p.colls), before)
	}
}

// TestImportDialogThenSend: a Postman collection imported with File ›
// Import… sends from the window as Postman sends it: selecting a request
// in the sidebar opens it, Send goes out with the collection's bearer
// auth (inherited through a folder), the folder's header and the
// collection variable in the URL.
func TestImportDialogThenSend(t *testing.T) {
	r, p, dir := workspaceRig(t)
	srv, got := echoServer(t)
	src := filepath.Join(t.TempDir(), "vendor.postman_collection.json")
	os.WriteFile(src, []byte(`{
  "info": {"name": "Vendor", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]},
  "variable": [{"key": "base", "value": "`+srv.URL+`"}, {"key": "token", "value": "vendor-token"}],
  "item": [{"name": "Users", "item": [{"name": "Get user", "request": {
    "method": "GET",
    "header": [{"key": "x-api-key", "value": "k1"}, {"key": "X-Off", "value": "no", "disabled": true}],
    "url": {"raw": "{{base}}/users/:id", "host": ["{{base}}"], "path": ["users", ":id"], "variable": [{"key": "id", "value": "42"}]}
  }}]}]
}`), 0o644)
	importAnswering(t, r, src)
	r.c.AskImport()
	r.loop.WaitFor(t, "the result", func() bool { return len(r.dialogs.Titles(dialogstest.Custom)) > 0 })
	root := filepath.Join(dir, "collections", "vendor")
	i := -1
	for j, c := range p.colls {
		if c.Root == root {
			i = j
		}
	}
	if i < 0 {
		a, _ := r.dialogs.Last()
		t.Fatalf("the collection is not in the sidebar (status %q, shown %q)", p.status.Text, labelsOf(a.Content))
	}
	id := p.itemID(i, "Users/Get user.yml")
	p.Tree.OpenBranch(p.itemID(i, "Users"))
	p.Tree.Select(id)
	r.loop.Drain()
	if !strings.HasSuffix(r.c.URL.Text, "/users/:id") {
		t.Fatalf("selecting the request did not open it: URL %q", r.c.URL.Text)
	}
	s := r.sendAndWait(t, r.c, got)
	if s.uri != "/users/42" || s.header.Get("Authorization") != "Bearer vendor-token" || s.header.Get("X-Api-Key") != "k1" || s.header.Get("X-Off") != "" {
		t.Errorf("sent %s %s with %v", s.method, s.uri, s.header)
	}
}
