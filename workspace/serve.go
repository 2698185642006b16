package workspace

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"hooklab/capture"
	"hooklab/capture/signature"
	"hooklab/sandbox"
	"hooklab/workspace/forward"
)

// ServeOptions say where and how the catcher and the sandbox serve.
type ServeOptions struct {
	// Addr is the catcher's address, SandboxAddr the sandbox's; ""
	// means DefaultAddr and DefaultSandboxAddr. A busy port falls back
	// to a free one, and Notes says so.
	Addr, SandboxAddr string
	// Respond are rules set before the catcher serves: the --respond
	// flags.
	Respond []capture.Rule
	// OnCapture, when set, sees each capture once it is stored, before
	// its sender is answered.
	OnCapture func(*capture.Capture)
	// Logger gets the servers' errors and the sandbox's delivery log;
	// nil means log.Default().
	Logger *log.Logger
	// Verify are signature schemes by endpoint for this run only (the
	// --verify flags), over any saved for the same endpoints; they are
	// not saved.
	Verify map[string]signature.Config
	// Sandbox configures the built-in sample API (its webhook delays,
	// say); its Logf defaults to Logger's.
	Sandbox sandbox.Options
	// Conns bound the catcher's connections (--max-conns); zero fields
	// mean capture's defaults. The sandbox gets the defaults.
	Conns capture.ConnLimits
	// Forward delivers the captures of an endpoint to a URL too (the
	// --forward flags), after they are stored and without holding their
	// senders' answers back; OnForward, when set, sees each result, as
	// CaptureForwarded events do.
	Forward   []forward.Rule
	OnForward func(*capture.Capture, forward.Result)
	// NoSandbox serves the catcher only (the Sandbox setting off):
	// SandboxURL stays "".
	NoSandbox bool
	// Expose allows the catcher to listen beyond loopback (--expose, or
	// the Settings switch kept under PrefExpose); without it such an
	// Addr is refused. Exposed, every request from another computer
	// must carry the access token, Token, or one generated when it is ""
	// (Serving.Token says which), and an empty Addr means ExposeAddr.
	// The sandbox always listens on loopback.
	Expose bool
	Token  string
	// SandboxAllowCallbacks are hosts (or host:port) the sandbox may
	// send webhooks to besides this computer's loopback addresses and
	// the catcher's own URLs (--sandbox-allow-callback).
	SandboxAllowCallbacks []string
	// BodyBudget is how many bytes of request bodies the catcher holds
	// in memory at once (--body-budget); past it a sender is answered
	// 503 with Retry-After. 0 means capture.DefaultBodyBudget.
	BodyBudget int64
	// OnPanic, when set, is told of a panic recovered in a catcher's
	// handler (the server keeps serving), with its stack.
	OnPanic func(v any, stack []byte)
}

// Serving is where the catcher and the sandbox listen.
type Serving struct {
	CatcherURL, SandboxURL string // with a trailing slash
	// Notes are the ports that were busy and where each listens instead.
	Notes []string
	// Exposed says the catcher was started with Expose; LANURLs are its
	// addresses on this computer's network interfaces, and Token the
	// access token senders must carry.
	Exposed bool
	LANURLs []string
	Token   string
}

// shutdownGrace is how long Stop lets requests being answered finish
// before it closes their connections.
const shutdownGrace = 2 * time.Second

// services are the catcher and the sandbox, listening.
type services struct {
	catcher  *capture.Server
	sandbox  *sandbox.Server
	urls     Serving
	servers  []*http.Server
	gates    []*gate
	forward  func() // stops forwarding
	logger   *log.Logger
	stopOnce sync.Once
}

