package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/ui/widgets"
)

// watchInterval is how often collection folders are checked for changes
// made outside the app (a git pull, an editor).
var watchInterval = time.Second

// collectionsPanel shows the collections as a tree of folders and
// requests. Collections are plain folders of YAML files: the workspace's
// own under <workspace>/collections, and any folder the user opens.
type collectionsPanel struct {
	c         *Composer
	workspace string
	secrets   *collection.SecretStore

	colls   []*collection.Collection
	byID    map[string]*collection.Item // tree id → item
	envName map[string]string           // collection root → active environment

	Tree     *widget.Tree
	Search   *widget.Entry
	Matches  *widget.List
	Env      *widget.Select
	status   *widget.Label
	selected string // tree id
	found    []foundItem

	watched map[string]context.CancelFunc // collection folder → its watcher
	answer  func(def string) string       // answers ask without a window (tests)
	content fyne.CanvasObject
}

type foundItem struct {
	coll *collection.Collection
	item *collection.Item
}

// Tree ids name a collection by its folder and an item by its folder
// and path, so an id still means the same thing after a reload that
// puts collections in another order.
const idSep = "\x00"

func (p *collectionsPanel) collID(i int) string { return p.colls[i].Root }

func (p *collectionsPanel) itemID(i int, rel string) string { return p.colls[i].Root + idSep + rel }

// splitID returns the index of a tree id's collection (-1 if it is not
// loaded) and the item's path ("" for a collection).
func (p *collectionsPanel) splitID(id string) (int, string) {
	root, rel, _ := strings.Cut(id, idSep)
	for i, c := range p.colls {
		if c.Root == root {
			return i, rel
		}
	}
	return -1, ""
}

func newCollectionsPanel(c *Composer, workspace string) *collectionsPanel {
	p := &collectionsPanel{c: c, workspace: workspace, byID: map[string]*collection.Item{}, envName: map[string]string{}}
	secrets, err := collection.OpenSecretStore(filepath.Join(workspace, "secrets.json"))
	if err != nil {
		// Keep working with a store of this session's own, and say so;
		// the unreadable file is left for the user to look at.
		tmp, terr := os.MkdirTemp("", "hooklab-secrets-")
		if terr == nil {
			secrets, terr = collection.OpenSecretStore(filepath.Join(tmp, "secrets.json"))
		}
		if terr != nil {
			secrets = nil
		}
		err = fmt.Errorf("%w; secret values set now are kept only until Hooklab closes", err)
	}
	p.secrets = secrets
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Importance = widget.WarningImportance
	p.status.Hide()
	if err != nil {
		p.say("Secret values cannot be read: " + err.Error())
	}

	p.Tree = widget.NewTree(p.childIDs, p.isBranch, p.newNode, p.updateNode)
	p.Tree.OnSelected = p.treeSelected
	p.Search = widget.NewEntry()
	p.Search.SetPlaceHolder("Find by name or URL")
	p.Search.OnChanged = func(string) { p.refind() }
	p.Matches = widget.NewList(func() int { return len(p.found) }, func() fyne.CanvasObject { return p.newNode(false) }, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < len(p.found) {
			p.fillNode(o, p.found[id].item, p.found[id].coll.Name)
		}
	})
	p.Matches.OnSelected = func(id widget.ListItemID) {
		p.Matches.Unselect(id)
		if id < len(p.found) {
			p.openItem(p.found[id].coll, p.found[id].item)
		}
	}
	p.Matches.Hide()

	p.Env = widget.NewSelect(nil, p.envSelected)
	p.Env.PlaceHolder = "No environment"
	manage := widget.NewButtonWithIcon("", theme.SettingsIcon(), nil)
	manage.Importance = widget.LowImportance
	manage.OnTapped = func() { p.showVarsMenu(manage) }
	c.Tabs.right.Objects = []fyne.CanvasObject{container.New(&widgets.Fixed{Width: 150}, p.Env), manage}
	c.Tabs.right.Refresh()
	c.env = p.activeVars
	c.Tabs.save = p.saveTab
	c.Tabs.saveAs = p.askSaveAs
	c.Tabs.onSelect = p.syncEnvPicker

	newReq := widgets.LowButton("Request", theme.ContentAddIcon(), p.newRequest)
	newFolder := widgets.LowButton("Folder", theme.FolderNewIcon(), p.newFolder)
	more := widgets.LowButton("", theme.MoreHorizontalIcon(), nil)
	more.OnTapped = func() { p.showMenu(more) }
	bar := container.NewVBox(p.Search, container.NewBorder(nil, nil, container.NewHBox(newReq, newFolder), more))
	p.content = container.NewBorder(container.NewVBox(bar, p.status), nil, nil, nil, container.NewStack(p.Tree, p.Matches))

	p.ensureWorkspace()
	p.reload()
	return p
}

