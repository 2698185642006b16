// Package capture is Hooklab's inbound side: the HTTP server that catches
// webhooks, the Capture record it produces and the store that keeps them.
// It never imports Fyne, so everything here runs under plain `go test`.
package capture

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Capture is one request received by the catcher, exactly as it arrived.
type Capture struct {
	ID     string
	Time   time.Time
	Method string
	Path   string // decoded; "/" when the request target had none
	// RawPath is the request target before any '?' exactly as it was
	// received: still escaped (so /a%2Fb is not /a/b), and the authority
	// of a CONNECT, the "*" of OPTIONS *, the whole URL of an
	// absolute-form target. "" for captures kept before Hooklab
	// recorded it.
	RawPath  string
	RawQuery string // after the '?', as received: escapes and order kept
	Proto    string
	Host     string
	Header   http.Header
	// Head is the request line and header lines exactly as they arrived
	// (order, case, bytes; up to the empty line, which it leaves out),
	// when the catcher's connection recorded them; nil otherwise (a
	// capture from before, a handler tested without a connection).
	Head      []byte
	Body      []byte // the bytes kept: all of them unless Truncated
	BodySize  int64  // bytes received, counting those beyond the limit
	Truncated bool
	Remote    string
	Status    int // the status the catcher answered with
	// RespHeader and RespBody are the rest of what the catcher answered.
	RespHeader http.Header
	RespBody   []byte
	// Event is EventType(c), worked out once when the capture arrived.
	Event string
	// Signature is the verdict on the capture's signature when its
	// endpoint had a scheme set as it arrived; nil when none was.
	Signature *Verdict
}

// Summary is the part of a Capture the list shows; it carries no body.
type Summary struct {
	ID          string
	Time        time.Time
	Method      string
	Path        string
	Status      int
	Size        int64
	ContentType string
	Event       string
	Signature   *Verdict
}

// Summary returns the list view of c.
func (c *Capture) Summary() Summary {
	return Summary{
		ID:          c.ID,
		Time:        c.Time,
		Method:      c.Method,
		Path:        c.Path,
		Status:      c.Status,
		Size:        c.BodySize,
		ContentType: MediaType(c.Header.Get("Content-Type")),
		Event:       c.Event,
		Signature:   c.Signature,
	}
}

// MediaType returns the lower-case media type of a Content-Type value,
// without parameters; "" when there is none.
//
// It is what mime.ParseMediaType returns as the media type, and the same
// text where that fails, without ParseMediaType's map of parameters:
// every stored capture asks for it.
func MediaType(contentType string) string {
	base, _, _ := strings.Cut(contentType, ";")
	return strings.TrimSpace(strings.ToLower(base))
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a capture id that sorts by creation time (millisecond
// prefix) and is unique across processes (random suffix), so ids stay
// valid when a durable store outlives the process.
func NewID(t time.Time) string {
	var b [10]byte
	binary.BigEndian.PutUint64(b[:8], uint64(t.UnixMilli())<<16)
	_, _ = rand.Read(b[6:])
	const prefix = "cap_"
	var id [len(prefix) + 16]byte // 16: ten bytes in base32, unpadded
	copy(id[:], prefix)
	idEncoding.Encode(id[len(prefix):], b[:])
	return string(id[:])
}

// NameValue is one header, query parameter or form field.
type NameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// HeaderFields lists h sorted by name, one entry per value, after a Host
// entry when host is set (net/http moves Host out of the header map).
func HeaderFields(h http.Header, host string) []NameValue {
	out := make([]NameValue, 0, len(h)+1)
	if host != "" {
		out = append(out, NameValue{"Host", host})
	}
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range h[name] {
			out = append(out, NameValue{name, v})
		}
	}
	return out
}
