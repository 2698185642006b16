package catcher

// These are the hooks the window's menus and shortcuts use.

// ConfirmClear asks whether to delete every capture, as the Clear
// button does, and clears them when the user agrees.
func (c *Catcher) ConfirmClear() { c.confirmClear() }

// Export asks for a file and writes the captures the filter shows to
// it in format (a workspace export format's name), as the Export
// button's menu does.
func (c *Catcher) Export(format string) { c.export(format) }
