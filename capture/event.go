package capture

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxEventBody is the largest body EventType looks into. Webhook events
// are a few KiB; decoding a 10 MiB body on the sender's goroutine would
// slow every capture of a burst for a label.
const maxEventBody = 1 << 20

// maxEventLen bounds the event type kept: it is a label, not data.
const maxEventLen = 200

// eventHeaders name the event in the providers' own headers, first found
// wins.
var eventHeaders = []string{"X-GitHub-Event", "X-Shopify-Topic", "X-Gitlab-Event", "X-Gitea-Event"}

// EventType returns the kind of webhook c is ("payment.succeeded",
// "push", "orders/create"), or "" when nothing says. It looks, in order,
// at the provider's event header (GitHub, Shopify and other Git hosts),
// the body's "type" when Stripe or Standard Webhooks signed it, Slack's
// event.type or a slash command's "command", then a JSON body's "type",
// "event" or "action" (the first that is a string). Bodies over 1 MiB are
// not decoded.
//
// The catcher calls it once when a capture arrives and stores the
// result (Capture.Event), so lists and filters never decode bodies.
func EventType(c *Capture) string {
	for _, h := range eventHeaders {
		if v := strings.TrimSpace(c.Header.Get(h)); v != "" {
			return clip(v)
		}
	}
	if len(c.Body) > maxEventBody {
		return ""
	}
	mt := MediaType(c.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" {
		if q, err := url.ParseQuery(string(c.Body)); err == nil && q.Get("command") != "" {
			return clip(q.Get("command"))
		}
		return ""
	}
	trimmed := bytes.TrimLeft(c.Body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return ""
	}
	var v struct {
		Type   json.RawMessage `json:"type"`
		Event  json.RawMessage `json:"event"`
		Action json.RawMessage `json:"action"`
	}
	if json.Unmarshal(trimmed, &v) != nil {
		return ""
	}
	signedByType := c.Header.Get("Stripe-Signature") != "" || c.Header.Get("Webhook-Signature") != "" || c.Header.Get("Svix-Signature") != ""
	if s := jsonString(v.Type); s != "" && signedByType {
		return clip(s)
	}
	var inner struct {
		Type json.RawMessage `json:"type"`
	}
	// Slack's Events API wraps the event: {"type":"event_callback","event":{"type":"message"}}.
	if bytes.HasPrefix(v.Event, []byte("{")) && json.Unmarshal(v.Event, &inner) == nil {
		if s := jsonString(inner.Type); s != "" {
			return clip(s)
		}
	}
	for _, raw := range []json.RawMessage{v.Type, v.Event, v.Action} {
		if s := jsonString(raw); s != "" {
			return clip(s)
		}
	}
	return ""
}

func jsonString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

func clip(s string) string {
	if len(s) <= maxEventLen {
		return s
	}
	s = s[:maxEventLen]
	// Drop the bytes of a rune the cut split (at most three).
	for range 3 {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}
