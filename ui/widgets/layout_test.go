package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestSqueezeGivesWayInProportionAndFlexTakesTheRest(t *testing.T) {
	objs := []fyne.CanvasObject{canvas.NewRectangle(nil), canvas.NewRectangle(nil), canvas.NewRectangle(nil)}
	s := &Squeeze{Preferred: []float32{100, 200, 50}, Least: []float32{50, 100, 0}, Flex: 1, Gap: 10}
	if got := s.MinSize(objs).Width; got != 50+100+50+20 {
		t.Fatalf("MinSize width %v, want every object at its least", got)
	}
	widths := func(total float32) []float32 {
		s.Layout(objs, fyne.NewSize(total, 30))
		return []float32{objs[0].Size().Width, objs[1].Size().Width, objs[2].Size().Width}
	}
	if got := widths(500); got[0] != 100 || got[1] != 200+130 || got[2] != 50 {
		t.Fatalf("with room: %v, want preferred widths and the rest to the flex one", got)
	}
	// 70 too narrow: the two that can give way (50 and 100) give 70 in
	// proportion, the fixed one keeps its width.
	if got := widths(300); got[0] != 100-70.0/3 || got[1] != 200-140.0/3 || got[2] != 50 {
		t.Fatalf("squeezed: %v", got)
	}
	if got := widths(100); got[0] != 50 || got[1] != 100 || got[2] != 50 {
		t.Fatalf("narrower than the minimum: %v, want every object at its least", got)
	}
}

func TestColumnsDropWhatMattersLeastWhenNarrow(t *testing.T) {
	objs := []fyne.CanvasObject{canvas.NewRectangle(nil), canvas.NewRectangle(nil), canvas.NewRectangle(nil), canvas.NewRectangle(nil)}
	c := &Columns{Widths: []float32{50, 0, 40, 30}, Flex: 1, Drop: []int{3, 2}, MinFlex: 100}
	c.Layout(objs, fyne.NewSize(300, 20))
	if !objs[3].Visible() || !objs[2].Visible() || objs[1].Size().Width != 180 {
		t.Fatalf("wide: flex %v, dropped something", objs[1].Size().Width)
	}
	c.Layout(objs, fyne.NewSize(200, 20))
	if objs[3].Visible() || !objs[2].Visible() || objs[1].Size().Width != 110 {
		t.Fatalf("narrower: flex %v, want the last column dropped only", objs[1].Size().Width)
	}
	c.Layout(objs, fyne.NewSize(140, 20))
	if objs[3].Visible() || objs[2].Visible() || objs[1].Size().Width != 90 {
		t.Fatalf("narrowest: flex %v, want both dropped", objs[1].Size().Width)
	}
	c.Layout(objs, fyne.NewSize(300, 20))
	if !objs[3].Visible() || !objs[2].Visible() {
		t.Fatal("columns did not come back when there was room again")
	}
}

func TestBarButtonsLoseTheirWordsWhenTheMiddleIsNarrow(t *testing.T) {
	test.NewTempApp(t)
	btn := widget.NewButtonWithIcon("Examples", theme.DocumentIcon(), nil)
	mid := canvas.NewRectangle(nil)
	bar := NewBar(200, btn)
	row := container.New(bar, canvas.NewRectangle(nil), mid, btn)
	row.Resize(fyne.NewSize(600, 40))
	if btn.Text != "Examples" || mid.Size().Width < 200 {
		t.Fatalf("wide: button %q, middle %v", btn.Text, mid.Size().Width)
	}
	row.Resize(fyne.NewSize(250, 40))
	if btn.Text != "" {
		t.Fatal("narrow: the button kept its words")
	}
	if min := row.MinSize().Width; min > btn.MinSize().Width+theme.Padding() {
		t.Fatalf("MinSize %v counts more than the icon-only button (%v)", min, btn.MinSize().Width)
	}
	row.Resize(fyne.NewSize(600, 40))
	if btn.Text != "Examples" {
		t.Fatal("the words did not come back with the room")
	}
}
