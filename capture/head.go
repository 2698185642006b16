package capture

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"sync"
)

// Recording each request's head as it arrived: net/http canonicalises
// header names, merges their order into a map, drops Host and
// Transfer-Encoding from it and decodes the path, so the bytes are taken
// from the connection itself. A headTee sees every byte read from its
// connection, in order, and follows the HTTP/1.1 framing: it keeps the
// bytes of each head (request line and header lines) and skips each
// body by its Content-Length or its chunks. The handler takes the heads
// in the order the requests came, which is the order net/http serves
// them on one connection.

// maxHeads is how many heads not yet taken a connection keeps: more
// are pipelined requests the handler has not reached, and the oldest go.
const maxHeads = 16

type teeState uint8

const (
	teeHead       teeState = iota // in a head
	teeBody                       // skipping remain bytes of a body
	teeChunkSize                  // in a chunk's size line
	teeChunkData                  // skipping remain bytes of a chunk
	teeChunkEnd                   // in the CRLF after a chunk's data
	teeTrailer                    // in the trailer after the last chunk
	teeLost                       // the framing is not followed any more
	teeChunkSizeX                 // in a chunk size line's extension
)

// headTee follows one connection's requests; its methods are safe for
// concurrent use (net/http may read in the background while a handler
// runs).
type headTee struct {
	mu      sync.Mutex
	max     int // the most bytes a head may take
	state   teeState
	cur     []byte // the head being read
	line    int    // bytes of the current line, its CR left out
	remain  int64  // body or chunk bytes still to skip
	size    int64  // a chunk's size being read
	digits  int
	heads   [][]byte // complete heads not yet taken, oldest first
	trailer bool     // the current trailer line is not empty
	started bool     // a head's request line has begun
}

func newHeadTee(maxHeaderBytes int) *headTee {
	if maxHeaderBytes <= 0 {
		maxHeaderBytes = http.DefaultMaxHeaderBytes
	}
	// net/http reads a head up to MaxHeaderBytes plus 4,096 bytes of
	// slack before it answers 431.
	return &headTee{max: maxHeaderBytes + 4096}
}

// write follows p, the next bytes read from the connection.
func (t *headTee) write(p []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(p) > 0 {
		switch t.state {
		case teeLost:
			return
		case teeBody, teeChunkData:
			n := int64(len(p))
			if n > t.remain {
				n = t.remain
			}
			t.remain -= n
			p = p[n:]
			if t.remain == 0 {
				if t.state == teeBody {
					t.state = teeHead
				} else {
					t.state = teeChunkEnd
				}
			}
		case teeHead:
			p = t.headBytes(p)
		default:
			t.chunkByte(p[0])
			p = p[1:]
		}
	}
}

// headBytes takes bytes of a head from p, up to and including the
// empty line that ends it, and returns the rest. Empty lines before a
// request line belong to no head.
func (t *headTee) headBytes(p []byte) []byte {
	start := 0
	for i, b := range p {
		switch {
		case !t.started:
			if b == '\r' || b == '\n' {
				start = i + 1
				continue
			}
			t.started, t.line = true, 1
		case b == '\n':
			if t.line > 0 {
				t.line = 0
				continue
			}
			if len(t.cur)+i+1-start > t.max {
				// net/http answers 431 and closes the connection.
				t.state, t.cur = teeLost, nil
				return nil
			}
			t.cur = append(t.cur, p[start:i+1]...)
			t.endHead()
			return p[i+1:]
		case b == '\r':
		default:
			t.line++
		}
	}
	p = p[start:]
	if len(t.cur)+len(p) > t.max {
		t.state, t.cur = teeLost, nil
		return nil
	}
	if t.cur == nil && len(p) > 0 {
		t.cur = make([]byte, 0, max(512, len(p)))
	}
	t.cur = append(t.cur, p...)
	return nil
}

// endHead files the complete head in t.cur (its final empty line cut
// off) and sets up the skipping of its body.
func (t *headTee) endHead() {
	head := t.cur[:len(t.cur)-1] // the final empty line's '\n'
	head = bytes.TrimSuffix(head, []byte("\r"))
	t.cur, t.line, t.started = nil, 0, false
	if len(t.heads) == maxHeads {
		t.heads = t.heads[1:]
	}
	t.heads = append(t.heads, head)
	chunked, length, ok := bodyFraming(head)
	switch {
	case !ok:
		t.state = teeLost // net/http refuses it and closes
	case chunked:
		t.state, t.size, t.digits = teeChunkSize, 0, 0
	case length > 0:
		t.state, t.remain = teeBody, length
	default:
		t.state = teeHead
	}
}

