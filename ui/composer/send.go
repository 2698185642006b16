package composer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// vars returns the variables a send expands: the built-ins, overridden by
// the active collection and environment, then, for a collection file's
// tab, by its folders' variables and its runtime variables.
func (c *Composer) vars() (string, requester.Vars) {
	vars := requester.Vars{}
	for k, v := range c.builtins {
		vars[k] = v
	}
	if c.env == nil {
		return "", vars
	}
	name, env := c.env()
	for k, v := range env {
		vars[k] = v
	}
	if c.Tabs == nil {
		return name, vars
	}
	if t := c.Tabs.current(); t.coll != "" && c.sendable != nil {
		// The variables of the file's folders and its runtime.variables.
		_, extra, _ := c.sendable(t.coll, t.rel, t.req)
		vars = withVars(vars, extra)
	}
	return name, vars
}

// asSent is r, the request of tab t as edited, as it is sent: for a
// collection file as Bruno sends it (the collection's and folders' auth,
// headers and variables, path params; see sendable) with its file paths
// relative to the collection's folder. The editor keeps the request as
// written. An auth type Hooklab cannot send is an error.
func (c *Composer) asSent(t *reqTab, r requester.Request, vars requester.Vars) (requester.Request, requester.Vars, error) {
	if t.coll != "" && c.sendable != nil {
		sr, extra, err := c.sendable(t.coll, t.rel, r)
		if err != nil {
			return r, vars, err
		}
		r, vars = sr, withVars(vars, extra)
	}
	if t.coll != "" {
		r = collection.ResolvePaths(r, t.coll)
	}
	return r, vars, nil
}

// Send sends the tab's request, or cancels the one it has in flight.
// The workspace sends it (and keeps it in history) off the UI goroutine;
// the answer comes back as a SendFinished event and goes to the tab
// that sent, even if another is in view by then.
func (c *Composer) Send() {
	t := c.Tabs.current()
	if t.cancel != nil {
		t.cancel()
		return
	}
	r := c.Request()
	if _, err := c.Options.Options(); err != nil {
		c.showInline(err)
		c.markStale()
		c.reqTabs.Select(c.optionsTab)
		return
	}
	jar, vars := c.vars()
	r, vars, err := c.asSent(t, r, vars)
	if err != nil {
		c.showInline(err)
		c.markStale()
		return
	}
	if _, err := requester.Prepare(r, vars); err != nil {
		c.showInline(err)
		c.markStale()
		return
	}
	c.inlineErr.Hide()
	t.sentAt = time.Now()
	c.inflight[t.id] = t
	done := make(chan struct{})
	ws, id := c.ws, t.id
	t.cancel = c.bridge.Go(func(ctx context.Context) func() {
		defer close(done)
		resp, err := ws.Send(ctx, id, r, vars, jar)
		c.answers.returned(resp)
		if errors.Is(err, workspace.ErrStopped) {
			// Refused before sending: no SendFinished comes.
			return c.applying(func() { c.sendFinished(workspace.SendFinished{Tab: id, Err: err}) })
		}
		return nil
	})
	c.showSending(t)
	if c.life.startTicker() {
		go c.tickElapsed(t, done)
	}
}

// sendFinished gives the answer of a send to the tab that sent it;
// the answer of a tab closed meanwhile is dropped.
func (c *Composer) sendFinished(e workspace.SendFinished) {
	t := c.inflight[e.Tab]
	if t == nil {
		return // not sent from here
	}
	delete(c.inflight, e.Tab)
	c.answers.taken(e.Resp)
	c.finish(t, e.Resp, e.Err, e.Cookies)
}

// busy reports whether the tab in view has a request in flight.
func (c *Composer) busy() bool { return c.Tabs.current().cancel != nil }

// showSending shows t's request in flight: Cancel and the time waited.
func (c *Composer) showSending(t *reqTab) {
	c.SendButton.SetText("Cancel")
	c.SendButton.SetIcon(theme.CancelIcon())
	c.SendButton.Importance = widget.MediumImportance
	c.SendButton.Refresh()
	c.Status.Text = ""
	c.Status.Refresh()
	widgets.SetMuted(c.StatusMeta, fmt.Sprintf("Sending… %.1f s", time.Since(t.sentAt).Seconds()))
}

// showIdle puts the Send button back.
func (c *Composer) showIdle() {
	c.SendButton.SetText("Send")
	c.SendButton.SetIcon(theme.MailSendIcon())
	c.SendButton.Importance = widget.HighImportance
	c.SendButton.Refresh()
}

// staleNote starts the response line after a send that was not made.
const staleNote = "Response from the previous send · "

// markStale dims the response in view, when there is one, and says it is
// the previous send's: the send just asked for was not made.
func (c *Composer) markStale() {
	t := c.Tabs.current()
	if t.resp == nil && t.err == nil {
		return
	}
	c.Status.Color = widgets.MutedColor()
	c.Status.Refresh()
	if text := widgets.MutedText(c.StatusMeta); !strings.HasPrefix(text, staleNote) {
		widgets.SetMuted(c.StatusMeta, staleNote+text)
	}
}

func (c *Composer) showInline(err error) {
	c.inlineErr.SetText(err.Error())
	c.inlineErr.Show()
}

// tickElapsed shows the time waited so far, ten times a second, while
// the sending tab is in view, until done (the send returned) or Stop.
// It is the one goroutine of the composer's own: the time waited is the
// UI's concern, no workspace event carries it.
func (c *Composer) tickElapsed(t *reqTab, done <-chan struct{}) {
	defer c.life.tickers.Done()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-c.life.done:
			return
		case <-tick.C:
			widgets.Do(c.applying(func() {
				if t == c.Tabs.current() && t.cancel != nil {
					widgets.SetMuted(c.StatusMeta, fmt.Sprintf("Sending… %.1f s", time.Since(t.sentAt).Seconds()))
				}
			}))
		}
	}
}

func (c *Composer) finish(t *reqTab, resp *requester.Response, err error, cookies []*http.Cookie) {
	t.cancel = nil
	if !c.Tabs.has(t) {
		resp.Close() // the tab was closed meanwhile
		return
	}
	t.setResult(resp, err)
	if c.OnResponse != nil {
		defer c.OnResponse(resp, err)
	}
	if t != c.Tabs.current() {
		return // shown when its tab is chosen again
	}
	c.showIdle()
	c.showResult(resp, err)
	var oe *requester.OptionError
	var fe *requester.FileError
	if errors.As(err, &oe) || errors.As(err, &fe) {
		// A setting or a file is wrong, not the network: say so where
		// the request is edited too.
		c.showInline(err)
	}
	c.showCookies(resp, cookies)
}
