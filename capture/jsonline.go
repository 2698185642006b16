package capture

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"unicode/utf8"
)

// JSONLineTimeFormat is RFC 3339 with milliseconds, the time format of
// every JSON line Hooklab writes.
const JSONLineTimeFormat = "2006-01-02T15:04:05.000Z07:00"

// JSONLine is the one-line JSON form of a capture that `hooklab listen`
// prints; exports use the same fields.
type JSONLine struct {
	ID      string              `json:"id"`
	Time    string              `json:"time"`
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   map[string][]string `json:"query"`
	Headers map[string][]string `json:"headers"`
	// RawPath and RawQuery are the request target as received, split
	// at its first '?': escapes, order and bad escapes kept. RawPath is
	// absent for captures kept before Hooklab recorded it.
	RawPath  string `json:"raw_path,omitempty"`
	RawQuery string `json:"raw_query"`
	// Head is the request line and header lines as they arrived (order,
	// case, line ends), HeadBase64 the same bytes when they are not
	// UTF-8; both absent when the head was not recorded.
	Head       *string `json:"head,omitempty"`
	HeadBase64 *string `json:"head_base64,omitempty"`
	Body       *string `json:"body,omitempty"`
	BodyBase64 *string `json:"body_base64,omitempty"`
	Size       int64   `json:"size"`
	Truncated  bool    `json:"truncated,omitempty"`
	Status     int     `json:"status"`
	Remote     string  `json:"remote"`
	Event      string  `json:"event,omitempty"`
	// Signature is the verdict of the endpoint's signature check; absent
	// when the endpoint has none set.
	Signature *Verdict `json:"signature,omitempty"`
	// CausedBy is the request that caused the capture; absent when none
	// is known. `hooklab listen` does not print it (a capture is linked
	// after it is acknowledged); exports do.
	CausedBy *CausedBy `json:"caused_by,omitempty"`
	// Forward is how delivering the capture to its endpoint's forwarding
	// URL went; absent when it was not forwarded. `hooklab listen`
	// prints a capture's line once it was; exports read it from the
	// database.
	Forward *Forward `json:"forward,omitempty"`
}

// Forward is the "forward" member of a JSON line: the URL the capture
// was delivered to, the target's status (absent without an answer), the
// last attempt's time in milliseconds, the attempts made, and why it
// was not delivered (absent when it was answered).
type Forward struct {
	URL      string `json:"url"`
	Status   int    `json:"status,omitempty"`
	MS       int64  `json:"ms"`
	Attempts int    `json:"attempts"`
	Error    string `json:"error,omitempty"`
}

// CausedBy is the request (a history entry) that caused a capture, as
// exports name it: the capture and the request's response share
// SharedID.
type CausedBy struct {
	RequestID int64  `json:"request_id"`
	Method    string `json:"method"`
	URL       string `json:"url"`
	Status    int    `json:"status"`
	SharedID  string `json:"shared_id"`
}

// JSONLine returns c in its JSON line form: the body as text when it is
// valid UTF-8, else base64 of the exact bytes.
func (c *Capture) JSONLine() JSONLine {
	q, err := url.ParseQuery(c.RawQuery)
	if err != nil && len(q) == 0 {
		q = url.Values{"": {c.RawQuery}}
	}
	l := JSONLine{
		ID:        c.ID,
		Time:      c.Time.Format(JSONLineTimeFormat),
		Method:    c.Method,
		Path:      c.Path,
		Query:     q,
		Headers:   c.Header,
		RawPath:   c.RawPath,
		RawQuery:  c.RawQuery,
		Size:      c.BodySize,
		Truncated: c.Truncated,
		Status:    c.Status,
		Remote:    c.Remote,
		Event:     c.Event,
		Signature: c.Signature,
	}
	if l.Headers == nil {
		l.Headers = map[string][]string{}
	}
	switch {
	case c.Head == nil:
	case utf8.Valid(c.Head):
		s := string(c.Head)
		l.Head = &s
	default:
		s := base64.StdEncoding.EncodeToString(c.Head)
		l.HeadBase64 = &s
	}
	if utf8.Valid(c.Body) {
		s := string(c.Body)
		l.Body = &s
	} else {
		s := base64.StdEncoding.EncodeToString(c.Body)
		l.BodyBase64 = &s
	}
	return l
}

// MarshalJSONLine returns c's JSON line without a trailing newline.
func (c *Capture) MarshalJSONLine() ([]byte, error) {
	return json.Marshal(c.JSONLine())
}
