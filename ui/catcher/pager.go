package catcher

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"

	"hooklab/capture"
	"hooklab/ui/bridge"
)

// pageSize is how many summaries one store query fetches.
const pageSize = 200

// maxPages bounds the summaries held in memory (maxPages × pageSize);
// pages far from the one in view are dropped and fetched again on need.
const maxPages = 16

// pager is the catcher list's window onto the store: how many captures
// match the filter, and the pages of summaries fetched so far. The list
// never holds every capture; rows come from the store a page at a time,
// read through the bridge. It lives on the UI goroutine.
type pager struct {
	store  capture.Store
	bridge *bridge.Bridge

	filter  capture.Filter
	gen     uint64 // bumped when the filter changes
	applied uint64 // the filter generation the pages belong to

	total     int // captures matching the filter
	all       int // captures in the store
	endpoints []string
	// events are the event types of the captures read or arrived so
	// far, sorted: what the Event filter offers.
	events  []string
	version uint64
	pages   map[int]*page
	// onPage is called when a fetched page arrived.
	onPage func()
}

type page struct {
	items   []capture.Summary
	version uint64 // the list version the items were read at
	loading bool
}

// listRead is what one read of the store gives the list.
type listRead struct {
	total, all int
	first      []capture.Summary // the first page under the filter
	endpoints  []string
	// known are the ids of the newest captures, whatever the filter, when
	// the read began: arriving later as events, they are not new.
	known map[string]bool
	// settled: no capture was added while reading, so the counts, the
	// page and known agree.
	settled bool
	err     error
}

func newPager(store capture.Store, b *bridge.Bridge) *pager {
	return &pager{store: store, bridge: b, pages: map[int]*page{}}
}

// setFilter changes the filter and returns its generation.
func (p *pager) setFilter(f capture.Filter) uint64 {
	p.filter = f
	p.gen++
	return p.gen
}

// readTries is how often a read is tried before it is taken unsettled.
const readTries = 3

// readList reads what the list needs under f. Captures added while it
// reads would make the counts disagree with the page and with known,
// so it reads again when the newest capture changed meanwhile.
func readList(ctx context.Context, s capture.Store, f capture.Filter) listRead {
	var r listRead
	for range readTries {
		r = readListOnce(ctx, s, f)
		if r.err != nil || r.settled {
			break
		}
	}
	return r
}

// readListRecovering is readList, a panic in which is told to recovered
// and taken as a failed read: the list then says so and reads again
// when captures arrive, instead of waiting for ever for a read that
// never ends.
func readListRecovering(ctx context.Context, s capture.Store, f capture.Filter, recovered func(v any, stack []byte)) (r listRead) {
	defer func() {
		if v := recover(); v != nil {
			recovered(v, debug.Stack())
			r = listRead{err: fmt.Errorf("internal error reading the list: %v", v)}
		}
	}()
	return readList(ctx, s, f)
}

func readListOnce(ctx context.Context, s capture.Store, f capture.Filter) listRead {
	var r listRead
	newest, err := s.ListContext(ctx, capture.Filter{}, 0, pageSize)
	if err != nil {
		return listRead{err: err}
	}
	r.known = make(map[string]bool, len(newest))
	for _, sm := range newest {
		r.known[sm.ID] = true
	}
	if r.total, err = s.CountContext(ctx, f); err != nil {
		return listRead{err: err}
	}
	if f == (capture.Filter{}) {
		r.all, r.first = r.total, newest
	} else {
		if r.all, err = s.CountContext(ctx, capture.Filter{}); err != nil {
			return listRead{err: err}
		}
		if r.first, err = s.ListContext(ctx, f, 0, pageSize); err != nil {
			return listRead{err: err}
		}
	}
	if r.endpoints, err = s.EndpointsContext(ctx); err != nil {
		return listRead{err: err}
	}
	top, err := s.ListContext(ctx, capture.Filter{}, 0, 1)
	if err != nil {
		return listRead{err: err}
	}
	if len(newest) == 0 {
		r.settled = len(top) == 0
	} else {
		r.settled = len(top) == 1 && top[0].ID == newest[0].ID
	}
	return r
}

