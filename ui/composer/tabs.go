package composer

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/ui/widgets"
)

// reqTab is one open request. A tab backed by a collection file knows
// the file and what it held when last loaded or saved; a scratch tab has
// no file and is never marked unsaved.
type reqTab struct {
	item       *container.TabItem
	id         string // names the tab's sends in workspace events
	title      string
	req, saved requester.Request
	coll, rel  string // collection root and file relative to it
	resp       *requester.Response
	err        error
	cancel     func() // set while a request is in flight
	sentAt     time.Time
}

func (t *reqTab) dirty() bool { return t.rel != "" && !t.req.Equal(t.saved) }

// maxTabTitle is how many characters of a title a tab shows, so that a
// few tabs fit the strip side by side; the tab list (⋯) and the tab
// menu's Rename show the whole title.
const maxTabTitle = 22

func (t *reqTab) label() string {
	title := t.title
	if r := []rune(title); len(r) > maxTabTitle {
		title = string(r[:maxTabTitle-1]) + "…"
	}
	if t.dirty() {
		return title + " ●"
	}
	return title
}

// setResult keeps the tab's latest exchange, releasing the one before.
func (t *reqTab) setResult(resp *requester.Response, err error) {
	if t.resp != nil && t.resp != resp {
		t.resp.Close()
	}
	t.resp, t.err = resp, err
}

// requestTabs is the strip of open requests above the URL row: new
// (Ctrl+T), close (Ctrl+W), duplicate, rename. The composer edits the
// selected tab; switching tabs keeps each tab's edits and last response.
type requestTabs struct {
	c         *Composer
	tabs      []*reqTab
	cur       int
	doc       *container.DocTabs
	switching bool
	untitled  int
	left      *fyne.Container // the sidebar's fold button goes here
	right     *fyne.Container // the environment picker goes here
	extra     *fyne.Container // the Examples button goes here
	// save writes a file-backed tab's request to its collection; nil
	// until a workspace is attached.
	save func(root, rel string, r requester.Request) error
	// saveAs asks where to keep a scratch tab's request and, once it is
	// kept, calls saved with where and under which name; nil until a
	// workspace is attached.
	saveAs func(title string, r requester.Request, saved func(root, rel, name string))
	// made counts the tabs made, to give each an id.
	made int
	// onSelect runs after another tab was chosen (the environment picker
	// follows the tab's collection).
	onSelect func()
	content  fyne.CanvasObject
	bar      *widgets.Bar
	row      *tabRow
}

func newRequestTabs(c *Composer) *requestTabs {
	s := &requestTabs{c: c, cur: -1}
	s.doc = container.NewDocTabs()
	s.doc.CreateTab = func() *container.TabItem { return s.newTab(requester.Request{Method: "GET"}, "", "").item }
	s.doc.OnSelected = s.selected
	s.doc.CloseIntercept = func(item *container.TabItem) { s.closeTab(s.find(item)) }
	// ⋮, not ⋯: the strip's own ⋯ beside + lists the open tabs.
	more := widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), nil)
	more.Importance = widget.LowImportance
	more.OnTapped = func() { s.showMenu(more) }
	s.left, s.right, s.extra = container.NewHBox(), container.NewHBox(), container.NewHBox()
	// The tabs keep room for a name or two: on a narrow panel the buttons
	// beside them (Examples) show their icons alone.
	s.bar = widgets.NewBar(240)
	strip := container.New(&showSelected{s: s}, s.doc)
	s.row = &tabRow{bar: s.bar, wrapBelow: 360}
	s.content = container.New(s.row, s.left, strip, container.NewHBox(s.right, s.extra, more))
	return s
}

// showSelected lays the tab strip out and, when its width changed (the
// window or the sidebar resized it), scrolls the chosen tab back into
// view: DocTabs scrolls to a tab only when it is chosen.
type showSelected struct {
	s     *requestTabs
	width float32
}

// Layout gives the strip the room and brings the chosen tab into view.
func (l *showSelected) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	if size.Width == l.width {
		return
	}
	l.width = size.Width
	doc, cur := l.s.doc, l.s.doc.SelectedIndex()
	if len(doc.Items) < 2 || cur < 0 {
		return
	}
	// Choosing another tab and this one again makes DocTabs scroll to it.
	l.s.switching = true
	doc.SelectIndex((cur + 1) % len(doc.Items))
	doc.SelectIndex(cur)
	l.s.switching = false
}

// MinSize is the strip's.
func (l *showSelected) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (s *requestTabs) current() *reqTab {
	if s.cur < 0 || s.cur >= len(s.tabs) {
		return &reqTab{}
	}
	return s.tabs[s.cur]
}

