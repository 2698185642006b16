package widgets

import (
	"sync"
	"weak"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// Canvas texts take their size when they are made, and a theme change
// (zoom, presentation mode) does not reach them the way it reaches
// widgets. Texts made by NewText are kept here, weakly, so RestyleTexts
// can bring them to the new size.

// sizedText is a text made by NewText and the theme's text size its
// own size was last set for.
type sizedText struct {
	t    weak.Pointer[canvas.Text]
	base float32
}

var texts struct {
	sync.Mutex
	list []sizedText
}

func keepText(t *canvas.Text) {
	texts.Lock()
	defer texts.Unlock()
	texts.list = append(texts.list, sizedText{t: weak.Make(t), base: theme.TextSize()})
}

// RestyleTexts scales every text made by NewText that is still in use
// to the theme's text size, keeping its proportion (a caption stays a
// caption), and forgets the ones gone. Call it on the UI goroutine after
// the theme changed.
func RestyleTexts() {
	size := theme.TextSize()
	texts.Lock()
	live := texts.list[:0]
	var changed []*canvas.Text
	for _, e := range texts.list {
		t := e.t.Value()
		if t == nil {
			continue
		}
		if e.base > 0 && e.base != size {
			t.TextSize *= size / e.base
			changed = append(changed, t)
		}
		e.base = size
		live = append(live, e)
	}
	clear(texts.list[len(live):])
	texts.list = live
	texts.Unlock()
	for _, t := range changed {
		t.Refresh()
	}
}
