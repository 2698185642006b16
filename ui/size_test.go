package ui

import "testing"

// TestWindowFitsA1024By700Screen: the window's content must fit the
// smallest screen Hooklab supports, so neither panel is cut off.
func TestWindowFitsA1024By700Screen(t *testing.T) {
	r := newRig(t)
	cat, comp, all := r.ui.Catcher.Content().MinSize(), r.ui.Composer.Content().MinSize(), r.ui.Content.MinSize()
	t.Logf("catcher %v, composer %v, window %v", cat, comp, all)
	if all.Width > 1024 || all.Height > 700 {
		t.Fatalf("the window needs %v, more than a 1024×700 screen (catcher %v, composer %v)", all, cat, comp)
	}
}
