package capture

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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

// ServeHTTP captures r and answers by the rule of its endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
		return // nothing stored: a stranger's request
	}
	body, size, truncated, readErr := readBody(s.paced(w, r.Body), r.ContentLength, limit)
	c.Body, c.BodySize, c.Truncated = body, size, truncated

	var delay time.Duration
	switch {
	case truncated:
		c.Status, c.RespHeader, c.RespBody = ackResponse(http.StatusRequestEntityTooLarge,
			ack{ID: c.ID, Error: fmt.Sprintf("body larger than %d bytes; the first %d bytes were kept", limit, limit)})
		// Tell net/http not to drain the rest of an oversized body.
		c.RespHeader.Set("Connection", "close")
	case readErr != nil:
		// The sender went away mid-body: keep what arrived, marked.
		c.Truncated = true
		c.Status, c.RespHeader, c.RespBody = ackResponse(http.StatusBadRequest,
			ack{ID: c.ID, Error: "body could not be read: " + readErr.Error()})
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
		writeResponse(w, http.StatusServiceUnavailable, h, b)
		if fn := s.storeErr.Load(); fn != nil {
			(*fn)(c, err)
		}
		return
	}
	if s.OnCapture != nil {
		s.OnCapture(c)
	}
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
	writeResponse(w, c.Status, c.RespHeader, c.RespBody)
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

// readBody reads up to limit bytes. Beyond the limit it counts (up to a
// bound, so a hostile sender cannot keep us busy) and drops the rest.
//
// A declared Content-Length (trusted only up to the limit) sizes the
// buffer once, instead of ReadAll's regrowing from 512 bytes.
func readBody(rc io.Reader, contentLength, limit int64) (body []byte, size int64, truncated bool, err error) {
	if rc == nil || rc == http.NoBody {
		return nil, 0, false, nil
	}
	if contentLength > 0 && contentLength <= limit {
		body = make([]byte, contentLength)
		var n int
		n, err = io.ReadFull(rc, body)
		body = body[:n]
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			// The sender sent less than it declared.
			err = io.ErrUnexpectedEOF
		}
	} else {
		body, err = io.ReadAll(io.LimitReader(rc, limit))
	}
	size = int64(len(body))
	if err != nil {
		return body, size, false, err
	}
	var one [1]byte
	n, _ := io.ReadFull(rc, one[:])
	if n == 0 {
		return body, size, false, nil
	}
	rest, _ := io.Copy(io.Discard, io.LimitReader(rc, 4*limit))
	return body, size + int64(n) + rest, true, nil
}

// rawPath is the request target before any '?', as received.
func rawPath(requestURI string) string {
	p, _, _ := strings.Cut(requestURI, "?")
	return p
}