// chunkByte follows one byte of a chunked body outside chunk data.
func (t *headTee) chunkByte(b byte) {
	switch t.state {
	case teeChunkSize, teeChunkSizeX:
		switch {
		case b == '\n':
			if t.digits == 0 {
				t.state = teeLost
				return
			}
			if t.size == 0 {
				t.state, t.trailer = teeTrailer, false
				return
			}
			t.state, t.remain = teeChunkData, t.size
		case t.state == teeChunkSizeX || b == '\r':
		case b == ';' || b == ' ' || b == '\t':
			t.state = teeChunkSizeX
		default:
			v, ok := hexDigit(b)
			if !ok || t.digits == 15 {
				t.state = teeLost
				return
			}
			t.size = t.size<<4 | int64(v)
			t.digits++
		}
	case teeChunkEnd:
		if b == '\n' {
			t.state, t.size, t.digits = teeChunkSize, 0, 0
		}
	case teeTrailer:
		switch b {
		case '\n':
			if !t.trailer {
				t.state = teeHead
			}
			t.trailer = false
		case '\r':
		default:
			t.trailer = true
		}
	}
}

func hexDigit(b byte) (byte, bool) {
	switch {
	case '0' <= b && b <= '9':
		return b - '0', true
	case 'a' <= b && b <= 'f':
		return b - 'a' + 10, true
	case 'A' <= b && b <= 'F':
		return b - 'A' + 10, true
	}
	return 0, false
}

// bodyFraming reads from a head how its body is framed, as net/http
// does for a request: chunked when an HTTP/1.1 request says
// Transfer-Encoding (net/http takes only "chunked" and refuses others),
// else Content-Length bytes, else none. ok is false for a head net/http
// refuses (a bad Content-Length), after which it closes the connection.
func bodyFraming(head []byte) (chunked bool, length int64, ok bool) {
	reqLine, rest, _ := bytes.Cut(head, []byte("\n"))
	http11 := !bytes.HasSuffix(bytes.TrimSuffix(reqLine, []byte("\r")), []byte("HTTP/1.0"))
	haveLength := false
	for len(rest) > 0 {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		name, value, found := bytes.Cut(line, []byte(":"))
		if !found {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case http11 && bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = true
		case bytes.EqualFold(name, []byte("Content-Length")) && !haveLength:
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 {
				return false, 0, false
			}
			length, haveLength = n, true
		}
	}
	if chunked {
		return true, 0, true
	}
	return false, length, true
}

// take returns the oldest head not yet taken whose request line is
// method and target's, dropping older ones that are not (a request
// net/http answered itself); nil when there is none.
func (t *headTee) take(method, target string) []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, h := range t.heads {
		if requestLineIs(h, method, target) {
			t.heads[i] = nil
			t.heads = t.heads[i+1:]
			return h
		}
	}
	return nil
}

func requestLineIs(head []byte, method, target string) bool {
	rest, ok := bytes.CutPrefix(head, []byte(method))
	if !ok || len(rest) == 0 || rest[0] != ' ' {
		return false
	}
	rest, ok = bytes.CutPrefix(rest[1:], []byte(target))
	return ok && len(rest) > 0 && rest[0] == ' '
}

type headTeeKey struct{}

// HeadOf returns the head of r exactly as it arrived on its connection:
// request line and header lines, each with its line end, the empty line
// that ended the head left out. It is nil when r's connection did not
// record heads (a server not made by NewHTTPServer with RecordHeads, an
// HTTP/2 request) or the bytes could not be followed. Each head is given
// out once: call it once per request, from its handler.
func HeadOf(r *http.Request) []byte {
	t, _ := r.Context().Value(headTeeKey{}).(*headTee)
	if t == nil {
		return nil
	}
	return t.take(r.Method, r.RequestURI)
}

// withHeadTee returns ctx carrying t, for HeadOf.
func withHeadTee(ctx context.Context, t *headTee) context.Context {
	return context.WithValue(ctx, headTeeKey{}, t)
}

// HeadFields splits a head as HeadOf returns it into its request line
// and its header fields, in the order and case they arrived (a folded
// line joins the field before it); values lose the spaces around them.
func HeadFields(head []byte) (requestLine string, fields []NameValue) {
	lines := bytes.Split(head, []byte("\n"))
	for i, line := range lines {
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case i == 0:
			requestLine = string(line)
		case len(line) == 0:
		case (line[0] == ' ' || line[0] == '\t') && len(fields) > 0:
			last := &fields[len(fields)-1]
			last.Value += " " + string(bytes.TrimSpace(line))
		default:
			name, value, _ := bytes.Cut(line, []byte(":"))
			fields = append(fields, NameValue{Name: string(name), Value: string(bytes.TrimSpace(value))})
		}
	}
	return requestLine, fields
}
