package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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
