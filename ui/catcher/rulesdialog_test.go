package catcher

import (
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestTwoQuickRuleEditsEndInTheSecond: two edits of one endpoint saved
// one right after the other are applied in the order made, so the
// catcher answers by the second.
func TestTwoQuickRuleEditsEndInTheSecond(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.showRules()
	e := c.rulesView
	test.Type(e.Endpoint, "/github")
	for _, status := range []string{"503", "418"} {
		e.Status.SetText(status)
		test.Tap(e.saveBtn)
	}
	r.loop.WaitFor(t, "the rule listed", func() bool { return len(e.rules) == 1 && e.rules[0].Status == 418 })
	if e.errLabel.Visible() {
		t.Errorf("the editor says %q", e.errLabel.Text)
	}
	res, err := http.Post(r.url+"/github/push", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 418 {
		t.Fatalf("the catcher answered %d, want the second edit's 418", res.StatusCode)
	}

	// Removing it, the endpoint answers as before any rule.
	test.Tap(e.removeBtn)
	r.loop.WaitFor(t, "the rule gone", func() bool { return len(e.rules) == 0 && e.noRules.Visible() })
	res, err = http.Post(r.url+"/github/push", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("the catcher answered %d without a rule", res.StatusCode)
	}

	// What the workspace refuses is said in the editor: here, an edit
	// once it is shutting down.
	r.ws.Stop()
	test.Type(e.Endpoint, "/github")
	test.Tap(e.saveBtn)
	r.loop.WaitFor(t, "the refusal said", func() bool { return e.errLabel.Visible() })
	if !strings.Contains(e.errLabel.Text, "shutting down") {
		t.Errorf("the editor says %q", e.errLabel.Text)
	}
}
