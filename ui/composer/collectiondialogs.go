package composer

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/ui/widgets"
)

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
		p.c.openFile(r, coll.Root, rel)
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

// ask shows a one-field form filled with def, and calls then with what
// it holds when confirmed and not blank.
func (p *collectionsPanel) ask(title, label, def string, then func(string)) {
	e := widget.NewEntry()
	e.SetText(def)
	p.c.dialogs.Form(title, "OK", "Cancel", []*widget.FormItem{widget.NewFormItem(label, e)}, fyne.Size{}, func(ok bool) {
		if ok && strings.TrimSpace(e.Text) != "" {
			then(strings.TrimSpace(e.Text))
		}
	})
}

func (p *collectionsPanel) showMenu(anchor fyne.CanvasObject) {
	widgets.ShowMenuBelow(anchor, p.menuItems())
}

// menuItems are the entries of the collections menu (⋮).
func (p *collectionsPanel) menuItems() []*fyne.MenuItem {
	return []*fyne.MenuItem{
		fyne.NewMenuItem("New collection…", p.newCollection),
		fyne.NewMenuItem("Open collection folder…", p.openCollection),
		fyne.NewMenuItem("Export collection…", p.askExportCollection),
		fyne.NewMenuItem("Export environment…", p.askExportEnvironment),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Rename…", p.renameSelected),
		fyne.NewMenuItem("Duplicate", p.duplicateSelected),
		fyne.NewMenuItem("Move to…", p.moveSelected),
		fyne.NewMenuItem("Delete", p.deleteSelected),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Reload from disk", func() { p.reload() }),
	}
}

func (p *collectionsPanel) newCollection() {
	p.ask("New collection", "Name", "New collection", func(name string) {
		if _, err := p.ws.CreateCollection(name); !p.failed(err) {
			p.reload()
		}
	})
}

// openCollection adds a folder holding an opencollection.yml (a Bruno
// collection, a git checkout) to the tree.
func (p *collectionsPanel) openCollection() {
	p.c.dialogs.OpenFolder(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		p.addOpened(u.Path())
	})
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
		p.c.fileRenamed(coll.Root, it.Path, rel, name, it.Folder)
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
		p.c.fileMoved(coll.Root, it.Path, rel)
		p.reload()
	}
	sel := widget.NewSelect(folders, nil)
	sel.SetSelectedIndex(0)
	p.c.dialogs.Form("Move "+it.Name, "Move", "Cancel", []*widget.FormItem{widget.NewFormItem("To", sel)}, fyne.Size{}, func(ok bool) {
		if ok {
			move(sel.Selected)
		}
	})
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
		p.c.fileDeleted(coll.Root, it.Path)
		p.reload()
	}
	p.c.dialogs.Confirm("Delete "+it.Name+"?", "The file "+it.Path+" is deleted from disk.", func(ok bool) {
		if ok {
			del()
		}
	})
}

// askSaveAs keeps the request of a scratch tab as a new request in the
// collection and folder the user picks (the target one at first), and
// tells saved where.
func (p *collectionsPanel) askSaveAs(title string, r requester.Request, saved func(root, rel, name string)) {
	coll, folder := p.target()
	if coll == nil {
		p.say("Create or open a collection first (⋮).")
		return
	}
	type place struct {
		coll   *collection.Collection
		folder string
	}
	var labels []string
	places := map[string]place{}
	for _, c := range p.colls {
		add := func(folder string) {
			l := c.Name
			if folder != "" {
				l += " / " + strings.ReplaceAll(folder, "/", " / ")
			}
			labels = append(labels, l)
			places[l] = place{c, folder}
		}
		add("")
		collection.Walk(c.Items, func(it *collection.Item) {
			if it.Folder {
				add(it.Path)
			}
		})
	}
	name := widget.NewEntry()
	name.SetText(title)
	where := widget.NewSelect(labels, nil)
	for _, l := range labels {
		if pl := places[l]; pl.coll == coll && pl.folder == folder {
			where.SetSelected(l)
		}
	}
	items := []*widget.FormItem{widget.NewFormItem("Name", name), widget.NewFormItem("In", where)}
	p.c.dialogs.Form("Save request", "Save", "Cancel", items, fyne.NewSize(520, 0), func(ok bool) {
		n := strings.TrimSpace(name.Text)
		pl, chosen := places[where.Selected]
		if !ok || n == "" || !chosen {
			return
		}
		r.Name = n
		rel, err := collection.NewRequest(pl.coll.Root, pl.folder, n, r)
		if p.failed(err) {
			return
		}
		saved(pl.coll.Root, rel, n)
		// Said once the tree shows the new file, which would hide it.
		p.reload(func() { p.warnLiteralSecret(rel, r.Auth) })
	})
}