func (p *collectionsPanel) close() {
	for _, cancel := range p.watched {
		cancel()
	}
}

func (p *collectionsPanel) say(msg string) {
	if msg == "" {
		p.status.Hide()
		return
	}
	p.status.SetText(msg)
	p.status.Show()
}

// roots lists the collections shown: those in the workspace, then the
// folders the user opened.
func (p *collectionsPanel) roots() []string {
	var roots []string
	dir := filepath.Join(p.workspace, "collections")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			roots = append(roots, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(roots)
	var opened []string
	if data, err := os.ReadFile(p.openedFile()); err == nil {
		_ = json.Unmarshal(data, &opened)
	}
	return append(roots, opened...)
}

func (p *collectionsPanel) openedFile() string {
	return filepath.Join(p.workspace, "opened-collections.json")
}

// ensureWorkspace creates the first collection, holding the example, so
// a first start shows what a collection is.
func (p *collectionsPanel) ensureWorkspace() {
	dir := filepath.Join(p.workspace, "collections")
	if _, err := os.Stat(dir); err == nil {
		return
	}
	root := filepath.Join(dir, "My requests")
	if _, err := collection.Create(root, "My requests"); err != nil {
		p.say("No collection could be created in " + dir + ": " + err.Error())
		return
	}
	if _, err := collection.NewRequest(root, "", "Create payment", ExampleRequest()); err != nil {
		p.say(err.Error())
	}
}

// loaded is what reading the collection folders gave.
type loaded struct {
	colls    []*collection.Collection
	problems []string
}

// load reads every collection from disk; it touches no widget, so it may
// run off the UI goroutine.
func (p *collectionsPanel) load() loaded {
	var l loaded
	for _, root := range p.roots() {
		coll, err := collection.Load(root)
		if err != nil {
			l.problems = append(l.problems, fmt.Sprintf("%s: %v", root, err))
			continue
		}
		p.secrets.Fill(coll)
		for _, pr := range coll.Problems {
			l.problems = append(l.problems, coll.Name+"/"+pr.Error())
		}
		l.colls = append(l.colls, coll)
	}
	return l
}

// reload reads every collection and shows them; used after the user's
// own changes, which are small and expected to show at once.
func (p *collectionsPanel) reload() { p.apply(p.load()) }

func (p *collectionsPanel) apply(l loaded) {
	p.colls = l.colls
	p.byID = map[string]*collection.Item{}
	for i, coll := range l.colls {
		collection.Walk(coll.Items, func(it *collection.Item) { p.byID[p.itemID(i, it.Path)] = it })
	}
	if i, rel := p.splitID(p.selected); i < 0 || rel != "" && p.byID[p.selected] == nil {
		p.selected = "" // deleted, renamed or moved away
		p.Tree.UnselectAll()
	}
	p.say(strings.Join(l.problems, "\n"))
	p.Tree.Refresh()
	p.refind()
	p.syncEnvPicker()
	p.watch()
}

// watch keeps one watcher per collection folder shown, started once.
func (p *collectionsPanel) watch() {
	if p.watched == nil {
		p.watched = map[string]context.CancelFunc{}
	}
	shown := map[string]bool{}
	for _, coll := range p.colls {
		root := coll.Root
		shown[root] = true
		if p.watched[root] != nil {
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		p.watched[root] = cancel
		err := collection.Watch(ctx, root, watchInterval, func(changed []string) {
			// Read the folders here, off the UI goroutine, then show.
			l := p.load()
			widgets.Do(func() {
				if ctx.Err() == nil {
					p.apply(l)
					p.followDisk(root, changed)
				}
			})
		})
		if err != nil {
			p.say(fmt.Sprintf("%s is not watched for outside changes: %v", coll.Name, err))
		}
	}
	for root, cancel := range p.watched {
		if !shown[root] {
			cancel()
			delete(p.watched, root)
		}
	}
}

// followDisk brings open tabs up to date after an outside edit: a tab
// without edits follows its file; a tab with edits asks.
func (p *collectionsPanel) followDisk(root string, changed []string) {
	coll := p.collByRoot(root)
	if coll == nil {
		return
	}
	for _, t := range p.c.Tabs.tabs {
		if t.coll != root || !contains(changed, t.rel) {
			continue
		}
		it := collection.Lookup(coll.Items, t.rel)
		if it == nil || it.Request == nil {
			continue // deleted or broken: the tab keeps what it holds
		}
		if t == p.c.Tabs.current() {
			t.req = p.c.Request()
		}
		if sameRequest(*it.Request, t.saved) {
			continue // our own save
		}
		if !t.dirty() {
			p.c.Tabs.reloadTab(t, *it.Request)
			continue
		}
		p.askReload(t, *it.Request)
	}
}

func (p *collectionsPanel) askReload(t *reqTab, disk requester.Request) {
	p.c.confirm(t.title+" changed on disk",
		t.rel+" was changed outside Hooklab. Load that version and lose your edits here?", "Load it", "Keep my edits",
		func(ok bool) {
			if ok {
				p.c.Tabs.reloadTab(t, disk)
			} else {
				t.saved = disk // keep editing; saving will overwrite
				p.c.Tabs.relabel(t)
			}
		})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *collectionsPanel) collByRoot(root string) *collection.Collection {
	for _, c := range p.colls {
		if c.Root == root {
			return c
		}
	}
	return nil
}

// The tree.

func (p *collectionsPanel) childIDs(id widget.TreeNodeID) []widget.TreeNodeID {
	if id == "" {
		ids := make([]string, len(p.colls))
		for i := range p.colls {
			ids[i] = p.collID(i)
		}
		return ids
	}
	i, rel := p.splitID(id)
	if i < 0 || i >= len(p.colls) {
		return nil
	}
	items := p.colls[i].Items
	if rel != "" {
		it := p.byID[id]
		if it == nil {
			return nil
		}
		items = it.Children
	}
	ids := make([]string, len(items))
	for k, it := range items {
		ids[k] = p.itemID(i, it.Path)
	}
	return ids
}

func (p *collectionsPanel) isBranch(id widget.TreeNodeID) bool {
	if id == "" || !strings.Contains(id, idSep) {
		return true
	}
	it := p.byID[id]
	return it != nil && it.Folder
}

func (p *collectionsPanel) newNode(bool) fyne.CanvasObject {
	method := widgets.NewText("OPTIONS", theme.Color(theme.ColorNameForeground), widgets.MonoBold)
	method.TextSize = theme.CaptionTextSize()
	icon := widget.NewIcon(theme.FolderIcon())
	name := widget.NewLabel("")
	name.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, container.NewStack(container.New(&widgets.Fixed{Width: 46}, container.NewCenter(method)),
		container.NewCenter(container.New(&widgets.Fixed{Width: theme.IconInlineSize(), Height: theme.IconInlineSize()}, icon))), nil, name)
}

func (p *collectionsPanel) updateNode(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	if !strings.Contains(id, idSep) {
		i, _ := p.splitID(id)
		if i >= 0 && i < len(p.colls) {
			p.fillNode(o, nil, p.colls[i].Name)
		}
		return
	}
	if it := p.byID[id]; it != nil {
		p.fillNode(o, it, "")
	}
}

// fillNode shows a collection (it nil), a folder or a request; in is the
// collection's name, shown after a search match.
func (p *collectionsPanel) fillNode(o fyne.CanvasObject, it *collection.Item, in string) {
	box := o.(*fyne.Container)
	name := box.Objects[0].(*widget.Label)
	left := box.Objects[1].(*fyne.Container)
	method := left.Objects[0].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Text)
	icon := left.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*widget.Icon)
	switch {
	case it == nil:
		icon.SetResource(theme.StorageIcon())
		icon.Show()
		method.Text = ""
		name.TextStyle = widgets.Bold
		name.SetText(in)
	case it.Folder:
		icon.SetResource(theme.FolderIcon())
		icon.Show()
		method.Text = ""
		name.TextStyle = fyne.TextStyle{}
		name.SetText(it.Name)
	default:
		icon.Hide()
		m := "GET"
		if it.Request != nil && it.Request.Method != "" {
			m = it.Request.Method
		}
		method.Text, method.Color = m, widgets.MethodColor(m)
		name.TextStyle = fyne.TextStyle{}
		label := it.Name
		if in != "" {
			label += "  · " + in
		}
		name.SetText(label)
	}
	method.Refresh()
}

