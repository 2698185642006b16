package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"hooklab/capture/signature"
)

const (
	eventCreated   = "payment.created"
	eventSucceeded = "payment.succeeded"

	defaultMaxAttempts = 6
)

// Event is a webhook event as delivered to a payment's callback URL.
type Event struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Type    string `json:"type"`
	Created int64  `json:"created"`
	Data    struct {
		Object Payment `json:"object"`
	} `json:"data"`
}

func (s *Server) newEvent(typ string, p Payment) Event {
	ev := Event{ID: newID("evt_"), Object: "event", Type: typ, Created: s.opts.Now().Unix()}
	ev.Data.Object = p
	return ev
}

// outgoing is one webhook to deliver: its bytes, where to, how it is
// signed and the headers of its scenario.
type outgoing struct {
	id, typ string // the delivery id (Standard Webhooks' webhook-id) and event type, for the log
	target  string
	body    []byte
	signing signature.Config
	header  http.Header // scenario headers, such as X-GitHub-Event
}

// eventOut is a payment or job event signed with the sandbox's scheme.
func (s *Server) eventOut(id, typ, target string, v any) outgoing {
	// Events hold only strings, numbers and maps of strings: encoding cannot fail.
	body, _ := marshal(v, "")
	return outgoing{id: id, typ: typ, target: target, body: body, signing: s.signing, header: http.Header{
		"X-Hooklab-Event":    {typ},
		"X-Hooklab-Delivery": {id},
	}}
}

// deliverEvents sends both events of one payment from a single goroutine so
// that payment.succeeded can never overtake a payment.created still being
// retried. Due times count from start, the moment the payment was created.
func (s *Server) deliverEvents(p Payment, start time.Time, held int) {
	release := sync.OnceFunc(func() {
		s.mu.Lock()
		s.pending -= held
		s.mu.Unlock()
	})
	defer release()
	if !s.sleep(time.Until(start.Add(s.opts.CreatedDelay))) {
		return
	}
	ev := s.newEvent(eventCreated, p)
	s.deliver(s.eventOut(ev.ID, ev.Type, p.CallbackURL, ev))
	release()
	// payment.created went out (or was given up): until payment.succeeded
	// this goroutine keeps only what it needs of a payment evicted
	// meanwhile, not its description and metadata (up to 1 MiB).
	p = p.withoutBody()
	if !s.sleep(time.Until(start.Add(s.opts.SucceededDelay))) {
		return
	}
	ev = s.newEvent(eventSucceeded, s.markSucceeded(p))
	s.deliver(s.eventOut(ev.ID, ev.Type, p.CallbackURL, ev))
}

// deliver posts o, retrying failures with doubling backoff until it is
// accepted, MaxAttempts are spent, or the Server is closed.
func (s *Server) deliver(o outgoing) {
	backoff := s.opts.RetryBackoff
	for attempt := 1; ; attempt++ {
		err := s.post(o)
		if err == nil || s.ctx.Err() != nil {
			return
		}
		if attempt == s.opts.MaxAttempts {
			s.log.printf("sandbox: giving up on %s %s to %s: attempt %d/%d failed: %v",
				o.typ, o.id, o.target, attempt, s.opts.MaxAttempts, err)
			return
		}
		s.log.printf("sandbox: delivery of %s %s to %s failed (attempt %d/%d): %v; retrying in %v",
			o.typ, o.id, o.target, attempt, s.opts.MaxAttempts, err, backoff)
		if !s.sleep(backoff) {
			return
		}
		backoff *= 2
	}
}

// post makes one delivery attempt; a transport error or a non-2xx answer is
// a failure.
func (s *Server) post(o outgoing) error {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, o.target, bytes.NewReader(o.body))
	if err != nil {
		return err
	}
	for k, v := range o.header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	signed := o.body
	if s.tamper.CompareAndSwap(true, false) {
		// Signed over other bytes than those sent: what a body altered on
		// the way looks like to the receiver.
		signed = append(o.body[:len(o.body):len(o.body)], ' ')
	}
	// Each attempt is signed anew, with its own timestamp, as Stripe and
	// Standard Webhooks senders do; webhook-id stays the event's id.
	h, err := signature.Sign(o.signing, signature.Message{ID: o.id, Time: s.opts.Now(), Body: signed})
	if err != nil {
		return err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := s.opts.Client.Do(req)
	if err != nil {
		// The log line names the URL already; *url.Error would repeat it.
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			return urlErr.Err
		}
		return err
	}
	defer resp.Body.Close()
	// Draining (a bounded amount) lets the connection be reused.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("receiver answered %s", resp.Status)
	}
	return nil
}

// sleep waits for d and reports whether the Server is still open.
func (s *Server) sleep(d time.Duration) bool {
	if d > 0 {
		select {
		case <-time.After(d):
		case <-s.ctx.Done():
		}
	}
	return s.ctx.Err() == nil
}
