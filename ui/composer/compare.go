package composer

import (
	"context"
	"errors"
	"net/url"
	"slices"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/codeview"
	"hooklab/ui/compare"
	"hooklab/ui/widgets"
	"hooklab/workspace"
	"hooklab/workspace/diff"
)

// recentChoices is how many recent captures Compare offers besides the
// webhooks the call caused.
const recentChoices = 8

// responseCompare is the response's Compare button: it compares the
// response in view with a capture, the webhooks its call caused first,
// then the latest captures.
type responseCompare struct {
	c      *Composer
	views  []codeview.Option // of the line diff's code view
	Button *widget.Button
	// Picker and View are the picker and the differences shown last.
	Picker *compare.Picker
	View   *compare.View
}

func newResponseCompare(c *Composer, views []codeview.Option) *responseCompare {
	rc := &responseCompare{c: c, views: views}
	rc.Button = widgets.LowButton("Compare", theme.ViewRestoreIcon(), rc.start)
	rc.Button.Disable()
	return rc
}

// follow enables the button while a response is in view.
func (rc *responseCompare) follow(resp *requester.Response) {
	if resp != nil {
		rc.Button.Enable()
	} else {
		rc.Button.Disable()
	}
}

// start reads what the response may be compared with through the
// bridge (the webhooks of its exchange, then the latest captures) and
// asks which.
func (rc *responseCompare) start() {
	c := rc.c
	if c.Tabs == nil || len(c.Tabs.tabs) == 0 {
		return
	}
	resp := c.Tabs.current().resp
	if resp == nil {
		return
	}
	ex, ws := c.Webhooks.shown, c.ws
	label := responseLabel(resp, ex)
	c.bridge.Load("composer:compare", func(ctx context.Context) func() {
		var caused []capture.Summary
		var err error
		if ex.id != 0 {
			caused, err = ws.Caused(ctx, ex.id)
			if errors.Is(err, workspace.ErrNoLinks) {
				caused, err = nil, nil
			}
		}
		var recent []capture.Summary
		if err == nil {
			recent, err = ws.Store().ListContext(ctx, capture.Filter{}, 0, recentChoices+len(caused))
		}
		if ctx.Err() != nil {
			return nil
		}
		return c.applying(func() {
			if err != nil {
				c.dialogs.Error(errors.New("Cannot list the captures to compare with: " + err.Error()))
				return
			}
			rc.ask(resp, label, caused, recent)
		})
	})
}

// ask shows the picker: the webhooks the call caused, then the latest
// captures that are not among them.
func (rc *responseCompare) ask(resp *requester.Response, label string, caused, recent []capture.Summary) {
	choice := func(s capture.Summary) compare.Choice {
		return compare.Choice{Label: compare.CaptureLabel(s), Pick: func() { rc.compare(resp, label, s.ID) }}
	}
	var hooks, others []compare.Choice
	for _, s := range caused {
		hooks = append(hooks, choice(s))
	}
	for _, s := range recent {
		if len(others) < recentChoices && !slices.ContainsFunc(caused, func(h capture.Summary) bool { return h.ID == s.ID }) {
			others = append(others, choice(s))
		}
	}
	p := compare.NewPicker("Compare the response "+label+" with:",
		compare.Group{Title: "Webhooks this call caused", Choices: hooks},
		compare.Group{Title: "Recent captures", Choices: others})
	if p.Empty() {
		rc.c.dialogs.Information(compare.PickerTitle, "There is no capture to compare this response with yet. Webhooks your calls cause, and anything sent to the catcher, can be compared once they arrive.")
		return
	}
	rc.Picker = p
	rc.c.dialogs.Custom(compare.PickerTitle, "Close", p.Content, compare.PickerSize)
}

// compare reads the capture id off the UI goroutine and shows how the
// response (the old side: its call came first) and the capture differ;
// the capture's body against the object in it like the response's, when
// it carries one.
func (rc *responseCompare) compare(resp *requester.Response, label, id string) {
	c := rc.c
	store := c.ws.Store()
	c.bridge.Load("composer:compare", func(ctx context.Context) func() {
		cp, err := store.Get(id)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return c.applying(func() { c.dialogs.Error(errors.New("Cannot compare with that capture: " + err.Error())) })
		}
		cmp := compare.Compute(label, diff.FromResponse(resp), compare.CaptureLabel(cp.Summary()), diff.FromCapture(cp))
		return c.applying(func() {
			rc.View = compare.NewView(cmp, rc.views...)
			c.dialogs.Custom(compare.Title, "Close", rc.View.Content, compare.DialogSize)
		})
	})
}

// responseLabel names a response in a line: "12:01:02.608 POST
// /v1/payments → 201 Created", the time when its exchange was kept.
func responseLabel(resp *requester.Response, ex exchange) string {
	method, target := "", ""
	if p := resp.Request; p != nil {
		method, target = p.Method, p.URL
		if u, err := url.Parse(p.URL); err == nil && u.Path != "" {
			target = u.RequestURI()
		}
	}
	return compare.ResponseLabel(ex.at, method, target, resp.StatusText)
}
