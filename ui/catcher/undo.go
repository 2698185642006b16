package catcher

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
)

// undoFor is how long "Deleted · Undo" stays after a delete.
var undoFor = 6 * time.Second

// undoBar is the note over the bottom of the list after a delete, with
// Undo; it covers the list's last row for a few seconds and moves
// nothing.
type undoBar struct {
	bar    *fyne.Container
	text   *widget.Label
	undo   *widget.Button
	gen    uint64 // the delete the bar is about
	holder fyne.CanvasObject
}

func newUndoBar(onUndo func()) *undoBar {
	u := &undoBar{text: widget.NewLabel("")}
	u.text.Truncation = fyne.TextTruncateEllipsis
	u.undo = widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), onUndo)
	u.undo.Importance = widget.HighImportance
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.InputRadiusSize()
	u.bar = container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, nil, u.undo, u.text)))
	u.holder = container.NewVBox(layout.NewSpacer(), container.NewPadded(u.bar))
	u.holder.Hide()
	return u
}

// deleteSelected deletes the shown capture off the UI goroutine and
// offers to undo it; the list follows from the event.
func (c *Catcher) deleteSelected() {
	id := c.selectedID
	if id == "" {
		return
	}
	gone := c.detail.shown
	c.selectedID = ""
	c.detail.clear()
	c.write("Could not delete the capture", func() error {
		if err := c.ws.DeleteCapture(id); !errors.Is(err, capture.ErrNotFound) {
			return err
		}
		return nil // deleted meanwhile: what the user asked for
	})
	if gone != nil && gone.ID == id {
		c.offerUndo(gone)
	}
}

// offerUndo shows "Deleted … · Undo" for undoFor.
func (c *Catcher) offerUndo(cp *capture.Capture) {
	u := c.undo
	u.gen++
	gen := u.gen
	c.undone = cp
	u.text.SetText("Deleted " + cp.Method + " " + cp.Path)
	u.holder.Show()
	c.bridge.Go(func(ctx context.Context) func() {
		t := time.NewTimer(undoFor)
		defer t.Stop()
		select {
		case <-t.C:
			return func() {
				if gen == u.gen {
					u.holder.Hide()
					c.undone = nil
				}
			}
		case <-ctx.Done():
			return nil
		}
	})
}

// undoDelete stores the deleted capture again, as it was, and shows it.
func (c *Catcher) undoDelete() {
	cp := c.undone
	c.undone = nil
	c.undo.gen++
	c.undo.holder.Hide()
	if cp == nil {
		return
	}
	ws := c.ws
	c.bridge.Go(func(context.Context) func() {
		if err := ws.RestoreCapture(cp); err != nil {
			return func() { c.showError("Could not restore the capture", err) }
		}
		return func() {
			if c.selectedID == "" {
				c.selectID(cp.ID)
			}
		}
	})
}

// UndoShown reports whether "Deleted · Undo" is on screen.
func (c *Catcher) UndoShown() bool { return c.undo.holder.Visible() }
