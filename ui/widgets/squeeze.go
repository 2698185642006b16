package widgets

import "fyne.io/fyne/v2"

// Squeeze lays objects out left to right at their preferred widths when
// the row has room, giving what is left to the Flex object. When it has
// not, the objects give way in proportion to how much they can (their
// preferred width less their Least), so a row of filters fits a narrow
// panel instead of pushing the window wider than the screen. Selects
// and entries cut their text with an ellipsis when squeezed.
type Squeeze struct {
	// Preferred is each object's width when there is room; 0 means its
	// MinSize width.
	Preferred []float32
	// Least is the narrowest each object may get; 0 means it does not
	// give way.
	Least []float32
	// Flex is the index of the object that takes any room left over, or
	// -1 for none.
	Flex int
	Gap  float32
}

func (s *Squeeze) widths(objs []fyne.CanvasObject) (pref, least []float32) {
	pref, least = make([]float32, len(objs)), make([]float32, len(objs))
	for i, o := range objs {
		if i < len(s.Preferred) && s.Preferred[i] > 0 {
			pref[i] = s.Preferred[i]
		} else {
			pref[i] = o.MinSize().Width
		}
		least[i] = pref[i]
		if i < len(s.Least) && s.Least[i] > 0 && s.Least[i] < pref[i] {
			least[i] = s.Least[i]
		}
	}
	return pref, least
}

// Layout places objs, each centred in the row's height.
func (s *Squeeze) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pref, least := s.widths(objs)
	gaps := s.Gap * float32(max(len(objs)-1, 0))
	total, give := gaps, float32(0)
	for i := range objs {
		total += pref[i]
		give += pref[i] - least[i]
	}
	w := pref
	switch {
	case size.Width >= total:
		if s.Flex >= 0 && s.Flex < len(objs) {
			w[s.Flex] += size.Width - total
		}
	case give > 0:
		f := min(1, (total-size.Width)/give)
		for i := range w {
			w[i] -= (pref[i] - least[i]) * f
		}
	}
	x := float32(0)
	for i, o := range objs {
		h := min(o.MinSize().Height, size.Height)
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w[i], h))
		x += w[i] + s.Gap
	}
}

// MinSize is every object at its Least, the gaps, and the tallest
// object's height.
func (s *Squeeze) MinSize(objs []fyne.CanvasObject) fyne.Size {
	_, least := s.widths(objs)
	w, h := s.Gap*float32(max(len(objs)-1, 0)), float32(0)
	for i, o := range objs {
		w += least[i]
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(w, h)
}
