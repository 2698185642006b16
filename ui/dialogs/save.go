package dialogs

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"fyne.io/fyne/v2"

	"hooklab/ui/codeview"
	"hooklab/ui/widgets"
)

// SaveBytes asks where to save data and writes it there, off the UI
// goroutine; errors are shown in a dialog.
func SaveBytes(d Dialogs, name string, data []byte) {
	SaveStream(d, name, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
}

// SaveStream asks where to save and copies what open gives there, off
// the UI goroutine (a body kept in a file may be large).
func SaveStream(d Dialogs, name string, open func() (io.ReadCloser, error)) {
	d.SaveFile(name, nil, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			d.Error(fmt.Errorf("could not save: %w", err))
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
				widgets.Do(func() { d.Error(fmt.Errorf("could not save %s: %w", w.URI().Name(), werr)) })
			}
		}()
	})
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

// CodeViewSave returns the options that give a code view a Save that
// asks with d where to save, then writes the body there (the whole file,
// for a body shown in part).
func CodeViewSave(d Dialogs) []codeview.Option {
	return []codeview.Option{
		codeview.WithSave(func(name string, data []byte) { SaveBytes(d, name, data) }),
		codeview.WithSaveFile(func(name, path string) {
			SaveStream(d, name, func() (io.ReadCloser, error) { return os.Open(path) })
		}),
	}
}
