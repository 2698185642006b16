package catcher

import (
	"fmt"
	"io"

	"fyne.io/fyne/v2"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/widgets"
)

// Export formats.
const (
	formatHAR   = "har"
	formatJSONL = "jsonl"
)

func (c *Catcher) showExportMenu() {
	widgets.ShowMenuBelow(c.exportBtn, []*fyne.MenuItem{
		fyne.NewMenuItem("Export as HAR…", func() { c.export(formatHAR) }),
		fyne.NewMenuItem("Export as JSON lines…", func() { c.export(formatJSONL) }),
	})
}

// export asks for a file and writes the captures the filter shows.
func (c *Catcher) export(format string) {
	f, _ := c.pager.snapshot()
	c.dialogs.SaveFile("hooklab-captures."+format, []string{"." + format}, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			c.showError("Could not export", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		go func() {
			n, err := exportCaptures(w, c.store, f, format)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			widgets.Do(func() {
				if err != nil {
					c.showError("Could not export to "+w.URI().Name(), err)
					return
				}
				c.dialogs.Information("Exported", fmt.Sprintf("%d captures written to %s.", n, w.URI().Path()))
			})
		}()
	})
}

// exportCaptures writes the captures matching f in format.
func exportCaptures(w io.Writer, s capture.Store, f capture.Filter, format string) (int, error) {
	if format == formatJSONL {
		return capture.WriteJSONL(w, s, f)
	}
	return capture.WriteHAR(w, s, f, requester.Version)
}
