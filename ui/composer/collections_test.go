package composer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

func workspaceRig(t *testing.T) (*rig, *collectionsPanel, string) {
	t.Helper()
	watchInterval = 10 * time.Millisecond
	t.Cleanup(func() { watchInterval = 0 })
	r := newRig(t)
	return r, r.c.sidebar.Collections, r.dir
}

// reloaded reads the collections again and waits until they are shown.
func (r *rig) reloaded(t *testing.T, p *collectionsPanel) {
	t.Helper()
	p.reload()
	r.settled(t, p)
}

// settled waits until the newest load asked for is shown.
func (r *rig) settled(t *testing.T, p *collectionsPanel) {
	t.Helper()
	r.loop.WaitFor(t, "the collections read again", func() bool { return p.applied == p.loads })
}

func TestFirstStartMakesACollectionWithTheExample(t *testing.T) {
	_, p, ws := workspaceRig(t)
	if len(p.colls) != 1 || p.colls[0].Name != "My requests" {
		t.Fatalf("collections on first start: %+v", p.colls)
	}
	ids := p.childIDs(p.collID(0))
	if len(ids) != 1 || p.byID[ids[0]].Name != "Create payment" {
		t.Fatalf("items: %v", ids)
	}
	if _, err := os.Stat(filepath.Join(ws, "collections", "My requests", "opencollection.yml")); err != nil {
		t.Fatal(err)
	}
	sb := p.c.sidebar
	if sb.tabs.Visible() {
		t.Fatal("the sidebar should start folded")
	}
	shown := false
	sb.onFold = func(s bool) { shown = s }
	test.Tap(sb.toggle)
	if !sb.tabs.Visible() || !shown || sb.split.Offset == 0 {
		t.Fatal("the fold button does not bring the sidebar out")
	}
}

func TestOpenEditSaveAndFollowOutsideEdits(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := r.c
	root := p.colls[0].Root
	id := p.childIDs(p.collID(0))[0]
	rel := p.byID[id].Path
	p.Tree.Select(id)
	tab := c.Tabs.current()
	// The example tab of the first start is this file's: it is chosen,
	// not opened again.
	if tab.rel != rel || len(c.Tabs.tabs) != 1 || c.URL.Text != "{{sandbox_url}}/v1/payments" {
		t.Fatalf("opening the request: tab %q, %d tabs, URL %q", tab.rel, len(c.Tabs.tabs), c.URL.Text)
	}
	c.URL.SetText("{{sandbox_url}}/v1/payments?expand=customer")
	if !strings.HasSuffix(tab.item.Text, "●") {
		t.Fatalf("an edited file-backed tab is not marked: %q", tab.item.Text)
	}
	c.Tabs.Save()
	if strings.HasSuffix(tab.item.Text, "●") {
		t.Fatalf("still marked after saving: %q", tab.item.Text)
	}
	coll, err := collection.Load(root)
	if err != nil || collection.Lookup(coll.Items, rel).Request.URL != "{{sandbox_url}}/v1/payments?expand=customer" {
		t.Fatalf("saved file: %v", err)
	}

	// A git pull changes the file: the tab without edits follows it.
	disk := *collection.Lookup(coll.Items, rel).Request
	disk.Headers = append(disk.Headers, requester.Header{Name: "X-From", Value: "git"})
	if err := collection.SaveRequest(root, rel, disk); err != nil {
		t.Fatal(err)
	}
	r.loop.WaitFor(t, "outside edit picked up", func() bool {
		rows := c.Headers.Rows()
		return len(rows) == 2 && rows[1].Name == "X-From"
	})
	if strings.HasSuffix(tab.item.Text, "●") {
		t.Errorf("reloaded tab marked unsaved: %q", tab.item.Text)
	}
}