func (p *collectionsPanel) treeSelected(id widget.TreeNodeID) {
	p.selected = id
	i, rel := p.splitID(id)
	if i < 0 || i >= len(p.colls) {
		return
	}
	p.syncEnvPicker()
	if rel == "" {
		return
	}
	if it := p.byID[id]; it != nil && !it.Folder {
		p.openItem(p.colls[i], it)
	}
}

func (p *collectionsPanel) openItem(coll *collection.Collection, it *collection.Item) {
	if it.Request == nil {
		return
	}
	r := *it.Request
	if r.Name == "" {
		r.Name = it.Name
	}
	p.c.Tabs.open(r, coll.Root, it.Path)
}

func (p *collectionsPanel) refind() {
	q := strings.TrimSpace(p.Search.Text)
	p.found = nil
	if q == "" {
		p.Matches.Hide()
		p.Tree.Show()
		return
	}
	for _, coll := range p.colls {
		for _, it := range collection.Find(coll.Items, q) {
			if !it.Folder {
				p.found = append(p.found, foundItem{coll, it})
			}
		}
	}
	p.Tree.Hide()
	p.Matches.Show()
	p.Matches.Refresh()
}

// target is the collection and folder new things go into: the selected
// node's, else the current tab's collection, else the first.
func (p *collectionsPanel) target() (*collection.Collection, string) {
	if p.selected != "" {
		i, rel := p.splitID(p.selected)
		if i >= 0 && i < len(p.colls) {
			if it := p.byID[p.selected]; it != nil && !it.Folder {
				rel = filepath.ToSlash(filepath.Dir(rel))
				if rel == "." {
					rel = ""
				}
			}
			return p.colls[i], rel
		}
	}
	if coll := p.collByRoot(p.c.Tabs.current().coll); coll != nil {
		return coll, ""
	}
	if len(p.colls) > 0 {
		return p.colls[0], ""
	}
	return nil, ""
}