// Serve starts the catcher and the sandbox. It may be called once;
// Stop ends both. Captures the store refuses are published as
// CaptureRefused and handed to OnRefused's observers.
func (w *Workspace) Serve(o ServeOptions) (Serving, error) {
	if !w.life.begin() {
		return Serving{}, ErrStopped
	}
	defer w.life.end()
	if w.services() != nil {
		return Serving{}, errors.New("the catcher and the sandbox are already serving")
	}
	switch {
	case o.Addr == "" && o.Expose:
		o.Addr = ExposeAddr
	case o.Addr == "":
		o.Addr = DefaultAddr
	}
	if o.SandboxAddr == "" {
		o.SandboxAddr = DefaultSandboxAddr
	}
	if !o.Expose && beyondLoopback(o.Addr) {
		return Serving{}, notExposedError(o.Addr)
	}
	if beyondLoopback(o.SandboxAddr) {
		return Serving{}, fmt.Errorf("sandbox: %s is not a loopback address; the sandbox only listens on this computer (127.0.0.1)", o.SandboxAddr)
	}
	if o.Logger == nil {
		o.Logger = log.Default()
	}
	for _, r := range o.Respond {
		if err := w.rules.SetRule(r); err != nil {
			return Serving{}, fmt.Errorf("--respond %s: %w", r.Endpoint, err)
		}
	}
	s := &services{logger: o.Logger}
	var fwdNote string
	s.forward, fwdNote = w.startForwarding(&o)
	if fwdNote != "" {
		s.urls.Notes = append(s.urls.Notes, fwdNote)
	}
	s.catcher = capture.NewServer(w.store)
	s.catcher.Rules = w.rules
	s.catcher.OnCapture = o.OnCapture
	s.catcher.Verify = w.Verify
	s.catcher.Budget = capture.NewBodyBudget(o.BodyBudget)
	s.catcher.OnPanic = o.OnPanic
	for ep, c := range o.Verify {
		w.setSessionVerification(ep, c, true)
	}
	s.catcher.SetStoreErrorHandler(w.refused)
	if o.Expose {
		s.urls.Exposed = true
		s.urls.Token = o.Token
		if s.urls.Token == "" {
			s.urls.Token = capture.NewToken()
		}
		s.catcher.Token = s.urls.Token
	}
	o.Conns.RecordHeads = true
	o.Sandbox.AllowCallbacks = append(o.Sandbox.AllowCallbacks, o.SandboxAllowCallbacks...)
	if o.Sandbox.Logf == nil {
		o.Sandbox.Logf = o.Logger.Printf
	}
	s.sandbox = sandbox.New(o.Sandbox)
	var listeners []net.Listener
	for _, svc := range []struct {
		name, addr string
		h          http.Handler
		url        *string
		limits     capture.ConnLimits
	}{
		{"catcher", o.Addr, s.catcher, &s.urls.CatcherURL, o.Conns},
		{"sandbox", o.SandboxAddr, s.sandbox, &s.urls.SandboxURL, capture.ConnLimits{}},
	} {
		if svc.name == "sandbox" && o.NoSandbox {
			continue
		}
		ln, fellBack, err := capture.Listen(svc.addr)
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			s.sandbox.Close()
			s.forward()
			return Serving{}, fmt.Errorf("%s: %w", svc.name, err)
		}
		*svc.url = localURL(ln.Addr(), svc.addr)
		if svc.name == "catcher" {
			if s.urls.Exposed {
				s.urls.LANURLs = lanURLs(ln.Addr(), net.InterfaceAddrs)
			}
			// Webhooks from the sandbox may go to the catcher at any
			// of its addresses.
			s.sandbox.AllowCallbacksTo(append([]string{*svc.url}, s.urls.LANURLs...)...)
		}
		if fellBack {
			s.urls.Notes = append(s.urls.Notes, fmt.Sprintf("The %s's port %s was busy, so it listens on %s instead.", svc.name, svc.addr, ln.Addr()))
		}
		g := newGate(svc.h)
		s.gates = append(s.gates, g)
		srv, guarded := capture.NewHTTPServer(ln, g, svc.limits, o.Logger)
		// net/http answers "OPTIONS *" itself unless told not to; the
		// catcher captures every request, that one too.
		srv.DisableGeneralOptionsHandler = svc.name == "catcher"
		listeners = append(listeners, guarded)
		s.servers = append(s.servers, srv)
	}
	for i, srv := range s.servers {
		ln, name := listeners[i], []string{"catcher", "sandbox"}[i]
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				o.Logger.Printf("%s stopped: %v", name, err)
			}
		}()
	}
	w.smu.Lock()
	w.serving = s
	w.serveNotes = s.urls.Notes
	w.smu.Unlock()
	return s.urls, nil
}

// services returns what Serve started, nil before.
func (w *Workspace) services() *services {
	w.smu.Lock()
	defer w.smu.Unlock()
	return w.serving
}

