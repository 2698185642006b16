package widgets

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// CopiedFor is how long a copy's "Copied" confirmation stays.
const CopiedFor = 1500 * time.Millisecond

// copiedText is what a copy button says while it confirms.
const copiedText = "Copied"

// Confirmer shows a confirmation for CopiedFor: Show runs on now and
// off after CopiedFor, unless a newer Show came meanwhile (its own off
// then runs later). Use it from the UI goroutine only.
type Confirmer struct {
	// After runs f on the UI goroutine once d has passed; nil uses a
	// timer. Tests set it to run f when they choose.
	After func(d time.Duration, f func())
	n     int
	off   func()
}

// Show runs on now and off after CopiedFor. A Show before the previous
// one's off runs that off first, so two confirmations never stack.
func (c *Confirmer) Show(on, off func()) {
	if c.off != nil {
		c.off()
	}
	c.n++
	n := c.n
	c.off = off
	on()
	after := c.After
	if after == nil {
		after = func(d time.Duration, f func()) { time.AfterFunc(d, func() { Do(f) }) }
	}
	after(CopiedFor, func() {
		if c.n == n && c.off != nil {
			c.off()
			c.off = nil
		}
	})
}

// CopyButton is a low-importance button with a copy icon whose label
// turns into "Copied" with a tick for CopiedFor after Copied is called.
// Its width fits either label, so the confirmation never moves what is
// next to it.
type CopyButton struct {
	widget.Button
	Confirm Confirmer
	label   string
}

// NewCopyButton returns a copy button labelled label (not empty: an
// icon-only button confirms with its icon and a note instead); tapped
// does the copy and calls Copied once it is done.
func NewCopyButton(label string, tapped func()) *CopyButton {
	b := &CopyButton{label: label}
	b.Text, b.Icon, b.OnTapped = label, theme.ContentCopyIcon(), tapped
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

// Copied says "Copied" on the button for CopiedFor.
func (b *CopyButton) Copied() {
	b.Confirm.Show(func() {
		b.Text, b.Icon = copiedText, theme.ConfirmIcon()
		b.Refresh()
	}, func() {
		b.Text, b.Icon = b.label, theme.ContentCopyIcon()
		b.Refresh()
	})
}

// MinSize is wide enough for the label and for "Copied".
func (b *CopyButton) MinSize() fyne.Size {
	b.ExtendBaseWidget(b)
	s := b.Button.MinSize()
	style := fyne.TextStyle{Bold: true}
	size := theme.TextSize()
	shown := fyne.MeasureText(b.Text, size, style).Width
	widest := max(fyne.MeasureText(b.label, size, style).Width, fyne.MeasureText(copiedText, size, style).Width)
	s.Width += widest - shown
	return s
}