func (p *collectionsPanel) newRequest() {
	coll, folder := p.target()
	if coll == nil {
		p.say("Create or open a collection first (⋮).")
		return
	}
	p.ask("New request", "Name", "New request", func(name string) {
		r := requester.Request{Name: name, Method: "GET"}
		rel, err := collection.NewRequest(coll.Root, folder, name, r)
		if p.failed(err) {
			return
		}
		p.reload()
		p.c.Tabs.open(r, coll.Root, rel)
	})
}

func (p *collectionsPanel) newFolder() {
	coll, folder := p.target()
	if coll == nil {
		p.say("Create or open a collection first (⋮).")
		return
	}
	p.ask("New folder", "Name", "New folder", func(name string) {
		_, err := collection.NewFolder(coll.Root, folder, name)
		if !p.failed(err) {
			p.reload()
		}
	})
}

func (p *collectionsPanel) failed(err error) bool {
	if err == nil {
		return false
	}
	p.say(err.Error())
	return true
}

// ask shows a one-field form, or answers def at once without a window
// (tests).
func (p *collectionsPanel) ask(title, label, def string, then func(string)) {
	w := p.c.win()
	if w == nil {
		if p.answer != nil {
			def = p.answer(def)
		}
		then(def)
		return
	}
	e := widget.NewEntry()
	e.SetText(def)
	dialog.ShowForm(title, "OK", "Cancel", []*widget.FormItem{widget.NewFormItem(label, e)}, func(ok bool) {
		if ok && strings.TrimSpace(e.Text) != "" {
			then(strings.TrimSpace(e.Text))
		}
	}, w)
}

func (p *collectionsPanel) selectedItem() (*collection.Collection, *collection.Item) {
	i, rel := p.splitID(p.selected)
	if i < 0 || i >= len(p.colls) || rel == "" {
		return nil, nil
	}
	return p.colls[i], p.byID[p.selected]
}

func (p *collectionsPanel) showMenu(anchor fyne.CanvasObject) {
	w := p.c.win()
	if w == nil {
		return
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("New collection…", p.newCollection),
		fyne.NewMenuItem("Open collection folder…", p.openCollection),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Rename…", p.renameSelected),
		fyne.NewMenuItem("Duplicate", p.duplicateSelected),
		fyne.NewMenuItem("Move to…", p.moveSelected),
		fyne.NewMenuItem("Delete", p.deleteSelected),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Reload from disk", p.reload),
	}
	widgets.ShowMenuBelow(anchor, items)
}