// CatcherURL returns where the catcher listens, "" before Serve.
func (w *Workspace) CatcherURL() string {
	if s := w.services(); s != nil {
		return s.urls.CatcherURL
	}
	return ""
}

// SandboxURL returns where the sandbox listens, "" before Serve.
func (w *Workspace) SandboxURL() string {
	if s := w.services(); s != nil {
		return s.urls.SandboxURL
	}
	return ""
}

// ErrNotServing is what TamperNextWebhook says before Serve.
var ErrNotServing = errors.New("the sandbox is not running")

// TamperNextWebhook makes the sandbox's next delivery attempt carry a
// signature that does not match its body, so the catcher shows what an
// altered webhook looks like. It returns ErrNotServing before Serve.
func (w *Workspace) TamperNextWebhook() error {
	s := w.services()
	if s == nil {
		return ErrNotServing
	}
	s.sandbox.Tamper()
	return nil
}

// reloadRules makes the catcher answer by the rules in the store.
func (w *Workspace) reloadRules() error {
	s := w.services()
	if s == nil {
		return nil // the catcher loads them when it starts
	}
	return s.catcher.ReloadRules()
}

// stopServing shuts both servers down, lets the requests being answered
// finish (closing their connections after shutdownGrace), waits for
// every handler to return, and ends the sandbox's deliveries.
func (w *Workspace) stopServing() {
	s := w.services()
	if s == nil {
		return
	}
	s.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		var wg sync.WaitGroup
		for _, srv := range s.servers {
			wg.Go(func() {
				if srv.Shutdown(ctx) != nil {
					// Handlers still running see their connection go and
					// return; the gate waits for them.
					_ = srv.Close()
				}
			})
		}
		wg.Wait()
		for _, g := range s.gates {
			g.close()
		}
		s.sandbox.Close()
		s.forward() // after the handlers: nothing is queued any more
		s.catcher.SetStoreErrorHandler(nil)
	})
}

// OnRefused makes fn see every capture the store refused (its sender
// was answered 503), until the returned function is called. fn runs on
// the request's goroutine and must not block.
func (w *Workspace) OnRefused(fn func(*capture.Capture, error)) (remove func()) {
	return w.refusal.add(fn)
}

func (w *Workspace) refused(c *capture.Capture, err error) {
	w.hub.Publish(CaptureRefused{Method: c.Method, Path: c.Path, Time: c.Time, Err: err, Cause: capture.RefusalCause(err)})
	w.refusal.each(func(fn func(*capture.Capture, error)) { fn(c, err) })
}

// observers is a list of functions to call, safe for concurrent use.
type observers struct {
	mu   sync.Mutex
	next int
	fns  map[int]func(*capture.Capture, error)
}

func (o *observers) add(fn func(*capture.Capture, error)) func() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fns == nil {
		o.fns = map[int]func(*capture.Capture, error){}
	}
	id := o.next
	o.next++
	o.fns[id] = fn
	return func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		delete(o.fns, id)
	}
}

func (o *observers) each(call func(func(*capture.Capture, error))) {
	o.mu.Lock()
	fns := make([]func(*capture.Capture, error), 0, len(o.fns))
	for _, fn := range o.fns {
		fns = append(fns, fn)
	}
	o.mu.Unlock()
	for _, fn := range fns {
		call(fn)
	}
}

// gate passes requests to h until it is closed, and lets close wait for
// the ones it passed: http.Server.Close does not wait for handlers, and
// a handler still running writes to the store.
type gate struct {
	h      http.Handler
	mu     sync.Mutex
	idle   *sync.Cond
	closed bool
	n      int
}

func newGate(h http.Handler) *gate {
	g := &gate{h: h}
	g.idle = sync.NewCond(&g.mu)
	return g
}

func (g *gate) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		http.Error(rw, "Hooklab is shutting down", http.StatusServiceUnavailable)
		return
	}
	g.n++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.n--
		if g.n == 0 {
			g.idle.Broadcast()
		}
		g.mu.Unlock()
	}()
	g.h.ServeHTTP(rw, r)
}

// close turns new requests away and waits for the ones being handled.
func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	for g.n > 0 {
		g.idle.Wait()
	}
}
