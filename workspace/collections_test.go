package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// testEpoch names set-aside files in tests.
var testEpoch = time.Date(2025, 3, 14, 12, 1, 3, 0, time.UTC)

// newTestCollections is a first-run workspace in a fresh data directory,
// watched every few milliseconds, stopped when the test ends.
func newTestCollections(t *testing.T) (*Collections, *Hub, string) {
	t.Helper()
	dir := t.TempDir()
	hub := NewHub()
	c := NewCollections(dir, hub)
	c.WatchInterval = 5 * time.Millisecond
	c.now = func() time.Time { return testEpoch }
	t.Cleanup(c.Stop)
	if err := c.EnsureFirstRun(); err != nil {
		t.Fatal(err)
	}
	return c, hub, dir
}

// mustLoad loads and fails on any problem.
func mustLoad(t *testing.T, c *Collections) Loaded {
	t.Helper()
	l := c.Load()
	if len(l.Problems) > 0 {
		t.Fatalf("problems: %v", l.Problems)
	}
	return l
}

// newOutsideCollection makes a collection folder outside the data
// directory, as a Git checkout would be.
func newOutsideCollection(t *testing.T, name string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), name)
	if _, err := collection.Create(root, name); err != nil {
		t.Fatal(err)
	}
	return root
}

// waitChanged polls the subscription until a CollectionChanged for root
// lists file, or fails at the deadline.
func waitChanged(t *testing.T, sub *Subscription, root, file string) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case <-sub.Ready():
			for _, e := range sub.Take() {
				if cc, ok := e.(CollectionChanged); ok && cc.Root == root && slices.Contains(cc.Files, file) {
					return
				}
			}
		case <-deadline:
			t.Fatalf("no CollectionChanged for %s in %s", file, root)
		}
	}
}

func TestFirstStartMakesACollectionWithTheExample(t *testing.T) {
	c, _, dir := newTestCollections(t)
	l := mustLoad(t, c)
	if len(l.Collections) != 1 || l.Collections[0].Name != "My requests" {
		t.Fatalf("collections on first start: %+v", l.Collections)
	}
	items := l.Collections[0].Items
	if len(items) != 1 || items[0].Name != "Create payment" || !items[0].Request.Equal(ExampleRequest()) {
		t.Fatalf("items: %+v", items)
	}
	root := filepath.Join(dir, CollectionsFolder, "My requests")
	if _, err := os.Stat(filepath.Join(root, "opencollection.yml")); err != nil {
		t.Fatal(err)
	}
	// A user who deleted it does not get it back.
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := c.EnsureFirstRun(); err != nil {
		t.Fatal(err)
	}
	if l := mustLoad(t, c); len(l.Collections) != 0 {
		t.Fatalf("the first collection came back: %+v", l.Collections)
	}
}

func TestRootsListTheWorkspacesOwnThenTheOpened(t *testing.T) {
	c, _, dir := newTestCollections(t)
	for _, name := range []string{"Zeta", "Alpha"} {
		if _, err := c.CreateCollection(name); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, CollectionsFolder, ".hidden"), 0o700); err != nil {
		t.Fatal(err)
	}
	b, a := newOutsideCollection(t, "B"), newOutsideCollection(t, "A")
	for _, root := range []string{b, a, b} {
		if err := c.OpenFolder(root); err != nil {
			t.Fatal(err)
		}
	}
	roots, err := c.Roots()
	own := filepath.Join(dir, CollectionsFolder)
	want := []string{filepath.Join(own, "Alpha"), filepath.Join(own, "My requests"), filepath.Join(own, "Zeta"), b, a}
	if err != nil || !slices.Equal(roots, want) {
		t.Fatalf("Roots = %v, %v; want %v", roots, err, want)
	}
	if _, err := c.CreateCollection("Alpha"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("a second Alpha: %v", err)
	}
	for _, bad := range []string{"", "..", "a/b", `a\b`} {
		if _, err := c.CreateCollection(bad); err == nil {
			t.Errorf("CreateCollection(%q) made a folder", bad)
		}
	}

	if err := c.CloseFolder(b); err != nil {
		t.Fatal(err)
	}
	if opened, err := c.Opened(); err != nil || !slices.Equal(opened, []string{a}) {
		t.Fatalf("after closing B: %v %v", opened, err)
	}
	if _, err := os.Stat(filepath.Join(b, "opencollection.yml")); err != nil {
		t.Fatalf("closing a folder touched it: %v", err)
	}
	if err := c.CloseFolder(b); err == nil {
		t.Error("closing a folder that is not open said nothing")
	}
	if err := c.OpenFolder(t.TempDir()); err == nil || !strings.Contains(err.Error(), "has no opencollection.yml") || !strings.Contains(err.Error(), "bruno.json") || !strings.Contains(err.Error(), ".bru") {
		t.Errorf("opening a plain folder: %v", err)
	}
}

