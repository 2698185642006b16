package capture

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNotFound is returned for an id the store does not hold.
var ErrNotFound = errors.New("capture not found")

// Filter narrows a listing. The zero Filter matches everything.
type Filter struct {
	Endpoint string    // first path segment without slashes ("stripe"); "" any; "/" captures on the root path
	Method   string    // exact, upper case; "" any
	Status   int       // 0 any; 1–5 a class (2 = 2xx); 100–599 exact
	Text     string    // case-insensitive words, each found in the path, the headers or the body
	Since    time.Time // zero: no lower bound
	// Event is an event type (Capture.Event), compared without regard to
	// case; "" any. Text also finds event types: each comes from the
	// headers or the body, which Text searches.
	Event string
}

// Store keeps captures. Implementations are safe for concurrent use.
// Add returns only once the capture is kept (durably, for a durable
// store): the catcher acknowledges the sender after Add.
type Store interface {
	Add(c *Capture) error
	// Get returns the whole capture, or ErrNotFound.
	Get(id string) (*Capture, error)
	// List returns up to limit summaries matching f, newest first,
	// skipping offset.
	List(f Filter, offset, limit int) ([]Summary, error)
	// ListContext is List that stops when ctx ends, returning its error.
	ListContext(ctx context.Context, f Filter, offset, limit int) ([]Summary, error)
	// Count returns how many captures match f.
	Count(f Filter) (int, error)
	// CountContext is Count that stops when ctx ends, returning its error.
	CountContext(ctx context.Context, f Filter) (int, error)
	// Endpoints lists the endpoints that have captures, sorted.
	Endpoints() ([]string, error)
	// EndpointsContext is Endpoints that stops when ctx ends, returning
	// its error.
	EndpointsContext(ctx context.Context) ([]string, error)
	// Scan calls fn for every capture matching f, oldest first, stopping
	// at fn's first error, which it returns.
	Scan(f Filter, fn func(*Capture) error) error
	Delete(id string) error
	Clear() error
	// OnChange makes fn see what each change was, in order, until the
	// returned function is called. fn runs on the writing goroutine: it
	// must return quickly and must not write to the store.
	OnChange(fn func(Change)) (remove func())
	Close() error
}

// Endpoint returns the endpoint of a path: its first segment ("/stripe/x"
// → "stripe"), or "/" for the root path.
func Endpoint(path string) string {
	seg, _, _ := strings.Cut(strings.TrimLeft(path, "/"), "/")
	if seg == "" {
		return "/"
	}
	return seg
}

// Match reports whether c passes f. Stores that cannot push a filter
// into their index use it; it is also the reference the others are
// tested against.
func (f Filter) Match(c *Capture) bool {
	if f.Endpoint != "" && Endpoint(c.Path) != f.Endpoint {
		return false
	}
	if f.Method != "" && !strings.EqualFold(c.Method, f.Method) {
		return false
	}
	if !f.matchStatus(c.Status) {
		return false
	}
	if !f.Since.IsZero() && c.Time.Before(f.Since) {
		return false
	}
	if f.Event != "" && !strings.EqualFold(c.Event, f.Event) {
		return false
	}
	if f.Text == "" {
		return true
	}
	hay := strings.ToLower(c.searchText())
	for _, w := range strings.Fields(strings.ToLower(f.Text)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// MatchSummary reports whether the capture s summarises passes f, as
// Match would, and whether s holds enough to say: a Text filter looks
// in headers and bodies, which a summary lacks, so a summary that
// passes the rest of such a filter is undecided. A list can then take
// in new captures from their summaries, asking the store only when it
// must.
func (f Filter) MatchSummary(s Summary) (match, decided bool) {
	switch {
	case f.Endpoint != "" && Endpoint(s.Path) != f.Endpoint,
		f.Method != "" && !strings.EqualFold(s.Method, f.Method),
		!f.matchStatus(s.Status),
		!f.Since.IsZero() && s.Time.Before(f.Since),
		f.Event != "" && !strings.EqualFold(s.Event, f.Event):
		return false, true
	}
	return f.Text == "", f.Text == ""
}

func (f Filter) matchStatus(status int) bool {
	switch {
	case f.Status == 0:
		return true
	case f.Status < 10:
		return status/100 == f.Status
	}
	return status == f.Status
}

// searchText is what full-text search looks in: path, query, headers
// ("Name: value" lines) and the body when it is text (valid UTF-8).
func (c *Capture) searchText() string {
	var b strings.Builder
	b.WriteString(c.Path)
	if c.RawQuery != "" {
		b.WriteString("?" + c.RawQuery)
	}
	b.WriteByte('\n')
	for name, vs := range c.Header {
		for _, v := range vs {
			b.WriteString(name + ": " + v + "\n")
		}
	}
	if utf8.Valid(c.Body) {
		b.Write(c.Body)
	}
	return b.String()
}
