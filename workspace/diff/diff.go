// Package diff compares two HTTP messages, such as two captures or a
// capture and a response: their first lines, their headers (names
// compared case-insensitively, repeated values in order) and their
// bodies, JSON structurally (keys in any order, arrays by index) and
// other text line by line.
package diff

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"hooklab/capture"
)

// Kind is what happened to a header, a JSON value or a line.
type Kind int

// Kinds of difference.
const (
	Changed Kind = iota
	Added
	Removed
)

func (k Kind) String() string {
	switch k {
	case Added:
		return "added"
	case Removed:
		return "removed"
	}
	return "changed"
}

// Message is one side of a comparison.
type Message struct {
	// Start is the first line: "POST /payments" for a request, "200 OK"
	// for a response.
	Start  string
	Header http.Header
	Body   []byte
	// Cut, when not zero, is the size of the whole body: Body is only
	// its start (a capture or a response cut at its limit).
	Cut int64
}

// FromCapture is the message a capture received: its request line with
// the query, its headers and its body as kept, decoded when it came
// compressed (gzip, br…), so two compressed JSON bodies compare as JSON;
// a body cut at the catcher's limit is marked Cut.
func FromCapture(c *capture.Capture) Message {
	target := c.Path
	if c.RawQuery != "" {
		target += "?" + c.RawQuery
	}
	body := c.Body
	if decoded, enc, err := capture.DecodeBody(c.Header, c.Body); err == nil && enc != "" {
		body = decoded
	}
	m := Message{Start: c.Method + " " + target, Header: c.Header, Body: body}
	if c.Truncated {
		m.Cut = max(c.BodySize, int64(len(c.Body)))
	}
	return m
}

// Header is the difference in one header: Old and New are its values
// joined by ", " in the order they came, "" on the side without it.
type Header struct {
	Kind     Kind
	Name     string
	Old, New string
}

// Value is a JSON value that differs, at Path ("$.data.amount",
// "$.items[2]"); Old and New are compact JSON, "" on the side without it.
type Value struct {
	Kind     Kind
	Path     string
	Old, New string
}

// String is the value's line: "$.data.amount: 1200 → 1500",
// "$.data.note: added \"x\"", "$.data.id: removed \"pay_1\"".
func (v Value) String() string {
	switch v.Kind {
	case Added:
		return v.Path + ": added " + v.New
	case Removed:
		return v.Path + ": removed " + v.Old
	}
	return v.Path + ": " + v.Old + " → " + v.New
}

// Line is a line of a line diff: Op is ' ' for a line both have, '-'
// for one only the old body has, '+' for one only the new body has.
type Line struct {
	Op   byte
	Text string
}

// Result is what differs between two messages.
type Result struct {
	// StartOld and StartNew are the first lines when they differ, "" else.
	StartOld, StartNew string
	Headers            []Header
	// JSON is true when both bodies were JSON and compared as such;
	// Values are their differences.
	JSON   bool
	Values []Value
	// Lines is the line diff of two text bodies that differ, every line
	// of both; nil when they are equal, JSON or binary.
	Lines []Line
	// BodyNote says what else there is to know about the bodies: that
	// binary bodies differ, that the diff was cut short, that a body was
	// only the start of one (Message.Cut).
	BodyNote string
}

// Same reports whether nothing differs.
func (r Result) Same() bool {
	return r.StartOld == r.StartNew && len(r.Headers) == 0 && len(r.Values) == 0 &&
		len(r.Lines) == 0 && r.BodyNote == ""
}

// BodySame reports whether the bodies are the same (as JSON, if both are).
func (r Result) BodySame() bool {
	return len(r.Values) == 0 && len(r.Lines) == 0 && r.BodyNote == ""
}

// Compare compares two messages.
func Compare(a, b Message) Result {
	var r Result
	if a.Start != b.Start {
		r.StartOld, r.StartNew = a.Start, b.Start
	}
	r.Headers = Headers(a.Header, b.Header)
	r.JSON, r.Values, r.Lines, r.BodyNote = Bodies(a.Body, b.Body)
	if n := cutNote(a, b); n != "" {
		r.BodyNote = strings.TrimPrefix(r.BodyNote+"; "+n, "; ")
	}
	return r
}

// Headers compares two header sets by name, case-insensitively; a
// header whose values differ in number, content or order has changed.
// The differences come sorted by name.
func Headers(a, b http.Header) []Header {
	ga, gb := groupHeaders(a), groupHeaders(b)
	names := make([]string, 0, len(ga)+len(gb))
	for k := range ga {
		names = append(names, k)
	}
	for k := range gb {
		if _, ok := ga[k]; !ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []Header
	for _, k := range names {
		ha, inA := ga[k]
		hb, inB := gb[k]
		switch {
		case !inB:
			out = append(out, Header{Kind: Removed, Name: ha.name, Old: strings.Join(ha.values, ", ")})
		case !inA:
			out = append(out, Header{Kind: Added, Name: hb.name, New: strings.Join(hb.values, ", ")})
		case !equalStrings(ha.values, hb.values):
			out = append(out, Header{Kind: Changed, Name: hb.name, Old: strings.Join(ha.values, ", "), New: strings.Join(hb.values, ", ")})
		}
	}
	return out
}

type headerGroup struct {
	name   string
	values []string
}

// groupHeaders merges names that differ only in case (an http.Header
// built by hand may hold both), values in the order of the sorted names.
func groupHeaders(h http.Header) map[string]headerGroup {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	g := make(map[string]headerGroup, len(h))
	for _, k := range keys {
		lk := strings.ToLower(k)
		e, ok := g[lk]
		if !ok {
			e.name = k
		}
		e.values = append(e.values, h[k]...)
		g[lk] = e
	}
	return g
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Bodies compares two bodies: as JSON when both are JSON, else line by
// line when both are text; two binary bodies that differ are only said
// to differ, with their sizes.
func Bodies(a, b []byte) (isJSON bool, values []Value, lines []Line, note string) {
	if bytes.Equal(a, b) {
		return false, nil, nil, ""
	}
	if va, ok := parseJSON(a); ok {
		if vb, ok := parseJSON(b); ok {
			values, note = JSON(va, vb)
			return true, values, nil, note
		}
	}
	if isBinary(a) || isBinary(b) {
		return false, nil, nil, fmt.Sprintf("binary bodies differ (%d vs %d bytes)", len(a), len(b))
	}
	lines, note = Text(string(a), string(b))
	return false, nil, lines, note
}

// isBinary: not UTF-8, or holding a NUL byte.
func isBinary(b []byte) bool { return !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 }