// TestMalformedOpenedListIsKept is the regression test for issue 10: a
// malformed opened-collections.json was ignored, then overwritten with
// only the newly opened folder, so the user's list was lost.
func TestMalformedOpenedListIsKept(t *testing.T) {
	c, _, dir := newTestCollections(t)
	list := filepath.Join(dir, OpenedFile)
	broken := []byte(`["/home/me/payments-api", "/home/me/shop"`) // cut short
	if err := os.WriteFile(list, broken, 0o600); err != nil {
		t.Fatal(err)
	}

	// Reading reports it, naming the file and the reason, and changes nothing.
	l := c.Load()
	if len(l.Collections) != 1 || len(l.Problems) != 1 ||
		!strings.Contains(l.Problems[0].Error(), list) || !strings.Contains(l.Problems[0].Error(), "unexpected end of JSON input") {
		t.Fatalf("Load: %d collections, problems %v", len(l.Collections), l.Problems)
	}
	if data, _ := os.ReadFile(list); string(data) != string(broken) {
		t.Fatalf("reading changed the list: %q", data)
	}

	// Closing a folder changes nothing in a list it cannot read.
	if err := c.CloseFolder("/home/me/shop"); err == nil {
		t.Error("closing a folder of a malformed list said nothing")
	}
	if data, _ := os.ReadFile(list); string(data) != string(broken) {
		t.Fatalf("closing changed the list: %q", data)
	}

	// Opening a folder keeps the old list aside before writing the new one.
	ext := newOutsideCollection(t, "Ext")
	if err := c.OpenFolder(ext); err != nil {
		t.Fatal(err)
	}
	kept := list + ".corrupt-20250314T120103Z"
	if data, err := os.ReadFile(kept); err != nil || string(data) != string(broken) {
		t.Fatalf("the malformed list was not kept as %s: %q %v", kept, data, err)
	}
	if opened, err := c.Opened(); err != nil || !slices.Equal(opened, []string{ext}) {
		t.Fatalf("new list %v %v", opened, err)
	}
	if info, err := os.Stat(list); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("new list: %v %v", info, err)
	}
	l = c.Load()
	if len(l.Collections) != 2 || len(l.Problems) != 1 || !strings.Contains(l.Problems[0].Error(), "kept as "+kept) {
		t.Fatalf("after opening: %d collections, problems %v", len(l.Collections), l.Problems)
	}

	// A second malformed list the same second is kept beside the first.
	if err := os.WriteFile(list, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.OpenFolder(ext); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(kept + "-2"); err != nil || string(data) != "{}" {
		t.Fatalf("the second malformed list: %q %v", data, err)
	}
	if data, _ := os.ReadFile(kept); string(data) != string(broken) {
		t.Fatal("the first kept list was overwritten")
	}
}

