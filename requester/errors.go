package requester

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// UnknownVariableError names a {{variable}} that has no value. Where is
// "URL", "header X-Foo" or "body", or empty when it comes from Expand.
type UnknownVariableError struct {
	Name  string
	Where string
}

// Error implements error, e.g. "unknown variable {{foo}} in URL".
func (e *UnknownVariableError) Error() string {
	msg := "unknown variable {{" + e.Name + "}}"
	if e.Name == "" {
		msg = "empty variable name {{}}"
	}
	if e.Where != "" {
		msg += " in " + e.Where
	}
	return msg
}

// SendError is a failed exchange in plain words. Kind is one of "refused",
// "dns", "timeout", "tls", "reset", "canceled", "disk" (the response body
// could not be saved) or "other"; Msg is a sentence for the user; Err is the
// underlying error.
type SendError struct {
	Kind string
	Msg  string
	Err  error
}

// Error implements error as Msg followed by the underlying error.
func (e *SendError) Error() string { return e.Msg + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// classify turns a transport error into a SendError. parent is the caller's
// context and attempt the one carrying the timeout, so a Cancel click and an
// expired timeout can be told apart even when the transport reports both the
// same way.
func classify(parent, attempt context.Context, err error, timeout time.Duration) *SendError {
	fail := func(kind, msg string) *SendError { return &SendError{Kind: kind, Msg: msg, Err: err} }
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		opErr   *net.OpError
		netErr  net.Error
	)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(parent.Err(), context.Canceled):
		return fail("canceled", "Request cancelled.")
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(attempt.Err(), context.DeadlineExceeded):
		return fail("timeout", fmt.Sprintf("No response within %s.", timeout))
	case errors.As(err, &dnsErr):
		return fail("dns", fmt.Sprintf("Could not resolve host %s.", dnsErr.Name))
	case errors.Is(err, syscall.ECONNREFUSED):
		addr := "the server"
		if errors.As(err, &opErr) && opErr.Addr != nil {
			addr = opErr.Addr.String()
		}
		return fail("refused", fmt.Sprintf("Connection refused by %s — is the server running?", addr))
	case errors.As(err, &certErr):
		return fail("tls", "TLS certificate not trusted: "+strings.TrimPrefix(certErr.Err.Error(), "x509: "))
	case handshakeFailed(err):
		return fail("tls", "TLS handshake failed.")
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fail("reset", "Connection reset by the server.")
	case errors.As(err, &netErr) && netErr.Timeout():
		// A transport limit such as the TLS handshake timeout, not ours.
		return fail("timeout", "The connection timed out.")
	}
	cause := err
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		cause = urlErr.Err // url.Error repeats method and URL, noise in a sentence
	}
	return fail("other", "Request failed: "+cause.Error()+".")
}

// handshakeFailed reports a TLS failure other than certificate verification:
// a peer that does not speak TLS, or one that sent an alert. crypto/tls keeps
// its alert type unexported and reports received alerts as a *net.OpError
// with Op "remote error".
func handshakeFailed(err error) bool {
	var opErr *net.OpError
	return errors.As(err, new(tls.RecordHeaderError)) ||
		errors.As(err, &opErr) && opErr.Op == "remote error"
}
