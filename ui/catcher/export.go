package catcher

import (
	"context"
	"fmt"
	"sort"

	"fyne.io/fyne/v2"

	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// showExportMenu offers the workspace's export formats, by name.
func (c *Catcher) showExportMenu() {
	formats := workspace.ExportFormats()
	sort.Slice(formats, func(i, j int) bool { return formats[i].Label < formats[j].Label })
	items := make([]*fyne.MenuItem, len(formats))
	for i, f := range formats {
		items[i] = fyne.NewMenuItem("Export as "+f.Label+"…", func() { c.export(f.Name) })
	}
	widgets.ShowMenuBelow(c.exportBtn, items)
}

// export asks for a file and writes the captures the filter shows to
// it, off the UI goroutine; closing the window stops it.
func (c *Catcher) export(format string) {
	f := c.pager.filter
	ws := c.ws
	c.dialogs.SaveFile("hooklab-captures."+format, []string{"." + format}, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			c.showError("Could not export", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		c.bridge.Go(func(ctx context.Context) func() {
			n, err := ws.Export(ctx, w, format, f)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return func() {
				if err != nil {
					c.showError("Could not export to "+w.URI().Name(), err)
					return
				}
				c.dialogs.Information("Exported", fmt.Sprintf("%d captures written to %s.", n, w.URI().Path()))
			}
		})
	})
}
