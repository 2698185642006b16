package capture

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxBody is the largest body the catcher keeps (10 MiB).
const DefaultMaxBody = 10 << 20

// Defaults of Server.MinBodyRate and BodyGrace: a 10 MiB body may take
// 10 s plus 1,280 s; a sender at 1 byte a second is cut off after about
// 10 s.
const (
	DefaultMinBodyRate = 8 << 10
	DefaultBodyGrace   = 10 * time.Second
)

// Server is the catcher's HTTP handler: it accepts any method on any
// path, stores the request together with the answer it is about to give,
// and only then answers the sender, as the endpoint's Rule says.
//
// Rules are read from the RuleStore once, on the first request or the
// first ReloadRules call, and kept in memory, so answering never touches
// the rule database. Whoever changes a rule (the UI after an edit) must
// call ReloadRules for the catcher to see it.
type Server struct {
	Store Store
	// Rules holds the per-endpoint answers; nil answers every request
	// with DefaultRule.
	Rules   RuleStore
	MaxBody int64 // 0 means DefaultMaxBody
	// MinBodyRate and BodyGrace bound how long a body may take: byte n
	// must arrive within BodyGrace + n/MinBodyRate of the handler
	// starting, or the read fails and the capture keeps what arrived.
	// A sender declaring a large body and trickling it cannot hold a
	// connection for long. 0 means DefaultMinBodyRate, DefaultBodyGrace.
	MinBodyRate int64 // bytes a second
	BodyGrace   time.Duration
	// OnCapture, when set, is called with each capture after it is
	// stored and before the sender gets its answer.
	OnCapture func(*Capture)
	// Token, when set, is the access token every request from another
	// computer must carry (TokenHeader or TokenParam): one without it is
	// answered 401 and not stored. The token is left out of what is
	// stored of every request.
	Token string
	// Verify, when set, judges each capture's signature before it is
	// stored (nil: the endpoint has no scheme set). It runs on the
	// sender's goroutine, so it must be quick: an HMAC of the body is.
	Verify func(*Capture) *Verdict
	Now    func() time.Time
	// Budget bounds the bytes of bodies held in memory across requests
	// (see BodyBudget); nil means a budget of DefaultBodyBudget of the
	// server's own. Set it before serving.
	Budget *BodyBudget
	// OnPanic, when set, is told of a panic recovered while a request
	// was handled, with its stack; it runs on the request's goroutine.
	OnPanic func(v any, stack []byte)

	ownBudget     sync.Once
	defaultBudget *BodyBudget

	// after starts a rule's delay (nil: time.After); the answer goes out
	// when its channel receives. Tests set it to fire the delay
	// themselves.
	after func(time.Duration) <-chan time.Time

	rules    atomic.Pointer[map[string]Rule] // nil until first loaded
	reloadMu sync.Mutex                      // one load at a time
	// storeErr is told about every capture the store refused.
	storeErr atomic.Pointer[func(*Capture, error)]
}

// SetStoreErrorHandler makes fn see every capture the store refused
// (a full disk, say), after its sender was answered 503; nil stops it.
// It may be called while the server is serving; fn runs on the request's
// goroutine and must not block.
func (s *Server) SetStoreErrorHandler(fn func(*Capture, error)) {
	if fn == nil {
		s.storeErr.Store(nil)
		return
	}
	s.storeErr.Store(&fn)
}

// NewServer returns a catcher handler writing to store.
func NewServer(store Store) *Server {
	return &Server{Store: store}
}

var defaultRule = DefaultRule()

// ReloadRules reads every rule from s.Rules and makes the catcher answer
// by them from the next request on. Call it after changing a rule. A
// rule that fails Validate is left out (its endpoint gets DefaultRule)
// and reported in the error; when the store cannot be read at all the
// rules in use stay as they were.
func (s *Server) ReloadRules() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.reloadLocked()
}

func (s *Server) reloadLocked() error {
	m := map[string]Rule{}
	if s.Rules == nil {
		s.rules.Store(&m)
		return nil
	}
	list, err := s.Rules.Rules()
	if err != nil {
		if s.rules.Load() == nil {
			// Serve defaults rather than retry (and hit the store) on
			// every request until the next ReloadRules.
			s.rules.Store(&m)
		}
		return fmt.Errorf("load response rules: %w", err)
	}
	var errs []error
	for _, r := range list {
		if err := r.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("endpoint %q: %w", r.Endpoint, err))
			continue
		}
		m[r.Endpoint] = r
	}
	s.rules.Store(&m)
	return errors.Join(errs...)
}

// rule returns the rule for path, loading the rules on first use.
func (s *Server) rule(path string) Rule {
	m := s.rules.Load()
	if m == nil {
		s.reloadMu.Lock()
		if s.rules.Load() == nil {
			// The error has nowhere to go on the hot path; the one who
			// wants it calls ReloadRules before serving.
			_ = s.reloadLocked()
		}
		m = s.rules.Load()
		s.reloadMu.Unlock()
	}
	if r, ok := (*m)[Endpoint(path)]; ok {
		return r
	}
	return defaultRule
}

