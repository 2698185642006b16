package signature

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Message is what Sign signs: the body, and the id and time that schemes
// with a timestamp or a message id put in their headers.
type Message struct {
	ID   string // Standard Webhooks' webhook-id
	Time time.Time
	Body []byte
}

// Sign returns the headers a sender of scheme c sets on m. For the generic
// scheme the header is c.Header with c.Prefix.
func Sign(c Config, m Message) (http.Header, error) {
	h := http.Header{}
	ts := strconv.FormatInt(m.Time.Unix(), 10)
	switch c.Scheme {
	case Stripe:
		sig := mac(sha256.New, []byte(c.Secret), []byte(ts+"."), m.Body)
		h.Set("Stripe-Signature", "t="+ts+",v1="+hex.EncodeToString(sig))
	case GitHub:
		h.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac(sha256.New, []byte(c.Secret), m.Body)))
	case Shopify:
		h.Set("X-Shopify-Hmac-Sha256", base64.StdEncoding.EncodeToString(mac(sha256.New, []byte(c.Secret), m.Body)))
	case Slack:
		sig := mac(sha256.New, []byte(c.Secret), []byte("v0:"+ts+":"), m.Body)
		h.Set("X-Slack-Request-Timestamp", ts)
		h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(sig))
	case StandardWebhooks:
		key, err := StandardKey(c.Secret)
		if err != nil {
			return nil, err
		}
		sig := mac(sha256.New, key, []byte(m.ID+"."+ts+"."), m.Body)
		h.Set("webhook-id", m.ID)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", "v1,"+base64.StdEncoding.EncodeToString(sig))
	case HMAC:
		alg, ok := hashes[orDefault(c.Alg, "sha256")]
		if !ok || c.Header == "" {
			return nil, fmt.Errorf("generic HMAC needs a header and an algorithm of sha1, sha256, sha512")
		}
		sig := mac(alg, []byte(c.Secret), m.Body)
		text := hex.EncodeToString(sig)
		if orDefault(c.Enc, "hex") == "base64" {
			text = base64.StdEncoding.EncodeToString(sig)
		}
		h.Set(c.Header, c.Prefix+text)
	default:
		return nil, fmt.Errorf("unknown signature scheme %q", c.Scheme)
	}
	return h, nil
}
