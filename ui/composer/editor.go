package composer

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

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

// autoHeaders describes the headers the client adds to what the table
// holds, so nothing on the wire is a surprise.
func (c *Composer) autoHeaders() string {
	has := map[string]bool{}
	for _, h := range c.Headers.Rows() {
		if !h.Disabled {
			has[http.CanonicalHeaderKey(strings.TrimSpace(h.Name))] = true
		}
	}
	var out []string
	_, vars := c.vars()
	if full, err := requester.Expand(c.URL.Text, vars); err == nil {
		if u, err := url.Parse(strings.TrimSpace(full)); err == nil && u.Host != "" {
			out = append(out, "Host: "+u.Host)
		}
	}
	if !has["User-Agent"] {
		out = append(out, "User-Agent: "+requester.UserAgent)
	}
	body := c.Body.Body()
	if ct := autoContentType(body.Kind); ct != "" && !has["Content-Type"] {
		out = append(out, "Content-Type: "+ct)
	}
	if body.Kind != requester.BodyNone {
		out = append(out, "Content-Length: (computed)")
	}
	switch a := c.Auth.Auth(); {
	case a.Kind == requester.AuthAPIKey && !a.InQuery && a.Key != "":
		out = append(out, a.Key+": (from Auth)")
	case a.Kind != requester.AuthNone && a.Kind != requester.AuthAPIKey:
		out = append(out, "Authorization: (from Auth)")
	}
	return "Added when sent:  " + strings.Join(out, "   ·   ")
}

func autoContentType(k requester.BodyKind) string {
	switch k {
	case requester.BodyJSON, requester.BodyGraphQL:
		return "application/json"
	case requester.BodyXML:
		return "application/xml"
	case requester.BodyText:
		return "text/plain; charset=utf-8"
	case requester.BodyForm:
		return "application/x-www-form-urlencoded"
	case requester.BodyMultipart:
		return "multipart/form-data; boundary=…"
	case requester.BodyFile:
		return "(from the file's extension)"
	}
	return ""
}

// sameRequest reports whether two requests are equal as a collection
// file holds them: only the active body kind, a timeout in whole
// milliseconds.
func sameRequest(a, b requester.Request) bool {
	return reflect.DeepEqual(asSaved(a), asSaved(b))
}

func asSaved(r requester.Request) requester.Request {
	if r.Method == "" {
		r.Method = "GET"
	}
	if len(r.Params) == 0 {
		r.Params = nil
	}
	if len(r.Headers) == 0 {
		r.Headers = nil
	}
	body := requester.Body{Kind: r.Body.Kind}
	switch r.Body.Kind {
	case requester.BodyJSON, requester.BodyXML, requester.BodyText:
		body.Text = r.Body.Text
	case requester.BodyForm:
		body.Form = r.Body.Form
	case requester.BodyMultipart:
		body.Parts = r.Body.Parts
	case requester.BodyFile:
		body.File = r.Body.File
	case requester.BodyGraphQL:
		body.GraphQL = r.Body.GraphQL
	}
	if len(body.Form) == 0 {
		body.Form = nil
	}
	if len(body.Parts) == 0 {
		body.Parts = nil
	}
	r.Body = body
	r.Options.Timeout = r.Options.Timeout.Truncate(time.Millisecond)
	return r
}
