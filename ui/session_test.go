package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/workspace"
)

// TestOpenTabsAreKeptWhileTheWindowIsOpen: edits reach tabs.json without
// a quit (a crash or a kill keeps them too), unchanged tabs are not
// rewritten, and a workspace that cannot be written is reported.
func TestOpenTabsAreKeptWhileTheWindowIsOpen(t *testing.T) {
	prev := autosaveInterval
	autosaveInterval = 10 * time.Millisecond
	t.Cleanup(func() { autosaveInterval = prev })
	ws := t.TempDir()
	r := newRig(t, inDir(ws))
	c := r.ui.Composer
	file := filepath.Join(ws, workspace.SessionFile)
	c.URL.SetText("https://kept.test/while-open")
	r.loop.WaitFor(t, "the edit in "+workspace.SessionFile, func() bool {
		data, _ := os.ReadFile(file)
		return strings.Contains(string(data), "https://kept.test/while-open")
	})

	// Unchanged tabs are not written again.
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(100 * time.Millisecond)
	r.loop.WaitFor(t, "ten autosave ticks", func() bool { return time.Now().After(deadline) })
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("unchanged tabs written again: %v", err)
	}

	// A session file that cannot be replaced (here a folder holding a
	// file takes its name): said in the collections panel.
	if err := os.MkdirAll(filepath.Join(file, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	c.URL.SetText("https://kept.test/after")
	r.loop.WaitFor(t, "the autosave failure shown", func() bool {
		return strings.HasPrefix(c.Note(), "Open tabs could not be saved to tabs.json: ")
	})

	// Once the file can be written again, the edit is and the message goes.
	if err := os.RemoveAll(file); err != nil {
		t.Fatal(err)
	}
	r.loop.WaitFor(t, "the edit saved after the failure", func() bool {
		data, _ := os.ReadFile(file)
		return strings.Contains(string(data), "https://kept.test/after") && c.Note() == ""
	})
	r.ui.stopAutosave()
	// Run what the loop queued before it stopped, here, not during the
	// rig's Close.
	r.loop.Drain()
}

// TestSidebarMakesRoomInTheWindow: bringing the composer's sidebar out
// moves the divider between the catcher and the composer, unless the
// user moved it, and folding it away moves it back.
func TestSidebarMakesRoomInTheWindow(t *testing.T) {
	r := newRig(t)
	split := r.ui.Content.(*fyne.Container).Objects[0].(*container.Split)
	var fold *widget.Button
	for _, o := range test.LaidOutObjects(r.ui.Composer.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Icon == theme.MenuIcon() {
			fold = b
		}
	}
	if fold == nil || split.Offset != 0.5 {
		t.Fatalf("fold button %v, divider at %v", fold, split.Offset)
	}
	test.Tap(fold)
	if split.Offset != 0.4 {
		t.Fatalf("divider at %v with the sidebar out, want 0.4", split.Offset)
	}
	test.Tap(fold)
	if split.Offset != 0.5 {
		t.Fatalf("divider at %v with the sidebar folded, want 0.5", split.Offset)
	}
}
