package catcher

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"hooklab/capture"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// burst posts n captures from senders goroutines, to path/<sender>/<i>,
// and waits for their answers.
func burst(t *testing.T, r *rig, senders, n int, path func(sender, i int) string) {
	t.Helper()
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for i := range n / senders {
				res, err := http.Post(r.url+path(g, i), "application/json", strings.NewReader(`{}`))
				if err != nil {
					t.Errorf("sender %d, capture %d: %v (the %d after it are not sent)", g, i, err, n/senders-i-1)
					return
				}
				res.Body.Close()
				if res.StatusCode/100 != 2 {
					t.Errorf("sender %d, capture %d: answered %s", g, i, res.Status)
				}
			}
		})
	}
	wg.Wait()
}

// shownIDs are the ids of the list's first n rows.
func shownIDs(c *Catcher, n int) []string {
	var ids []string
	for i := range n {
		s, ok := c.pager.item(i)
		if !ok {
			break
		}
		ids = append(ids, s.ID)
	}
	return ids
}

// storedIDs are the ids of the n newest captures under f, read past
// the catcher.
func storedIDs(t *testing.T, r *rig, f capture.Filter, n int) []string {
	t.Helper()
	list, err := r.store.List(f, 0, n)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	return ids
}

// TestBurstFromEventsCostsNoQuery: a burst of captures reaches the list
// from the events alone, with or without a filter a summary decides:
// the count, the rows newest first and the endpoints are right, and the
// store was not read once for it.
func TestBurstFromEventsCostsNoQuery(t *testing.T) {
	r := newRig(t)
	c := r.c
	before := r.reads.reads()
	const n = 1000
	burst(t, r, 50, n, func(g, i int) string { return fmt.Sprintf("/burst/%d/%d", g, i) })
	r.loop.WaitFor(t, "the burst listed", func() bool { return c.Total() == n }, listVsStore(r))
	r.loop.Drain()
	if got := r.reads.reads() - before; got != 0 {
		t.Errorf("the burst cost %d reads of the store, want none", got)
	}
	if got := widgets.MutedText(c.count); got != "1,000 captured" {
		t.Errorf("count %q", got)
	}
	if got, want := strings.Join(shownIDs(c, pageSize), ","), strings.Join(storedIDs(t, r, capture.Filter{}, pageSize), ","); got != want {
		t.Error("the first page differs from the store's newest captures")
	}
	if got := strings.Join(c.Endpoint.Options, ","); got != allEndpoints+",/burst" {
		t.Errorf("endpoint choices %s", got)
	}

	// Under a filter of endpoint, method and status, only what it lets
	// through is listed, and counted against all, still without a read.
	c.Endpoint.SetSelected("/burst")
	c.Method.SetSelected("POST")
	c.Status.SetSelected("2xx")
	r.loop.WaitFor(t, "the filter applied", func() bool { return !c.follow.reading })
	before = r.reads.reads()
	burst(t, r, 10, 200, func(g, i int) string {
		if i%2 == 0 {
			return fmt.Sprintf("/other/%d/%d", g, i)
		}
		return fmt.Sprintf("/burst/%d/%d", g, i)
	})
	r.loop.WaitFor(t, "the filtered burst counted", func() bool { return widgets.MutedText(c.count) == "1,100 of 1,200" })
	r.loop.Drain()
	if got := r.reads.reads() - before; got != 0 {
		t.Errorf("the filtered burst cost %d reads of the store, want none", got)
	}
	f := capture.Filter{Endpoint: "burst", Method: "POST", Status: 2}
	if got, want := strings.Join(shownIDs(c, pageSize), ","), strings.Join(storedIDs(t, r, f, pageSize), ","); got != want {
		t.Error("the first page differs from the store's newest captures under the filter")
	}
	if got := strings.Join(c.Endpoint.Options, ","); got != allEndpoints+",/burst,/other" {
		t.Errorf("endpoint choices %s", got)
	}
}

