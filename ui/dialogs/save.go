// Package dialogs asks the user things for the window's panels: where
// to save, which file to open, whether to go on.
package dialogs

import (
	"bytes"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"hooklab/ui/widgets"
)

// SaveBytes asks where to save data and writes it there, off the UI
// goroutine; errors are shown in a dialog.
func SaveBytes(win fyne.Window, name string, data []byte) {
	SaveStream(win, name, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
}

// SaveStream asks where to save and copies what open gives there, off
// the UI goroutine (a body kept in a file may be large).
func SaveStream(win fyne.Window, name string, open func() (io.ReadCloser, error)) {
	if win == nil {
		return
	}
	dlg := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("could not save: %w", err), win)
			return
		}
		if w == nil {
			return // cancelled
		}
		go func() {
			werr := copyTo(w, open)
			if cerr := w.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				widgets.Do(func() { dialog.ShowError(fmt.Errorf("could not save %s: %w", w.URI().Name(), werr), win) })
			}
		}()
	}, win)
	dlg.SetFileName(name)
	dlg.Show()
}

func copyTo(w io.Writer, open func() (io.ReadCloser, error)) error {
	r, err := open()
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(w, r)
	return err
}
