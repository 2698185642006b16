// Package forward delivers captures, as they were received, to a local
// URL per endpoint (`hooklab listen --forward /stripe=http://localhost:3000/hooks`),
// so the app under development gets the webhook while the catcher keeps
// it. Forwarding never holds the catcher's answer back: Enqueue only
// queues, each target has its own bounded queue and worker, and a slow
// or dead target delays nobody else.
package forward

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"hooklab/capture"
)

// Defaults of Options.
const (
	DefaultQueue    = 256
	DefaultQueueMB  = 64
	DefaultTimeout  = 10 * time.Second
	DefaultAttempts = 3
)

// Rule forwards the captures of one endpoint to Target.
type Rule struct {
	Endpoint string   // first path segment without slashes; "/" the root path
	Target   *url.URL // absolute http(s) URL
}

// ParseFlag reads a --forward value, /ENDPOINT=URL, such as
// "/stripe=http://localhost:3000/hooks".
func ParseFlag(v string) (Rule, error) {
	ep, target, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(ep, "/") {
		return Rule{}, fmt.Errorf("--forward %q: want /ENDPOINT=URL, e.g. /stripe=http://localhost:3000/hooks", v)
	}
	if strings.Contains(ep[1:], "/") {
		return Rule{}, fmt.Errorf("--forward %q: the endpoint %q has more than one segment; forwarding applies to a whole endpoint such as /stripe", v, ep)
	}
	u, err := url.Parse(strings.TrimSpace(target))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Rule{}, fmt.Errorf("--forward %q: %q is not an http:// or https:// URL with a host", v, target)
	}
	return Rule{Endpoint: capture.Endpoint(ep), Target: u}, nil
}

// NewRule checks a rule as the window takes it: endpoint one path
// segment ("/stripe", "stripe" or "/"), target an http:// or https://
// URL with a host.
func NewRule(endpoint, target string) (Rule, error) {
	ep := strings.TrimSpace(endpoint)
	if ep == "" {
		return Rule{}, errors.New("endpoint: give one, e.g. /stripe")
	}
	if !strings.HasPrefix(ep, "/") {
		ep = "/" + ep
	}
	if strings.Contains(strings.TrimSuffix(ep[1:], "/"), "/") {
		return Rule{}, fmt.Errorf("endpoint: %q has more than one path segment; forwarding applies to a whole endpoint such as /stripe", endpoint)
	}
	t := strings.TrimSpace(target)
	u, err := url.Parse(t)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Rule{}, fmt.Errorf("forward to: %q is not an http:// or https:// URL with a host, e.g. http://localhost:3000/hooks", t)
	}
	return Rule{Endpoint: capture.Endpoint(ep), Target: u}, nil
}

// Result is how forwarding one capture went.
type Result struct {
	CaptureID string
	URL       string        // where it went, path and query included
	Status    int           // the target's answer; 0 without one
	Time      time.Duration // of the last attempt
	Attempts  int
	Err       string // why it was not delivered; "" when Status came back
	At        time.Time
	// Response is the target's answer to the last attempt; nil without
	// one.
	Response *Response
}

// JSON is r as the "forward" member of a capture's JSON line.
func (r Result) JSON() *capture.Forward {
	return &capture.Forward{URL: r.URL, Status: r.Status, MS: r.Time.Milliseconds(), Attempts: r.Attempts, Error: r.Err}
}

// Options tune a Forwarder; zero fields take the defaults.
type Options struct {
	Queue    int           // captures waiting per target; past it a capture is not forwarded
	QueueMB  int           // body bytes waiting per target, in MiB; likewise
	Timeout  time.Duration // per attempt
	Attempts int           // attempts on a network error, a 429 or a 5xx
	// Backoff is the wait before attempt n (2, 3, …); nil: 1 s, 2 s, 4 s…
	Backoff func(n int) time.Duration
	// Client sends; nil: one that never follows redirects, verifies TLS
	// and records the response heads as received (newClient).
	Client *http.Client
	// OnResult is called, on a worker's goroutine (or Enqueue's, for a
	// capture not queued), with each capture forwarded and its result.
	OnResult func(*capture.Capture, Result)
	Now      func() time.Time
}

// Forwarder forwards captures by their endpoint's rule.
type Forwarder struct {
	opts    Options
	targets map[string]*target // by endpoint
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	mu      sync.Mutex
	closed  bool
}

type target struct {
	rule  Rule
	queue chan *capture.Capture
	bytes int64 // body bytes queued; guarded by Forwarder.mu
}