func (p *collectionsPanel) newCollection() {
	p.ask("New collection", "Name", "New collection", func(name string) {
		root := filepath.Join(p.workspace, "collections", name)
		if _, err := os.Stat(root); err == nil {
			p.say("A collection named " + name + " exists already.")
			return
		}
		if _, err := collection.Create(root, name); !p.failed(err) {
			p.reload()
		}
	})
}

// openCollection adds a folder holding an opencollection.yml (a Bruno
// collection, a git checkout) to the tree.
func (p *collectionsPanel) openCollection() {
	w := p.c.win()
	if w == nil {
		return
	}
	dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		p.addOpened(u.Path())
	}, w)
}

func (p *collectionsPanel) addOpened(dir string) {
	if _, err := collection.Load(dir); err != nil {
		if errors.Is(err, collection.ErrNotCollection) {
			p.say(dir + " is not a collection: it has no opencollection.yml.")
		} else {
			p.say(err.Error())
		}
		return
	}
	var opened []string
	if data, err := os.ReadFile(p.openedFile()); err == nil {
		_ = json.Unmarshal(data, &opened)
	}
	if contains(opened, dir) {
		return
	}
	data, _ := json.MarshalIndent(append(opened, dir), "", "  ")
	if p.failed(os.WriteFile(p.openedFile(), data, 0o600)) {
		return
	}
	p.reload()
}

func (p *collectionsPanel) renameSelected() {
	coll, it := p.selectedItem()
	if it == nil {
		p.say("Select a request or folder to rename.")
		return
	}
	p.ask("Rename", "Name", it.Name, func(name string) {
		rel, err := collection.Rename(coll.Root, it.Path, name)
		if p.failed(err) {
			return
		}
		for _, t := range p.c.Tabs.tabs {
			switch {
			case t.coll != coll.Root:
			case t.rel == it.Path && !it.Folder:
				t.rel, t.title = rel, name
				t.saved.Name = name
				t.req.Name = name
				p.c.Tabs.relabel(t)
			case strings.HasPrefix(t.rel, it.Path+"/"):
				t.rel = rel + strings.TrimPrefix(t.rel, it.Path) // a file inside the renamed folder
			}
		}
		p.reload()
	})
}

func (p *collectionsPanel) duplicateSelected() {
	coll, it := p.selectedItem()
	if it == nil {
		p.say("Select a request or folder to duplicate.")
		return
	}
	if _, err := collection.Duplicate(coll.Root, it.Path); !p.failed(err) {
		p.reload()
	}
}

func (p *collectionsPanel) moveSelected() {
	coll, it := p.selectedItem()
	if it == nil {
		p.say("Select a request or folder to move.")
		return
	}
	folders := []string{"(top level)"}
	collection.Walk(coll.Items, func(x *collection.Item) {
		if x.Folder && x.Path != it.Path && !strings.HasPrefix(x.Path, it.Path+"/") {
			folders = append(folders, x.Path)
		}
	})
	move := func(dest string) {
		if dest == "(top level)" {
			dest = ""
		}
		rel, err := collection.Move(coll.Root, it.Path, dest)
		if p.failed(err) {
			return
		}
		for _, t := range p.c.Tabs.tabs {
			if t.coll == coll.Root && (t.rel == it.Path || strings.HasPrefix(t.rel, it.Path+"/")) {
				t.rel = rel + strings.TrimPrefix(t.rel, it.Path)
			}
		}
		p.reload()
	}
	w := p.c.win()
	if w == nil {
		move(folders[len(folders)-1])
		return
	}
	sel := widget.NewSelect(folders, nil)
	sel.SetSelectedIndex(0)
	dialog.ShowForm("Move "+it.Name, "Move", "Cancel", []*widget.FormItem{widget.NewFormItem("To", sel)}, func(ok bool) {
		if ok {
			move(sel.Selected)
		}
	}, w)
}