func (s *requestTabs) find(item *container.TabItem) *reqTab {
	for _, t := range s.tabs {
		if t.item == item {
			return t
		}
	}
	return nil
}

// newTab registers a tab for r without selecting it.
func (s *requestTabs) newTab(r requester.Request, coll, rel string) *reqTab {
	title := r.Name
	if title == "" {
		s.untitled++
		title = fmt.Sprintf("Untitled %d", s.untitled)
		r.Name = title
	}
	s.made++
	t := &reqTab{id: fmt.Sprintf("tab-%d", s.made), title: title, req: r, saved: r, coll: coll, rel: rel}
	t.item = container.NewTabItem(t.label(), canvas.NewRectangle(theme.Color(theme.ColorNameBackground)))
	t.item.Content.Hide()
	s.tabs = append(s.tabs, t)
	return t
}

// open shows r in a tab: the tab already holding that file, else a new
// one.
func (s *requestTabs) open(r requester.Request, coll, rel string) *reqTab {
	if rel != "" {
		for _, t := range s.tabs {
			if t.coll == coll && t.rel == rel {
				s.doc.Select(t.item)
				return t
			}
		}
	}
	t := s.newTab(r, coll, rel)
	s.doc.Append(t.item)
	s.doc.Select(t.item)
	if s.current() != t {
		// DocTabs starts with index 0 selected, so the first Append
		// selects without telling.
		s.selected(t.item)
	}
	return t
}

// selected stores the editor into the tab being left and loads the one
// chosen.
func (s *requestTabs) selected(item *container.TabItem) {
	if s.switching {
		return
	}
	next := -1
	for i, t := range s.tabs {
		if t.item == item {
			next = i
		}
	}
	if next < 0 {
		return
	}
	if s.cur >= 0 && s.cur < len(s.tabs) && s.cur != next && len(s.tabs) > 1 {
		s.tabs[s.cur].req = s.c.Request()
	}
	s.cur = next
	t := s.tabs[next]
	s.c.Load(t.req)
	s.c.showResult(t.resp, t.err)
	if t.cancel != nil {
		s.c.showSending(t)
	} else {
		s.c.showIdle()
	}
	if s.onSelect != nil {
		s.onSelect()
	}
	s.c.showHint()
}

// reloadTab replaces a tab's request by r, as the file now holds it.
func (s *requestTabs) reloadTab(t *reqTab, r requester.Request) {
	if r.Name == "" {
		r.Name = t.title
	}
	t.req, t.saved, t.title = r, r, r.Name
	if t == s.current() {
		s.c.Load(r)
	}
	s.relabel(t)
}

// edited follows an edit of the current tab: its request and its mark.
func (s *requestTabs) edited() {
	t := s.current()
	if t.item == nil {
		return
	}
	t.req = s.c.Request()
	s.relabel(t)
}

func (s *requestTabs) relabel(t *reqTab) {
	if l := t.label(); t.item.Text != l {
		t.item.Text = l
		s.doc.Refresh()
	}
}

// has reports whether t is still open.
func (s *requestTabs) has(t *reqTab) bool {
	for _, x := range s.tabs {
		if x == t {
			return true
		}
	}
	return false
}

// closeTab closes t, asking first when it holds unsaved edits. Closing
// the last tab leaves a fresh scratch tab.
func (s *requestTabs) closeTab(t *reqTab) {
	if t == nil {
		return
	}
	if t == s.current() {
		t.req = s.c.Request()
	}
	if !t.dirty() {
		s.remove(t)
		return
	}
	s.c.dialogs.Choose("Close "+t.title+"?", "It has changes that are not saved to "+t.rel+".",
		[]string{"Save", "Discard"}, "Keep editing", func(choice int) {
			switch choice {
			case 0:
				if s.saveTab(t) {
					s.remove(t)
				}
			case 1:
				s.remove(t)
			}
		})
}

func (s *requestTabs) remove(t *reqTab) {
	idx := -1
	for i, x := range s.tabs {
		if x == t {
			idx = i
		}
	}
	if idx < 0 {
		return
	}
	if t.cancel != nil {
		t.cancel() // its answer is dropped when it comes
	}
	t.setResult(nil, nil)
	keep := s.current()
	s.switching = true
	s.tabs = append(s.tabs[:idx], s.tabs[idx+1:]...)
	s.doc.Remove(t.item)
	s.switching = false
	if keep != t {
		// Closing a tab in the background leaves the editor alone.
		for i, x := range s.tabs {
			if x == keep {
				s.cur = i
			}
		}
		s.doc.Select(keep.item)
		return
	}
	if len(s.tabs) == 0 {
		s.cur = -1
		s.open(requester.Request{Method: "GET"}, "", "")
		return
	}
	s.cur = -1
	s.selected(s.doc.Selected())
}

