// Package history keeps every request the composer sent, with what came
// back, in the SQLite database the capture store uses.
package history

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hooklab/requester"
)

// Entry is one sent request and its outcome.
type Entry struct {
	ID      int64             // assigned by Add
	Time    time.Time         // when it was sent
	Name    string            // the tab's name
	Request requester.Request // what the editor held, variables unexpanded

	// What went on the wire. Without a response, Method and URL are the
	// editor's (unexpanded) and the header and body are empty.
	Method     string
	URL        string
	SentHeader http.Header
	// SentHead is the request head as it went on the wire (Prepared.Head):
	// names in the case and order written. Empty over HTTP/2, through an
	// HTTPS proxy, and in entries kept before version 3 of the history.
	SentHead string
	SentBody []byte // cut to the store's BodyCap: shorter than SentSize when cut
	SentSize int64  // length of the body sent, in full

	Status     int    // 0 without a response
	StatusText string // e.g. "201 Created"
	Proto      string
	RemoteAddr string
	RespHeader http.Header
	RespBody   []byte // cut to the store's BodyCap; Truncated says so
	RespSize   int64  // bytes received in the body, in full
	Truncated  bool   // RespBody holds fewer than RespSize bytes
	Timings    requester.Timings
	Err        string // why there is no response, in plain words
}

// Summary is the part of an Entry the history list shows.
type Summary struct {
	ID       int64
	Time     time.Time
	Name     string
	Method   string
	URL      string
	Status   int
	Duration time.Duration // Timings.Total
	Size     int64         // RespSize
	Err      string
}

// FromExchange builds the entry of one send: resp and err as
// requester.Client.Send returned them (resp nil when err is set). An
// empty name falls back to r.Name. The entry shares resp's header maps
// and body slices.
func FromExchange(name string, r requester.Request, resp *requester.Response, err error, at time.Time) Entry {
	if name == "" {
		name = r.Name
	}
	e := Entry{Time: at, Name: name, Request: r}
	if resp != nil {
		e.Status = resp.Status
		e.StatusText = resp.StatusText
		e.Proto = resp.Proto
		e.RemoteAddr = resp.RemoteAddr
		e.RespHeader = resp.Header
		e.RespBody = resp.Body
		e.RespSize = resp.Size
		e.Truncated = resp.Truncated
		e.Timings = resp.Timings
		if p := resp.Request; p != nil {
			e.Method = p.Method
			e.URL = p.URL
			e.SentHeader = p.Header
			e.SentHead = p.Head
			e.SentBody = p.Body
			// Body is only the start of a body sent from files.
			e.SentSize = max(p.BodySize, int64(len(p.Body)))
		}
	}
	if e.Method == "" {
		e.Method = strings.TrimSpace(r.Method) // as Prepare sends it
		if e.Method == "" {
			e.Method = http.MethodGet
		}
	}
	if e.URL == "" {
		e.URL = strings.TrimSpace(r.URL)
	}
	if err != nil {
		e.Err = err.Error()
	}
	return e
}

// Response rebuilds what e keeps of the response it got, the inverse of
// FromExchange, for showing it again: status, protocol, headers, the
// body as kept (Truncated when it was cut), timings, the remote address,
// and what was sent as Request, with its head as sent when e has one
// (Raw shows it). Cookies are left out (they are in the header) and
// there is no BodyFile, so the response needs no Close. When the request
// got no response (Status 0), Response returns nil and an error holding
// e.Err. The response shares e's header maps and body
// slices.
//
// It replaces ui's responseFromEntry (historypanel.go).
func (e Entry) Response() (*requester.Response, error) {
	if e.Status == 0 {
		return nil, errors.New(e.Err)
	}
	return &requester.Response{
		Status: e.Status, StatusText: e.StatusText, Proto: e.Proto, Header: e.RespHeader,
		Body: e.RespBody, Size: e.RespSize, Truncated: e.Truncated, Timings: e.Timings, RemoteAddr: e.RemoteAddr,
		Request: &requester.Prepared{Method: e.Method, URL: e.URL, Header: e.SentHeader, Head: e.SentHead,
			Body: e.SentBody, BodySize: e.SentSize},
	}, nil
}

// searchText is what a query is matched against, lowered here because
// SQLite's LIKE folds ASCII letters only. A unit separator keeps a word
// from matching across two fields.
func (e *Entry) searchText() string {
	s := e.Name + "\x1f" + e.Method + "\x1f" + e.URL
	if e.Status != 0 {
		s += "\x1f" + strconv.Itoa(e.Status)
	}
	return strings.ToLower(s)
}
