// Package sandbox serves a small sample API on which a user can create a
// payment, start an async job or simulate a Git push, and watch the signed
// webhooks each causes arrive at a callback URL of their choice, such as
// Hooklab's own catcher.
package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"hooklab/capture/signature"
)

const version = "1.0"

// UserAgent is the User-Agent header of every webhook delivery.
const UserAgent = "Hooklab-Sandbox/" + version

// Options configure a Server. Zero values mean defaults; a negative delay or
// backoff means none.
type Options struct {
	// Client sends webhook deliveries; by default a client with a 10 s
	// timeout that does not follow redirects (like real webhook senders,
	// a 3xx answer counts as a failed delivery) and connects only to
	// loopback addresses and those allowed.
	Client *http.Client
	// AllowCallbacks are hosts ("hooks.example.com", "10.0.0.5") or
	// host:port a callback_url may name besides this computer's loopback
	// addresses; AllowCallbacksTo adds more (the catcher's URLs).
	AllowCallbacks []string
	// Logf receives the delivery log (failures, retries, give-ups); default log.Printf.
	Logf func(format string, args ...any)
	// PendingBytes bounds the bytes of payments whose payment.created is
	// still to be delivered (retries to a dead callback included); past
	// it a new payment is answered 503 with Retry-After. Default 64 MiB.
	PendingBytes int
	// LogEvery is the least time between two lines of the delivery log:
	// the lines in between are counted in one summary line; default 5 s,
	// negative writes every line.
	LogEvery time.Duration
	// CreatedDelay is how long after the 201 payment.created is sent; default 200ms.
	CreatedDelay time.Duration
	// SucceededDelay is how long after the 201 payment.succeeded is sent; default 1s.
	SucceededDelay time.Duration
	// JobStepDelay is the time between a job's 202 and its first
	// job.progress, and between each of its events after; default 1s.
	JobStepDelay time.Duration
	// PushDelay is how long after the 202 a push's webhook is sent; default 200ms.
	PushDelay time.Duration
	// RetryBackoff is the wait before the first retry, doubled for each further retry; default 500ms.
	RetryBackoff time.Duration
	// MaxAttempts is how many times a delivery is tried before it is
	// given up; default 6, so retries come after 0.5, 1, 2, 4 and 8 s by
	// default: time enough to remove a catcher rule that answers 500.
	MaxAttempts int
	// Now stamps the created field of payments and events and the
	// signatures' timestamps; default time.Now. Delays are measured on
	// the real clock regardless.
	Now func() time.Time
	// Signing is the scheme deliveries are signed with:
	// signature.StandardWebhooks (the default) or signature.Stripe.
	Signing signature.Scheme
	// Secret signs the deliveries; default a new random one for each
	// Server, "whsec_" and base64, which both schemes take.
	Secret string
}

// Server is the sandbox API. It implements http.Handler; call Close
// to stop its webhook deliveries.
type Server struct {
	opts Options
	mux  *http.ServeMux

	// ctx is cancelled by Close and aborts every pending delivery.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex // guards payments, pending and closed
	payments *store
	pending  int // bytes of payments whose payment.created is not out yet
	closed   bool

	signing signature.Config
	tamper  atomic.Bool // the next delivery's signature is to be broken

	allowMu sync.Mutex
	allow   callbackAllow
	log     *logLimiter // the delivery log
}

// New returns a Server configured by opts.
func New(opts Options) *Server {
	if opts.Logf == nil {
		opts.Logf = log.Printf
	}
	if opts.PendingBytes <= 0 {
		opts.PendingBytes = 64 << 20
	}
	if opts.CreatedDelay == 0 {
		opts.CreatedDelay = 200 * time.Millisecond
	}
	if opts.SucceededDelay == 0 {
		opts.SucceededDelay = time.Second
	}
	if opts.JobStepDelay == 0 {
		opts.JobStepDelay = time.Second
	}
	if opts.PushDelay == 0 {
		opts.PushDelay = 200 * time.Millisecond
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = defaultMaxAttempts
	}
	if opts.RetryBackoff == 0 {
		opts.RetryBackoff = 500 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Signing == "" {
		opts.Signing = signature.StandardWebhooks
	}
	if opts.Secret == "" {
		opts.Secret = newSecret()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:     opts,
		mux:      http.NewServeMux(),
		ctx:      ctx,
		cancel:   cancel,
		payments: newStore(maxStored, maxStoredBytes),
		log:      newLogLimiter(opts.Logf, opts.LogEvery),
		signing:  signature.Config{Scheme: opts.Signing, Secret: opts.Secret},
	}
	if s.opts.Client == nil {
		s.opts.Client = s.defaultClient()
	}
	s.AllowCallbacksTo(opts.AllowCallbacks...)
	// Every known path gets a method-less fallback so that a wrong method
	// answers 405 in JSON rather than ServeMux's plain-text error.
	s.mux.HandleFunc("GET /{$}", s.handleIndex)
	s.mux.HandleFunc("/{$}", methodNotAllowed("GET, HEAD"))
	s.mux.HandleFunc("POST /v1/payments", s.handleCreate)
	s.mux.HandleFunc("GET /v1/payments", s.handleList)
	s.mux.HandleFunc("/v1/payments", methodNotAllowed("GET, HEAD, POST"))
	s.mux.HandleFunc("GET /v1/payments/{id}", s.handleGet)
	s.mux.HandleFunc("/v1/payments/{id}", methodNotAllowed("GET, HEAD"))
	s.mux.HandleFunc("POST /v1/jobs", s.handleJob)
	s.mux.HandleFunc("/v1/jobs", methodNotAllowed("POST"))
	s.mux.HandleFunc("POST /v1/repos/{owner}/{repo}/push", s.handlePush)
	s.mux.HandleFunc("/v1/repos/{owner}/{repo}/push", methodNotAllowed("POST"))
	s.mux.HandleFunc("/", notFound)
	return s
}

// ServeHTTP serves the sandbox API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Close cancels pending deliveries and waits for their goroutines to end.
// Payments created afterwards are refused. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	s.log.stop()
}

