package dialogs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestResolveSavePath(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	base := filepath.Join(home, "exports")
	for _, d := range []string{home, base} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ typed, want, err string }{
		{typed: filepath.Join(dir, "x.har"), want: filepath.Join(dir, "x.har")}, // absolute: as it is, not under home
		{typed: "  " + filepath.Join(dir, "x.har") + " ", want: filepath.Join(dir, "x.har")},
		{typed: "x.har", want: filepath.Join(base, "x.har")},
		{typed: "~/y.har", want: filepath.Join(home, "y.har")},
		{typed: "", err: "type a file name"},
		{typed: dir, err: "is a folder"},
		{typed: filepath.Join(dir, "missing", "x.har"), err: "does not exist"},
	} {
		got, err := ResolveSavePath(c.typed, base, home)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: %q, %v; want an error saying %q", c.typed, got, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%q: %q, %v; want %q", c.typed, got, err, c.want)
		}
	}
}

// TestSaveFormWritesTheTypedPath: a typed absolute path is written as
// it is; a folder button puts the name in that folder in one tap.
func TestSaveFormWritesTheTypedPath(t *testing.T) {
	test.NewTempApp(t)
	win := test.NewTempWindow(t, nil)
	dir := t.TempDir()
	var got fyne.URIWriteCloser
	f := newSaveForm(win, "hooklab-captures.har", []string{".har"}, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			t.Fatal(err)
		}
		got = w
	})
	want := filepath.Join(dir, "x.har")
	f.Path.SetText(want)
	test.Type(f.Path, "") // focus as a user would
	f.Path.OnSubmitted(f.Path.Text)
	if got == nil || got.URI().Path() != want {
		t.Fatalf("wrote to %v, want %s", got, want)
	}
	got.Close()
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}

	// A missing folder is said in the form, which stays.
	got = nil
	f.Path.SetText(filepath.Join(dir, "nope", "x.har"))
	if f.confirm() || got != nil || !f.errText.Visible() || !strings.Contains(f.errText.Text, "does not exist") {
		t.Fatalf("a missing folder: wrote %v, says %q", got, f.errText.Text)
	}

	// Temp puts the name typed in the temporary folder.
	f.Path.SetText("/elsewhere/mine.har")
	for _, b := range f.folders {
		if b.Text == "Temp" {
			test.Tap(b)
		}
	}
	if want := filepath.Join(os.TempDir(), "mine.har"); f.Path.Text != want {
		t.Fatalf("Temp gave %q, want %q", f.Path.Text, want)
	}
	if f.errText.Visible() {
		t.Fatal("the error stays after choosing a folder")
	}
}
