package composer

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester/history"
	"hooklab/workspace"
)

// sidebar is the composer's left column: collections and history. It can
// be folded away to give the editor the room.
type sidebar struct {
	History     *historyPanel
	Collections *collectionsPanel
	tabs        *container.AppTabs
	split       *container.Split
	toggle      *widget.Button
	offset      float64
	// onFold runs after the sidebar was shown or hidden, so the window
	// can give the composer more room while it shows.
	onFold func(shown bool)
}

// attachSidebar puts the sidebar left of the composer's editor and
// response: the collections (and the open tabs of the last run) when
// the workspace has a data directory, the history when it keeps one.
func (c *Composer) attachSidebar() {
	s := &sidebar{offset: 0.36}
	c.sidebar = s
	var items []*container.TabItem
	if dir := c.ws.Dir(); dir != "" {
		c.colls = workspace.NewCollections(dir, c.ws.Events())
		c.colls.WatchInterval = watchInterval
		c.session = workspace.NewSession(dir)
		s.Collections = newCollectionsPanel(c)
		s.Collections.restoreSession()
		items = append(items, container.NewTabItem("Collections", s.Collections.content))
	}
	if c.ws.History() != nil {
		s.History = newHistoryPanel(c)
		items = append(items, container.NewTabItem("History", s.History.content))
	}
	if len(items) == 0 {
		c.sidebar = nil
		return
	}
	s.tabs = container.NewAppTabs(items...)
	s.split = container.NewHSplit(s.tabs, c.content)
	// Folded at first: the window is shared with the catcher; the
	// button left of the tabs brings it out.
	s.tabs.Hide()
	s.split.Offset = 0
	s.toggle = widget.NewButtonWithIcon("", theme.MenuIcon(), s.fold)
	s.toggle.Importance = widget.LowImportance
	c.Tabs.left.Objects = []fyne.CanvasObject{s.toggle}
	c.Tabs.left.Refresh()
	c.content = s.split
}

// fold hides the sidebar or brings it back.
func (s *sidebar) fold() {
	if s.tabs.Visible() {
		s.offset = s.split.Offset
		s.tabs.Hide()
		s.split.Offset = 0
	} else {
		s.tabs.Show()
		s.split.Offset = s.offset
	}
	s.split.Refresh()
	if s.onFold != nil {
		s.onFold(s.tabs.Visible())
	}
}

// openHistory opens a history entry in a new scratch tab with the
// response it got.
func (c *Composer) openHistory(e history.Entry) {
	r := e.Request
	if r.Name == "" || isUntitled(r.Name) {
		r.Name = e.Method + " " + shortURL(e.URL)
	}
	t := c.Tabs.open(r, "", "")
	resp, err := e.Response()
	t.setResult(resp, err)
	c.Webhooks.opened(t, e.ID, e.Time)
	c.showResult(resp, err)
}

// shortURL is a URL without its scheme, cut to a tab's width.
func shortURL(u string) string {
	for _, p := range []string{"https://", "http://"} {
		if len(u) > len(p) && u[:len(p)] == p {
			u = u[len(p):]
		}
	}
	if r := []rune(u); len(r) > 28 {
		u = string(r[:27]) + "…"
	}
	return u
}
