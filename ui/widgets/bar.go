package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Bar lays out a row of three: what stands on the left at its minimum
// width, what stands on the right at its minimum width, and the middle,
// which takes the rest (a URL cut with an ellipsis, a strip of tabs).
// When the middle would get less than Least, the Shorten buttons (on
// either side) drop their words and show their icons alone, so a narrow
// panel keeps room for the middle and never pushes the window wider than
// the screen; the words come back when there is room again.
type Bar struct {
	Least   float32
	shorten []*widget.Button
	words   []string
	short   bool
	saved   float32 // the width the words take, measured while shown
}

// NewBar returns a Bar whose buttons lose their words when the middle
// would be narrower than least.
func NewBar(least float32, shorten ...*widget.Button) *Bar {
	b := &Bar{Least: least, shorten: shorten}
	for _, btn := range shorten {
		b.words = append(b.words, btn.Text)
	}
	return b
}

// Shorten adds buttons that lose their words on a narrow row.
func (b *Bar) Shorten(buttons ...*widget.Button) {
	for _, btn := range buttons {
		b.shorten = append(b.shorten, btn)
		b.words = append(b.words, btn.Text)
	}
}

// Layout expects the left, the middle and the right object.
func (b *Bar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	left, mid, right := objs[0], objs[1], objs[2]
	if !b.short {
		b.saved = b.wordsWidth()
	}
	lw, rw := left.MinSize().Width, right.MinSize().Width
	room := size.Width - lw - rw
	if b.short {
		room -= b.saved // what the words would take back
	}
	b.setShort(room < b.Least)
	lw, rw = left.MinSize().Width, right.MinSize().Width
	place := func(o fyne.CanvasObject, x, w float32) {
		h := min(o.MinSize().Height, size.Height)
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
	}
	place(left, 0, lw)
	place(right, size.Width-rw, rw)
	place(mid, lw, max(size.Width-lw-rw, 0))
}

// wordsWidth is how much wider the buttons are with their words.
func (b *Bar) wordsWidth() float32 {
	w := float32(0)
	for _, btn := range b.shorten {
		if btn.Text != "" {
			w += fyne.MeasureText(btn.Text, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + theme.InnerPadding()
		}
	}
	return w
}

func (b *Bar) setShort(short bool) {
	if short == b.short {
		return
	}
	b.short = short
	for i, btn := range b.shorten {
		if short {
			btn.SetText("")
		} else {
			btn.SetText(b.words[i])
		}
	}
}

// MinSize is the left and right with the buttons as icons, and the
// middle at its minimum.
func (b *Bar) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := float32(0), float32(0)
	for _, o := range objs {
		w += o.MinSize().Width
		h = max(h, o.MinSize().Height)
	}
	if !b.short {
		w -= b.wordsWidth()
	}
	return fyne.NewSize(w, h)
}
