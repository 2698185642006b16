package catcher

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestCopyURLSaysCopied: the URL's Copy shows a tick and "Copied" in
// the URL's place until its timer fires, and moves nothing meanwhile.
func TestCopyURLSaysCopied(t *testing.T) {
	r := newRig(t)
	var timers []func()
	r.c.copied.After = func(_ time.Duration, f func()) { timers = append(timers, f) }
	d := fyne.CurrentApp().Driver()
	btAt, urlAt := d.AbsolutePositionForObject(r.c.copyBtn), d.AbsolutePositionForObject(r.c.urlText)
	urlSize := r.c.urlText.Size()

	test.Tap(r.c.copyBtn)
	if got := fyne.CurrentApp().Clipboard().Content(); got != r.c.url {
		t.Fatalf("Copy gave %q, want %q", got, r.c.url)
	}
	if r.c.urlText.Text != "Copied" || r.c.copyBtn.Icon.Name() != theme.ConfirmIcon().Name() {
		t.Fatalf("after Copy: %q, icon %s", r.c.urlText.Text, r.c.copyBtn.Icon.Name())
	}
	if d.AbsolutePositionForObject(r.c.copyBtn) != btAt || d.AbsolutePositionForObject(r.c.urlText) != urlAt || r.c.urlText.Size() != urlSize {
		t.Fatal("the confirmation moved the URL row")
	}
	if len(timers) != 1 {
		t.Fatalf("%d timers started, want 1", len(timers))
	}
	timers[0]()
	if r.c.urlText.Text != r.c.url || r.c.copyBtn.Icon.Name() != theme.ContentCopyIcon().Name() {
		t.Fatalf("after its time: %q, icon %s", r.c.urlText.Text, r.c.copyBtn.Icon.Name())
	}
}
