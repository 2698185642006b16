package composer

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester/collection"
	"hooklab/ui/widgets"
)

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

func (p *collectionsPanel) newNode(bool) fyne.CanvasObject { return newTreeNode() }

func (p *collectionsPanel) updateNode(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	if !strings.Contains(id, idSep) {
		i, _ := p.splitID(id)
		if i >= 0 && i < len(p.colls) {
			o.(*treeNode).show(nil, p.colls[i].Name)
		}
		return
	}
	if it := p.byID[id]; it != nil {
		o.(*treeNode).show(it, "")
	}
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
	p.c.openFile(r, coll.Root, it.Path)
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
	if coll := p.collByRoot(p.c.currentCollection()); coll != nil {
		return coll, ""
	}
	if len(p.colls) > 0 {
		return p.colls[0], ""
	}
	return nil, ""
}

func (p *collectionsPanel) selectedItem() (*collection.Collection, *collection.Item) {
	i, rel := p.splitID(p.selected)
	if i < 0 || i >= len(p.colls) || rel == "" {
		return nil, nil
	}
	return p.colls[i], p.byID[p.selected]
}

// treeNode is one node of the collections tree, or one search match: a
// collection, a folder (an icon and a name) or a request (its method
// and name).
type treeNode struct {
	widget.BaseWidget
	method  *canvas.Text
	icon    *widget.Icon
	name    *widget.Label
	content fyne.CanvasObject
}

func newTreeNode() *treeNode {
	n := &treeNode{
		// A sample method so a node measured before any is shown has its size.
		method: widgets.NewText("OPTIONS", theme.Color(theme.ColorNameForeground), widgets.MonoBold),
		icon:   widget.NewIcon(theme.FolderIcon()),
		name:   widget.NewLabel(""),
	}
	n.method.TextSize = theme.CaptionTextSize()
	n.name.Truncation = fyne.TextTruncateEllipsis
	size := theme.IconInlineSize()
	n.content = container.NewBorder(nil, nil, container.NewStack(container.New(&widgets.Fixed{Width: 46}, container.NewCenter(n.method)),
		container.NewCenter(container.New(&widgets.Fixed{Width: size, Height: size}, n.icon))), nil, n.name)
	n.ExtendBaseWidget(n)
	return n
}

// CreateRenderer draws the node made in newTreeNode.
func (n *treeNode) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(n.content) }

// show shows a collection (it nil), a folder or a request; in is the
// collection's name, shown after a search match.
func (n *treeNode) show(it *collection.Item, in string) {
	switch {
	case it == nil:
		n.icon.SetResource(theme.StorageIcon())
		n.icon.Show()
		n.method.Text = ""
		n.name.TextStyle = widgets.Bold
		n.name.SetText(in)
	case it.Folder:
		n.icon.SetResource(theme.FolderIcon())
		n.icon.Show()
		n.method.Text = ""
		n.name.TextStyle = fyne.TextStyle{}
		n.name.SetText(it.Name)
	default:
		n.icon.Hide()
		m := "GET"
		if it.Request != nil && it.Request.Method != "" {
			m = it.Request.Method
		}
		n.method.Text, n.method.Color = m, widgets.MethodColor(m)
		n.name.TextStyle = fyne.TextStyle{}
		label := it.Name
		if in != "" {
			label += "  · " + in
		}
		n.name.SetText(label)
	}
	n.method.Refresh()
}