func (p *collectionsPanel) deleteSelected() {
	coll, it := p.selectedItem()
	if it == nil {
		p.say("Select a request or folder to delete.")
		return
	}
	del := func() {
		if p.failed(collection.Delete(coll.Root, it.Path)) {
			return
		}
		p.selected = ""
		p.Tree.UnselectAll()
		for _, t := range p.c.Tabs.tabs {
			if t.coll == coll.Root && (t.rel == it.Path || strings.HasPrefix(t.rel, it.Path+"/")) {
				t.coll, t.rel = "", "" // the tab stays open, as scratch
				p.c.Tabs.relabel(t)
			}
		}
		p.reload()
	}
	w := p.c.win()
	if w == nil {
		del()
		return
	}
	dialog.ShowConfirm("Delete "+it.Name+"?", "The file "+it.Path+" is deleted from disk.", func(ok bool) {
		if ok {
			del()
		}
	}, w)
}

// saveTab writes a file-backed tab.
func (p *collectionsPanel) saveTab(t *reqTab) error {
	r := t.req
	r.Name = t.title
	if err := collection.SaveRequest(t.coll, t.rel, r); err != nil {
		return err
	}
	p.warnLiteralSecret(t.rel, r.Auth)
	return nil
}

// warnLiteralSecret says so when a request file now holds a password,
// token or key as typed rather than as a {{variable}}: collection files
// are meant for Git.
func (p *collectionsPanel) warnLiteralSecret(rel string, a requester.Auth) {
	what, value := "", ""
	switch a.Kind {
	case requester.AuthBasic, requester.AuthDigest:
		what, value = "password", a.Password
	case requester.AuthBearer:
		what, value = "token", a.Token
	case requester.AuthAPIKey:
		what, value = "API key", a.Value
	}
	v := strings.TrimSpace(value)
	if v == "" || strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}") && strings.Count(v, "{{") == 1 {
		p.say("")
		return
	}
	p.say(fmt.Sprintf("Saved. The %s is written in %s as typed: to keep it out of Git, use a secret environment variable (gear button › Edit this environment), e.g. {{%s}}.",
		what, rel, strings.ReplaceAll(what, " ", "_")))
}

// askSaveAs keeps a scratch tab as a new request of the target
// collection.
func (p *collectionsPanel) askSaveAs(t *reqTab) {
	coll, folder := p.target()
	if coll == nil {
		p.say("Create or open a collection first (⋮).")
		return
	}
	p.ask("Save to "+coll.Name, "Name", t.title, func(name string) {
		r := t.req
		r.Name = name
		rel, err := collection.NewRequest(coll.Root, folder, name, r)
		if p.failed(err) {
			return
		}
		t.title, t.coll, t.rel = name, coll.Root, rel
		t.req.Name = name
		t.saved = t.req
		p.c.Tabs.relabel(t)
		p.reload()
		p.warnLiteralSecret(rel, r.Auth)
	})
}

// Environments.

// envColl is the collection whose environments the picker offers: the
// current tab's, else the selected node's, else the first.
func (p *collectionsPanel) envColl() *collection.Collection {
	if coll := p.collByRoot(p.c.Tabs.current().coll); coll != nil {
		return coll
	}
	if i, _ := p.splitID(p.selected); p.selected != "" && i >= 0 && i < len(p.colls) {
		return p.colls[i]
	}
	if len(p.colls) > 0 {
		return p.colls[0]
	}
	return nil
}

// syncEnvPicker offers the environments of the collection sends use.
func (p *collectionsPanel) syncEnvPicker() {
	coll := p.envColl()
	if coll == nil {
		p.Env.SetOptions(nil)
		p.Env.ClearSelected()
		return
	}
	opts := []string{"No environment"}
	for _, e := range coll.Environments {
		opts = append(opts, e.Name)
	}
	p.Env.SetOptions(opts)
	cur := p.envName[coll.Root]
	p.Env.OnChanged = nil
	if cur == "" {
		p.Env.ClearSelected()
	} else {
		p.Env.SetSelected(cur)
	}
	p.Env.OnChanged = p.envSelected
}

func (p *collectionsPanel) envSelected(name string) {
	coll := p.envColl()
	if coll == nil {
		return
	}
	if name == "No environment" {
		name = ""
		p.Env.OnChanged = nil
		p.Env.ClearSelected()
		p.Env.OnChanged = p.envSelected
	}
	p.envName[coll.Root] = name
	p.c.showPreview()
}

// activeVars are the variables of the current tab's collection and its
// active environment; the cookie jar is per collection and environment.
func (p *collectionsPanel) activeVars() (string, requester.Vars) {
	coll := p.envColl()
	if coll == nil {
		return "", nil
	}
	env := p.envName[coll.Root]
	return coll.Root + "#" + env, collection.Resolve(coll, env, nil, nil)
}