type ack struct {
	OK    bool   `json:"ok"`
	ID    string `json:"id"`
	Error string `json:"error,omitempty"`
}

// ServeHTTP captures r and answers by the rule of its endpoint. A panic
// on the way (in a hook, a rule, the store) is recovered: the sender
// gets 500 if nothing was answered yet, OnPanic is told, and the server
// keeps serving.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	answered := false
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v) // net/http's own way to abort a response
		}
		stack := debug.Stack()
		if !answered {
			_, h, b := ackResponse(http.StatusInternalServerError, ack{Error: "the catcher failed on this request (an internal error, logged)"})
			h.Set("Connection", "close")
			writeResponse(w, http.StatusInternalServerError, h, b)
		}
		if s.OnPanic != nil {
			s.OnPanic(v, stack)
		}
	}()
	s.serve(w, r, &answered)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, answered *bool) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	limit := s.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	t := now()
	// The capture keeps r.Header itself rather than a copy: net/http
	// makes a new Header for every request and does not touch it once
	// ServeHTTP has returned, and nothing here changes it.
	c := &Capture{
		ID:       NewID(t),
		Time:     t,
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Proto:    r.Proto,
		Host:     r.Host,
		Header:   r.Header,
		Remote:   r.RemoteAddr,
		RawPath:  rawPath(r.RequestURI),
		Head:     HeadOf(r),
	}
	if c.Path == "" {
		c.Path = "/"
	}
	if !s.checkToken(w, r, c) {
		*answered = true
		return // nothing read, nothing stored: a stranger's request
	}
	budget := s.budget()
	in := s.paced(w, r.Body)
	read := readBody(in, r.ContentLength, limit, budget)
	// The body's memory is let go once its capture is stored and
	// OnCapture has seen it, before a rule's delay.
	held := read.held
	defer func() { budget.release(held) }()
	if read.err == errBudgetSpent {
		// Read and drop the body (up to the limit, at the minimum rate)
		// so the sender, still sending, gets to read the answer: a
		// connection closed on unread bytes is reset, and most clients
		// then report an error instead of the 503.
		_, _ = io.Copy(io.Discard, io.LimitReader(in, limit))
		*answered = true
		writeBudgetSpent(w)
		return
	}
	c.Body, c.BodySize, c.Truncated = read.body, read.size, read.truncated

	var delay time.Duration
	switch {
	case read.truncated:
		sent := fmt.Sprintf("%d bytes were sent", read.size)
		if read.more {
			sent = fmt.Sprintf("more than %d bytes were sent", read.size)
		}
		c.Status, c.RespHeader, c.RespBody = ackResponse(http.StatusRequestEntityTooLarge,
			ack{ID: c.ID, Error: fmt.Sprintf("body larger than %d bytes (%s); the first %d bytes were kept", limit, sent, limit)})
		// Tell net/http not to read the rest of an oversized body.
		c.RespHeader.Set("Connection", "close")
	case read.err != nil:
		// The sender went away mid-body: keep what arrived, marked.
		c.Truncated = true
		c.Status, c.RespHeader, c.RespBody = ackResponse(http.StatusBadRequest,
			ack{ID: c.ID, Error: "body could not be read: " + read.err.Error()})
	default:
		rule := s.rule(c.Path)
		c.Status, c.RespHeader, c.RespBody = rule.Render(c)
		delay = rule.Delay
	}
	if !bodyAllowed(r.Method, c.Status) {
		// Record what went on the wire: net/http drops these bodies.
		c.RespBody = nil
	}

	c.Event = EventType(c)
	if s.Verify != nil {
		c.Signature = s.Verify(c)
	}
	if err := s.Store.Add(c); err != nil {
		_, h, b := ackResponse(http.StatusServiceUnavailable, ack{Error: "capture not stored: " + err.Error()})
		*answered = true
		writeResponse(w, http.StatusServiceUnavailable, h, b)
		if fn := s.storeErr.Load(); fn != nil {
			(*fn)(c, err)
		}
		return
	}
	if s.OnCapture != nil {
		s.OnCapture(c)
	}
	// From here on only the answer is used: the store has the capture,
	// and its body is garbage once no one else holds it.
	status, header, body := c.Status, c.RespHeader, c.RespBody
	budget.release(held)
	held = 0
	if delay > 0 {
		after := s.after
		if after == nil {
			// An unfired timer of time.After is collected once
			// unreferenced, so a sender hanging up leaves nothing behind.
			after = time.After
		}
		select {
		case <-after(delay):
		case <-r.Context().Done():
			// The sender hung up; there is no one left to answer.
			return
		}
	}
	*answered = true
	writeResponse(w, status, header, body)
}

// budget returns s.Budget, or the server's own default one.
func (s *Server) budget() *BodyBudget {
	if s.Budget != nil {
		return s.Budget
	}
	s.ownBudget.Do(func() { s.defaultBudget = NewBodyBudget(0) })
	return s.defaultBudget
}

