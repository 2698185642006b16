package composer

import (
	"fmt"
	"strings"

	"hooklab/requester"
	"hooklab/ui/widgets"
)

// Load puts r into the editor, replacing what it held.
func (c *Composer) Load(r requester.Request) {
	c.loading = true
	defer func() { c.loading = false }()
	method := r.Method
	if method == "" {
		method = "GET"
	}
	c.Method.SetText(method)
	c.syncing = true
	c.lastURL = r.URL
	c.URL.SetText(r.URL)
	params := r.Params
	if params == nil {
		params = requester.ParamsFromURL(r.URL)
	}
	c.Params.SetRows(params, nil)
	c.syncing = false
	hdrs := make([]requester.Param, len(r.Headers))
	for i, h := range r.Headers {
		hdrs[i] = requester.Param(h)
	}
	c.Headers.SetRows(hdrs, nil)
	c.Body.Set(r.Body)
	c.Auth.Set(r.Auth)
	c.Options.Set(r.Options)
	c.inlineErr.Hide()
	c.curlNote.Hide()
	c.exampleNote.Hide()
	c.refreshCounts()
}

// Request returns what the editor holds.
func (c *Composer) Request() requester.Request {
	r := requester.Request{Name: c.Tabs.current().title, Method: strings.TrimSpace(c.Method.Text), URL: c.URL.Text,
		Params: c.Params.Rows(), Body: c.Body.Body(), Auth: c.Auth.Auth()}
	for _, h := range c.Headers.Rows() {
		r.Headers = append(r.Headers, requester.Header(h))
	}
	r.Options, _ = c.Options.Options()
	return r
}

// edited runs after every user edit: counts, the automatic headers and
// the tab's unsaved mark follow.
func (c *Composer) edited() {
	if c.loading {
		return
	}
	c.refreshCounts()
	c.Tabs.edited()
}

func (c *Composer) refreshCounts() {
	count := func(rows []requester.Param) int {
		n := 0
		for _, r := range rows {
			if !r.Disabled {
				n++
			}
		}
		return n
	}
	c.paramsTab.Text = tabLabel("Params", count(c.Params.Rows()))
	c.headersTab.Text = tabLabel("Headers", count(c.Headers.Rows()))
	c.optionsTab.Text = "Options"
	if !c.Options.Verify.Checked {
		c.optionsTab.Text = "Options ⚠ TLS off"
	}
	c.reqTabs.Refresh()
	widgets.SetMuted(c.autoHdrs, c.autoHeaders())
}

func tabLabel(name string, n int) string {
	if n == 0 {
		return name
	}
	return fmt.Sprintf("%s (%d)", name, n)
}

// autoHeaders describes the headers sending adds to what the table
// holds, so nothing on the wire is a surprise.
func (c *Composer) autoHeaders() string {
	_, vars := c.vars()
	var out []string
	for _, h := range requester.AutoHeaders(c.Request(), vars) {
		out = append(out, h.Name+": "+h.Value)
	}
	return "Added when sent:  " + strings.Join(out, "   ·   ")
}
