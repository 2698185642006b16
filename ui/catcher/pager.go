package catcher

import (
	"sync"

	"hooklab/capture"
	"hooklab/ui/widgets"
)

// pageSize is how many summaries one store query fetches.
const pageSize = 200

// maxPages bounds the summaries held in memory (maxPages × pageSize);
// pages far from the one in view are dropped and fetched again on need.
const maxPages = 16

// pager is the catcher list's window onto the store: how many captures
// match the filter, and the pages of summaries fetched so far. The list
// never holds every capture; rows come from the store a page at a time.
// Everything but snapshot runs on the UI goroutine.
type pager struct {
	store capture.Store

	mu     sync.Mutex // guards filter and gen for the bridge goroutine
	filter capture.Filter
	gen    uint64 // bumped when the filter changes

	total   int    // captures matching the filter
	all     int    // captures in the store
	applied uint64 // the filter generation the pages belong to
	version uint64
	pages   map[int]*page
	// onPage is called when a fetched page arrived.
	onPage func()
}

type page struct {
	items   []capture.Summary
	version uint64 // the store version the items were read at
	loading bool
}

// Reload is what Query read from the store for the list.
type Reload struct {
	gen       uint64
	total     int
	all       int
	first     []capture.Summary
	endpoints []string
	err       error
}

func newPager(store capture.Store) *pager {
	return &pager{store: store, pages: map[int]*page{}}
}

// snapshot returns the filter and its generation; safe from any goroutine.
func (p *pager) snapshot() (capture.Filter, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.filter, p.gen
}

// setFilter changes the filter and returns the generation to reload for.
func (p *pager) setFilter(f capture.Filter) uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.filter = f
	p.gen++
	return p.gen
}

// query reads what a reload needs; it runs off the UI goroutine.
func (p *pager) query() Reload {
	f, gen := p.snapshot()
	r := Reload{gen: gen}
	if r.total, r.err = p.store.Count(f); r.err != nil {
		return r
	}
	if f == (capture.Filter{}) {
		r.all = r.total
	} else if r.all, r.err = p.store.Count(capture.Filter{}); r.err != nil {
		return r
	}
	if r.first, r.err = p.store.List(f, 0, pageSize); r.err != nil {
		return r
	}
	r.endpoints, r.err = p.store.Endpoints()
	return r
}

// apply takes in a reload. It reports whether it was current and how
// many captures arrived above the old first row.
func (p *pager) apply(r Reload) (ok bool, added int) {
	_, gen := p.snapshot()
	if r.gen != gen || r.err != nil {
		return false, 0
	}
	if r.gen != p.applied {
		// Another filter: nothing held belongs to it.
		p.pages = map[int]*page{}
		p.applied = r.gen
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
	p.total, p.all = r.total, r.all
	// Every other page may have shifted: keep showing it until its
	// fresh copy arrives, so rows never blink empty.
	p.version++
	p.pages[0] = &page{items: r.first, version: p.version}
	return true, added
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

func (p *pager) fetch(n int) {
	pg := p.pages[n]
	if pg == nil {
		p.evictFar(n)
		pg = &page{}
		p.pages[n] = pg
	}
	pg.loading = true
	f, gen := p.snapshot()
	version := p.version
	go func() {
		items, err := p.store.List(f, n*pageSize, pageSize)
		widgets.Do(func() {
			cur, ok := p.pages[n]
			if !ok {
				return
			}
			cur.loading = false
			if _, g := p.snapshot(); g != gen || err != nil {
				return
			}
			cur.items, cur.version = items, version
			if p.onPage != nil {
				p.onPage()
			}
		})
	}()
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
