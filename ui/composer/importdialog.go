package composer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester/importer"
	"hooklab/ui/widgets"
)

// maxShownWarnings bounds the warnings the result of an import lists;
// the rest are counted.
const maxShownWarnings = 500

// formatNames are the importer's formats as users know them.
var formatNames = map[importer.Format]string{
	importer.FormatPostman:    "Postman collection",
	importer.FormatPostmanEnv: "Postman environment",
	importer.FormatBru:        "Bruno .bru collection",
	importer.FormatHAR:        "HAR",
	importer.FormatOpenAPI:    "OpenAPI",
	importer.FormatCurl:       "cURL command",
}

// AskImport asks for a file or folder of another tool (a Postman
// collection or environment, a Bruno .bru collection, a HAR, an OpenAPI
// spec, a cURL command) and where to put it, imports it off the UI
// goroutine and shows the collection in the sidebar with what could not
// be imported (File › Import…).
func (c *Composer) AskImport() {
	if c.sidebar == nil || c.sidebar.Collections == nil {
		c.dialogs.Error(errors.New("importing needs a data directory for the collections; this window has none (started with --data-dir \"\"?)"))
		return
	}
	c.sidebar.Collections.askImport()
}

// AskExportCollection asks how and where to export the collection
// selected in the sidebar (the current tab's when none is), as the
// collections menu's Export collection… does.
func (c *Composer) AskExportCollection() {
	if c.sidebar == nil || c.sidebar.Collections == nil {
		c.dialogs.Error(errors.New("exporting needs a data directory for the collections; this window has none (started with --data-dir \"\"?)"))
		return
	}
	if coll, _ := c.sidebar.Collections.target(); coll == nil {
		// From the File menu the sidebar may be folded away: say it
		// where it is seen.
		c.dialogs.Information("Export collection", "There is no collection to export yet. Save a request into a new collection, or import one (File › Import…).")
		return
	}
	c.sidebar.Collections.askExportCollection()
}

func (p *collectionsPanel) askImport() {
	from := widget.NewEntry()
	from.SetPlaceHolder("A file (.json, .yaml, .har, .bru, .txt) or a Bruno folder")
	into := widget.NewEntry()
	into.SetPlaceHolder("A new collection named after it")
	picked := func(path string) {
		from.SetText(path)
		into.SetText(p.ws.ImportTarget(path))
	}
	file := widget.NewButtonWithIcon("File…", theme.FileIcon(), func() {
		p.c.dialogs.OpenFile("Import a file", func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			path := r.URI().Path()
			r.Close()
			picked(path)
		})
	})
	folder := widget.NewButtonWithIcon("Folder…", theme.FolderOpenIcon(), func() {
		p.c.dialogs.OpenFolder(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				picked(u.Path())
			}
		})
	})
	items := []*widget.FormItem{
		widget.NewFormItem("Import", container.NewBorder(nil, nil, nil, container.NewHBox(file, folder), from)),
		widget.NewFormItem("Into", into),
	}
	items[0].HintText = "Postman v2.0/v2.1 or environment, Bruno .bru, HAR 1.2, OpenAPI 3, cURL"
	items[1].HintText = "A folder inside a collection imports into it as a new folder"
	p.c.dialogs.Form("Import", "Import", "Cancel", items, fyne.NewSize(640, 0), func(ok bool) {
		src := strings.TrimSpace(from.Text)
		if !ok {
			return
		}
		if src == "" {
			p.c.dialogs.Error(errors.New("nothing imported: choose the file or folder to import"))
			return
		}
		p.runImport(src, strings.TrimSpace(into.Text))
	})
}

