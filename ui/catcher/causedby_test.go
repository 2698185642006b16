package catcher

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/workspace"
)

// A capture the demo payment caused says so under its signature, with
// a button that hands the request's history id on; an unlinked capture
// says nothing there, and the line is as high either way.
func TestDetailSaysWhatCausedACapture(t *testing.T) {
	r := newRig(t)
	cat := r.c
	var opened []int64
	cat.OnOpenRequest = func(id int64) { opened = append(opened, id) }
	postTo(t, r.url+"/plain", "application/json", `{"hello":"hooklab"}`)
	r.loop.WaitFor(t, "the plain capture", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "the plain capture shown", cat.DetailShown)
	r.loop.Drain()
	unlinked := cat.detail.cause.line.MinSize().Height
	if got := cat.CausedBy(); got != "" {
		t.Fatalf("an unlinked capture says %q", got)
	}

	resp, err := r.ws.Send(context.Background(), "t", workspace.ExampleRequest(), r.ws.Vars(), "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	hist, err := r.ws.History().List("", 0, 1)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history %v, %v", hist, err)
	}
	var payments []capture.Summary
	r.loop.WaitFor(t, "the payment's two webhooks", func() bool {
		payments, _ = r.store.List(capture.Filter{Endpoint: "payments"}, 0, 10)
		return len(payments) == 2
	})
	cat.ShowCapture(payments[0].ID)
	want := "caused by POST /v1/payments (" + hist[0].Time.Format("15:04:05") + ", 201)"
	r.loop.WaitFor(t, "the cause", func() bool { return cat.CausedBy() == want }, cat.CausedBy)
	if cat.Selected() != payments[0].ID {
		t.Errorf("selected %q, want %q", cat.Selected(), payments[0].ID)
	}
	if h := cat.detail.cause.line.MinSize().Height; h != unlinked {
		t.Errorf("the line is %v high with a cause, %v without", h, unlinked)
	}
	test.Tap(cat.detail.cause.open)
	if len(opened) != 1 || opened[0] != hist[0].ID {
		t.Errorf("Open request opened %v, want [%d]", opened, hist[0].ID)
	}

	// Back to the unlinked capture: the line empties.
	for i := range cat.pager.total {
		if s, ok := cat.pager.item(i); ok && strings.HasPrefix(s.Path, "/plain") {
			cat.Select(i)
		}
	}
	r.loop.WaitFor(t, "no cause", func() bool { return cat.CausedBy() == "" }, cat.CausedBy)
}
