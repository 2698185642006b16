package catcher

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/dialogs/dialogstest"
)

// postWebhook posts body to path with the header X-Delivery set to
// delivery, as capture n.
func postWebhook(t *testing.T, r *rig, path, delivery, ct, body string, n int) {
	t.Helper()
	req, _ := http.NewRequest("POST", r.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-Delivery", delivery)
	deliver(t, r, req, n)
}

// compareFirstTwo shows the newest capture, taps Compare and picks the
// first capture offered, and waits for the differences.
func compareFirstTwo(t *testing.T, r *rig) *compareView {
	t.Helper()
	cat := r.c
	cat.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	test.Tap(cat.detail.compareBtn)
	if got := r.dialogs.Titles(dialogstest.Custom); len(got) != 1 || got[0] != compareTitle {
		t.Fatalf("asked %+v", r.dialogs.Asked)
	}
	cat.comparePicker.List.Select(0) // the nearest: the one before it
	r.loop.WaitFor(t, "the differences shown", func() bool { return cat.compareView != nil })
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Custom || a.Content != cat.compareView.content {
		t.Fatalf("the differences are not in the dialog: %+v", a)
	}
	return cat.compareView
}

// TestCompareTwoPaymentWebhooks: two payment webhooks that differ in the
// amount (their keys in another order) and one header: the differences
// list exactly those, the header changed in the warning colour.
func TestCompareTwoPaymentWebhooks(t *testing.T) {
	r := newRig(t)
	postWebhook(t, r, "/payments", "evt_1", "application/json",
		`{"type":"payment.succeeded","data":{"object":{"amount":1200,"currency":"eur"}}}`, 1)
	postWebhook(t, r, "/payments", "evt_2", "application/json",
		`{"data":{"object":{"currency":"eur","amount":1500}},"type":"payment.succeeded"}`, 2)
	v := compareFirstTwo(t, r)
	want := []string{
		"Headers (1 differ)",
		"~ X-Delivery: evt_1 → evt_2",
		"Body, as JSON (1 differ)",
		"~ $.data.object.amount: 1200 → 1500",
	}
	if got := v.Texts(); !reflect.DeepEqual(got, want) {
		t.Fatalf("differences:\n%q\nwant\n%q", got, want)
	}
	if v.Lines != nil {
		t.Error("a line diff is shown for JSON bodies")
	}
	row := v.List.CreateItem()
	v.List.UpdateItem(1, row)
	if seg := row.(*widget.RichText).Segments[0].(*widget.TextSegment); seg.Style.ColorName != theme.ColorNameWarning {
		t.Errorf("a changed header is coloured %q", seg.Style.ColorName)
	}
}

// TestCompareTextBodies: text bodies that differ come as a line diff in
// a code view, the removed line before the one added in its place; an
// added header is a row of its own.
func TestCompareTextBodies(t *testing.T) {
	r := newRig(t)
	postWebhook(t, r, "/logs", "d", "text/plain", "one\ntwo\nthree\n", 1)
	req, _ := http.NewRequest("POST", r.url+"/logs", strings.NewReader("one\n222\nthree\n"))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("X-Delivery", "d")
	req.Header.Set("X-Retry", "1")
	deliver(t, r, req, 2)
	v := compareFirstTwo(t, r)
	want := []string{"Headers (1 differ)", "+ X-Retry: 1", "Body: the lines that differ are marked below"}
	if got := v.Texts(); !reflect.DeepEqual(got, want) {
		t.Fatalf("differences:\n%q\nwant\n%q", got, want)
	}
	if v.Lines == nil {
		t.Fatal("no line diff")
	}
	if got := v.Lines.Text(); !strings.Contains(got, "  one\n− two\n+ 222\n  three") {
		t.Errorf("line diff:\n%s", got)
	}
}

// TestCompareAlone: with one capture there is nothing to compare with,
// and Compare says so.
func TestCompareAlone(t *testing.T) {
	r := newRig(t)
	postWebhook(t, r, "/a", "d", "text/plain", "x", 1)
	cat := r.c
	cat.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	test.Tap(cat.detail.compareBtn)
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Information || !strings.Contains(a.Message, "no other capture") {
		t.Fatalf("said %+v", r.dialogs.Asked)
	}
}