// TestUnreadableOpenedListIsNotReplaced: a list that cannot be read at
// all (here a folder has its name) is reported and left alone.
func TestUnreadableOpenedListIsNotReplaced(t *testing.T) {
	c, _, dir := newTestCollections(t)
	list := filepath.Join(dir, OpenedFile)
	if err := os.MkdirAll(filepath.Join(list, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := c.OpenFolder(newOutsideCollection(t, "Ext")); err == nil || !strings.Contains(err.Error(), list) {
		t.Fatalf("OpenFolder = %v, want an error naming %s", err, list)
	}
	if _, err := os.Stat(filepath.Join(list, "x")); err != nil {
		t.Fatalf("the unreadable list was replaced: %v", err)
	}
	if l := c.Load(); len(l.Problems) != 1 || len(l.Collections) != 1 {
		t.Fatalf("Load: %d collections, problems %v", len(l.Collections), l.Problems)
	}
}

func TestBrokenCollectionFileIsNamed(t *testing.T) {
	c, _, dir := newTestCollections(t)
	root := filepath.Join(dir, CollectionsFolder, "My requests")
	if err := os.WriteFile(filepath.Join(root, "broken.yml"), []byte("info: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := c.Load()
	if len(l.Problems) != 1 || !strings.HasPrefix(l.Problems[0].Error(), "My requests/broken.yml") {
		t.Fatalf("problems %v", l.Problems)
	}
	var pr collection.Problem
	if !errors.As(l.Problems[0], &pr) || pr.Path != "broken.yml" {
		t.Errorf("the problem does not unwrap to the collection's: %#v", l.Problems[0])
	}
	if len(l.Collections) != 1 || len(l.Collections[0].Items) != 1 {
		t.Error("the good request should still load")
	}

	// An opened folder that is gone is named, and the others load.
	gone := newOutsideCollection(t, "Gone")
	if err := c.OpenFolder(gone); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(gone); err != nil {
		t.Fatal(err)
	}
	if l := c.Load(); len(l.Collections) != 1 || len(l.Problems) != 2 || !strings.HasPrefix(l.Problems[1].Error(), gone+": ") {
		t.Fatalf("a gone folder: %d collections, problems %v", len(l.Collections), l.Problems)
	}
}

// TestSecretsStayOutOfTheCollection: a secret value goes to the store,
// not the collection's files, and Load fills it in.
func TestSecretsStayOutOfTheCollection(t *testing.T) {
	c, _, dir := newTestCollections(t)
	root := filepath.Join(dir, CollectionsFolder, "My requests")
	env := requester.Environment{Name: "Local", Vars: []requester.Var{
		{Name: "base", Value: "http://127.0.0.1:8089"},
		{Name: "token", Value: "s3cret", Secret: true},
	}}
	if c.SecretsWarning() != nil {
		t.Fatal(c.SecretsWarning())
	}
	if err := collection.SaveEnvironment(root, env, c.Secrets()); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(root, "environments", "Local.yml"))
	if strings.Contains(string(data), "s3cret") {
		t.Fatal("a secret value was written into the collection")
	}
	coll := mustLoad(t, c).Collections[0]
	vars := collection.Resolve(coll, "Local", nil, nil)
	if vars["token"] != "s3cret" || vars["base"] != "http://127.0.0.1:8089" {
		t.Fatalf("resolved %v", vars)
	}
}

// TestUnreadableSecretsFallBackToThisSession: secrets.json that cannot
// be read is left alone; secrets go to a store of the session's own,
// which Stop removes.
func TestUnreadableSecretsFallBackToThisSession(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, SecretsFile)
	if err := os.WriteFile(file, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := NewCollections(dir, NewHub())
	defer c.Stop()
	if w := c.SecretsWarning(); w == nil || !strings.Contains(w.Error(), file) || !strings.Contains(w.Error(), "only until Hooklab closes") {
		t.Fatalf("warning %v", w)
	}
	root := newOutsideCollection(t, "Ext")
	if err := collection.SaveEnvironment(root, requester.Environment{Name: "E", Vars: []requester.Var{{Name: "k", Value: "v", Secret: true}}}, c.Secrets()); err != nil {
		t.Fatal(err)
	}
	if v, ok := c.Secrets().Get(root, "E", "k"); !ok || v != "v" {
		t.Fatalf("session store: %q %v", v, ok)
	}
	if data, _ := os.ReadFile(file); string(data) != "{not json" {
		t.Fatalf("secrets.json was changed: %q", data)
	}
	tmp := c.tmpSecrets
	c.Stop()
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the session's secrets outlived Stop: %v", err)
	}
}

// TestWatchersPublishAndStop: a loaded collection's watcher publishes
// outside edits; closing a folder stops its watcher at the next Load,
// and Stop ends them all for good.
func TestWatchersPublishAndStop(t *testing.T) {
	c, hub, _ := newTestCollections(t)
	sub := hub.Subscribe()
	defer sub.Close()
	ext := newOutsideCollection(t, "Ext")
	if err := c.OpenFolder(ext); err != nil {
		t.Fatal(err)
	}
	l := mustLoad(t, c)
	own := l.Collections[0]
	rel := own.Items[0].Path
	disk := *own.Items[0].Request
	disk.URL = "https://changed.test/"
	if err := collection.SaveRequest(own.Root, rel, disk); err != nil {
		t.Fatal(err)
	}
	waitChanged(t, sub, own.Root, rel)

	extRoot := l.Collections[1].Root
	newRel, err := collection.NewRequest(extRoot, "", "Ping", requester.Request{URL: "https://ping.test/"})
	if err != nil {
		t.Fatal(err)
	}
	waitChanged(t, sub, extRoot, newRel)

	if err := c.CloseFolder(ext); err != nil {
		t.Fatal(err)
	}
	mustLoad(t, c)
	c.mu.Lock()
	_, still := c.watchers[extRoot]
	n := len(c.watchers)
	c.mu.Unlock()
	if still || n != 1 {
		t.Fatalf("after closing Ext: watching Ext %v, %d watchers", still, n)
	}

	c.Stop()
	mustLoad(t, c)
	c.mu.Lock()
	n = len(c.watchers)
	c.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d watchers after Stop and Load", n)
	}

	// After Stop nothing is published: a witness watching the same
	// folder at the same pace sees the next edit, the hub gets nothing.
	sub.Take()
	seen := make(chan struct{}, 1)
	witness, err := collection.NewWatcher(own.Root, c.WatchInterval, func([]string) {
		select {
		case seen <- struct{}{}:
		default:
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer witness.Stop()
	disk.URL = "https://after-stop.test/"
	if err := collection.SaveRequest(own.Root, rel, disk); err != nil {
		t.Fatal(err)
	}
	select {
	case <-seen:
	case <-time.After(60 * time.Second):
		t.Fatal("the witness did not see the edit")
	}
	if got := sub.Take(); len(got) != 0 {
		t.Fatalf("published after Stop: %v", got)
	}
}

// TestRestoredTabs: a saved file tab whose file is still there reopens
// showing its edit as unsaved, one whose file is gone reopens as
// scratch, and a scratch tab stays one (ui's restoreSession).
func TestRestoredTabs(t *testing.T) {
	c, _, dir := newTestCollections(t)
	l := mustLoad(t, c)
	coll := l.Collections[0]
	rel := coll.Items[0].Path
	edited := *coll.Items[0].Request
	edited.URL += "?draft=1"
	s := NewSession(dir)
	if err := s.Save([]SavedTab{
		{Title: "Payment (mine)", Coll: coll.Root, File: rel, Request: edited},
		{Title: "Gone", Coll: coll.Root, File: "Gone.yml", Request: edited},
		{Title: "Scratch", Request: edited, Current: true},
	}); err != nil {
		t.Fatal(err)
	}
	tabs, err := s.Load()
	if err != nil || len(tabs) != 3 {
		t.Fatalf("Load = %v, %v", tabs, err)
	}
	file, gone, scratch := l.Restore(tabs[0]), l.Restore(tabs[1]), l.Restore(tabs[2])
	if file.Root != coll.Root || file.Rel != rel || !file.Unsaved() || file.Saved.URL != coll.Items[0].Request.URL ||
		file.Request.Name != "Payment (mine)" || file.Saved.Name != "Payment (mine)" {
		t.Errorf("file tab: unsaved %v, %+v", file.Unsaved(), file)
	}
	// Renamed only: the title is not an edit.
	same := tabs[0]
	same.Request = *coll.Items[0].Request
	if l.Restore(same).Unsaved() {
		t.Error("a tab renamed but not edited shows as unsaved")
	}
	if gone.Root != "" || gone.Rel != "" || gone.Unsaved() || gone.Request.URL != edited.URL {
		t.Errorf("a tab whose file is gone: %+v", gone)
	}
	if scratch.Rel != "" || scratch.Request.Name != "Scratch" {
		t.Errorf("scratch tab: %+v", scratch)
	}
}

// TestImportTargetAndShowImported: an import goes by default into a new
// folder of the collections folder named after the file, numbered when
// the name is taken; a collection written there is shown without being
// added to the opened list, one written elsewhere is opened.
func TestImportTargetAndShowImported(t *testing.T) {
	c, _, dir := newTestCollections(t)
	own := filepath.Join(dir, CollectionsFolder)
	src := filepath.Join(t.TempDir(), "Shop API.postman_collection.json")
	if err := os.WriteFile(src, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := c.ImportTarget(src); got != filepath.Join(own, "Shop API") {
		t.Errorf("target of %s: %s", src, got)
	}
	if _, err := c.CreateCollection("Shop API"); err != nil {
		t.Fatal(err)
	}
	if got := c.ImportTarget(src); got != filepath.Join(own, "Shop API 2") {
		t.Errorf("target when taken: %s", got)
	}
	folder := filepath.Join(t.TempDir(), "bruno.v2")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := c.ImportTarget(folder); got != filepath.Join(own, "bruno.v2") {
		t.Errorf("target of a folder: %s", got)
	}

	if err := c.ShowImported(filepath.Join(own, "Shop API")); err != nil {
		t.Fatal(err)
	}
	if opened, err := c.Opened(); err != nil || len(opened) != 0 {
		t.Fatalf("a collection of the collections folder was opened: %v %v", opened, err)
	}
	outside := newOutsideCollection(t, "Elsewhere")
	if err := c.ShowImported(outside); err != nil {
		t.Fatal(err)
	}
	if opened, err := c.Opened(); err != nil || !slices.Equal(opened, []string{outside}) {
		t.Fatalf("opened after an import elsewhere: %v %v", opened, err)
	}
}
