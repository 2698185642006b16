package ui

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// sendPayment sends the composer's tab (the demo payment) and returns
// the id of the payment the sandbox made, once the body shows it (the
// code view renders off the UI goroutine: the previous one, prev, may
// still be shown for a moment).
func sendPayment(t *testing.T, r *rig, prev string) string {
	t.Helper()
	c := r.ui.Composer
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "201 response", func() bool { return c.Status.Text == "201 Created" })
	var p struct{ ID string }
	r.loop.WaitFor(t, "the payment's id", func() bool {
		return json.Unmarshal([]byte(c.RespBody.Text()), &p) == nil && p.ID != "" && p.ID != prev
	}, c.RespBody.Text)
	return p.ID
}

// webhooksOf waits until the Webhooks tab lists two captures about the
// payment payID, and returns their ids.
func webhooksOf(t *testing.T, r *rig, payID string) []string {
	t.Helper()
	w := r.ui.Composer.Webhooks
	r.loop.WaitFor(t, "Webhooks (2) of "+payID, func() bool {
		if w.Title() != "Webhooks (2)" {
			return false
		}
		for _, id := range w.IDs() {
			cp, err := r.store.Get(id)
			if err != nil || !strings.Contains(string(cp.Body), `"`+payID+`"`) {
				return false
			}
		}
		return true
	}, w.Title, func() string { return strings.Join(w.Rows(), " | ") })
	return w.IDs()
}

// The demo payment's response lists exactly its two webhooks, and the
// next payment's lists its own; a row selects its capture in the
// catcher, whose detail names the call, and the jump opens that call.
func TestWebhooksLinkToTheirCall(t *testing.T) {
	r := newRig(t)
	c, cat := r.ui.Composer, r.ui.Catcher
	if c.Webhooks.Title() != "Webhooks" || !c.Webhooks.List.Hidden {
		t.Fatalf("before sending: %q, list shown %v", c.Webhooks.Title(), c.Webhooks.List.Visible())
	}
	pay1 := sendPayment(t, r, "")
	first := webhooksOf(t, r, pay1)
	rows := c.Webhooks.Rows()
	for _, want := range []string{"payment.created", "payment.succeeded"} {
		if !slices.ContainsFunc(rows, func(s string) bool {
			return strings.Contains(s, "POST /payments "+want+" valid +")
		}) {
			t.Errorf("no row of %s: %q", want, rows)
		}
	}
	second := webhooksOf(t, r, sendPayment(t, r, pay1))
	if slices.ContainsFunc(second, func(id string) bool { return slices.Contains(first, id) }) {
		t.Fatalf("the second call lists the first's webhooks: %v, %v", first, second)
	}
	r.loop.WaitFor(t, "four captures", func() bool { return cat.Total() == 4 })

	// A row of the Webhooks tab selects its capture in the catcher.
	c.Webhooks.List.Select(1)
	if cat.Selected() != second[1] {
		t.Fatalf("selected %q, want %q", cat.Selected(), second[1])
	}
	r.loop.WaitFor(t, "the capture's cause", func() bool {
		return strings.HasPrefix(cat.CausedBy(), "caused by POST /v1/payments (") && strings.HasSuffix(cat.CausedBy(), ", 201)")
	}, cat.CausedBy)

	// The jump opens the call, with its response and its webhooks.
	tabs := len(c.Tabs.Titles())
	open := button(r.win.Content(), "Open request")
	if open == nil {
		t.Fatal("no Open request button")
	}
	test.Tap(open)
	r.loop.WaitFor(t, "the call opened in a new tab", func() bool {
		return len(c.Tabs.Titles()) == tabs+1 && c.Status.Text == "201 Created"
	})
	if c.Method.Text != "POST" || !strings.HasSuffix(c.URL.Text, "/v1/payments") {
		t.Errorf("opened %s %s", c.Method.Text, c.URL.Text)
	}
	r.loop.WaitFor(t, "the opened call's webhooks", func() bool { return slices.Equal(c.Webhooks.IDs(), second) },
		func() string { return strings.Join(c.Webhooks.IDs(), ",") })
}
