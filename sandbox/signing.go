package sandbox

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"

	"hooklab/capture/signature"
)

// Signing returns the scheme and secret the deliveries are signed with,
// so the catcher can be set to verify them.
func (s *Server) Signing() signature.Config { return s.signing }

// Tamper makes the next delivery attempt carry a signature that does not
// match its body, to show what a receiver sees when a webhook was altered.
func (s *Server) Tamper() { s.tamper.Store(true) }

// newSecret returns a Standard Webhooks style secret: "whsec_" and 24
// random bytes in base64. Stripe signing takes the whole string as its
// key, Standard Webhooks the decoded bytes.
func newSecret() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + base64.StdEncoding.EncodeToString(b[:])
}

// SigningFor returns the scheme and secret of the delivery that carries
// header h: GitHub's for a push webhook (X-GitHub-Event), Signing for
// the others. The header only picks the scheme; whether a delivery is
// valid is still the HMAC's answer.
func (s *Server) SigningFor(h http.Header) signature.Config {
	if h.Get("X-GitHub-Event") != "" {
		return s.githubSigning()
	}
	return s.signing
}
