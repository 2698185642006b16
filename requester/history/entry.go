// Package history keeps every request the composer sent, with what came
// back, in the SQLite database the capture store uses.
package history

import (
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
	SentBody   []byte // cut to the store's BodyCap: shorter than SentSize when cut
	SentSize   int64  // length of the body sent, in full

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
			e.SentBody = p.Body
			e.SentSize = int64(len(p.Body))
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