func TestTreeOperationsAndSearch(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := p.c
	p.Tree.Select(p.collID(0))
	p.newFolder() // the form is answered as filled in: "New folder"
	if got := r.dialogs.Titles(dialogstest.Form); len(got) != 1 || got[0] != "New folder" {
		t.Fatalf("asked %v", got)
	}
	p.selected = ""
	p.Tree.Select(p.collID(0))
	p.newRequest()
	if len(c.Tabs.tabs) != 2 || c.Tabs.current().rel == "" {
		t.Fatalf("new request did not open as a file-backed tab: %+v", c.Tabs.current())
	}
	c.URL.SetText("https://api.example.test/orders")
	c.Tabs.Save()
	r.reloaded(t, p)

	p.Search.SetText("orders")
	if len(p.found) != 1 || p.found[0].item.Name != "New request" || !p.Matches.Visible() {
		t.Fatalf("search by URL: %+v", p.found)
	}
	p.Search.SetText("")
	if p.Matches.Visible() || !p.Tree.Visible() {
		t.Fatal("clearing the search does not bring the tree back")
	}

	// Select the new request, rename it, move it into the folder, delete it.
	var reqID string
	for id, it := range p.byID {
		if it.Name == "New request" {
			reqID = id
		}
	}
	p.Tree.Select(reqID)
	p.renameSelected() // answered as filled in, with its name: a no-op rename
	p.selected = reqID
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		if a.Title == "Move New request" {
			a.Items[0].Widget.(*widget.Select).SetSelected("New folder")
		}
		return true
	}
	p.moveSelected()
	r.settled(t, p)
	var moved *collection.Item
	for _, it := range p.byID {
		if it.Name == "New request" {
			moved = it
		}
	}
	if moved == nil || !strings.HasPrefix(moved.Path, "New folder/") {
		t.Fatalf("move: %+v", moved)
	}
	if c.Tabs.current().rel != moved.Path {
		t.Errorf("the open tab does not follow the move: %q vs %q", c.Tabs.current().rel, moved.Path)
	}
	p.selected = p.itemID(0, moved.Path)
	p.deleteSelected()
	r.settled(t, p)
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Confirm || a.Title != "Delete New request?" {
		t.Fatalf("delete asked %+v", a)
	}
	if collection.Lookup(p.colls[0].Items, moved.Path) != nil {
		t.Fatal("delete left the request")
	}
	if c.Tabs.current().rel != "" {
		t.Error("the deleted request's tab should become scratch")
	}
}

func TestEnvironmentVariablesReachTheRequest(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := r.c
	root := p.colls[0].Root
	srv, got := echoServer(t)
	env := requester.Environment{Name: "Local", Vars: []requester.Var{
		{Name: "base", Value: srv.URL},
		{Name: "token", Value: "s3cret", Secret: true},
	}}
	if err := collection.SaveEnvironment(root, env, p.secrets); err != nil {
		t.Fatal(err)
	}
	r.reloaded(t, p)
	data, _ := os.ReadFile(filepath.Join(root, "environments", "Local.yml"))
	if strings.Contains(string(data), "s3cret") {
		t.Fatal("a secret value was written into the collection")
	}
	p.Env.SetSelected("Local")
	c.URL.SetText("{{base}}/env")
	c.Auth.Kind.SetSelected("Bearer token")
	c.Auth.Token.SetText("{{token}}")
	s := r.sendAndWait(t, c, got)
	if s.uri != "/env" || s.header.Get("Authorization") != "Bearer s3cret" {
		t.Fatalf("sent %q with %q", s.uri, s.header.Get("Authorization"))
	}
	p.Env.SetSelected("No environment")
	test := c.Request()
	if _, err := requester.Prepare(test, func() requester.Vars { _, v := c.vars(); return v }()); err == nil {
		t.Fatal("without the environment {{base}} should be unknown")
	}
}