// runImport imports src into dst (a new folder of the collections
// folder when empty) off the UI goroutine, then shows the collection
// and the result.
func (p *collectionsPanel) runImport(src, dst string) {
	p.say("Importing " + filepath.Base(src) + "…")
	ws, secrets := p.ws, p.secrets
	p.c.bridge.Go(func(context.Context) func() {
		if dst == "" {
			dst = ws.ImportTarget(src)
		}
		res, err := importer.Import(src, dst, importer.Options{Secrets: secrets})
		if err == nil {
			err = ws.ShowImported(res.Root)
		}
		return p.c.applying(func() {
			p.showProblems()
			if res == nil || res.Root == "" {
				p.showImportResult(src, res, err)
				return
			}
			p.reload(func() {
				p.reveal(res.Root, res.Folder)
				p.showImportResult(src, res, err)
			})
		})
	})
}

// reveal brings out the sidebar's collections and selects the
// collection in root (its folder rel when not ""), opened.
func (p *collectionsPanel) reveal(root, rel string) {
	p.c.ShowSidebar(true)
	if s := p.c.sidebar; s != nil && len(s.tabs.Items) > 0 {
		s.tabs.SelectIndex(0)
	}
	i, _ := p.splitID(root)
	if i < 0 {
		return
	}
	id := p.collID(i)
	p.Tree.OpenBranch(id)
	if rel != "" {
		id = p.itemID(i, rel)
		p.Tree.OpenBranch(id)
	}
	p.Tree.Select(id)
	p.Tree.ScrollTo(id)
}

// showImportResult says what an import of src did: how many requests
// it wrote and where, and every warning, in a list that scrolls; or
// why nothing was imported.
func (p *collectionsPanel) showImportResult(src string, res *importer.Result, err error) {
	name := filepath.Base(src)
	if res == nil || err != nil && res.Root == "" && len(res.Warnings) == 0 {
		p.c.dialogs.Error(fmt.Errorf("%s was not imported: %w", name, err))
		return
	}
	var summary string
	switch {
	case err != nil && res.Root != "":
		summary = fmt.Sprintf("%s: %s written to %s, but: %v", name, counted(res), where(res), err)
	case err != nil:
		summary = fmt.Sprintf("%s was not imported: %v", name, err)
	default:
		summary = fmt.Sprintf("%s (%s): %s written to %s.", name, formatNames[res.Format], counted(res), where(res))
	}
	title := "Imported"
	switch {
	case err != nil && res.Root == "":
		title = "Not imported"
	case err != nil:
		title = "Import incomplete"
	}
	head := widget.NewLabel(summary)
	head.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{head}
	var list fyne.CanvasObject
	if n := len(res.Warnings); n > 0 {
		lines := make([]string, 0, min(n, maxShownWarnings)+1)
		for i, w := range res.Warnings {
			if i == maxShownWarnings {
				lines = append(lines, fmt.Sprintf("… and %d more", n-i))
				break
			}
			lines = append(lines, w.Error())
		}
		objs = append(objs, widget.NewLabelWithStyle(fmt.Sprintf("Not imported as it was (%d):", n), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		warnings := widget.NewLabel(strings.Join(lines, "\n"))
		warnings.Wrapping = fyne.TextWrapWord
		list = container.New(&widgets.Fixed{Height: 240}, container.NewVScroll(warnings))
	}
	content := container.NewBorder(container.NewVBox(objs...), nil, nil, nil)
	if list != nil {
		content.Add(list)
	}
	p.c.dialogs.Custom(title, "Close", content, fyne.NewSize(640, 0))
}

// counted says how many requests, folders and environments an import
// wrote.
func counted(res *importer.Result) string {
	parts := []string{fmt.Sprintf("%d request(s)", len(res.Requests))}
	if res.Folders > 0 {
		parts = append(parts, fmt.Sprintf("%d folder(s)", res.Folders))
	}
	if n := len(res.Environments); n > 0 {
		parts = append(parts, fmt.Sprintf("%d environment(s)", n))
	}
	return strings.Join(parts, ", ")
}

// where names the collection (and folder) an import wrote into.
func where(res *importer.Result) string {
	if res.Folder != "" {
		return fmt.Sprintf("the folder %s of %s", res.Folder, res.Root)
	}
	return res.Root
}
