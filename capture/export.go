package capture

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// WriteJSONL writes the captures matching f to w, oldest first, one JSON
// line each (the lines `hooklab listen` prints), and returns how many it
// wrote. It streams from the store, holding one capture at a time.
func WriteJSONL(w io.Writer, s Store, f Filter) (int, error) {
	return WriteJSONLCaused(w, s, f, nil)
}

// WriteJSONLCaused is WriteJSONL with each line's "caused_by" from
// causedBy (nil for a capture without a known cause); a nil causedBy
// adds none.
func WriteJSONLCaused(w io.Writer, s Store, f Filter, causedBy func(captureID string) (*CausedBy, error)) (int, error) {
	if causedBy == nil {
		return WriteJSONLWith(w, s, f, nil)
	}
	return WriteJSONLWith(w, s, f, func(l *JSONLine) (err error) {
		l.CausedBy, err = causedBy(l.ID)
		return err
	})
}

// WriteJSONLWith is WriteJSONL with each line completed by annotate
// (which sets what the store does not hold, such as "caused_by" and
// "forward") before it is written; a nil annotate adds nothing.
func WriteJSONLWith(w io.Writer, s Store, f Filter, annotate func(*JSONLine) error) (int, error) {
	bw := bufio.NewWriter(w)
	n := 0
	err := s.Scan(f, func(c *Capture) error {
		l := c.JSONLine()
		if annotate != nil {
			if err := annotate(&l); err != nil {
				return fmt.Errorf("capture %s: %w", c.ID, err)
			}
		}
		line, err := json.Marshal(l)
		if err != nil {
			return fmt.Errorf("capture %s: %w", c.ID, err)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the parts
// Hooklab writes. Required fields carry no omitempty: importers such as
// Chrome DevTools and Insomnia reject entries that lack them.
type (
	harNameValue = NameValue
	harPostData  struct {
		MimeType string `json:"mimeType"`
		Text     string `json:"text"`
		Encoding string `json:"encoding,omitempty"` // "base64": an extension Chrome and others read
	}
	harRequest struct {
		Method      string         `json:"method"`
		URL         string         `json:"url"`
		HTTPVersion string         `json:"httpVersion"`
		Headers     []harNameValue `json:"headers"`
		QueryString []harNameValue `json:"queryString"`
		Cookies     []harNameValue `json:"cookies"`
		HeadersSize int            `json:"headersSize"`
		BodySize    int64          `json:"bodySize"`
		PostData    *harPostData   `json:"postData,omitempty"`
		Comment     string         `json:"comment,omitempty"`
	}
	harContent struct {
		Size     int    `json:"size"`
		MimeType string `json:"mimeType"`
		Text     string `json:"text"`
		Encoding string `json:"encoding,omitempty"`
	}
	harResponse struct {
		Status      int            `json:"status"`
		StatusText  string         `json:"statusText"`
		HTTPVersion string         `json:"httpVersion"`
		Headers     []harNameValue `json:"headers"`
		Cookies     []harNameValue `json:"cookies"`
		Content     harContent     `json:"content"`
		RedirectURL string         `json:"redirectURL"`
		HeadersSize int            `json:"headersSize"`
		BodySize    int            `json:"bodySize"`
	}
	harTimings struct {
		Send    int `json:"send"`
		Wait    int `json:"wait"`
		Receive int `json:"receive"`
	}
	harEntry struct {
		StartedDateTime string      `json:"startedDateTime"`
		Time            int         `json:"time"`
		Request         harRequest  `json:"request"`
		Response        harResponse `json:"response"`
		Cache           struct{}    `json:"cache"`
		Timings         harTimings  `json:"timings"`
		ID              string      `json:"_hooklabId"` // the acknowledged id; '_' marks a custom field
		Event           string      `json:"_event,omitempty"`
		Signature       *Verdict    `json:"_signature,omitempty"`
	}
)

// WriteHAR writes the captures matching f to w as a HAR 1.2 log, oldest
// first, and returns how many entries it wrote. Each entry's response is
// what the catcher answered. Bodies that are not UTF-8 are base64 with
// "encoding": "base64". Entries stream from the store one at a time.
//
// time and timings.wait are 0: a capture does not record how long its
// answer was held back.
func WriteHAR(w io.Writer, s Store, f Filter, creatorVersion string) (int, error) {
	bw := bufio.NewWriter(w)
	head, err := json.Marshal(map[string]string{"name": "Hooklab", "version": creatorVersion})
	if err != nil {
		return 0, err
	}
	bw.WriteString(`{"log":{"version":"1.2","creator":`)
	bw.Write(head)
	bw.WriteString(`,"entries":[`)
	enc := json.NewEncoder(bw)
	// Bodies are data for other tools, not HTML: keep <, > and & readable.
	enc.SetEscapeHTML(false)
	n := 0
	err = s.Scan(f, func(c *Capture) error {
		if n > 0 {
			if err := bw.WriteByte(','); err != nil {
				return err
			}
		}
		if err := enc.Encode(harEntryOf(c)); err != nil {
			return fmt.Errorf("capture %s: %w", c.ID, err)
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	bw.WriteString("]}}\n")
	// bufio.Writer keeps its first write error and Flush returns it.
	return n, bw.Flush()
}

func harEntryOf(c *Capture) harEntry {
	host := c.Host
	if host == "" {
		// HTTP/1.0 senders may omit Host; importers need an absolute URL.
		host = "localhost"
	}
	u := (&url.URL{Scheme: "http", Host: host, Path: c.Path, RawQuery: c.RawQuery}).String()
	var comments []string
	switch {
	case strings.HasPrefix(c.RawPath, "/"):
		// As received: /a%2Fb stays /a%2Fb.
		u = "http://" + host + c.RawPath
		if c.RawQuery != "" {
			u += "?" + c.RawQuery
		}
	case c.RawPath != "":
		// A CONNECT's authority, "*", an absolute URL: HAR wants a URL,
		// so the target is said beside it.
		comments = append(comments, "request target: "+c.RawPath)
	}
	headers := harHeaders(c.Header, c.Host)
	if c.Head != nil {
		// Arrival order and case, Host and Transfer-Encoding included.
		_, headers = HeadFields(c.Head)
	}
	query, _ := ParseForm([]byte(c.RawQuery)) // a bad escape keeps its raw text
	req := harRequest{
		Method:      c.Method,
		URL:         u,
		HTTPVersion: c.Proto,
		Headers:     headers,
		QueryString: make([]harNameValue, 0, len(query)),
		Cookies:     harCookies((&http.Request{Header: c.Header}).Cookies()),
		HeadersSize: -1,
		BodySize:    c.BodySize,
	}
	for _, q := range query {
		req.QueryString = append(req.QueryString, harNameValue(q))
	}
	if c.BodySize > 0 || len(c.Body) > 0 {
		text, enc := harText(c.Body)
		req.PostData = &harPostData{MimeType: c.Header.Get("Content-Type"), Text: text, Encoding: enc}
	}
	if c.Truncated {
		comments = append(comments, fmt.Sprintf("body truncated: %d of %d bytes kept", len(c.Body), c.BodySize))
	}
	req.Comment = strings.Join(comments, "; ")
	text, enc := harText(c.RespBody)
	return harEntry{
		StartedDateTime: c.Time.Format(JSONLineTimeFormat),
		Request:         req,
		Response: harResponse{
			Status:      c.Status,
			StatusText:  http.StatusText(c.Status),
			HTTPVersion: c.Proto,
			Headers:     harHeaders(c.RespHeader, ""),
			Cookies:     harCookies((&http.Response{Header: c.RespHeader}).Cookies()),
			Content:     harContent{Size: len(c.RespBody), MimeType: c.RespHeader.Get("Content-Type"), Text: text, Encoding: enc},
			RedirectURL: c.RespHeader.Get("Location"),
			HeadersSize: -1,
			BodySize:    len(c.RespBody),
		},
		ID:        c.ID,
		Event:     c.Event,
		Signature: c.Signature,
	}
}

// harHeaders lists h as HeaderFields does.
func harHeaders(h http.Header, host string) []harNameValue { return HeaderFields(h, host) }

func harCookies(cookies []*http.Cookie) []harNameValue {
	out := make([]harNameValue, 0, len(cookies))
	for _, c := range cookies {
		out = append(out, harNameValue{c.Name, c.Value})
	}
	return out
}

// harText returns b as HAR text: itself when UTF-8, else base64 with the
// encoding to say so.
func harText(b []byte) (text, encoding string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}
