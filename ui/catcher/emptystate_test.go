package catcher

import "testing"

// TestEmptyStateFitsANarrowPanel: the empty state's lines, the curl
// command's too, fit the catcher's panel of a 1024 px window (about
// 420 px), so it shows no sideways scrollbar there.
func TestEmptyStateFitsANarrowPanel(t *testing.T) {
	r := newRig(t)
	if w := r.c.empty.MinSize().Width; w > 380 {
		t.Fatalf("the empty state needs %v px", w)
	}
}
