package capture

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// DefaultMaxBody is the largest body the catcher keeps (10 MiB).
const DefaultMaxBody = 10 << 20

// Server is the catcher's HTTP handler: it accepts any method on any
// path, stores the request, and only then acknowledges the sender.
type Server struct {
	Store   Store
	MaxBody int64 // 0 means DefaultMaxBody
	// OnCapture, when set, is called with each capture after it is
	// stored and before the sender gets its answer.
	OnCapture func(*Capture)
	Now       func() time.Time
}

// NewServer returns a catcher handler writing to store.
func NewServer(store Store) *Server {
	return &Server{Store: store}
}

type ack struct {
	OK    bool   `json:"ok"`
	ID    string `json:"id"`
	Error string `json:"error,omitempty"`
}

// ServeHTTP captures r.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	limit := s.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	c := &Capture{
		ID:       NewID(now()),
		Time:     now(),
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Proto:    r.Proto,
		Host:     r.Host,
		Header:   r.Header.Clone(),
		Remote:   r.RemoteAddr,
		Status:   http.StatusOK,
	}
	if c.Path == "" {
		c.Path = "/"
	}
	body, size, truncated, readErr := readBody(r.Body, limit)
	c.Body, c.BodySize, c.Truncated = body, size, truncated
	res := ack{OK: true, ID: c.ID}
	if truncated {
		c.Status = http.StatusRequestEntityTooLarge
		res = ack{ID: c.ID, Error: fmt.Sprintf("body larger than %d bytes; the first %d bytes were kept", limit, limit)}
	} else if readErr != nil {
		// The sender went away mid-body: keep what arrived, marked.
		c.Truncated = true
		c.Status = http.StatusBadRequest
		res = ack{ID: c.ID, Error: "body could not be read: " + readErr.Error()}
	}
	if err := s.Store.Add(c); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, ack{Error: "capture not stored: " + err.Error()})
		return
	}
	if s.OnCapture != nil {
		s.OnCapture(c)
	}
	if truncated {
		// Tell net/http not to drain the rest of an oversized body.
		w.Header().Set("Connection", "close")
	}
	writeJSON(w, c.Status, res)
}

// readBody reads up to limit bytes. Beyond the limit it counts (up to a
// bound, so a hostile sender cannot keep us busy) and drops the rest.
func readBody(rc io.Reader, limit int64) (body []byte, size int64, truncated bool, err error) {
	if rc == nil {
		return nil, 0, false, nil
	}
	body, err = io.ReadAll(io.LimitReader(rc, limit))
	size = int64(len(body))
	if err != nil {
		return body, size, false, err
	}
	var one [1]byte
	n, _ := io.ReadFull(rc, one[:])
	if n == 0 {
		return body, size, false, nil
	}
	rest, _ := io.Copy(io.Discard, io.LimitReader(rc, 4*limit))
	return body, size + int64(n) + rest, true, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// A sender that hung up cannot be told anything more.
	_ = json.NewEncoder(w).Encode(v)
}