// replace takes in a read under filter generation gen. It reports how
// many captures arrived above the old first row.
func (p *pager) replace(gen uint64, r listRead) (added int) {
	if gen != p.applied {
		// Another filter: nothing held belongs to it.
		p.pages = map[int]*page{}
		p.applied = gen
	}
	if old := p.pages[0]; old != nil && len(old.items) > 0 {
		added = len(r.first)
		for i, s := range r.first {
			if s.ID == old.items[0].ID {
				added = i
				break
			}
		}
	}
	p.total, p.all, p.endpoints = r.total, r.all, r.endpoints
	// Every other page may have shifted: keep showing it until its
	// fresh copy arrives, so rows never blink empty.
	p.version++
	p.pages[0] = &page{items: r.first, version: p.version}
	p.seeEvents(r.first)
	return added
}

// seeEvents adds the event types of sums to events.
func (p *pager) seeEvents(sums []capture.Summary) {
	for _, s := range sums {
		if s.Event == "" {
			continue
		}
		if i, found := slices.BinarySearch(p.events, s.Event); !found {
			p.events = slices.Insert(slices.Clone(p.events), i, s.Event)
		}
	}
}

// add takes in captures that arrived (oldest first) from their
// summaries, without asking the store. It reports how many of them the
// filter shows; ok is false, and nothing changed, when the filter
// cannot be decided from a summary (a text search): read again.
func (p *pager) add(sums []capture.Summary) (shown int, ok bool) {
	var matched []capture.Summary
	for _, s := range sums {
		m, decided := p.filter.MatchSummary(s)
		if !decided {
			return 0, false
		}
		if m {
			matched = append(matched, s)
		}
	}
	p.all += len(sums)
	p.seeEvents(sums)
	for _, s := range sums {
		ep := capture.Endpoint(s.Path)
		if i, found := slices.BinarySearch(p.endpoints, ep); !found {
			p.endpoints = slices.Insert(slices.Clone(p.endpoints), i, ep)
		}
	}
	if len(matched) == 0 {
		return 0, true
	}
	p.total += len(matched)
	first := make([]capture.Summary, 0, pageSize)
	for i := len(matched) - 1; i >= 0 && len(first) < pageSize; i-- {
		first = append(first, matched[i])
	}
	if old := p.pages[0]; old != nil {
		first = append(first, old.items[:min(len(old.items), pageSize-len(first))]...)
	}
	p.version++
	p.pages[0] = &page{items: first, version: p.version}
	return len(matched), true
}

// item returns row i, fetching its page when missing or out of date.
func (p *pager) item(i int) (capture.Summary, bool) {
	if i < 0 || i >= p.total {
		return capture.Summary{}, false
	}
	n := i / pageSize
	pg := p.pages[n]
	if pg == nil || (pg.version != p.version && !pg.loading) {
		p.fetch(n)
		pg = p.pages[n]
	}
	if j := i % pageSize; j < len(pg.items) {
		return pg.items[j], true
	}
	return capture.Summary{}, false
}

// fetch reads page n through the bridge: a newer fetch of the same page
// replaces it.
func (p *pager) fetch(n int) {
	pg := p.pages[n]
	if pg == nil {
		p.evictFar(n)
		pg = &page{}
		p.pages[n] = pg
	}
	pg.loading = true
	store, f, gen, version := p.store, p.filter, p.gen, p.version
	p.bridge.Load("catcher:page:"+strconv.Itoa(n), func(ctx context.Context) func() {
		items, err := store.ListContext(ctx, f, n*pageSize, pageSize)
		return func() {
			cur, ok := p.pages[n]
			if !ok {
				return
			}
			cur.loading = false
			if gen != p.gen || err != nil {
				return
			}
			cur.items, cur.version = items, version
			p.seeEvents(items)
			if p.onPage != nil {
				p.onPage()
			}
		}
	})
}

// evictFar drops the pages farthest from n once maxPages are held.
func (p *pager) evictFar(n int) {
	for len(p.pages) >= maxPages {
		far, dist := -1, -1
		for k := range p.pages {
			d := k - n
			if d < 0 {
				d = -d
			}
			if d > dist && k != 0 {
				far, dist = k, d
			}
		}
		if far < 0 {
			return
		}
		delete(p.pages, far)
	}
}

// indexOf returns the row of the capture id among the pages held, -1
// when none of them holds it (it may still be on a page not fetched).
func (p *pager) indexOf(id string) int {
	for n, pg := range p.pages {
		if pg.version != p.version {
			continue
		}
		for j, s := range pg.items {
			if s.ID == id {
				return n*pageSize + j
			}
		}
	}
	return -1
}
