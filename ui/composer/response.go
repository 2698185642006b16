package composer

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2/theme"
	"github.com/alecthomas/chroma/v2"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/codeview"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

// showResult shows a response, an error, or nothing when both are nil.
func (c *Composer) showResult(resp *requester.Response, err error) {
	c.Webhooks.follow()
	c.Compare.follow(resp)
	switch {
	case err != nil:
		c.showError(err)
	case resp != nil:
		c.showResponse(resp)
	default:
		c.Status.Text = ""
		c.Status.Refresh()
		widgets.SetMuted(c.StatusMeta, "Press Send to see the response here.")
		c.RespBody.Clear()
		c.RespRaw.Clear()
		c.RespHeaders.SetPairs(nil)
		c.Timing.Clear()
		c.respHdrTab.Text = "Headers"
		c.respTabs.Refresh()
	}
}

func (c *Composer) showError(err error) {
	label, msg := "Error", err.Error()
	var se *requester.SendError
	if errors.As(err, &se) {
		msg = se.Msg
		if se.Kind == "canceled" {
			label = "Cancelled"
		}
	}
	c.Status.Text = label
	c.Status.Color = theme.Color(theme.ColorNameError)
	c.Status.Refresh()
	widgets.SetMuted(c.StatusMeta, msg)
	lines := []highlight.Line{
		{{Text: msg, Type: chroma.GenericError}},
		{},
		{{Text: err.Error(), Type: chroma.Comment}},
	}
	c.RespBody.SetLines(lines, []byte(err.Error()))
	c.RespRaw.SetLines(lines, []byte(err.Error()))
	c.RespHeaders.SetPairs(nil)
	c.Timing.Clear()
	c.respHdrTab.Text = "Headers"
	c.respTabs.Refresh()
}

func (c *Composer) showResponse(resp *requester.Response) {
	c.Status.Text = resp.StatusText
	c.Status.Color = widgets.StatusColor(resp.Status)
	c.Status.Refresh()
	size := capture.FormatSize(resp.Size)
	if resp.Truncated && (resp.BodyFile == "" || resp.Size > requester.MaxBodyBytes) {
		size += " (truncated)"
	}
	widgets.SetMuted(c.StatusMeta, fmt.Sprintf("%s · %s · %s · %s", formatDuration(resp.Timings.Total), size, resp.Proto, resp.RemoteAddr))
	switch {
	case len(resp.Body) == 0:
		c.RespBody.SetLines([]highlight.Line{{{Text: "no body", Type: chroma.Comment}}}, nil)
	case resp.Truncated && resp.BodyFile != "":
		c.RespBody.SetBodyFile(resp.Header.Get("Content-Type"), resp.Body, resp.BodyFile,
			fmt.Sprintf("showing the first %s of %s; Save writes all of it", capture.FormatSize(int64(len(resp.Body))), capture.FormatSize(resp.Size)))
	case resp.Truncated:
		c.RespBody.SetBodyNote(resp.Header.Get("Content-Type"), resp.Body,
			fmt.Sprintf("showing the first %s of %s", capture.FormatSize(int64(len(resp.Body))), capture.FormatSize(resp.Size)))
	default:
		c.RespBody.SetBody(resp.Header.Get("Content-Type"), resp.Body)
	}
	c.RespHeaders.SetPairs(capture.HeaderFields(resp.Header, ""))
	c.respHdrTab.Text = tabLabel("Headers", len(resp.Header))
	c.Timing.SetTimings(resp.Timings)
	c.RespRaw.SetLines(exchangeLines(resp), nil)
	c.respTabs.Refresh()
}

// exchangeLines renders what was sent and what came back as HTTP text.
func exchangeLines(resp *requester.Response) []highlight.Line {
	var lines []highlight.Line
	if p := resp.Request; p != nil {
		target, host := p.URL, ""
		if u, err := url.Parse(p.URL); err == nil {
			target, host = u.RequestURI(), u.Host
		}
		if p.Header.Get("Host") != "" {
			host = "" // the headers as written on the wire hold it
		}
		if head := strings.Split(strings.TrimSuffix(p.Head, "\r\n\r\n"), "\r\n"); p.Head != "" && len(head) > 0 {
			// The head exactly as written on the wire: names in their case
			// and order (the last hop's, after a redirect).
			method, rest, _ := strings.Cut(head[0], " ")
			lines = append(lines, highlight.Line{{Text: method, Type: chroma.Keyword}, {Text: " " + rest, Type: chroma.NameNamespace}})
			var pairs []widgets.Pair
			for _, l := range head[1:] {
				name, value, _ := strings.Cut(l, ":")
				pairs = append(pairs, widgets.Pair{Name: name, Value: strings.TrimPrefix(value, " ")})
			}
			lines = append(lines, codeview.HeaderLines(pairs)...)
		} else {
			lines = append(lines, highlight.Line{{Text: p.Method, Type: chroma.Keyword}, {Text: " " + target + " ", Type: chroma.NameNamespace},
				{Text: resp.Proto, Type: chroma.KeywordReserved}})
			lines = append(lines, codeview.HeaderLines(capture.HeaderFields(p.Header, host))...)
		}
		lines = append(lines, highlight.Line{})
		lines = append(lines, codeview.RawBodyLines(p.Body)...)
		lines = append(lines, highlight.Line{}, highlight.Line{{Text: "────────", Type: chroma.Comment}}, highlight.Line{})
	}
	lines = append(lines, highlight.Line{{Text: resp.Proto + " ", Type: chroma.KeywordReserved}, {Text: resp.StatusText, Type: chroma.NameNamespace}})
	lines = append(lines, codeview.HeaderLines(capture.HeaderFields(resp.Header, ""))...)
	lines = append(lines, highlight.Line{})
	return append(lines, codeview.RawBodyLines(resp.Body)...)
}

// showCookies lists what the response set and what the active
// environment's jar holds.
func (c *Composer) showCookies(resp *requester.Response, jar []*http.Cookie) {
	var pairs []widgets.Pair
	set := 0
	if resp != nil {
		set = len(resp.Cookies)
		for _, ck := range resp.Cookies {
			pairs = append(pairs, widgets.Pair{Name: "set · " + ck.Name, Value: ck.Value + cookieAttrs(ck)})
		}
	}
	for _, ck := range jar {
		pairs = append(pairs, widgets.Pair{Name: "jar · " + ck.Name, Value: ck.Value + cookieAttrs(ck)})
	}
	c.Cookies.SetPairs(pairs)
	c.cookiesTab.Text = tabLabel("Cookies", set)
	c.respTabs.Refresh()
}

func cookieAttrs(ck *http.Cookie) string {
	var b strings.Builder
	if ck.Domain != "" {
		b.WriteString("  · " + ck.Domain + ck.Path)
	}
	if !ck.Expires.IsZero() {
		b.WriteString("  · expires " + ck.Expires.UTC().Format("2006-01-02 15:04"))
	}
	if ck.Secure {
		b.WriteString("  · Secure")
	}
	if ck.HttpOnly {
		b.WriteString("  · HttpOnly")
	}
	return b.String()
}

func (c *Composer) clearCookies() {
	jar, _ := c.vars()
	c.ws.ClearCookies(jar)
	c.showCookies(nil, nil)
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