func (p *collectionsPanel) showVarsMenu(anchor fyne.CanvasObject) {
	w := p.c.win()
	if w == nil {
		return
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Edit this environment…", func() { p.editEnvironment(false) }),
		fyne.NewMenuItem("New environment…", func() { p.editEnvironment(true) }),
		fyne.NewMenuItem("Collection variables…", p.editCollectionVars),
	}
	widgets.ShowMenuBelow(anchor, items)
}

// editEnvironment edits the variables of the picked environment, or a
// new one.
func (p *collectionsPanel) editEnvironment(fresh bool) {
	coll := p.envColl()
	if coll == nil {
		return
	}
	name := p.envName[coll.Root]
	env := requester.Environment{Name: "Local"}
	if !fresh && name != "" {
		for _, e := range coll.Environments {
			if e.Name == name {
				env = e
			}
		}
	}
	p.varsDialog("Environment of "+coll.Name, env.Name, env.Vars, true, func(newName string, vars []requester.Var) error {
		if newName == "" {
			return errors.New("an environment needs a name")
		}
		if fresh || newName != name {
			for _, e := range coll.Environments {
				if strings.EqualFold(e.Name, newName) {
					return fmt.Errorf("an environment named %s exists already; pick it and edit it, or choose another name", e.Name)
				}
			}
		}
		if err := collection.SaveEnvironment(coll.Root, requester.Environment{Name: newName, Vars: vars}, p.secrets); err != nil {
			return err
		}
		if !fresh && name != "" && newName != name {
			if err := collection.DeleteEnvironment(coll.Root, name, p.secrets); err != nil {
				return err
			}
		}
		p.envName[coll.Root] = newName
		return nil
	})
}

// editCollectionVars edits the variables every request of the collection
// sees; they cannot be secret (secrets belong in an environment).
func (p *collectionsPanel) editCollectionVars() {
	coll := p.envColl()
	if coll == nil {
		return
	}
	p.varsDialog("Variables of "+coll.Name, "", coll.Vars, false, func(_ string, vars []requester.Var) error {
		return collection.SaveCollection(coll.Root, coll.Name, vars)
	})
}

// varsDialog edits a name (when withName) and a table of variables, then
// calls save and reloads; an error stays in the panel's status line.
func (p *collectionsPanel) varsDialog(title, name string, vars []requester.Var, withName bool, save func(string, []requester.Var) error) {
	w := p.c.win()
	if w == nil {
		// Without a window (tests), Save is pressed on what was loaded.
		if !p.failed(save(name, vars)) {
			p.reload()
		}
		return
	}
	nameEntry := widget.NewEntry()
	nameEntry.SetText(name)
	var opts []rowOption
	if withName {
		opts = append(opts, withSecrets())
	}
	table := newRowTable("Variable", "Value", nil, opts...)
	rows := make([]requester.Param, len(vars))
	secret := make([]bool, len(vars))
	for i, v := range vars {
		rows[i] = requester.Param{Name: v.Name, Value: v.Value, Disabled: v.Disabled}
		secret[i] = v.Secret
	}
	table.SetRows(rows, secret)
	var top, bottom fyne.CanvasObject
	if withName {
		top = container.NewBorder(nil, nil, widget.NewLabel("Name"), nil, nameEntry)
		bottom = widgets.NewMutedFull("Secret values stay on this computer, outside the collection's files.", fyne.TextStyle{Italic: true})
	} else {
		bottom = widgets.NewMutedFull("Saved in opencollection.yml. Put secrets in an environment.", fyne.TextStyle{Italic: true})
	}
	body := container.NewBorder(top, bottom, nil, nil, table.content)
	d := dialog.NewCustomConfirm(title, "Save", "Cancel", body, func(ok bool) {
		if !ok {
			return
		}
		var out []requester.Var
		sec := table.Secrets()
		for i, r := range table.Rows() {
			out = append(out, requester.Var{Name: r.Name, Value: r.Value, Disabled: r.Disabled, Secret: sec[i]})
		}
		if p.failed(save(strings.TrimSpace(nameEntry.Text), out)) {
			return
		}
		p.reload()
		p.c.showPreview()
	}, w)
	d.Resize(fyne.NewSize(620, 420))
	d.Show()
}
