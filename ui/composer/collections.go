package composer

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester/collection"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// collectionsPanel shows the collections as a tree of folders and
// requests. Collections are plain folders of YAML files: the data
// directory's own under collections/, and any folder the user opens;
// workspace.Collections finds, loads and watches them.
type collectionsPanel struct {
	c       *Composer
	ws      *workspace.Collections
	secrets *collection.SecretStore

	loaded  workspace.Loaded // as last applied
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

	// notes are said above the problems of every load: the secrets
	// warning, a first run that failed, tabs that were not reopened.
	notes []string
	// changed are the files changed on disk, by collection folder, that
	// the open tabs have not followed yet.
	changed map[string][]string
	// afterLoad run once the load under way is applied.
	afterLoad []func()
	// loads counts the loads asked for; applied is the newest shown.
	loads, applied int

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

// newCollectionsPanel builds the panel on the composer's collections
// workspace, making the first collection on a first run, and shows the
// collections as they are now: read here, before the window shows, as
// the open tabs of the last run are reopened against them.
func newCollectionsPanel(c *Composer) *collectionsPanel {
	p := &collectionsPanel{c: c, ws: c.colls, byID: map[string]*collection.Item{}, envName: map[string]string{}}
	p.secrets = p.ws.Secrets()
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Importance = widget.WarningImportance
	p.status.Hide()
	if err := p.ws.SecretsWarning(); err != nil {
		p.notes = append(p.notes, "Secret values cannot be read: "+err.Error())
	}

	p.Tree = widget.NewTree(p.childIDs, p.isBranch, p.newNode, p.updateNode)
	p.Tree.OnSelected = p.treeSelected
	p.Search = widget.NewEntry()
	p.Search.SetPlaceHolder("Find by name or URL")
	p.Search.OnChanged = func(string) { p.refind() }
	p.Matches = widget.NewList(func() int { return len(p.found) }, func() fyne.CanvasObject { return newTreeNode() }, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < len(p.found) {
			o.(*treeNode).show(p.found[id].item, p.found[id].coll.Name)
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
	c.useCollections(collectionHooks{
		tools:    []fyne.CanvasObject{container.New(&widgets.Fixed{Width: 150}, p.Env), manage},
		vars:     p.activeVars,
		save:     p.saveTab,
		saveAs:   p.askSaveAs,
		onSelect: func() { p.syncEnvPicker(); p.showProblems() },
		sendable: p.sendable,
	})

	newReq := widgets.LowButton("Request", theme.ContentAddIcon(), p.newRequest)
	newFolder := widgets.LowButton("Folder", theme.FolderNewIcon(), p.newFolder)
	more := widgets.LowButton("", theme.MoreHorizontalIcon(), nil)
	more.OnTapped = func() { p.showMenu(more) }
	bar := container.NewVBox(p.Search, container.NewBorder(nil, nil, container.NewHBox(newReq, newFolder), more))
	p.content = container.NewBorder(container.NewVBox(bar, p.status), nil, nil, nil, container.NewStack(p.Tree, p.Matches))

	if err := p.ws.EnsureFirstRun(); err != nil {
		p.notes = append(p.notes, err.Error())
	}
	p.apply(p.ws.Load())
	return p
}

func (p *collectionsPanel) say(msg string) {
	if msg == "" {
		p.status.Hide()
		return
	}
	p.status.SetText(msg)
	p.status.Show()
}

func (p *collectionsPanel) collByRoot(root string) *collection.Collection {
	return p.loaded.Collection(root)
}

func (p *collectionsPanel) failed(err error) bool {
	if err == nil {
		return false
	}
	p.say(err.Error())
	return true
}
