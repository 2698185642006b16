package dialogs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/widgets"
)

// lastSaveDir is the folder of the last file saved this run, where the
// next Save starts.
var lastSaveDir string

// ResolveSavePath turns what the user typed into the file to write: an
// absolute path as it is, "~" or "~/…" under home, anything else under
// base (the folder the field started in). It says what is wrong with a
// path that cannot be written: empty, a folder, or in a folder that does
// not exist.
func ResolveSavePath(typed, base, home string) (string, error) {
	p := strings.TrimSpace(typed)
	switch {
	case p == "":
		return "", errors.New("type a file name or a path")
	case p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`):
		p = filepath.Join(home, p[1:])
	case !filepath.IsAbs(p):
		p = filepath.Join(base, p)
	}
	p = filepath.Clean(p)
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		return "", fmt.Errorf("%s is a folder: add a file name", p)
	}
	dir := filepath.Dir(p)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("the folder %s does not exist", dir)
	}
	return p, nil
}

// saveForm asks where to save: one field holding the whole path, typed
// or pasted as the user likes, buttons that put the common folders in
// it, and Browse… for Fyne's file dialog.
type saveForm struct {
	win     fyne.Window
	Path    *widget.Entry
	errText *widget.Label
	base    string // where a relative path goes
	home    string
	name    string
	exts    []string
	folders []*widget.Button
	content fyne.CanvasObject
	then    func(fyne.URIWriteCloser, error)
	hide    func()
}

func newSaveForm(win fyne.Window, name string, exts []string, then func(fyne.URIWriteCloser, error)) *saveForm {
	home, _ := os.UserHomeDir()
	base := lastSaveDir
	if base == "" {
		base = home
	}
	f := &saveForm{win: win, base: base, home: home, name: name, exts: exts, then: then}
	f.Path = widget.NewEntry()
	f.Path.SetText(filepath.Join(base, name))
	f.Path.OnSubmitted = func(string) { f.confirm() }
	f.errText = widget.NewLabel("")
	f.errText.Importance = widget.DangerImportance
	f.errText.Wrapping = fyne.TextWrapWord
	f.errText.Hide()
	row := container.NewHBox()
	for _, d := range folderChoices(home) {
		b := widget.NewButtonWithIcon(d.label, theme.FolderIcon(), func() { f.setFolder(d.path) })
		b.Importance = widget.LowImportance
		f.folders = append(f.folders, b)
		row.Add(b)
	}
	browse := widget.NewButtonWithIcon("Browse…", theme.FolderOpenIcon(), f.browse)
	hint := widgets.NewMutedFull("An absolute path is taken as it is; a name alone goes in the folder shown.", fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	f.content = container.NewVBox(f.Path, container.NewHScroll(row), container.NewHBox(browse), hint, f.errText)
	return f
}

type folderChoice struct{ label, path string }

// folderChoices are the folders offered in one tap: the last one saved
// to, home and its usual folders, the temporary folder; those that
// exist.
func folderChoices(home string) []folderChoice {
	var out []folderChoice
	seen := map[string]bool{}
	add := func(label, p string) {
		if p == "" || seen[p] {
			return
		}
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			return
		}
		seen[p] = true
		out = append(out, folderChoice{label, p})
	}
	add("Last used", lastSaveDir)
	add("Home", home)
	for _, sub := range []string{"Desktop", "Documents", "Downloads"} {
		add(sub, filepath.Join(home, sub))
	}
	add("Temp", os.TempDir())
	return out
}

// setFolder keeps the file name typed and puts it in dir.
func (f *saveForm) setFolder(dir string) {
	name := filepath.Base(strings.TrimSpace(f.Path.Text))
	if name == "." || name == string(filepath.Separator) || name == "" {
		name = f.name
	}
	f.base = dir
	f.Path.SetText(filepath.Join(dir, name))
	f.errText.Hide()
}

// confirm writes to the path typed, or says what is wrong with it and
// keeps the dialog open.
func (f *saveForm) confirm() bool {
	p, err := ResolveSavePath(f.Path.Text, f.base, f.home)
	if err == nil && len(f.exts) > 0 && filepath.Ext(p) == "" {
		p += f.exts[0]
	}
	if err != nil {
		f.errText.SetText(err.Error())
		f.errText.Show()
		return false
	}
	write := func() {
		lastSaveDir = filepath.Dir(p)
		if f.hide != nil {
			f.hide()
		}
		f.then(storage.Writer(storage.NewFileURI(p)))
	}
	if _, err := os.Stat(p); err == nil && f.win != nil {
		dialog.ShowConfirm("Replace "+filepath.Base(p)+"?", p+" exists. Replace it?", func(ok bool) {
			if ok {
				write()
			}
		}, f.win)
		return false
	}
	write()
	return true
}

// browse opens Fyne's file dialog in the folder of the path typed.
func (f *saveForm) browse() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if w == nil && err == nil {
			return // back to the form
		}
		if f.hide != nil {
			f.hide()
		}
		if w != nil {
			lastSaveDir = filepath.Dir(w.URI().Path())
		}
		f.then(w, err)
	}, f.win)
	dir := filepath.Dir(strings.TrimSpace(f.Path.Text))
	if !filepath.IsAbs(dir) {
		dir = f.base
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
	d.SetFileName(filepath.Base(strings.TrimSpace(f.Path.Text)))
	if len(f.exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(f.exts))
	}
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// showSaveForm shows the form over win.
func showSaveForm(win fyne.Window, name string, exts []string, then func(fyne.URIWriteCloser, error)) {
	f := newSaveForm(win, name, exts, then)
	var d *dialog.CustomDialog
	save := widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { f.confirm() })
	save.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide(); then(nil, nil) })
	d = dialog.NewCustomWithoutButtons("Save as", f.content, win)
	d.SetButtons([]fyne.CanvasObject{cancel, save})
	f.hide = d.Hide
	d.Resize(fyne.NewSize(620, 0))
	d.Show()
	win.Canvas().Focus(f.Path)
}
