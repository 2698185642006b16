package catcher

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"hooklab/capture"
	"hooklab/ui/compare"
	"hooklab/workspace/diff"
)

// compareChoices is how many captures "Compare with…" offers: the
// neighbours of the shown one on the list, nearest first.
const compareChoices = 8

// compareSelected asks what to compare the shown capture with (the
// response of the call that caused it, when it is linked to one, and
// the captures around it on the list), then shows how they differ.
func (c *Catcher) compareSelected() {
	cp := c.detail.shown
	if cp == nil {
		return
	}
	id := cp.ID
	var groups []compare.Group
	if b := c.detail.cause; b.has && b.shown == id {
		req := b.linked.Request
		status := strings.TrimSpace(fmt.Sprintf("%d %s", req.Status, http.StatusText(req.Status)))
		groups = append(groups, compare.Group{Title: "The response of the call that caused it", Choices: []compare.Choice{{
			Label: compare.ResponseLabel(req.Time, req.Method, requestPath(req.URL), status),
			Pick:  func() { c.compareWithResponse(id, req.ID) },
		}}})
	}
	var nearby []compare.Choice
	for _, s := range c.compareCandidates(id) {
		other := s.ID
		nearby = append(nearby, compare.Choice{Label: compare.CaptureLabel(s), Pick: func() { c.compare(id, other) }})
	}
	// Titled only under the response: "Compare … with:" says the rest.
	around := compare.Group{Choices: nearby}
	if len(groups) > 0 {
		around.Title = "Captures around it on the list"
	}
	groups = append(groups, around)
	p := compare.NewPicker("Compare "+compare.CaptureLabel(cp.Summary())+" with:", groups...)
	if p.Empty() {
		c.dialogs.Information(compare.PickerTitle, "There is no other capture on the list to compare this one with. Clear the filters, or wait for another delivery.")
		return
	}
	c.comparePicker = p
	c.dialogs.Custom(compare.PickerTitle, "Close", p.Content, compare.PickerSize)
}

// compareCandidates lists the captures listed around id, nearest first,
// the next one down (the delivery before it) first of all.
func (c *Catcher) compareCandidates(id string) []capture.Summary {
	at := c.pager.indexOf(id)
	if at < 0 {
		at = -1 // not on the list (filtered away): offer its top
	}
	var out []capture.Summary
	for d := 1; len(out) < compareChoices && (at+d < c.pager.total || at-d >= 0); d++ {
		for _, i := range []int{at + d, at - d} {
			if len(out) == compareChoices {
				break
			}
			if s, ok := c.pager.item(i); ok && s.ID != id {
				out = append(out, s)
			}
		}
	}
	return out
}

// compare reads both captures off the UI goroutine, the older as the
// old side, and shows how they differ.
func (c *Catcher) compare(a, b string) {
	store := c.store
	c.bridge.Load("catcher:compare", func(ctx context.Context) func() {
		ca, err := store.Get(a)
		var cb *capture.Capture
		if err == nil {
			cb, err = store.Get(b)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return func() { c.showError("Cannot compare these captures", err) }
		}
		if cb.Time.Before(ca.Time) {
			ca, cb = cb, ca
		}
		cmp := compare.Compute(compare.CaptureLabel(ca.Summary()), diff.FromCapture(ca),
			compare.CaptureLabel(cb.Summary()), diff.FromCapture(cb))
		return func() { c.showComparison(cmp) }
	})
}

// compareWithResponse reads the capture id and the history entry of the
// call that caused it off the UI goroutine, and shows how the response
// (the old side: it came first) and the capture differ; the capture's
// body against the object in it like the response's, when it has one.
func (c *Catcher) compareWithResponse(id string, request int64) {
	store, hist := c.store, c.ws.History()
	c.bridge.Load("catcher:compare", func(ctx context.Context) func() {
		if hist == nil {
			return func() {
				c.dialogs.Information(compare.PickerTitle, "Requests are not kept: there is no response to compare with.")
			}
		}
		e, err := hist.Get(request)
		var cp *capture.Capture
		if err == nil {
			cp, err = store.Get(id)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return func() { c.showError("Cannot compare with the response", err) }
		}
		resp, err := e.Response()
		if err != nil {
			return func() {
				c.dialogs.Information(compare.PickerTitle, "The call that caused this capture got no response to compare with: "+err.Error())
			}
		}
		cmp := compare.Compute(compare.ResponseLabel(e.Time, e.Method, requestPath(e.URL), resp.StatusText), diff.FromResponse(resp),
			compare.CaptureLabel(cp.Summary()), diff.FromCapture(cp))
		return func() { c.showComparison(cmp) }
	})
}

// showComparison shows the differences over the picker.
func (c *Catcher) showComparison(cmp compare.Comparison) {
	c.compareView = compare.NewView(cmp, c.detailViews...)
	c.dialogs.Custom(compare.Title, "Close", c.compareView.Content, compare.DialogSize)
}