// paced returns body under the deadlines of MinBodyRate and BodyGrace,
// or body itself when the connection takes no deadline (a test's
// recorder). The deadline is cleared at EOF: net/http's read in the
// background after the body, which tells the handler that the sender
// hung up during a rule's delay, must not time out.
func (s *Server) paced(w http.ResponseWriter, body io.ReadCloser) io.Reader {
	if body == nil || body == http.NoBody {
		return body
	}
	rate, grace := s.MinBodyRate, s.BodyGrace
	if rate <= 0 {
		rate = DefaultMinBodyRate
	}
	if grace <= 0 {
		grace = DefaultBodyGrace
	}
	p := &pacedReader{r: body, rc: http.NewResponseController(w), start: time.Now(), grace: grace, rate: rate}
	if p.rc.SetReadDeadline(p.deadline()) != nil {
		return body
	}
	return p
}

// pacedReader sets the connection's read deadline before each read so
// that byte n is due BodyGrace + n/MinBodyRate after start: a sender at
// or above the rate never meets it, whatever the body's size. These are
// the connection's real deadlines, hence time.Now and not Server.Now.
type pacedReader struct {
	r     io.Reader
	rc    *http.ResponseController
	start time.Time
	grace time.Duration
	rate  int64
	n     int64
}

func (p *pacedReader) deadline() time.Time {
	return p.start.Add(p.grace + time.Duration(float64(p.n)/float64(p.rate)*float64(time.Second)))
}

func (p *pacedReader) Read(b []byte) (int, error) {
	if p.n > 0 {
		_ = p.rc.SetReadDeadline(p.deadline())
	}
	n, err := p.r.Read(b)
	p.n += int64(n)
	if err != nil {
		_ = p.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// ackResponse is the JSON acknowledgement the catcher gives when it
// cannot answer by a rule.
func ackResponse(status int, a ack) (int, http.Header, []byte) {
	b, err := json.Marshal(a)
	if err != nil {
		panic(err) // an ack is two strings and a bool: it always marshals
	}
	return status, http.Header{"Content-Type": {"application/json"}}, b
}

func bodyAllowed(method string, status int) bool {
	return method != http.MethodHead && status != http.StatusNoContent && status != http.StatusNotModified
}

func writeResponse(w http.ResponseWriter, status int, header http.Header, body []byte) {
	dst := w.Header()
	for name, values := range header {
		dst[name] = values
	}
	w.WriteHeader(status)
	// A sender that hung up cannot be told anything more.
	_, _ = w.Write(body)
}

// errBudgetSpent: the body did not fit the server's BodyBudget.
var errBudgetSpent = errors.New("body budget spent")

// growStep is the least a body of undeclared length grows by (and
// reserves of the budget) at a time.
const growStep = 64 << 10

// bodyRead is what readBody read.
type bodyRead struct {
	body []byte
	// size is the body's real size: the declared Content-Length, or the
	// bytes counted; when more is set, the sender sent more than size
	// and the rest was not counted.
	size      int64
	more      bool
	truncated bool
	held      int64 // bytes of the budget reserved for body
	err       error
}

// readBody reads up to limit bytes of r, reserving of budget what it
// keeps before it reads it: a declared Content-Length (up to the limit)
// in one piece and one allocation, an undeclared length as the buffer
// grows. When the budget is spent it stops with errBudgetSpent. Past
// the limit, a declared length is the body's size and the rest is not
// read (the answer closes the connection); an undeclared one is counted
// up to 4×limit more and dropped.
func readBody(r io.Reader, contentLength, limit int64, budget *BodyBudget) (out bodyRead) {
	if r == nil || r == http.NoBody {
		return out
	}
	if contentLength > 0 {
		keep := min(contentLength, limit)
		if !budget.reserve(keep) {
			out.err = errBudgetSpent
			return out
		}
		out.held = keep
		out.body = make([]byte, keep)
		n, err := io.ReadFull(r, out.body)
		out.body, out.size = out.body[:n], int64(n)
		if err != nil {
			// The sender sent less than it declared.
			out.err = io.ErrUnexpectedEOF
			return out
		}
		if contentLength > limit {
			out.size, out.truncated = contentLength, true
		}
		return out
	}
	var buf []byte
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			grow := min(max(int64(cap(buf)), growStep), limit-int64(cap(buf)))
			if !budget.reserve(grow) {
				out.err = errBudgetSpent
				return out
			}
			out.held += grow
			nb := make([]byte, len(buf), int64(cap(buf))+grow)
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			out.body, out.size = buf, int64(len(buf))
			return out
		}
		if err != nil {
			out.body, out.size, out.err = buf, int64(len(buf)), err
			return out
		}
	}
	out.body, out.size = buf, int64(len(buf))
	var one [1]byte
	if n, _ := io.ReadFull(r, one[:]); n == 0 {
		return out
	}
	bound := 4 * limit
	rest, _ := io.Copy(io.Discard, io.LimitReader(r, bound))
	out.size += 1 + rest
	out.truncated = true
	if rest == bound {
		if n, _ := io.ReadFull(r, one[:]); n > 0 {
			out.more = true
		}
	}
	return out
}

// rawPath is the request target before any '?', as received.
func rawPath(requestURI string) string {
	p, _, _ := strings.Cut(requestURI, "?")
	return p
}