func TestBrokenCollectionFileIsNamed(t *testing.T) {
	r, p, _ := workspaceRig(t)
	root := p.colls[0].Root
	if err := os.WriteFile(filepath.Join(root, "broken.yml"), []byte("info: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.reloaded(t, p)
	if !p.status.Visible() || !strings.Contains(p.status.Text, "broken.yml") {
		t.Fatalf("problem not shown: %q", p.status.Text)
	}
	if len(p.childIDs(p.collID(0))) != 1 {
		t.Error("the good request should still load")
	}
}

func TestRenamingAFolderKeepsItsOpenFilesSavable(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := p.c
	root := p.colls[0].Root
	folder, err := collection.NewFolder(root, "", "Orders")
	if err != nil {
		t.Fatal(err)
	}
	rel, err := collection.NewRequest(root, folder, "List", requester.Request{Name: "List", Method: "GET", URL: "https://x.test/orders"})
	if err != nil {
		t.Fatal(err)
	}
	r.reloaded(t, p)
	p.Tree.Select(p.itemID(0, rel))
	if c.Tabs.current().rel != rel {
		t.Fatalf("not opened: %q", c.Tabs.current().rel)
	}
	// Switch kinds and back: text of another kind is not an unsaved edit.
	c.Body.Kind.SetSelected("JSON")
	c.Body.Text.SetText(`{"a":1}`)
	c.Body.Kind.SetSelected("No body")
	if names := c.Tabs.Unsaved(); len(names) != 0 {
		t.Fatalf("text of an inactive body kind counts as unsaved: %v", names)
	}
	c.URL.SetText("https://x.test/orders?page=2")
	if names := c.Tabs.Unsaved(); len(names) != 1 || names[0] != "List" {
		t.Fatalf("unsaved tabs %v", names)
	}

	p.selected = p.itemID(0, folder)
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		if a.Kind == dialogstest.Form {
			a.Items[0].Widget.(*widget.Entry).SetText("Purchases")
		}
		return true
	}
	p.renameSelected()
	if !strings.HasPrefix(c.Tabs.current().rel, "Purchases/") {
		t.Fatalf("the open file did not follow its folder: %q", c.Tabs.current().rel)
	}
	c.Tabs.Save()
	if c.inlineErr.Visible() {
		t.Fatalf("saving after the folder rename: %s", c.inlineErr.Text)
	}
	coll, _ := collection.Load(root)
	if it := collection.Lookup(coll.Items, c.Tabs.current().rel); it == nil || it.Request.URL != "https://x.test/orders?page=2" {
		t.Fatalf("saved file: %+v", it)
	}
}

func TestEnvironmentNamesDoNotCollide(t *testing.T) {
	r, p, _ := workspaceRig(t)
	root := p.colls[0].Root
	if err := collection.SaveEnvironment(root, requester.Environment{Name: "Local", Vars: []requester.Var{{Name: "k", Value: "v"}}}, p.secrets); err != nil {
		t.Fatal(err)
	}
	r.reloaded(t, p)
	p.editEnvironment(true) // a new one, named "Local" by default; saved as it is filled in
	if got := r.dialogs.Titles(dialogstest.CustomConfirm); len(got) != 1 || got[0] != "Environment of My requests" {
		t.Fatalf("asked %v", got)
	}
	if !p.status.Visible() || !strings.Contains(p.status.Text, "exists already") {
		t.Fatalf("a new environment replaced Local: %q", p.status.Text)
	}
	env, err := collection.LoadEnvironment(root, "Local", p.secrets)
	if err != nil || len(env.Vars) != 1 {
		t.Fatalf("Local after: %+v %v", env, err)
	}
}

func TestOutsideEditOfAnEditedTabAsksFirst(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := r.c
	root := p.colls[0].Root
	id := p.childIDs(p.collID(0))[0]
	rel := p.byID[id].Path
	p.Tree.Select(id)
	c.URL.SetText("https://mine.test/")
	answer := false
	r.dialogs.Answer = func(dialogstest.Asked) bool { return answer }
	asked := func() []string {
		return append(r.dialogs.Titles(dialogstest.CustomConfirm), r.dialogs.Titles(dialogstest.Choose)...)
	}

	disk := *p.byID[id].Request
	disk.URL = "https://theirs.test/"
	if err := collection.SaveRequest(root, rel, disk); err != nil {
		t.Fatal(err)
	}
	r.loop.WaitFor(t, "the question", func() bool { return len(asked()) == 1 })
	if c.URL.Text != "https://mine.test/" || len(c.Tabs.Unsaved()) != 1 {
		t.Fatalf("keeping my edits: URL %q, unsaved %v", c.URL.Text, c.Tabs.Unsaved())
	}

	// Closing the edited tab asks too; "keep editing" keeps it.
	c.Tabs.CloseCurrent()
	if len(asked()) != 2 || len(c.Tabs.tabs) != 1 {
		t.Fatalf("close without asking: %v, %d tabs", asked(), len(c.Tabs.tabs))
	}

	answer = true
	disk.URL = "https://theirs-again.test/"
	if err := collection.SaveRequest(root, rel, disk); err != nil {
		t.Fatal(err)
	}
	r.loop.WaitFor(t, "their version", func() bool { return c.URL.Text == "https://theirs-again.test/" })
	if len(c.Tabs.Unsaved()) != 0 {
		t.Errorf("after loading their version: unsaved %v", c.Tabs.Unsaved())
	}
}

func TestOpenTabsComeBackAfterARestart(t *testing.T) {
	ws := t.TempDir()
	r1 := newRig(t, inDir(ws))
	c := r1.c
	p := c.sidebar.Collections
	id := p.childIDs(p.collID(0))[0]
	p.Tree.Select(id)
	c.URL.SetText("{{sandbox_url}}/v1/payments?draft=1") // an unsaved edit of a file
	c.Tabs.New()
	c.URL.SetText("https://scratch.test/")
	// What the window does on quit.
	r1.quit()
	if r1.saveErr != nil {
		t.Fatal(r1.saveErr)
	}
	if err := r1.ws.Close(); err != nil {
		t.Fatal(err)
	}

	r2 := newRig(t, inDir(ws))
	c2 := r2.c
	if len(c2.Tabs.tabs) != 2 {
		t.Fatalf("restored %d tabs, want the file (the example's) and the scratch tab", len(c2.Tabs.tabs))
	}
	if cur := c2.Tabs.current(); cur != c2.Tabs.tabs[1] || c2.URL.Text != "https://scratch.test/" {
		t.Fatalf("current tab after restart: %q", c2.URL.Text)
	}
	file := c2.Tabs.tabs[0]
	if file.rel == "" || file.req.URL != "{{sandbox_url}}/v1/payments?draft=1" || !file.dirty() {
		t.Fatalf("file tab: rel %q URL %q dirty %v", file.rel, file.req.URL, file.dirty())
	}
	if info, err := os.Stat(filepath.Join(ws, "tabs.json")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("tabs.json: %v %v", info, err)
	}
}

// TestOpenACollectionFolder: Open collection folder… asks for a folder
// and adds it to the tree when it holds a collection, else says why.
func TestOpenACollectionFolder(t *testing.T) {
	r, p, ws := workspaceRig(t)
	plain := t.TempDir()
	r.dialogs.OpenPath = plain
	p.openCollection()
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.OpenFolder {
		t.Fatalf("asked %+v", r.dialogs.Asked)
	}
	if len(p.colls) != 1 || !strings.Contains(p.status.Text, "is not a collection") {
		t.Fatalf("a plain folder: %d collections, status %q", len(p.colls), p.status.Text)
	}
	other := filepath.Join(t.TempDir(), "Shop API")
	if _, err := collection.Create(other, "Shop API"); err != nil {
		t.Fatal(err)
	}
	r.dialogs.OpenPath = other
	p.openCollection()
	r.settled(t, p)
	if len(p.colls) != 2 || p.colls[1].Name != "Shop API" {
		t.Fatalf("collections after opening: %d", len(p.colls))
	}
	if data, err := os.ReadFile(filepath.Join(ws, "opened-collections.json")); err != nil || !strings.Contains(string(data), "Shop API") {
		t.Fatalf("opened list %q: %v", data, err)
	}
}

// TestTreeNodeShowsEachKind: a tree node shows a collection and a folder
// by an icon and a name, a request by its method (GET when none).
func TestTreeNodeShowsEachKind(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(widgets.Theme())
	n := newTreeNode()
	n.show(nil, "My requests")
	if n.icon.Hidden || n.method.Text != "" || n.name.Text != "My requests" || !n.name.TextStyle.Bold {
		t.Fatalf("collection node: %q %q", n.method.Text, n.name.Text)
	}
	n.show(&collection.Item{Name: "Orders", Folder: true}, "")
	if n.icon.Hidden || n.method.Text != "" || n.name.Text != "Orders" || n.name.TextStyle.Bold {
		t.Fatalf("folder node: %q %q", n.method.Text, n.name.Text)
	}
	n.show(&collection.Item{Name: "List", Request: &requester.Request{}}, "Shop API")
	if !n.icon.Hidden || n.method.Text != "GET" || n.name.Text != "List  · Shop API" {
		t.Fatalf("request node: %q %q", n.method.Text, n.name.Text)
	}
}

// TestMalformedOpenedListIsSaidAndKept: a malformed
// opened-collections.json and an unreadable secrets.json are said in
// the panel; opening a folder then starts a new list and keeps the old
// one beside it, and the panel says where.
func TestMalformedOpenedListIsSaidAndKept(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, workspace.OpenedFile)
	if err := os.WriteFile(list, []byte(`{"not": "a list"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, workspace.SecretsFile), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := newRig(t, inDir(dir))
	p := r.c.sidebar.Collections
	if !p.status.Visible() || !strings.Contains(p.status.Text, workspace.OpenedFile) || !strings.Contains(p.status.Text, "Secret values cannot be read") {
		t.Fatalf("status %q", p.status.Text)
	}
	if len(p.colls) != 1 || p.colls[0].Name != "My requests" {
		t.Fatalf("the collections folder's own are not shown: %d", len(p.colls))
	}

	other := filepath.Join(t.TempDir(), "Shop API")
	if _, err := collection.Create(other, "Shop API"); err != nil {
		t.Fatal(err)
	}
	r.dialogs.OpenPath = other
	p.openCollection()
	r.settled(t, p)
	if len(p.colls) != 2 || p.colls[1].Name != "Shop API" {
		t.Fatalf("collections after opening: %d", len(p.colls))
	}
	kept, _ := filepath.Glob(list + ".corrupt-*")
	if len(kept) != 1 || !strings.Contains(p.status.Text, kept[0]) {
		t.Fatalf("the old list kept as %v; status %q", kept, p.status.Text)
	}
	if data, err := os.ReadFile(kept[0]); err != nil || string(data) != `{"not": "a list"}` {
		t.Fatalf("the old list: %q %v", data, err)
	}
	// The secrets warning stays while secrets.json is not used.
	if !strings.Contains(p.status.Text, "Secret values cannot be read") {
		t.Fatalf("status %q", p.status.Text)
	}
}