type endpoint struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	Description string `json:"description"`
}

type indexDoc struct {
	Name      string         `json:"name"`
	Version   string         `json:"version"`
	About     string         `json:"about"`
	Endpoints []endpoint     `json:"endpoints"`
	Example   map[string]any `json:"example_request"`
	Events    []string       `json:"events"`
	Headers   []string       `json:"delivery_headers"`
}

var index = indexDoc{
	Name:    "Hooklab Sandbox",
	Version: version,
	About: "A sample API that calls back. Create a payment with a callback_url and " +
		"the sandbox POSTs payment.created, then payment.succeeded, to it; start a job " +
		"and it POSTs job.progress three times, then job.completed; push to a repository " +
		"and it POSTs a GitHub-style push webhook.",
	Endpoints: []endpoint{
		{"GET", "/", "this description"},
		{"POST", "/v1/payments", "create a payment; body: amount (integer, minor units), currency (3 letters), callback_url (http or https), optional description and metadata (object of strings)"},
		{"GET", "/v1/payments", "list the newest payments (at most 100)"},
		{"GET", "/v1/payments/{id}", "fetch one payment"},
		{"POST", "/v1/jobs", "start an async job; body: callback_url, optional name; answers 202, then sends job.progress (25, 50, 75) and job.completed"},
		{"POST", "/v1/repos/{owner}/{repo}/push", "simulate a git push; body: callback_url, optional ref (default refs/heads/main) and message; answers 202, then sends a GitHub push webhook signed with X-Hub-Signature-256"},
	},
	Example: map[string]any{
		"amount":       1200,
		"currency":     "eur",
		"callback_url": "http://127.0.0.1:8080/hooks",
		"description":  "Demo order #42",
	},
	Events: []string{eventCreated, eventSucceeded, eventJobProgress, eventJobCompleted, "push"},
	Headers: []string{"Content-Type: application/json", "User-Agent: " + UserAgent, "X-Hooklab-Event: <event type>", "X-Hooklab-Delivery: <event id>",
		"webhook-id, webhook-timestamp, webhook-signature (Standard Webhooks) or Stripe-Signature: signed with this run's secret",
		"push webhooks: X-GitHub-Event, X-GitHub-Delivery and X-Hub-Signature-256 (GitHub), with the same secret"},
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, index)
}

func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, apiError{
			Type:    "method_not_allowed",
			Message: "method " + r.Method + " is not allowed on " + r.URL.Path + "; allowed: " + allow,
		})
	}
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, apiError{
		Type:    "not_found",
		Message: "no endpoint " + r.Method + " " + r.URL.Path + "; GET / lists the endpoints",
	})
}

// apiError is the body of every error response. Field is a pointer because
// invalid_request errors always carry it, even when empty, and others never.
type apiError struct {
	Type    string  `json:"type"`
	Field   *string `json:"field,omitempty"`
	Message string  `json:"message"`
}

func invalidRequest(field, message string) apiError {
	return apiError{Type: "invalid_request", Field: &field, Message: message}
}

func writeError(w http.ResponseWriter, status int, e apiError) {
	writeJSON(w, status, struct {
		Error apiError `json:"error"`
	}{e})
}

// writeJSON answers indented, since people read these bodies in a browser
// or in Hooklab's composer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshal(v, "  ")
	if err != nil {
		http.Error(w, "encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

// marshal encodes v without HTML escaping, which would only garble the URLs
// and placeholders that people read in these bodies.
func marshal(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	err := enc.Encode(v)
	return buf.Bytes(), err
}
