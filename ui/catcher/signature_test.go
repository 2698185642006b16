package catcher

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture/signature"
	"hooklab/ui/dialogs/dialogstest"
)

// rows returns the list's rows as read (RowText), top first.
func rows(c *Catcher) []string {
	var out []string
	for _, o := range test.LaidOutObjects(c.list) {
		if r, ok := o.(*captureRow); ok && r.Visible() && r.method.Text != "" {
			out = append(out, r.RowText())
		}
	}
	return out
}

// postSigned posts body to url signed under c, as of at.
func postSigned(t *testing.T, url string, c signature.Config, body string, at time.Time) {
	t.Helper()
	h, err := signature.Sign(c, signature.Message{ID: "msg_1", Time: at, Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

// A scheme set with the wrong secret in the Signatures dialog makes a
// signed webhook read "invalid" with the reason, in the row and the
// detail; the secret is typed masked and never shown back; setting the
// right one makes the detail judge the same capture valid now.
func TestWrongSecretShowsInvalidWithTheReason(t *testing.T) {
	r := newRig(t)
	c := r.c
	test.Tap(c.sigBtn)
	a, ok := r.dialogs.Last()
	if !ok || a.Kind != dialogstest.Custom || a.Title != "Signatures" {
		t.Fatalf("Signatures showed %+v", a)
	}
	e := c.sigView
	if !e.Secret.Password {
		t.Error("the secret entry is not masked")
	}
	test.Type(e.Endpoint, "/stripe")
	e.Scheme.SetSelected("stripe")
	test.Type(e.Secret, "whsec_wrongsecret1234")
	test.Tap(e.saveBtn)
	r.loop.WaitFor(t, "the scheme listed", func() bool { return len(e.entries) == 1 })
	if e.errLabel.Visible() {
		t.Fatalf("the dialog says %q", e.errLabel.Text)
	}
	for _, o := range test.LaidOutObjects(a.Content) {
		if rt, ok := o.(*widget.RichText); ok && strings.Contains(rt.String(), "wrongsecret") {
			t.Errorf("the dialog shows the secret: %q", rt.String())
		}
	}
	if got := schemeSummary(e.entries[0].cfg); got != "stripe · whsec_…1234" {
		t.Errorf("listed as %q", got)
	}
	if e.Secret.Text != "" {
		t.Error("the secret stays in the entry after saving")
	}

	right := signature.Config{Scheme: signature.Stripe, Secret: "whsec_rightsecret5678"}
	postSigned(t, r.url+"/stripe", right, `{"type":"charge.succeeded"}`, time.Now())
	r.loop.WaitFor(t, "the invalid row", func() bool {
		rs := rows(c)
		return len(rs) == 1 && rs[0] == "POST /stripe charge.succeeded 200 invalid"
	})
	c.Select(0)
	r.loop.WaitFor(t, "the verdict in words", func() bool {
		return strings.Contains(c.Verdict(), "invalid signature does not match: wrong secret or body altered")
	})
	if !strings.HasPrefix(c.Verdict(), "invalid ") || c.EventType() != "charge.succeeded" {
		t.Errorf("detail: %q, event %q", c.Verdict(), c.EventType())
	}

	// The right secret, saved over the wrong one, judges the shown
	// capture again; the one on arrival is still said.
	e.edit("stripe", e.entries[0].cfg)
	if !strings.Contains(widgets0(e), "whsec_…1234") {
		t.Errorf("the kept secret's hint: %q", widgets0(e))
	}
	test.Type(e.Secret, right.Secret)
	test.Tap(e.saveBtn)
	r.loop.WaitFor(t, "the capture judged again", func() bool { return strings.HasPrefix(c.Verdict(), "valid checked as stripe") })
	if !strings.Contains(c.Verdict(), "on arrival: invalid") {
		t.Errorf("detail: %q", c.Verdict())
	}

	// A stale timestamp says how far off it is.
	postSigned(t, r.url+"/stripe", right, `{"type":"charge.refunded"}`, time.Now().Add(-7*time.Minute-12*time.Second))
	r.loop.WaitFor(t, "the stale capture", func() bool { return c.Total() == 2 })
	c.Select(0)
	r.loop.WaitFor(t, "the stale verdict", func() bool {
		return strings.Contains(c.Verdict(), "invalid timestamp outside tolerance (signed 7m1") &&
			strings.Contains(c.Verdict(), "old, tolerance 5m0s)")
	})
}

func widgets0(e *sigEditor) string { return e.secretHint.String() }

// The Event filter offers the event types seen and narrows the list to
// one; captures arriving under it are taken in from their summaries.
func TestEventFilterNarrowsTheList(t *testing.T) {
	r := newRig(t)
	c := r.c
	for _, ev := range []string{"push", "issues", "push"} {
		req, _ := http.NewRequest(http.MethodPost, r.url+"/github", strings.NewReader(`{}`))
		req.Header.Set("X-GitHub-Event", ev)
		deliver(t, r, req, c.Total()+1)
	}
	if got := strings.Join(c.Event.Options, ","); got != "Event,issues,push" {
		t.Fatalf("Event offers %s", got)
	}
	c.Event.SetSelected("push")
	r.loop.WaitFor(t, "two pushes", func() bool { return c.Total() == 2 && !c.follow.reading })
	for _, row := range rows(c) {
		if !strings.Contains(row, " push ") {
			t.Errorf("row %q under the push filter", row)
		}
	}
	before := r.reads.reads()
	for _, ev := range []string{"issues", "push"} {
		req, _ := http.NewRequest(http.MethodPost, r.url+"/github", strings.NewReader(`{}`))
		req.Header.Set("X-GitHub-Event", ev)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	r.loop.WaitFor(t, "the new push", func() bool { return c.Total() == 3 && c.pager.all == 5 })
	if n := r.reads.reads() - before; n != 0 {
		t.Errorf("the filter read the store %d times for captures that arrived", n)
	}
}

func TestSecretHint(t *testing.T) {
	for in, want := range map[string]string{
		"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw": "whsec_…LaSw",
		"short":                                  "••••••",
		"gh-secret-abcdefgh":                     "…efgh",
	} {
		if got := secretHint(in); got != want {
			t.Errorf("secretHint(%q) = %q, want %q", in, got, want)
		}
	}
}
