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
// the inline error, the cURL and example notes and the copy confirmation.
func (c *Composer) notesBox() fyne.CanvasObject {
	c.inlineErr.Truncation = fyne.TextTruncateOff
	list := container.NewVBox(c.flash, c.preview, c.inlineErr, c.curlNote, c.exampleNote)
	line := fyne.MeasureText("Mg", theme.TextSize(), fyne.TextStyle{}).Height
	h := noteLines*line + 2*theme.InnerPadding() + theme.Padding()
	return container.New(&widgets.Fixed{Height: h}, container.NewVScroll(list))
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