// New opens a scratch tab (Ctrl+T).
func (s *requestTabs) New() { s.open(requester.Request{Method: "GET"}, "", "") }

// CloseCurrent closes the tab in view (Ctrl+W).
func (s *requestTabs) CloseCurrent() { s.closeTab(s.current()) }

// Duplicate opens a scratch copy of the tab in view.
func (s *requestTabs) Duplicate() {
	r := s.c.Request()
	r.Name = s.current().title + " copy"
	s.open(r, "", "")
}

// Rename gives the tab in view a new title; a file-backed tab keeps its
// file until saved.
func (s *requestTabs) Rename(name string) {
	name = strings.TrimSpace(name)
	t := s.current()
	if name == "" || t.item == nil {
		return
	}
	t.title = name
	t.req = s.c.Request()
	s.relabel(t)
}

// Save writes the tab in view to its file, or asks where to keep a
// scratch tab (Ctrl+S).
func (s *requestTabs) Save() {
	t := s.current()
	if _, err := s.c.Options.Options(); err != nil {
		s.c.showInline(err) // a wrong timeout would be saved as none
		return
	}
	t.req = s.c.Request()
	switch {
	case t.rel != "" && s.save != nil:
		s.saveTab(t)
	case s.saveAs != nil:
		s.saveAs(t.title, t.req, func(root, rel, name string) {
			t.title, t.coll, t.rel = name, root, rel
			t.req.Name = name
			t.saved = t.req
			s.relabel(t)
		})
	}
}

// saveTab writes a file-backed tab's request to its file and reports
// whether it was written; an error shows under the URL.
func (s *requestTabs) saveTab(t *reqTab) bool {
	if s.save == nil || t.rel == "" {
		return false
	}
	if t == s.current() {
		t.req = s.c.Request()
	}
	r := t.req
	r.Name = t.title
	if err := s.save(t.coll, t.rel, r); err != nil {
		s.c.showInline(err)
		return false
	}
	t.saved = t.req
	s.relabel(t)
	return true
}

func (s *requestTabs) showMenu(anchor fyne.CanvasObject) {
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("New tab\tCtrl+T", s.New),
		fyne.NewMenuItem("Duplicate tab", s.Duplicate),
		fyne.NewMenuItem("Rename tab…", s.askRename),
		fyne.NewMenuItem("Close tab\tCtrl+W", s.CloseCurrent),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Save\tCtrl+S", s.Save),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Import cURL…", s.askCurl),
		fyne.NewMenuItem("Copy as cURL", func() { s.c.CopyAsCurl() }),
		fyne.NewMenuItem("Copy as cURL (template)", func() { s.c.CopyAsCurlTemplate() }),
	}
	widgets.ShowMenuBelow(anchor, items)
}

func (s *requestTabs) askRename() {
	e := widget.NewEntry()
	e.SetText(s.current().title)
	s.c.dialogs.Form("Rename tab", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", e)}, fyne.Size{}, func(ok bool) {
		if ok {
			s.Rename(e.Text)
		}
	})
}

func (s *requestTabs) askCurl() {
	e := widget.NewMultiLineEntry()
	e.SetPlaceHolder("curl https://api.example.com -H 'Accept: application/json'")
	e.SetMinRowsVisible(6)
	if typed := strings.TrimSpace(s.c.URL.Text); isCurlCommand(typed) {
		e.SetText(typed) // typed into the URL field, not pasted whole
	}
	// Like a paste into the URL field, an import replaces the request of
	// the tab in view (a file-backed tab shows ● until saved or discarded).
	s.c.dialogs.Form("Import cURL", "Import", "Cancel", []*widget.FormItem{widget.NewFormItem("Command", e)}, fyne.NewSize(640, 320), func(ok bool) {
		if ok {
			s.c.importCurl(e.Text)
		}
	})
}

// Titles names the open tabs, in order.
func (s *requestTabs) Titles() []string {
	names := make([]string, len(s.tabs))
	for i, t := range s.tabs {
		names[i] = t.title
	}
	return names
}

// Unsaved names the tabs with edits not saved to their files.
func (s *requestTabs) Unsaved() []string {
	if t := s.current(); t.item != nil {
		t.req = s.c.Request()
	}
	var names []string
	for _, t := range s.tabs {
		if t.dirty() {
			names = append(names, t.title)
		}
	}
	return names
}
