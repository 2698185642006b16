package widgets

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestPairTableCopiesARowOrAll(t *testing.T) {
	app := test.NewTempApp(t)
	app.Settings().SetTheme(Theme())
	pt := NewPairTable(": ", "no headers")
	w := test.NewTempWindow(t, pt)
	w.Resize(fyne.NewSize(500, 300))
	if !pt.empty.Visible() || pt.all.Visible() {
		t.Fatal("an empty table shows its hint and no Copy all")
	}
	pt.SetPairs([]Pair{{Name: "X-Signature", Value: "t=1,v1=abc"}, {Name: "Content-Type", Value: "application/json"}})
	row := pt.list.CreateItem()
	pt.list.UpdateItem(0, row)
	test.Tap(row.(*pairRow).copy)
	if got := app.Clipboard().Content(); got != "t=1,v1=abc" {
		t.Fatalf("row copy gave %q", got)
	}
	test.Tap(pt.all)
	if got := app.Clipboard().Content(); got != "X-Signature: t=1,v1=abc\nContent-Type: application/json" {
		t.Fatalf("copy all gave %q", got)
	}
}

// manualAfter collects the confirmations' timers so a test fires them
// when it chooses.
type manualAfter struct{ fns []func() }

func (m *manualAfter) after(_ time.Duration, f func()) { m.fns = append(m.fns, f) }

func (m *manualAfter) fire() {
	fns := m.fns
	m.fns = nil
	for _, f := range fns {
		f()
	}
}

func TestPairTableSaysCopied(t *testing.T) {
	app := test.NewTempApp(t)
	app.Settings().SetTheme(Theme())
	pt := NewPairTable(": ", "no headers")
	clock := &manualAfter{}
	pt.SetAfter(clock.after)
	w := test.NewTempWindow(t, pt)
	w.Resize(fyne.NewSize(500, 300))
	pt.SetPairs([]Pair{{Name: "X-Signature", Value: "t=1,v1=abc"}})
	row := pt.list.CreateItem()
	pt.list.UpdateItem(0, row)
	bt := row.(*pairRow).copy
	allWidth := pt.all.MinSize().Width
	test.Tap(bt)
	if got := pt.Note(); got != "Copied the value of X-Signature" {
		t.Fatalf("note after a row copy: %q", got)
	}
	if bt.Icon.Name() != theme.ConfirmIcon().Name() {
		t.Fatalf("row copy shows %s, want the tick", bt.Icon.Name())
	}
	clock.fire()
	if pt.Note() != "" || bt.Icon.Name() != theme.ContentCopyIcon().Name() {
		t.Fatalf("confirmation stayed: note %q icon %s", pt.Note(), bt.Icon.Name())
	}
	test.Tap(pt.all)
	if pt.all.Text != "Copied" {
		t.Fatalf("Copy all says %q after a copy", pt.all.Text)
	}
	if w := pt.all.MinSize().Width; w != allWidth {
		t.Fatalf("Copy all changed width from %v to %v while confirming", allWidth, w)
	}
	clock.fire()
	if pt.all.Text != "Copy all" {
		t.Fatalf("Copy all says %q after the confirmation", pt.all.Text)
	}
}