// TestSearchReadsAgainAsCapturesArrive: a summary cannot say whether a
// body holds a word, so under a search the list is read again when
// captures arrive, and shows the ones that match.
func TestSearchReadsAgainAsCapturesArrive(t *testing.T) {
	r := newRig(t)
	c := r.c
	postTo(t, r.url+"/shop", "application/json", `{"type":"invoice.paid"}`)
	r.loop.WaitFor(t, "listed", func() bool { return c.Total() == 1 })
	test.Type(c.Search, "invoice")
	postTo(t, r.url+"/shop", "application/json", `{"type":"charge.failed"}`)
	r.loop.WaitFor(t, "the search applied", func() bool { return widgets.MutedText(c.count) == "1 of 2" })
	before := r.reads.reads()
	postTo(t, r.url+"/shop", "application/json", `{"type":"invoice.failed"}`)
	postTo(t, r.url+"/shop", "application/json", `{"type":"refund"}`)
	r.loop.WaitFor(t, "the new invoice found", func() bool { return widgets.MutedText(c.count) == "2 of 4" })
	if r.reads.reads() == before {
		t.Error("the search was answered without reading the store")
	}
	if got, want := strings.Join(shownIDs(c, 10), ","), strings.Join(storedIDs(t, r, capture.Filter{Text: "invoice"}, 10), ","); got != want {
		t.Errorf("rows %s, want %s", got, want)
	}
}

// TestScrolledListKeepsItsPlace: while the user has scrolled down,
// captures arriving on top do not move the rows they look at.
func TestScrolledListKeepsItsPlace(t *testing.T) {
	r := newRig(t)
	c := r.c
	burst(t, r, 4, 80, func(g, i int) string { return fmt.Sprintf("/p/%d/%d", g, i) })
	r.loop.WaitFor(t, "listed", func() bool { return c.Total() == 80 })
	h := c.rowHeight()
	c.list.ScrollToOffset(20 * h)
	off := c.list.GetScrollOffset()
	if off == 0 {
		t.Fatal("the list did not scroll")
	}
	looking, _ := c.pager.item(int(off / h))
	burst(t, r, 1, 3, func(_, i int) string { return fmt.Sprintf("/new/%d", i) })
	r.loop.WaitFor(t, "the new ones listed", func() bool { return c.Total() == 83 })
	now := c.list.GetScrollOffset()
	if now != off+3*h {
		t.Errorf("scroll offset %v after 3 rows arrived on top, want %v", now, off+3*h)
	}
	if s, _ := c.pager.item(int(now / h)); s.ID != looking.ID {
		t.Errorf("the row in view became %s %s, was %s %s", s.ID, s.Path, looking.ID, looking.Path)
	}
}

// TestDeleteAndClearFollowFromEvents: deleting the shown capture takes
// it off the list and out of the detail; Clear empties the list.
func TestDeleteAndClearFollowFromEvents(t *testing.T) {
	r := newRig(t)
	c := r.c
	postTo(t, r.url+"/a", "text/plain", "one")
	postTo(t, r.url+"/b", "text/plain", "two")
	r.loop.WaitFor(t, "listed", func() bool { return c.Total() == 2 })
	c.Select(0)
	r.loop.WaitFor(t, "shown", func() bool { return c.Body.Text() == "two" })
	c.deleteSelected()
	if c.DetailShown() || c.Selected() != "" {
		t.Error("the deleted capture is still shown")
	}
	r.loop.WaitFor(t, "the capture gone", func() bool { return c.Total() == 1 })
	if s, _ := c.pager.item(0); s.Path != "/a" {
		t.Errorf("left %+v", s)
	}
	test.Tap(c.clearBtn)
	r.loop.WaitFor(t, "cleared", func() bool { return c.Total() == 0 && c.empty.Visible() })
	if widgets.MutedText(c.count) != "0 captured" || !c.clearBtn.Disabled() {
		t.Errorf("count %q after clearing", widgets.MutedText(c.count))
	}
}

// TestLastSelectionWins: choosing another capture before the first is
// shown shows the one chosen last.
func TestLastSelectionWins(t *testing.T) {
	r := newRig(t)
	c := r.c
	postTo(t, r.url+"/a", "text/plain", "older")
	postTo(t, r.url+"/b", "text/plain", "newer")
	r.loop.WaitFor(t, "listed", func() bool { return c.Total() == 2 })
	c.Select(1)
	c.Select(0)
	r.loop.WaitFor(t, "shown", c.DetailShown)
	r.loop.Drain()
	if c.Body.Text() != "newer" || c.Selected() != c.detail.shown.ID {
		t.Fatalf("shows %q", c.Body.Text())
	}
}

