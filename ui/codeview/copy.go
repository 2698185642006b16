package codeview

import (
	"bytes"
	"encoding/json"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

// copyValue copies the JSON of the value at the path shown, as it is in
// the body (re-indented when the view is pretty-printed). Finding it
// reads the body, so that happens off the UI goroutine.
func (v *CodeView) copyValue() {
	path, body, pretty := v.pathText.Text, v.body, v.result.Pretty
	if path == "" || len(body) == 0 {
		return
	}
	go func() {
		val, ok := highlight.ValueAt(body, path)
		if !ok {
			return
		}
		// A string is copied as its value, unquoted and unescaped, as a
		// user pastes it into a field; other values as JSON.
		var str string
		if len(val) > 0 && val[0] == '"' && json.Unmarshal(val, &str) == nil {
			widgets.Do(func() {
				widgets.CopyText(str)
				v.copyValueBt.Copied()
			})
			return
		}
		if pretty {
			var buf bytes.Buffer
			if json.Indent(&buf, val, "", "  ") == nil {
				val = buf.Bytes()
			}
		}
		text := string(val)
		widgets.Do(func() {
			widgets.CopyText(text)
			v.copyValueBt.Copied()
		})
	}()
}

// copyBody copies what is shown: the pretty-printed text when the view
// shows it so, the body as it arrived otherwise.
func (v *CodeView) copyBody() {
	app := fyne.CurrentApp()
	if app == nil || len(v.raw) == 0 {
		return
	}
	if v.result.Pretty && v.body != nil {
		app.Clipboard().SetContent(v.grid.Text())
	} else {
		app.Clipboard().SetContent(string(v.raw))
	}
	v.copyConfirm.Show(func() {
		v.copy.SetIcon(theme.ConfirmIcon())
		v.copied.Show()
		v.relayout()
	}, func() {
		v.copy.SetIcon(theme.ContentCopyIcon())
		v.copied.Hide()
		v.relayout()
	})
}

// Copied reports whether the view says that its body was just copied.
func (v *CodeView) Copied() bool { return v.copied.Visible() }
