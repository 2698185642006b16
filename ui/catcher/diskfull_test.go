package catcher

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/workspace"
)

// TestDiskFullOffersAWayOut: when captures are refused for a full disk,
// the bar says so and offers "Free space: delete oldest…" and "Clear";
// freeing space deletes the oldest half and takes the bar away.
func TestDiskFullOffersAWayOut(t *testing.T) {
	r := newRig(t)
	c := r.c
	for i := range 4 {
		postTo(t, fmt.Sprintf("%s/p%d", r.url, i), "text/plain", "x")
	}
	r.loop.WaitFor(t, "4 captures listed", func() bool { return c.pager.all == 4 })

	// Another cause: no way out is offered.
	other := fmt.Errorf("commit: %w", syscall.EACCES)
	r.ws.Events().Publish(workspace.CaptureRefused{Method: "POST", Path: "/x", Time: time.Now(), Err: other, Cause: capture.RefusalCause(other)})
	r.loop.WaitFor(t, "the refusal bar", func() bool { return c.storeBar.Visible() })
	if c.diskRow.Visible() || strings.HasPrefix(c.storeMsg.Text, "Disk full") {
		t.Fatalf("a refusal for another cause offers a full disk's way out: %q", c.storeMsg.Text)
	}

	full := fmt.Errorf("store capture cap_x: %w", fmt.Errorf("commit: %w", syscall.ENOSPC))
	r.ws.Events().Publish(workspace.CaptureRefused{Method: "POST", Path: "/x", Time: time.Now(), Err: full, Cause: capture.RefusalCause(full)})
	r.loop.WaitFor(t, "the disk full bar", func() bool { return strings.HasPrefix(c.storeMsg.Text, "Disk full: captures are refused.") })
	if !c.diskRow.Visible() {
		t.Fatal("no way out shown")
	}
	var labels []string
	for _, o := range c.diskRow.Objects {
		if b, ok := o.(*widget.Button); ok {
			labels = append(labels, b.Text)
		}
	}
	if strings.Join(labels, "|") != "Free space: delete oldest…|Clear" {
		t.Fatalf("buttons %q", labels)
	}
	test.Tap(c.freeBtn)
	asked := r.dialogs.Asked[len(r.dialogs.Asked)-1]
	if asked.Kind != dialogstest.Confirm || !strings.Contains(asked.Message, "oldest half of the 4 stored captures") {
		t.Fatalf("asked %+v", asked)
	}
	r.loop.WaitFor(t, "the oldest half deleted and the bar gone", func() bool {
		return c.pager.all == 2 && !c.storeBar.Visible() && !c.diskRow.Visible()
	})
	left, err := r.store.List(capture.Filter{}, 0, 10)
	if err != nil || len(left) != 2 || left[0].Path != "/p3" || left[1].Path != "/p2" {
		t.Fatalf("kept %+v, %v; want the newest two", left, err)
	}
}
