package catcher

import (
	"context"
	"time"

	"hooklab/capture"
	"hooklab/ui/bridge"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// follow is how the list keeps up with the store (UI goroutine only).
//
// Captures that arrive come as events with their summaries, in the
// order they were stored; under a filter a summary can decide, the list
// takes them in without a query. Anything else (a text search, a
// deletion, captures pruned, another process writing) reads the list
// again through the bridge.
//
// A read and the events cannot be ordered against each other: a capture
// stored just before the read may arrive as an event after it. So a
// read also takes the ids of the newest captures (known): an arriving
// capture it knows was counted already. Captures arrive in the order
// they were stored, so the known ones all come before the new ones; a
// known one after a new one means the read missed more than it knows,
// and the list is read again.
type follow struct {
	reading bool              // a read is under way, or waits for the typist
	again   bool              // something the read may have missed happened meanwhile
	log     []capture.Summary // what arrived while reading, oldest first
	known   map[string]bool   // the newest ids when the last read began
	counted bool              // a capture was taken in as new since that read
	// readOnAdd: the last read failed, or captures were added while it
	// read; the next that arrive are a reason to read again. (Those that
	// arrived during a failed read are one already: applyRead reads
	// again for them.)
	readOnAdd bool
}

// fresh returns the summaries that are new to the last read, in order;
// ok is false when they contradict it (see follow).
func (s *follow) fresh(sums []capture.Summary) (fresh []capture.Summary, ok bool) {
	for _, sm := range sums {
		if s.known[sm.ID] {
			if s.counted || len(fresh) > 0 {
				return nil, false
			}
			continue
		}
		fresh = append(fresh, sm)
	}
	if len(fresh) > 0 {
		s.counted = true
	}
	return fresh, true
}

// handle takes in a delivery of the bridge.
func (c *Catcher) handle(events []workspace.Event) {
	var arrived []capture.Summary
	var refused []workspace.CaptureRefused
	var forwarded []workspace.CaptureForwarded
	read := false
	for _, ev := range events {
		switch e := ev.(type) {
		case workspace.CapturesAdded:
			arrived = append(arrived, e.Summaries...)
		case workspace.CaptureDeleted, workspace.CapturesCleared, workspace.CapturesPruned, workspace.CapturesChanged:
			read = true
		case workspace.CaptureRefused:
			refused = append(refused, e)
		case workspace.RulesChanged:
			c.rulesChanged(e)
		case workspace.VerificationChanged:
			c.verificationChanged()
		case workspace.CaptureForwarded:
			forwarded = append(forwarded, e)
		}
	}
	c.forwardedEvents(forwarded)
	if len(refused) > 0 {
		c.showRefusals(refused)
	}
	c.keepUp(arrived, read)
}

// keepUp brings the list up to date with captures that arrived, or
// reads it again when read is set or the arrivals need it.
func (c *Catcher) keepUp(arrived []capture.Summary, read bool) {
	s := &c.follow
	if s.reading {
		s.log = append(s.log, arrived...)
		s.again = s.again || read
		return
	}
	if len(arrived) == 0 && !read {
		return
	}
	read = read || s.readOnAdd
	shown := 0
	if !read {
		var ok bool
		shown, ok = c.takeIn(arrived)
		read = !ok
	}
	if read {
		c.reload(0)
		return
	}
	c.showList(false, shown)
}

// takeIn puts captures that arrived on the list from their summaries;
// ok is false when the store must be read instead.
func (c *Catcher) takeIn(sums []capture.Summary) (shown int, ok bool) {
	fresh, ok := c.follow.fresh(sums)
	if !ok {
		return 0, false
	}
	if len(fresh) == 0 {
		return 0, true
	}
	return c.pager.add(fresh)
}

// reload reads the list under the current filter through the bridge,
// after delay (a typist's pause); a newer reload replaces it, so a
// filter nobody waits for any more is not read to the end.
func (c *Catcher) reload(delay time.Duration) {
	c.follow = follow{reading: true}
	store, f, gen := c.store, c.pager.filter, c.pager.gen
	c.bridge.Load("catcher:list", func(ctx context.Context) func() {
		if delay > 0 {
			t := time.NewTimer(delay)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return nil
			}
		}
		r := readListRecovering(ctx, store, f, c.bridge.Recovered)
		return func() { c.applyRead(gen, r) }
	})
}

// applyRead takes in a read of the list, then what arrived during it.
func (c *Catcher) applyRead(gen uint64, r listRead) {
	if gen != c.pager.gen {
		return // the filter changed; its own read is under way
	}
	log, again := c.follow.log, c.follow.again
	c.follow = follow{known: r.known, readOnAdd: !r.settled}
	if r.err != nil {
		widgets.SetMuted(c.count, "store error: "+r.err.Error())
		c.follow.readOnAdd = true
		if again || len(log) > 0 {
			// What arrived while this read failed is on no list yet, and
			// may be the last of a burst: read again rather than wait
			// for the next capture (at the bridge's pace, so a store
			// that keeps failing is not read back to back).
			c.reload(bridge.Interval)
		}
		return
	}
	filterChanged := gen != c.pager.applied
	shown := c.pager.replace(gen, r)
	read := again || (len(log) > 0 && !r.settled)
	if !read && len(log) > 0 {
		n, ok := c.takeIn(log)
		shown += n
		read = !ok
	}
	c.showList(filterChanged, shown)
	if read {
		// Captures keep coming (a burst during a text search): wait as
		// the bridge waits between deliveries, so that costs about 30
		// reads a second, not one after another.
		c.reload(bridge.Interval)
	}
}

// selectedMatches reports whether the capture shown passes the filter:
// it is on a page read under it, or the filter says so of it.
func (c *Catcher) selectedMatches() bool {
	if c.pager.indexOf(c.selectedID) >= 0 {
		return true
	}
	if sh := c.detail.shown; sh != nil && sh.ID == c.selectedID {
		return c.pager.total > pageSize && c.pager.filter.Match(sh)
	}
	return false
}

// showList shows what the pager holds: the count, the endpoints, the
// rows, the empty and no-match states. added captures arrived above
// the first row: while the user has scrolled down, what they look at
// stays where it is.
func (c *Catcher) showList(filterChanged bool, added int) {
	p := c.pager
	off := c.list.GetScrollOffset()
	if p.total == p.all {
		widgets.SetMuted(c.count, thousands(p.all)+" captured")
	} else {
		widgets.SetMuted(c.count, thousands(p.total)+" of "+thousands(p.all))
	}
	c.setEndpoints(p.endpoints)
	c.setEvents(p.events)
	c.clearBtn.Disable()
	c.exportBtn.Disable()
	if p.all > 0 {
		c.clearBtn.Enable()
		c.exportBtn.Enable()
	}
	c.list.Hidden = p.total == 0
	widgets.SetVisible(c.empty, p.all == 0)
	widgets.SetVisible(c.noMatch, p.all > 0 && p.total == 0)
	c.listArea.Refresh()
	switch {
	case filterChanged:
		c.list.ScrollToTop()
	case off > 0 && added > 0:
		c.list.ScrollToOffset(off + float32(added)*c.rowHeight())
	}
	c.list.Refresh()
	if c.selectedID != "" && (p.all == 0 || filterChanged && !c.selectedMatches()) {
		// Nothing left, or the capture shown is not among those the
		// filter lets through: the detail does not go on showing it.
		c.selectedID = ""
		c.detail.clear()
	}
	if c.rulesView != nil {
		c.rulesView.setEndpoints(p.endpoints) // captured while the dialog is open
	}
	if c.OnUpdated != nil {
		c.OnUpdated()
	}
}
