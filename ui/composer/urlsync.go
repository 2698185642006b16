package composer

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/ui/widgets"
)

// urlChanged keeps the params table in step with the URL, and turns a
// pasted cURL command into a request.
func (c *Composer) urlChanged(s string) {
	c.inlineErr.Hide()
	c.showPreview()
	if c.syncing {
		return
	}
	prev := c.lastURL
	c.lastURL = s
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "curl ") || strings.HasPrefix(t, "curl.exe ") || strings.HasPrefix(t, "$ curl ") {
		// Only a paste (many characters at once) is imported: typing
		// "curl h…" must not replace the request at its first letter.
		if len(s)-len(prev) > 1 && c.importCurl(t) {
			return
		}
		c.curlNote.SetText("This looks like a cURL command: paste it whole, or use ⋯ › Import cURL.")
		c.curlNote.Show()
	}
	c.syncing = true
	c.Params.SetRows(requester.SyncParams(c.Params.Rows(), requester.ParamsFromURL(s)), nil)
	c.syncing = false
	c.edited()
}

// showPreview shows the URL as it will be sent when it holds variables:
// known values in the accent colour, unknown names in red.
func (c *Composer) showPreview() {
	u := c.URL.Text
	if !strings.Contains(u, "{{") {
		c.preview.Hide()
		return
	}
	_, vars := c.vars()
	seg := func(text string, color fyne.ThemeColorName, style fyne.TextStyle) widget.RichTextSegment {
		return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: color, Inline: true, TextStyle: style, SizeName: theme.SizeNameText}}
	}
	segs := []widget.RichTextSegment{seg("→ ", widgets.ColorNameMuted, fyne.TextStyle{})}
	_ = requester.EachVar(u, func(text string, isVar bool) error {
		name := requester.VarName(text)
		v, known := vars[name]
		switch {
		case !isVar:
			segs = append(segs, seg(text, widgets.ColorNameMuted, widgets.Mono))
		case known:
			segs = append(segs, seg(v, theme.ColorNamePrimary, widgets.Mono))
		case requester.IsBuiltin(name):
			segs = append(segs, seg(text, theme.ColorNamePrimary, widgets.MonoBold)) // a fresh value each send
		default:
			segs = append(segs, seg(text+" (unknown)", theme.ColorNameError, widgets.MonoBold))
		}
		return nil
	})
	c.preview.Segments = segs
	c.preview.Show()
	c.preview.Refresh()
}

// paramsChanged rewrites the URL's query from the table.
func (c *Composer) paramsChanged() {
	if c.syncing {
		return
	}
	c.syncing = true
	if u := requester.URLWithParams(c.URL.Text, c.Params.Rows()); u != c.URL.Text {
		c.URL.SetText(u)
	}
	c.syncing = false
	c.edited()
}
