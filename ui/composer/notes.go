package composer

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"hooklab/ui/widgets"
)

// flashFor is how long a "Copied" confirmation stays.
const flashFor = 1500 * time.Millisecond

// noteLines is how many lines of text the notes under the URL row get.
// Their room is kept whether or not a note shows, so the URL preview, an
// error or a cURL note coming and going never moves the Params, Headers
// and Body tabs under the pointer; a longer note scrolls.
const noteLines = 2

// notesBox holds, in a box of fixed height, the URL as it will be sent,
// the inline error, the cURL and example notes, the copy confirmation,
// and under them the hint while there is room for it.
func (c *Composer) notesBox() fyne.CanvasObject {
	line := fyne.MeasureText("Mg", theme.TextSize(), fyne.TextStyle{}).Height + 2*theme.InnerPadding()
	room := noteLines * line
	list := container.New(&notesLayout{room: room}, c.flash, c.preview, c.inlineErr, c.curlNote, c.exampleNote, c.varsHint)
	return container.New(&widgets.Fixed{Height: room}, container.NewVScroll(list))
}

// notesLayout stacks the notes that show, full width, then the last
// object (the hint) when it fits in room; otherwise the hint is left
// below, out of the box's view.
type notesLayout struct{ room float32 }

func (l *notesLayout) place(objs []fyne.CanvasObject, width float32, move bool) float32 {
	y := float32(0)
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		if move {
			o.Resize(fyne.NewSize(width, o.MinSize().Height))
		}
		h := o.MinSize().Height
		if i == len(objs)-1 && y > 0 && y+h > l.room {
			if move {
				o.Move(fyne.NewPos(0, l.room)) // out of view
			}
			return y
		}
		if move {
			o.Move(fyne.NewPos(0, y))
			o.Resize(fyne.NewSize(width, h))
		}
		y += h
	}
	return y
}

// Layout places the notes.
func (l *notesLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.place(objs, size.Width, true)
}

// MinSize is the height of what shows.
func (l *notesLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		if o.Visible() {
			w = max(w, min(o.MinSize().Width, 1))
		}
	}
	return fyne.NewSize(w, l.place(objs, 0, false))
}

// showHint fills the hint line: the send shortcut, then the variables
// the request can use (the built-ins, then the active environment's),
// so a narrow panel cuts the variables, not the shortcut.
func (c *Composer) showHint() {
	name, vars := c.vars()
	parts := []string{"Ctrl+Enter sends"}
	for _, k := range []string{"webhook_url", "sandbox_url"} {
		if v, ok := vars[k]; ok {
			parts = append(parts, fmt.Sprintf("{{%s}} = %s", k, v))
		}
	}
	var own []string
	for k := range vars {
		if _, builtin := c.builtins[k]; !builtin {
			own = append(own, "{{"+k+"}}")
		}
	}
	slices.Sort(own)
	if len(own) > 0 {
		label := "variables"
		if name != "" {
			label = name
		}
		parts = append(parts, label+": "+strings.Join(own, " "))
	}
	widgets.SetMuted(c.varsHint, strings.Join(parts, "   ·   "))
}

// flashNote shows msg where the notes show for flashFor, then hides it
// again unless a newer one replaced it.
func (c *Composer) flashNote(msg string) {
	c.flashN++
	n := c.flashN
	c.flash.SetText(msg)
	c.flash.Show()
	c.after(flashFor, func() {
		if c.flashN == n {
			c.flash.Hide()
		}
	})
}