// TestFreshSkipsWhatTheReadCounted: captures a read already counted are
// skipped when their events come after it; one it counted coming after
// a new one means it missed some, and the list must be read again.
func TestFreshSkipsWhatTheReadCounted(t *testing.T) {
	sums := func(ids ...string) []capture.Summary {
		var out []capture.Summary
		for _, id := range ids {
			out = append(out, capture.Summary{ID: id})
		}
		return out
	}
	ids := func(ss []capture.Summary) string {
		var out []string
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return strings.Join(out, ",")
	}
	s := follow{known: map[string]bool{"a": true, "b": true}}
	if got, ok := s.fresh(sums("a")); !ok || len(got) != 0 {
		t.Fatalf("a known capture: %s %v", ids(got), ok)
	}
	if got, ok := s.fresh(sums("b", "c", "d")); !ok || ids(got) != "c,d" {
		t.Fatalf("known then new: %s %v", ids(got), ok)
	}
	if _, ok := s.fresh(sums("e", "a")); ok {
		t.Fatal("a known capture after new ones was taken")
	}
	s = follow{known: map[string]bool{"a": true}}
	if _, ok := s.fresh(sums("x", "a")); ok {
		t.Fatal("a known capture after a new one in the same batch was taken")
	}
}

// TestFilterChangesDuringABurstEndExact: reads of the list and captures
// arriving as events interleave however they may; the list the last
// read and the events after it make says exactly what the store holds.
func TestFilterChangesDuringABurstEndExact(t *testing.T) {
	r := newRig(t)
	c := r.c
	const n = 600
	var posted atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		burst(t, r, 20, n, func(g, i int) string {
			defer posted.Add(1)
			if i%3 == 0 {
				return fmt.Sprintf("/other/%d/%d", g, i)
			}
			return fmt.Sprintf("/burst/%d/%d", g, i)
		})
	}()
	// Change the filter again and again in the first half of the burst;
	// the second half reaches the list by events alone.
	methods := []string{"POST", anyMethod}
	for i := 0; posted.Load() < n/2; i++ {
		c.Method.SetSelected(methods[i%2])
		r.loop.WaitFor(t, "a read under the new filter", func() bool { return !c.follow.reading })
	}
	c.Method.SetSelected(anyMethod)
	r.loop.RunUntil(done)
	r.loop.WaitFor(t, "all listed", func() bool { return c.Total() >= n && !c.follow.reading }, listVsStore(r))
	r.loop.Drain()
	if got := widgets.MutedText(c.count); got != "600 captured" {
		t.Errorf("count %q", got)
	}
	if got, want := strings.Join(shownIDs(c, pageSize), ","), strings.Join(storedIDs(t, r, capture.Filter{}, pageSize), ","); got != want {
		t.Error("the first page differs from the store's newest captures")
	}
}

// TestCapturesTheReadCountedAreNotCountedTwice: a capture stored just
// before a read may arrive as an event after it; the list counts it
// once. (The interleaving is made by hand here; the test above meets
// it by chance.)
func TestCapturesTheReadCountedAreNotCountedTwice(t *testing.T) {
	r := newRig(t)
	c := r.c
	sum := func(id string) capture.Summary {
		return capture.Summary{ID: id, Method: "POST", Path: "/" + id, Status: 200}
	}
	added := func(ids ...string) workspace.Event {
		var e workspace.CapturesAdded
		for _, id := range ids {
			e.Summaries = append(e.Summaries, sum(id))
		}
		return e
	}
	// A read is under way when a and b arrive; it read a, b and c, whose
	// event comes after it, with d.
	c.follow = follow{reading: true}
	c.handle([]workspace.Event{added("a", "b")})
	c.applyRead(c.pager.gen, listRead{
		total: 3, all: 3, first: []capture.Summary{sum("c"), sum("b"), sum("a")}, endpoints: []string{"a", "b", "c"},
		known: map[string]bool{"a": true, "b": true, "c": true}, settled: true,
	})
	c.handle([]workspace.Event{added("c", "d")})
	if got := strings.Join(shownIDs(c, 10), ","); c.Total() != 4 || got != "d,c,b,a" {
		t.Fatalf("%d listed: %s, want d,c,b,a", c.Total(), got)
	}
	if widgets.MutedText(c.count) != "4 captured" {
		t.Errorf("count %q", widgets.MutedText(c.count))
	}
	// One the read knew coming after a new one: it missed more than it
	// knows, and the list is read again.
	c.handle([]workspace.Event{added("e"), added("a")})
	if !c.follow.reading {
		t.Error("a contradicting arrival did not read the list again")
	}
	r.loop.WaitFor(t, "the read", func() bool { return !c.follow.reading })
	if c.Total() != 0 {
		t.Errorf("%d listed from an empty store", c.Total())
	}
}

