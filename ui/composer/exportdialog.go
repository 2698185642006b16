package composer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/bru/bruexport"
	"hooklab/requester/collection"
	"hooklab/requester/har"
	"hooklab/requester/postman"
	"hooklab/ui/widgets"
)

// The formats "Export collection…" offers, as the dialog names them.
const (
	formatPostman = "Postman Collection v2.1 (.json file)"
	formatBruno   = "Bruno collection (.bru files, in a new folder made where you choose)"
	formatHAR     = "HAR 1.2 (.har file, variables filled in)"
)

// askExportCollection asks how to export the selected collection (the
// current tab's when none is selected) and where, writes it off the UI
// goroutine and shows what the format could not hold.
func (p *collectionsPanel) askExportCollection() {
	coll, _ := p.target()
	if coll == nil {
		p.say("Create or open a collection first (⋮).")
		return
	}
	format := widget.NewRadioGroup([]string{formatPostman, formatBruno, formatHAR}, nil)
	format.Required = true
	format.SetSelected(formatPostman)
	secrets := widget.NewCheck("Include secret values", nil)
	env := p.envName[coll.Root]
	envNote := "HAR fills in variables from the collection (no environment is active)."
	if env != "" {
		envNote = "HAR fills in variables from the collection and the active environment, " + env + "."
	}
	items := []*widget.FormItem{
		widget.NewFormItem("Format", format),
		widget.NewFormItem("Secrets", secrets),
	}
	items[1].HintText = "Bruno: environments' secret values; HAR: secret variables. Left out unless ticked."
	note := widgets.NewMutedFull(envNote, fyne.TextStyle{Italic: true})
	items = append(items, widget.NewFormItem("", note))
	p.c.dialogs.Form("Export "+coll.Name, "Export…", "Cancel", items, fyne.NewSize(560, 0), func(ok bool) {
		if !ok {
			return
		}
		switch format.Selected {
		case formatBruno:
			p.exportBruno(coll, secrets.Checked)
		case formatHAR:
			p.exportFile(coll.Name+".har", ".har", func() ([]byte, []collection.Problem, error) {
				return exportHAR(coll, env, p.c.builtins, secrets.Checked)
			})
		default:
			p.exportFile(coll.Name+".postman_collection.json", ".json", func() ([]byte, []collection.Problem, error) {
				return postman.Export(coll)
			})
		}
	})
}

// exportHAR writes the requests of coll as HAR with the variables of
// environment env; secret variables only when withSecrets (requests
// using one are then left out, and listed).
func exportHAR(coll *collection.Collection, env string, builtins requester.Vars, withSecrets bool) ([]byte, []collection.Problem, error) {
	c := *coll
	var warnings []collection.Problem
	if !withSecrets {
		active := envIndex(coll, env)
		c.Environments = make([]requester.Environment, len(coll.Environments))
		for i, e := range coll.Environments {
			vars := make([]requester.Var, len(e.Vars))
			for k, v := range e.Vars {
				if v.Secret && v.Value != "" {
					v.Value = ""
					if i == active {
						warnings = append(warnings, collection.Problem{Path: "environments/" + e.Name, Msg: "secret " + v.Name + " left out: requests using it are not exported"})
					}
				}
				vars[k] = v
			}
			c.Environments[i] = requester.Environment{Name: e.Name, Vars: vars}
		}
	}
	data, ws, err := har.ExportRequests(&c, collection.Resolve(&c, env, nil, builtins), requester.Version)
	return data, append(warnings, ws...), err
}

func envIndex(c *collection.Collection, name string) int {
	want, ok := c.Environment(name)
	if !ok {
		return -1
	}
	for i, e := range c.Environments {
		if e.Name == want.Name {
			return i
		}
	}
	return -1
}

// exportFile asks where to save name, then writes what build returns
// there off the UI goroutine and says what was left out.
func (p *collectionsPanel) exportFile(name, ext string, build func() ([]byte, []collection.Problem, error)) {
	p.c.dialogs.SaveFile(name, []string{ext}, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			p.c.dialogs.Error(fmt.Errorf("could not export: %w", err))
			return
		}
		if w == nil {
			return // cancelled
		}
		p.say("Exporting " + name + "…")
		p.c.bridge.Go(func(context.Context) func() {
			data, warnings, err := build()
			if err == nil {
				_, err = w.Write(data)
			}
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			where := w.URI().Path()
			return p.c.applying(func() {
				p.say("")
				p.showExportResult(where, warnings, err)
			})
		})
	})
}

