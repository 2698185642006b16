package workspace

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"time"

	"hooklab/capture"
	"hooklab/requester/history"
	"hooklab/workspace/link"
)

// The timeline is the exchange since a time as a sequence diagram
// reads it: each request (You → API), its response (API → You), each
// webhook a request caused (API → your endpoint), and the captures no
// request is known to have caused. ui/timeline draws it; `hooklab
// timeline` renders it to a PNG.

// ArrowKind is what an arrow of the timeline stands for.
type ArrowKind int

const (
	// ArrowRequest is a request sent: You → API.
	ArrowRequest ArrowKind = iota
	// ArrowResponse is its response, or its failure: API → You.
	ArrowResponse
	// ArrowWebhook is a capture linked to the request that caused it:
	// API → your endpoint.
	ArrowWebhook
	// ArrowUnlinked is a capture no request is known to have caused.
	ArrowUnlinked
)

// SignatureState is a capture's signature at a glance.
type SignatureState int

const (
	// SignatureUnchecked: its endpoint has no scheme, nothing was checked.
	SignatureUnchecked SignatureState = iota
	// SignatureValid: the signature was checked and is valid.
	SignatureValid
	// SignatureInvalid: a signature was there and is wrong.
	SignatureInvalid
	// SignatureUnsigned: a scheme was expected but the capture carried
	// no signature.
	SignatureUnsigned
)

// String is "valid", "invalid", "unsigned" or "" (unchecked).
func (s SignatureState) String() string {
	switch s {
	case SignatureValid:
		return "valid"
	case SignatureInvalid:
		return "invalid"
	case SignatureUnsigned:
		return "unsigned"
	}
	return ""
}

// SignatureStateOf reads a capture's verdict (nil: not checked).
func SignatureStateOf(v *capture.Verdict) SignatureState {
	switch {
	case v == nil:
		return SignatureUnchecked
	case v.Valid:
		return SignatureValid
	case !v.Signed():
		return SignatureUnsigned
	}
	return SignatureInvalid
}

// TimelineCall is a request of the timeline (a history entry), or the
// request that caused a webhook.
type TimelineCall struct {
	ID       int64 // the history entry
	Time     time.Time
	Method   string
	URL      string
	Status   int           // 0 without a response
	Duration time.Duration // until the response was read; 0 for a cause known only by its link
	Err      string        // why there is no response
}

