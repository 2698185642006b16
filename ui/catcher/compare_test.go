package catcher

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/compare"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/workspace"
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
func compareFirstTwo(t *testing.T, r *rig) *compare.View {
	t.Helper()
	cat := r.c
	cat.Select(0)
	r.loop.WaitFor(t, "the capture shown", func() bool { return cat.detail.shown != nil })
	test.Tap(cat.detail.compareBtn)
	if got := r.dialogs.Titles(dialogstest.Custom); len(got) != 1 || got[0] != compare.PickerTitle {
		t.Fatalf("asked %+v", r.dialogs.Asked)
	}
	cat.comparePicker.List.Select(0) // the nearest: the one before it
	r.loop.WaitFor(t, "the differences shown", func() bool { return cat.compareView != nil })
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Custom || a.Content != cat.compareView.Content {
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

// TestCompareWithTheCausingResponse: a webhook of the demo payment is
// linked to the call that caused it, so Compare offers that call's
// response first; picked, the differences are the payment in the
// response against data.object in the webhook, whose status moved on,
// then the first lines and the headers; the whole bodies are a tick
// away.
func TestCompareWithTheCausingResponse(t *testing.T) {
	r := newRig(t)
	cat := r.c
	resp, err := r.ws.Send(context.Background(), "t", workspace.ExampleRequest(), r.ws.Vars(), "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	var payments []capture.Summary
	r.loop.WaitFor(t, "the payment's two webhooks", func() bool {
		payments, _ = r.store.List(capture.Filter{Endpoint: "payments"}, 0, 10)
		return len(payments) == 2 && payments[0].Event == "payment.succeeded"
	})
	cat.ShowCapture(payments[0].ID)
	r.loop.WaitFor(t, "the cause", func() bool { return strings.HasPrefix(cat.CausedBy(), "caused by POST /v1/payments") }, cat.CausedBy)
	test.Tap(cat.detail.compareBtn)
	p := cat.comparePicker
	rows := p.Rows()
	if len(rows) != 4 || rows[0] != "The response of the call that caused it" ||
		!strings.HasSuffix(rows[1], " POST /v1/payments → 201 Created") || rows[2] != "Captures around it on the list" ||
		!strings.HasSuffix(rows[3], "POST /payments · payment.created") {
		t.Fatalf("offered %q", rows)
	}
	p.List.Select(0) // a title: nothing happens
	r.loop.Drain()
	if cat.compareView != nil {
		t.Fatal("picking a title compared")
	}
	p.List.Select(1)
	r.loop.WaitFor(t, "the differences shown", func() bool { return cat.compareView != nil })
	v := cat.compareView
	got := v.Texts()
	want := []string{
		"First line", "~ 201 Created → POST /payments",
		`Body against $.data.object of the new one, as JSON (1 differ)`,
		`~ $.status: "pending" → "succeeded"`,
	}
	if !slices.Contains(got, want[0]) || !slices.Contains(got, want[1]) || got[0] != want[2] || got[1] != want[3] {
		t.Fatalf("differences:\n%q\nwant among them\n%q", got, want)
	}
	if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "Headers (") }) ||
		!slices.Contains(got, "+ X-Hooklab-Event: payment.succeeded") {
		t.Errorf("the headers that differ are not listed: %q", got)
	}
	if v.Narrow == nil || !v.Narrow.Checked {
		t.Fatal("the body is not compared with data.object")
	}
	test.Tap(v.Narrow)
	whole := v.Texts()
	if !slices.ContainsFunc(whole, func(s string) bool { return strings.HasPrefix(s, "Body, as JSON (") }) ||
		!slices.ContainsFunc(whole, func(s string) bool { return strings.HasPrefix(s, "+ $.data: added {") }) {
		t.Errorf("whole bodies:\n%q", whole)
	}
}
