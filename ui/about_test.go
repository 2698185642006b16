package ui

import (
	"testing"

	"hooklab/requester"
	"hooklab/ui/dialogs/dialogstest"
)

// TestAboutShowsVersionCommitAndDataDir: Help › About names the version
// and the commit (the Makefile stamps both from FyneApp.toml and git)
// and the data directory.
func TestAboutShowsVersionCommitAndDataDir(t *testing.T) {
	r := newRig(t)
	menu := r.ui.MainMenu()
	if len(menu.Items) == 0 || menu.Items[len(menu.Items)-1].Label != "Help" {
		t.Fatalf("the main menu has no Help menu: %+v", menu.Items)
	}
	help := menu.Items[len(menu.Items)-1]
	about := help.Items[len(help.Items)-1]
	if about.Label != "About Hooklab" {
		t.Fatalf("Help ends with %q, want About Hooklab", about.Label)
	}
	about.Action()
	a, ok := r.dialogs.Last()
	if !ok || a.Kind != dialogstest.Custom || a.Title != "About Hooklab" {
		t.Fatalf("About asked %+v", r.dialogs.Asked)
	}
	for _, want := range []string{requester.Version, requester.Commit, r.dir} {
		if !shows(a.Content, want) {
			t.Errorf("About does not show %q", want)
		}
	}
}
