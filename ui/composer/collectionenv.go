package composer

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/ui/widgets"
)

// envColl is the collection whose environments the picker offers: the
// current tab's, else the selected node's, else the first.
func (p *collectionsPanel) envColl() *collection.Collection {
	if coll := p.collByRoot(p.c.currentCollection()); coll != nil {
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
	p.c.varsChanged()
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
	widgets.ShowMenuBelow(anchor, p.varsMenu())
}

// varsMenu is the environment menu: editing the picked environment
// (off under "No environment"), a new one, the collection's variables.
func (p *collectionsPanel) varsMenu() []*fyne.MenuItem {
	edit := fyne.NewMenuItem("Edit this environment…", func() { p.editEnvironment(false) })
	if coll := p.envColl(); coll == nil || p.envName[coll.Root] == "" {
		edit.Disabled = true // under "No environment" there is none to edit
	}
	items := []*fyne.MenuItem{
		edit,
		fyne.NewMenuItem("New environment…", func() { p.editEnvironment(true) }),
		fyne.NewMenuItem("Collection variables…", p.editCollectionVars),
	}
	return items
}

// editEnvironment edits the variables of the picked environment, or a
// new one.
func (p *collectionsPanel) editEnvironment(fresh bool) {
	coll := p.envColl()
	if coll == nil {
		return
	}
	name := p.envName[coll.Root]
	if !fresh && name == "" {
		return
	}
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
	p.c.dialogs.CustomConfirm(title, "Save", "Cancel", body, fyne.NewSize(620, 420), func(ok bool) {
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
		// The preview shows the variables as saved once they are read.
		p.reload(p.c.varsChanged)
	})
}