// exportBruno asks for the folder to put the Bruno collection in and
// writes it there as a new folder named after the collection.
func (p *collectionsPanel) exportBruno(coll *collection.Collection, withSecrets bool) {
	p.c.dialogs.OpenFolder(func(u fyne.ListableURI, err error) {
		if err != nil {
			p.c.dialogs.Error(fmt.Errorf("could not export: %w", err))
			return
		}
		if u == nil {
			return
		}
		parent := u.Path()
		p.say("Exporting " + coll.Name + "…")
		p.c.bridge.Go(func(context.Context) func() {
			dir := freeFolder(parent, coll.Name+" (Bruno)")
			warnings, err := bruexport.Write(coll, dir, bruexport.Options{IncludeSecrets: withSecrets})
			return p.c.applying(func() {
				p.say("")
				p.showExportResult(dir, warnings, err)
			})
		})
	})
}

// freeFolder is parent/name, or parent/name N with the smallest N from
// 2 that does not exist yet; name is made safe for a file system.
func freeFolder(parent, name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '-'
		}
		return r
	}, strings.Trim(name, ". "))
	if name == "" {
		name = "Bruno collection"
	}
	for n := 1; ; n++ {
		p := filepath.Join(parent, name)
		if n > 1 {
			p = fmt.Sprintf("%s %d", p, n)
		}
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
}

// askExportEnvironment asks which environment of the collection to
// export as a Postman environment and whether with its secret values.
func (p *collectionsPanel) askExportEnvironment() {
	coll, _ := p.target()
	if coll == nil {
		p.say("Create or open a collection first (⋮).")
		return
	}
	if len(coll.Environments) == 0 {
		p.say(coll.Name + " has no environment to export.")
		return
	}
	var names []string
	for _, e := range coll.Environments {
		names = append(names, e.Name)
	}
	pick := widget.NewSelect(names, nil)
	if cur, ok := coll.Environment(p.envName[coll.Root]); ok && p.envName[coll.Root] != "" {
		pick.SetSelected(cur.Name)
	} else {
		pick.SetSelectedIndex(0)
	}
	secrets := widget.NewCheck("Include secret values", nil)
	items := []*widget.FormItem{
		widget.NewFormItem("Environment", pick),
		widget.NewFormItem("Secrets", secrets),
	}
	items[1].HintText = "Secret variables are written empty unless ticked."
	p.c.dialogs.Form("Export environment of "+coll.Name, "Export…", "Cancel", items, fyne.NewSize(520, 0), func(ok bool) {
		env, found := coll.Environment(pick.Selected)
		if !ok || !found {
			return
		}
		with := secrets.Checked
		p.exportFile(env.Name+".postman_environment.json", ".json", func() ([]byte, []collection.Problem, error) {
			var warnings []collection.Problem
			for _, v := range env.Vars {
				if v.Secret && v.Value != "" && !with {
					warnings = append(warnings, collection.Problem{Path: env.Name, Msg: "secret " + v.Name + " written empty"})
				}
			}
			data, err := postman.ExportEnvironment(env, with)
			return data, warnings, err
		})
	})
}

// showExportResult says where an export went and lists what it could not
// hold, in a list that scrolls; or why it failed.
func (p *collectionsPanel) showExportResult(where string, warnings []collection.Problem, err error) {
	if err != nil {
		p.c.dialogs.Error(fmt.Errorf("not exported: %w", err))
		return
	}
	head := widget.NewLabel("Written to " + where + ".")
	head.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(head, nil, nil, nil)
	if n := len(warnings); n > 0 {
		lines := make([]string, 0, min(n, maxShownWarnings)+1)
		for i, w := range warnings {
			if i == maxShownWarnings {
				lines = append(lines, fmt.Sprintf("… and %d more", n-i))
				break
			}
			lines = append(lines, w.Error())
		}
		list := widget.NewLabel(strings.Join(lines, "\n"))
		list.Wrapping = fyne.TextWrapWord
		content = container.NewBorder(container.NewVBox(head,
			widget.NewLabelWithStyle(fmt.Sprintf("Not exported as it is (%d):", n), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
			nil, nil, nil, container.New(&widgets.Fixed{Height: 240}, container.NewVScroll(list)))
	}
	p.c.dialogs.Custom("Exported", "Close", content, fyne.NewSize(640, 0))
}