// New starts a worker per rule; Close stops them.
func New(rules []Rule, o Options) *Forwarder {
	if o.Queue <= 0 {
		o.Queue = DefaultQueue
	}
	if o.QueueMB <= 0 {
		o.QueueMB = DefaultQueueMB
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Attempts <= 0 {
		o.Attempts = DefaultAttempts
	}
	if o.Backoff == nil {
		o.Backoff = func(n int) time.Duration { return time.Second << (n - 2) }
	}
	if o.Client == nil {
		o.Client = newClient()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	f := &Forwarder{opts: o, targets: map[string]*target{}}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	for _, r := range rules {
		t := &target{rule: r, queue: make(chan *capture.Capture, o.Queue)}
		f.targets[r.Endpoint] = t
		f.wg.Go(func() { f.work(t) })
	}
	return f
}

// Rules are the rules the forwarder serves.
func (f *Forwarder) Rules() []Rule {
	var out []Rule
	for _, t := range f.targets {
		out = append(out, t.rule)
	}
	return out
}

// Has reports whether captures of endpoint are forwarded.
func (f *Forwarder) Has(endpoint string) bool {
	_, ok := f.targets[endpoint]
	return ok
}

// Enqueue queues a copy of c for its endpoint's target without
// waiting: false when no rule takes c. A full queue (in captures or in
// bytes) is reported as a Result, c not forwarded.
func (f *Forwarder) Enqueue(c *capture.Capture) bool {
	t := f.targets[capture.Endpoint(c.Path)]
	if t == nil {
		return false
	}
	cp := *c
	cp.Body = bytes.Clone(c.Body)
	cp.Header = c.Header.Clone()
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return false
	}
	full := ""
	if t.bytes+int64(len(cp.Body)) > int64(f.opts.QueueMB)<<20 && t.bytes > 0 {
		full = fmt.Sprintf("not forwarded: %d MiB of bodies are already waiting for %s", f.opts.QueueMB, t.rule.Target.Host)
	} else {
		select {
		case t.queue <- &cp:
			t.bytes += int64(len(cp.Body))
		default:
			full = fmt.Sprintf("not forwarded: %d captures are already waiting for %s", f.opts.Queue, t.rule.Target.Host)
		}
	}
	f.mu.Unlock()
	if full != "" {
		f.report(&cp, Result{CaptureID: c.ID, URL: targetURL(t.rule, c), Err: full, At: f.opts.Now()})
	}
	return true
}

// Close stops the workers; captures still queued are not forwarded, and
// an attempt under way is cancelled. It may follow Drain, to cut it
// short.
func (f *Forwarder) Close() {
	f.stopTaking()
	f.cancel()
	f.wg.Wait()
}

// Drain takes no more captures (Enqueue reports false) and returns once
// those queued were forwarded, retries included, or Close cancelled them.
func (f *Forwarder) Drain() {
	f.stopTaking()
	f.wg.Wait()
}

func (f *Forwarder) stopTaking() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.closed = true
	for _, t := range f.targets {
		close(t.queue)
	}
}

func (f *Forwarder) report(c *capture.Capture, r Result) {
	if f.opts.OnResult != nil {
		f.opts.OnResult(c, r)
	}
}

func (f *Forwarder) work(t *target) {
	for c := range t.queue {
		f.mu.Lock()
		t.bytes -= int64(len(c.Body))
		f.mu.Unlock()
		if f.ctx.Err() != nil {
			continue
		}
		f.report(c, f.deliver(t.rule, c))
	}
}

// deliver sends c to the rule's target, retrying on a network error, a
// 429 or a 5xx.
func (f *Forwarder) deliver(rule Rule, c *capture.Capture) Result {
	res := Result{CaptureID: c.ID, URL: targetURL(rule, c)}
	if c.Truncated {
		res.Err, res.At = "not forwarded: the catcher kept only the start of its body", f.opts.Now()
		return res
	}
	for n := 1; n <= f.opts.Attempts; n++ {
		if n > 1 {
			select {
			case <-f.ctx.Done():
				res.Err = "not forwarded: Hooklab stopped"
				return res
			case <-time.After(f.opts.Backoff(n)):
			}
		}
		res.Attempts = n
		status, resp, took, err := f.attempt(res.URL, c)
		res.Status, res.Time, res.At, res.Response = status, took, f.opts.Now(), resp
		res.Err = ""
		if err != nil {
			res.Err = err.Error()
		}
		if err == nil && status != http.StatusTooManyRequests && status < 500 {
			return res
		}
		if f.ctx.Err() != nil {
			return res
		}
	}
	return res
}

// hopByHop are the headers of one connection, not of the message.
var hopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Content-Length": true, "Host": true,
}

// attempt sends c once: its method, its headers but the hop-by-hop ones
// (and those Connection names), its body bytes as received. Host is the
// target's. It returns the target's status and answer, 0 and nil
// without one.
func (f *Forwarder) attempt(u string, c *capture.Capture) (int, *Response, time.Duration, error) {
	ctx, cancel := context.WithTimeout(f.ctx, f.opts.Timeout)
	defer cancel()
	rec := &headRecorder{}
	req, err := http.NewRequestWithContext(withRecorder(ctx, rec), c.Method, u, bytes.NewReader(c.Body))
	if err != nil {
		return 0, nil, 0, err
	}
	drop := map[string]bool{}
	for _, v := range c.Header.Values("Connection") {
		for name := range strings.SplitSeq(v, ",") {
			drop[http.CanonicalHeaderKey(strings.TrimSpace(name))] = true
		}
	}
	for name, vals := range c.Header {
		k := http.CanonicalHeaderKey(name)
		if hopByHop[k] || drop[k] {
			continue
		}
		req.Header[name] = append([]string(nil), vals...)
	}
	if _, ok := req.Header["User-Agent"]; !ok {
		req.Header["User-Agent"] = nil // send none rather than Go's
	}
	start := time.Now()
	resp, err := f.opts.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, nil, time.Since(start), err
	}
	got := readResponse(resp, rec)
	resp.Body.Close()
	return resp.StatusCode, got, time.Since(start), nil
}

// targetURL is where c goes: the target's URL with the rest of c's path
// after the endpoint appended, and c's query.
func targetURL(rule Rule, c *capture.Capture) string {
	u := *rule.Target
	rest := c.Path
	if rule.Endpoint != "/" {
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "/"), rule.Endpoint)
	}
	if rest != "" && rest != "/" {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/" + strings.TrimPrefix(rest, "/")
		u.RawPath = ""
	}
	if c.RawQuery != "" {
		u.RawQuery = c.RawQuery
	}
	return u.String()
}