// TestArrivalsDuringAFailedReadAreNotLost: a capture that arrives while
// a read of the list fails may be the last of a burst. The failed read
// drops what arrived meanwhile, so the list reads again for it instead
// of waiting for a next capture that may never come. (The interleaving
// is made by hand: the read is under way, the capture's event arrives,
// then the read fails.)
func TestArrivalsDuringAFailedReadAreNotLost(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.follow = follow{reading: true}
	if err := r.store.Add(&capture.Capture{ID: "late", Method: "POST", Path: "/late", Status: 200, Time: time.Now()}); err != nil {
		t.Fatal(err)
	}
	r.loop.WaitFor(t, "the capture's event, held while the read runs", func() bool { return len(c.follow.log) == 1 },
		func() string { return fmt.Sprintf("%d held", len(c.follow.log)) })
	c.applyRead(c.pager.gen, listRead{err: errors.New("disk I/O error")})
	if !c.follow.reading {
		t.Fatalf("a capture arrived during a read that failed, and the list is not read again: it shows %d, the store holds 1", c.Total())
	}
	r.loop.WaitFor(t, "the list read again", func() bool { return !c.follow.reading && c.Total() == 1 }, listVsStore(r))
	if got := widgets.MutedText(c.count); got != "1 captured" {
		t.Errorf("count %q after the read that succeeded", got)
	}
}

// listVsStore says what the list shows and what the store holds, for a
// wait that timed out.
func listVsStore(r *rig) func() string {
	return func() string {
		stored, err := r.store.Count(capture.Filter{})
		return fmt.Sprintf("the list shows %d (%q, reading %v), the store holds %d (err %v)",
			r.c.Total(), widgets.MutedText(r.c.count), r.c.follow.reading, stored, err)
	}
}

// pagesHeld says which pages the pager holds, for a wait that timed out.
func pagesHeld(c *Catcher) func() string {
	return func() string {
		p := c.pager
		var held []string
		for n, pg := range p.pages {
			held = append(held, fmt.Sprintf("page %d: %d rows, version %d, loading %v", n, len(pg.items), pg.version, pg.loading))
		}
		slices.Sort(held)
		return fmt.Sprintf("%d of %d listed, list version %d; %s", p.total, p.all, p.version, strings.Join(held, "; "))
	}
}

// TestAPanicInTheListsReadIsAFailedRead: a read of the list that
// panics is reported and taken as a failed read; the list does not wait
// for it for ever, and the next capture reads it again.
func TestAPanicInTheListsReadIsAFailedRead(t *testing.T) {
	r := newRig(t)
	c := r.c
	var panics atomic.Int32
	r.bridge.OnPanic = func(any, []byte) { panics.Add(1) }
	r.reads.panicList.Store(true)
	r.ws.Events().Publish(workspace.CapturesChanged{}) // read the list again
	r.loop.WaitFor(t, "the read that panicked ended", func() bool { return panics.Load() == 1 && !c.follow.reading },
		func() string { return fmt.Sprintf("%d panics, reading %v", panics.Load(), c.follow.reading) })
	if got := widgets.MutedText(c.count); !strings.Contains(got, "internal error reading the list") {
		t.Errorf("count %q after a read that panicked", got)
	}
	if err := r.store.Add(&capture.Capture{ID: "after", Method: "POST", Path: "/after", Status: 200, Time: time.Now()}); err != nil {
		t.Fatal(err)
	}
	r.loop.WaitFor(t, "the list read again", func() bool { return c.Total() == 1 && !c.follow.reading }, listVsStore(r))
	if got := widgets.MutedText(c.count); got != "1 captured" {
		t.Errorf("count %q", got)
	}
}
