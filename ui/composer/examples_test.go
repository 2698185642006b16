package composer

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/capture/signature"
	"hooklab/ui/uitest"
)

// TestExamplesMenuOpensAJobAndTamperBreaksASignature: the job example
// opened from the Examples menu answers 202 and its four webhooks reach
// the catcher; after the tamper switch, one webhook of a payment is
// judged invalid.
func TestExamplesMenuOpensAJobAndTamperBreaksASignature(t *testing.T) {
	r := newRig(t)
	c := r.c
	store := r.ws.Store()
	choose := func(label string) {
		t.Helper()
		test.Tap(c.examplesBtn)
		items := uitest.MenuItems(r.win.Canvas().Overlays().Top())
		item := items[label]
		if item == nil {
			t.Fatalf("the Examples menu has no %q: %v", label, items)
		}
		test.Tap(item)
	}

	before := len(c.Tabs.Titles())
	choose("Start a job")
	if got := c.Tabs.Titles(); len(got) != before+1 || got[len(got)-1] != "Start a job" || !strings.HasSuffix(c.URL.Text, "/v1/jobs") {
		t.Fatalf("tabs %v, URL %q", got, c.URL.Text)
	}
	if !c.exampleNote.Visible() || !strings.Contains(c.exampleNote.Text, "job.completed") {
		t.Errorf("note %q", c.exampleNote.Text)
	}
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "202", func() bool { return c.Status.Text == "202 Accepted" }, func() string { return c.Status.Text })
	jobs := capture.Filter{Endpoint: "jobs"}
	var list []capture.Summary
	r.loop.WaitFor(t, "four job webhooks", func() bool { list, _ = store.List(jobs, 0, 10); return len(list) == 4 })
	for i, want := range []string{"job.completed", "job.progress", "job.progress", "job.progress"} {
		if list[i].Event != want || list[i].Signature.String() != "valid" {
			t.Errorf("webhook %d: %s %v, want %s, valid", i, list[i].Event, list[i].Signature, want)
		}
	}

	choose(tamperLabel)
	r.loop.WaitFor(t, "the tamper note", func() bool { return strings.Contains(c.exampleNote.Text, "does not match") })
	choose("Create payment")
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "201", func() bool { return c.Status.Text == "201 Created" }, func() string { return c.Status.Text })
	payments := capture.Filter{Endpoint: "payments"}
	r.loop.WaitFor(t, "two payment webhooks", func() bool { list, _ = store.List(payments, 0, 10); return len(list) == 2 })
	// The next delivery after the switch was payment.created.
	if list[1].Event != "payment.created" || list[1].Signature.String() != "invalid: "+string(signature.Mismatch) {
		t.Errorf("payment.created: %v", list[1].Signature)
	}
	if list[0].Signature.String() != "valid" {
		t.Errorf("payment.succeeded: %v", list[0].Signature)
	}
}
