package composer

import (
	"slices"
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
	if t := strings.TrimSpace(s); isCurlCommand(t) {
		// Only a paste (many characters at once) is imported: typing
		// "curl h…" must not replace the request at its first letter.
		if len(s)-len(prev) > 1 && c.importCurl(t) {
			return
		}
		c.curlNote.SetText("This looks like a cURL command: paste it whole, or use ⋮ › Import cURL…, which takes what you typed.")
		c.curlNote.Show()
	}
	old := c.Params.Rows()
	if replacedURL(prev, s) {
		// A new URL, not an edit of the old one: the rows the old one
		// had switched off go with it.
		old = slices.DeleteFunc(old, func(p requester.Param) bool { return p.Disabled })
	}
	c.syncing = true
	c.Params.SetRows(requester.SyncParams(old, requester.ParamsFromURL(s)), nil)
	c.syncing = false
	c.edited()
}

// replacedURL reports whether the edit from prev to s replaced the URL
// rather than changed a part of it: the text changed runs from the start
// of the host (or before it) to the query or the end, as when the whole
// URL is selected and another pasted or typed over it.
func replacedURL(prev, s string) bool {
	if prev == "" || prev == s {
		return false
	}
	p := 0
	for p < len(prev) && p < len(s) && prev[p] == s[p] {
		p++
	}
	q := 0
	for q < len(prev)-p && q < len(s)-p && prev[len(prev)-1-q] == s[len(s)-1-q] {
		q++
	}
	hostStart := 0
	if i := strings.Index(prev, "://"); i >= 0 {
		hostStart = i + 3
	}
	query := len(prev)
	if i := strings.IndexByte(prev, '?'); i >= 0 {
		query = i
	}
	return p <= hostStart && len(prev)-q >= query
}

// isCurlCommand reports whether s starts like a cURL command.
func isCurlCommand(s string) bool {
	return strings.HasPrefix(s, "curl ") || strings.HasPrefix(s, "curl.exe ") || strings.HasPrefix(s, "$ curl ")
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
