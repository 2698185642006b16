package composer

import "fyne.io/fyne/v2"

// These are the hooks the window's menus and shortcuts use.

// FocusURL puts the keyboard focus in the URL field and selects its
// text, so typing replaces it (Ctrl+L, as in a browser).
func (c *Composer) FocusURL() {
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c.URL); cv != nil {
		cv.Focus(c.URL)
	}
	c.URL.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// SidebarShown reports whether the collections and history sidebar is
// out; false when the composer has none.
func (c *Composer) SidebarShown() bool {
	return c.sidebar != nil && c.sidebar.tabs.Visible()
}

// ShowSidebar brings the sidebar out or folds it away, as its button
// does; nothing happens when it already is as asked, or there is none.
func (c *Composer) ShowSidebar(show bool) {
	if c.sidebar == nil || c.SidebarShown() == show {
		return
	}
	c.sidebar.fold()
}

// SidebarOffset is where the divider between the sidebar and the
// editor sits (or sat, while folded), 0 to 1.
func (c *Composer) SidebarOffset() float64 {
	if c.sidebar == nil {
		return 0
	}
	if c.SidebarShown() {
		return c.sidebar.split.Offset
	}
	return c.sidebar.offset
}

// SetSidebarOffset moves the divider between the sidebar and the
// editor (kept for when it comes out, while folded).
func (c *Composer) SetSidebarOffset(off float64) {
	if c.sidebar == nil || off <= 0 || off >= 1 {
		return
	}
	c.sidebar.offset = off
	if c.SidebarShown() {
		c.sidebar.split.SetOffset(off)
	}
}

// AskCurl asks for a cURL command and opens it in a new tab (File ›
// Import cURL…).
func (c *Composer) AskCurl() { c.Tabs.askCurl() }
