package catcher

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// pathEvent lays out a path and an event type side by side in one
// column: the event takes up to share of the width (at most max), the
// path the rest, each cut with an ellipsis. The split depends on the
// width alone, so rows built alike line up.
type pathEvent struct {
	share, max, gap float32
}

func (l *pathEvent) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	avail := max(size.Width-l.gap, 0)
	ev := min(avail*l.share, l.max)
	for i, o := range objs {
		h := o.MinSize().Height
		y := (size.Height - h) / 2
		if i == 0 {
			o.Move(fyne.NewPos(0, y))
			o.Resize(fyne.NewSize(avail-ev, h))
		} else {
			o.Move(fyne.NewPos(avail-ev+l.gap, y))
			o.Resize(fyne.NewSize(ev, h))
		}
	}
}

func (l *pathEvent) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.gap, h)
}

// packedPair lays out a label and what follows it on one line: the
// label as wide as its text when there is room (so the second follows
// it closely), the second the rest; when both do not fit, each gets at
// least half and is cut with an ellipsis.
type packedPair struct{}

func (packedPair) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	first := size.Width
	if l, ok := objs[0].(*widget.Label); ok {
		want := fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width + 2*theme.InnerPadding() + 2*theme.Padding()
		rest := fyne.MeasureText(richText(objs[1]), theme.TextSize(), widgets.Mono).Width + 2*theme.InnerPadding()
		first = min(want, max(size.Width-rest, size.Width/2))
	}
	for i, o := range objs {
		h := o.MinSize().Height
		y := (size.Height - h) / 2
		if i == 0 {
			o.Move(fyne.NewPos(0, y))
			o.Resize(fyne.NewSize(first, h))
		} else {
			o.Move(fyne.NewPos(first, y))
			o.Resize(fyne.NewSize(max(size.Width-first, 0), h))
		}
	}
}

func (packedPair) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(0, h)
}

func richText(o fyne.CanvasObject) string {
	if rt, ok := o.(*widget.RichText); ok {
		return rt.String()
	}
	return ""
}

// newDiskFullRow makes the way out the catcher offers under the refusal
// bar while the store refuses captures for a full disk: free space by
// deleting the oldest captures, or clear them all. Hidden until then.
func (c *Catcher) newDiskFullRow() *fyne.Container {
	c.freeBtn = widget.NewButtonWithIcon("Free space: delete oldest…", theme.DeleteIcon(), c.confirmFreeSpace)
	c.freeBtn.Importance = widget.WarningImportance
	clear := widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), c.confirmClearFull)
	row := container.NewHBox(c.freeBtn, clear)
	row.Hide()
	return row
}

// sayDiskFull says, when the last refusal was for a full disk, that
// captures are refused for it and offers the way out; it reports whether
// it did.
func (c *Catcher) sayDiskFull(last workspace.CaptureRefused, at time.Time) bool {
	if !capture.IsDiskFull(last.Err) {
		c.diskRow.Hide()
		return false
	}
	what := "A webhook was"
	if c.storeFails > 1 {
		what = fmt.Sprintf("%d webhooks were", c.storeFails)
	}
	c.storeMsg.SetText(fmt.Sprintf("Disk full: captures are refused. %s not stored, the last at %s; senders are answered 503 Service Unavailable, and most retry. Free space to take them again.", what, at.Format("15:04:05")))
	c.diskRow.Show()
	return true
}

// confirmFreeSpace asks, then deletes the oldest half of the captures
// off the UI goroutine; once that worked the bar goes.
func (c *Catcher) confirmFreeSpace() {
	c.dialogs.Confirm("Free space: delete the oldest captures?",
		fmt.Sprintf("This deletes the oldest half of the %d stored captures and gives the disk space they took back.", c.pager.all),
		func(ok bool) {
			if !ok {
				return
			}
			c.bridge.Go(func(context.Context) func() {
				_, err := c.ws.DeleteOldestCaptures()
				return func() {
					if err != nil {
						c.showError("Could not free space", err)
						return
					}
					c.dismissStoreFailures()
				}
			})
		})
}

// confirmClearFull is Clear offered for a full disk: once the captures
// are cleared, the bar goes.
func (c *Catcher) confirmClearFull() {
	c.dialogs.Confirm("Clear all captures?", fmt.Sprintf("This removes all %d captured requests and gives the disk space they took back.", c.pager.all), func(ok bool) {
		if !ok {
			return
		}
		c.bridge.Go(func(context.Context) func() {
			err := c.ws.ClearCaptures()
			return func() {
				if err != nil {
					c.showError("Could not clear the captures", err)
					return
				}
				c.dismissStoreFailures()
			}
		})
	})
}
