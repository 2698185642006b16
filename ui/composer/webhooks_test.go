package composer

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestDelayAfter(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                       "+0 ms",
		240 * time.Millisecond:  "+240 ms",
		1200 * time.Millisecond: "+1.2 s",
		99 * time.Second:        "+99.0 s",
		150 * time.Second:       "+2m30s",
		-300 * time.Millisecond: "−300 ms",
	} {
		if got := delayAfter(d); got != want {
			t.Errorf("delayAfter(%v) = %q, want %q", d, got, want)
		}
	}
}

// The Webhooks tab follows the tab in view: a new tab has none and says
// what to expect, the tab that sent the payment has its two again.
func TestWebhooksFollowTheTabInView(t *testing.T) {
	r := newRig(t)
	c := r.c
	if !c.Webhooks.empty.Visible() || !strings.Contains(c.Webhooks.empty.String(), "share an id with this response") {
		t.Fatalf("empty state %q, shown %v", c.Webhooks.empty.String(), c.Webhooks.empty.Visible())
	}
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "Webhooks (2)", func() bool { return c.Webhooks.Title() == "Webhooks (2)" }, c.Webhooks.Title)
	ids := c.Webhooks.IDs()
	if c.Webhooks.empty.Visible() || !c.Webhooks.List.Visible() {
		t.Error("the list is not shown")
	}
	c.Tabs.New()
	r.loop.WaitFor(t, "no webhooks in the new tab", func() bool { return c.Webhooks.Title() == "Webhooks" })
	if !c.Webhooks.empty.Visible() || c.Webhooks.List.Visible() {
		t.Error("the new tab does not say it has none")
	}
	c.Tabs.doc.SelectIndex(0)
	r.loop.WaitFor(t, "the payment's webhooks again", func() bool {
		got := c.Webhooks.IDs()
		return len(got) == 2 && got[0] == ids[0] && got[1] == ids[1]
	}, c.Webhooks.Title)
}
