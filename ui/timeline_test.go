package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"hooklab/workspace"
)

// View › Timeline and Ctrl+Shift+T open the timeline in a window of its
// own; after the demo round trip it draws the call, its response and
// the two webhooks; closing it hides it and it stops reading.
func TestViewTimelineOpensTheTimeline(t *testing.T) {
	r := newRig(t)
	var item *fyne.MenuItem
	for _, m := range r.ui.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == "Timeline" {
				item = it
			}
		}
	}
	if item == nil {
		t.Fatal("no Timeline item in the menus")
	}
	if s, ok := item.Shortcut.(*desktop.CustomShortcut); !ok || s.KeyName != fyne.KeyT || s.Modifier != fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift {
		t.Errorf("Timeline's shortcut is %+v", item.Shortcut)
	}
	if r.ui.Timeline() != nil {
		t.Fatal("the timeline exists before it was opened")
	}
	r.win.Canvas().(fyne.Shortcutable).TypedShortcut(timelineShortcut)
	p := r.ui.Timeline()
	if p == nil || !r.ui.timelineWin.Content().Visible() {
		t.Fatal("Ctrl+Shift+T did not open the timeline")
	}

	test.Tap(r.ui.Composer.SendButton)
	d := p.Diagram
	r.loop.WaitFor(t, "the round trip drawn", func() bool {
		tl := d.Timeline()
		return tl.Count(workspace.ArrowRequest) == 1 && tl.Count(workspace.ArrowResponse) == 1 && tl.Count(workspace.ArrowWebhook) == 2
	})
	if !strings.Contains(p.Summary.Text, "1 request, 2 linked webhooks") {
		t.Errorf("summary %q", p.Summary.Text)
	}

	r.ui.hideTimeline() // what closing its window does
	if p.Active() {
		t.Error("a hidden timeline still follows events")
	}
	loaded := p.Loaded()
	test.Tap(r.ui.Composer.TimelineButton)
	if r.ui.Timeline() != p || !p.Active() {
		t.Error("the Timeline button did not show the same timeline again, following events")
	}
	r.loop.WaitFor(t, "a read on opening again", func() bool { return p.Loaded() > loaded })
}
