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
	ID         string              `json:"id"`
	Time       string              `json:"time"`
	Method     string              `json:"method"`
	Path       string              `json:"path"`
	Query      map[string][]string `json:"query"`
	Headers    map[string][]string `json:"headers"`
	Body       *string             `json:"body,omitempty"`
	BodyBase64 *string             `json:"body_base64,omitempty"`
	Size       int64               `json:"size"`
	Truncated  bool                `json:"truncated,omitempty"`
	Status     int                 `json:"status"`
	Remote     string              `json:"remote"`
	Event      string              `json:"event,omitempty"`
	// Signature is the verdict of the endpoint's signature check; absent
	// when the endpoint has none set.
	Signature *Verdict `json:"signature,omitempty"`
	// CausedBy is the request that caused the capture; absent when none
	// is known. `hooklab listen` does not print it (a capture is linked
	// after it is acknowledged); exports do.
	CausedBy *CausedBy `json:"caused_by,omitempty"`
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