// Path is the call's URL path and query ("/v1/payments"), or the whole
// URL when it has none that parses.
func (c TimelineCall) Path() string {
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		return c.URL
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// TimelineCapture is a capture of the timeline.
type TimelineCapture struct {
	ID        string
	Method    string
	Path      string
	Event     string // "payment.created"; "" when none was found
	Signature SignatureState
	Verdict   *capture.Verdict // nil when unchecked
	// Delay is how long after its cause was sent the capture arrived;
	// 0 for an unlinked one.
	Delay time.Duration
	// SharedID is the identifier the cause's response and the capture
	// share; "" for an unlinked one.
	SharedID string
}

// Arrow is one arrow of the timeline.
type Arrow struct {
	Kind ArrowKind
	Time time.Time
	// Call is the request (ArrowRequest, ArrowResponse) or the request
	// that caused the capture (ArrowWebhook); zero for ArrowUnlinked.
	Call TimelineCall
	// Capture is the capture (ArrowWebhook, ArrowUnlinked).
	Capture TimelineCapture
}

// Timeline is the exchange since a time, oldest arrow first.
type Timeline struct {
	Since  time.Time // zero: everything kept
	Arrows []Arrow
	// Earlier says older arrows since Since were left out: the timeline
	// holds the newest ones up to its limit.
	Earlier bool
}

// Empty reports whether there is nothing to draw.
func (t Timeline) Empty() bool { return len(t.Arrows) == 0 }

// Count returns how many arrows of kind k there are.
func (t Timeline) Count(k ArrowKind) int {
	n := 0
	for _, a := range t.Arrows {
		if a.Kind == k {
			n++
		}
	}
	return n
}

// DefaultTimelineLimit is how many arrows a timeline holds at most
// unless told otherwise: the newest.
const DefaultTimelineLimit = 5000

// BuildTimeline makes the timeline of calls and captures (in any order),
// with causes the links of the linked captures by capture id, keeping
// the newest limit arrows (DefaultTimelineLimit when limit <= 0).
// Arrows at the same instant read in the order of the exchange: a
// request, its response, the webhooks.
func BuildTimeline(since time.Time, calls []history.Summary, caps []capture.Summary, causes map[string]link.Link, limit int) Timeline {
	if limit <= 0 {
		limit = DefaultTimelineLimit
	}
	arrows := make([]Arrow, 0, 2*len(calls)+len(caps))
	byID := make(map[int64]history.Summary, len(calls))
	for _, h := range calls {
		byID[h.ID] = h
		c := TimelineCall{ID: h.ID, Time: h.Time, Method: h.Method, URL: h.URL, Status: h.Status, Duration: h.Duration, Err: h.Err}
		arrows = append(arrows,
			Arrow{Kind: ArrowRequest, Time: h.Time, Call: c},
			Arrow{Kind: ArrowResponse, Time: h.Time.Add(h.Duration), Call: c})
	}
	for _, s := range caps {
		tc := TimelineCapture{ID: s.ID, Method: s.Method, Path: s.Path, Event: s.Event,
			Signature: SignatureStateOf(s.Signature), Verdict: s.Signature}
		a := Arrow{Kind: ArrowUnlinked, Time: s.Time, Capture: tc}
		if l, ok := causes[s.ID]; ok {
			a.Kind = ArrowWebhook
			a.Call = TimelineCall{ID: l.Request.ID, Time: l.Request.Time, Method: l.Request.Method, URL: l.Request.URL, Status: l.Request.Status}
			if h, ok := byID[l.Request.ID]; ok {
				a.Call.Duration, a.Call.Err = h.Duration, h.Err
			}
			a.Capture.Delay = s.Time.Sub(l.Request.Time)
			a.Capture.SharedID = l.SharedID
		}
		arrows = append(arrows, a)
	}
	slices.SortStableFunc(arrows, func(a, b Arrow) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Call.ID, b.Call.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.Capture.ID, b.Capture.ID)
	})
	t := Timeline{Since: since}
	if len(arrows) > limit {
		arrows = arrows[len(arrows)-limit:]
		t.Earlier = true
	}
	t.Arrows = arrows
	return t
}

// timelinePage is how many history entries a read asks for at once.
const timelinePage = 500

// Timeline reads the exchange since since (zero: everything kept): the
// requests of history, the captures, and what caused each (one query per 500 captures). It keeps the
// newest limit arrows (DefaultTimelineLimit when limit <= 0) and reads
// no more than that many requests and captures, however many are kept.
// Without history only captures are drawn, all unlinked.
func (w *Workspace) Timeline(ctx context.Context, since time.Time, limit int) (Timeline, error) {
	if limit <= 0 {
		limit = DefaultTimelineLimit
	}
	var calls []history.Summary
	more := false
	if w.hist != nil {
	read:
		for off := 0; len(calls) < limit; off += timelinePage {
			page, err := w.hist.ListContext(ctx, "", off, timelinePage)
			if err != nil {
				return Timeline{}, err
			}
			for _, h := range page {
				if h.Time.Before(since) {
					break read
				}
				if len(calls) == limit {
					more = true
					break read
				}
				calls = append(calls, h)
			}
			if len(page) < timelinePage {
				break
			}
		}
	}
	caps, err := w.store.ListContext(ctx, capture.Filter{Since: since}, 0, limit+1)
	if err != nil {
		return Timeline{}, err
	}
	if len(caps) > limit {
		caps, more = caps[:limit], true
	}
	var causes map[string]link.Link
	if w.links != nil {
		ids := make([]string, len(caps))
		for i, s := range caps {
			ids[i] = s.ID
		}
		if causes, err = w.links.CausedByAll(ctx, ids); err != nil {
			return Timeline{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return Timeline{}, err
	}
	t := BuildTimeline(since, calls, caps, causes, limit)
	t.Earlier = t.Earlier || more
	return t, nil
}
