package composer

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hooklab/ui/compare"
	"hooklab/ui/dialogs/dialogstest"
)

// The demo payment's response compared with its webhooks: Compare is
// off until there is a response, then offers the two webhooks the call
// caused before another capture; the payment in the response is the
// one payment.created carries, and payment.succeeded's has moved on.
func TestCompareResponseWithItsWebhooks(t *testing.T) {
	r := newRig(t)
	c := r.c
	if !c.Compare.Button.Disabled() {
		t.Fatal("Compare is on before anything was sent")
	}
	resp, err := http.Post(r.webhookURL+"plain", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "Webhooks (2)", func() bool { return c.Webhooks.Title() == "Webhooks (2)" }, c.Webhooks.Title)
	if c.Compare.Button.Disabled() {
		t.Fatal("Compare is off with a response in view")
	}
	r.dialogs.Asked = nil
	test.Tap(c.Compare.Button)
	r.loop.WaitFor(t, "the picker", func() bool { return c.Compare.Picker != nil })
	if got := r.dialogs.Titles(dialogstest.Custom); len(got) != 1 || got[0] != compare.PickerTitle {
		t.Fatalf("asked %+v", r.dialogs.Asked)
	}
	rows := c.Compare.Picker.Rows()
	if len(rows) != 5 || rows[0] != "Webhooks this call caused" ||
		!strings.HasSuffix(rows[1], " POST /payments · payment.created") || !strings.HasSuffix(rows[2], " POST /payments · payment.succeeded") ||
		rows[3] != "Recent captures" || !strings.HasSuffix(rows[4], " POST /plain") {
		t.Fatalf("offered %q", rows)
	}

	pick := func(i int) []string {
		t.Helper()
		c.Compare.View = nil
		c.Compare.Picker.List.Select(i)
		r.loop.WaitFor(t, "the differences", func() bool { return c.Compare.View != nil })
		if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Custom || a.Content != c.Compare.View.Content {
			t.Fatalf("the differences are not in the dialog: %+v", a)
		}
		return c.Compare.View.Texts()
	}
	created := pick(1)
	if !slices.Contains(created, "~ 201 Created → POST /payments") ||
		created[0] != "Body against $.data.object of the new one: the same" {
		t.Errorf("against payment.created:\n%q", created)
	}
	succeeded := pick(2)
	if want := []string{"Body against $.data.object of the new one, as JSON (1 differ)", `~ $.status: "pending" → "succeeded"`}; !slices.Equal(succeeded[:2], want) {
		t.Errorf("against payment.succeeded:\n%q", succeeded)
	}
	if !slices.Contains(succeeded, "+ X-Hooklab-Event: payment.succeeded") {
		t.Errorf("the headers that differ are not listed: %q", succeeded)
	}
	plain := pick(4)
	if c.Compare.View.Narrow != nil || !slices.ContainsFunc(plain, func(s string) bool { return strings.HasPrefix(s, "Body: the lines that differ") }) ||
		c.Compare.View.Lines == nil {
		t.Errorf("against a text capture:\n%q", plain)
	}
}

// A new tab has no response: Compare goes off, and on again back on the
// tab that sent.
func TestCompareFollowsTheTabInView(t *testing.T) {
	r := newRig(t)
	c := r.c
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "the response", func() bool { return c.Status.Text == "201 Created" })
	if c.Compare.Button.Disabled() {
		t.Fatal("Compare is off with a response in view")
	}
	c.Tabs.New()
	if !c.Compare.Button.Disabled() {
		t.Error("Compare is on in a tab without a response")
	}
	c.Tabs.doc.SelectIndex(0)
	if c.Compare.Button.Disabled() {
		t.Error("Compare is off back on the tab that sent")
	}
}
