package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// At is m with its body narrowed to the JSON value at path: "$" is the
// whole body, "$.data.object" a member, "$.items[0]" an element,
// `$["odd key"]` a member whose name is not a plain word (the paths
// differences are reported at). The value comes as compact JSON,
// numbers as written. It fails when the body is not JSON, the path is
// not one of those forms, or nothing is at it. Cut is kept: a cut body
// is not JSON, so it never narrows.
func (m Message) At(path string) (Message, error) {
	steps, err := parsePath(path)
	if err != nil {
		return m, err
	}
	v, ok := parseJSON(m.Body)
	if !ok {
		return m, errors.New("the body is not JSON")
	}
	for i, s := range steps {
		next, ok := s.from(v)
		if !ok {
			return m, fmt.Errorf("the body has nothing at %s", joinPath(steps[:i+1]))
		}
		v = next
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return m, err
	}
	m.Body = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return m, nil
}

// step is one step of a path: a member's name, or an element's index
// when key is false.
type step struct {
	name  string
	index int
	key   bool
}

func (s step) from(v any) (any, bool) {
	if s.key {
		o, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		x, ok := o[s.name]
		return x, ok
	}
	a, ok := v.([]any)
	if !ok || s.index >= len(a) {
		return nil, false
	}
	return a[s.index], true
}

func (s step) String() string {
	if s.key {
		return keyPath(s.name)
	}
	return "[" + strconv.Itoa(s.index) + "]"
}

func joinPath(steps []step) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range steps {
		b.WriteString(s.String())
	}
	return b.String()
}

// parsePath reads "$", then ".name", "[n]" or `["name"]` steps.
func parsePath(path string) ([]step, error) {
	bad := func(why string) error { return fmt.Errorf("the path %q %s", path, why) }
	rest, ok := strings.CutPrefix(strings.TrimSpace(path), "$")
	if !ok {
		return nil, bad("does not start with $")
	}
	var steps []step
	for rest != "" {
		switch {
		case rest[0] == '.':
			end := 1
			for end < len(rest) && rest[end] != '.' && rest[end] != '[' {
				end++
			}
			name := rest[1:end]
			if !plainKey.MatchString(name) {
				return nil, bad("has a name that is not a plain word after a dot (write [\"name\"])")
			}
			steps = append(steps, step{name: name, key: true})
			rest = rest[end:]
		case strings.HasPrefix(rest, `["`):
			// The name is a JSON string: read exactly one.
			dec := json.NewDecoder(strings.NewReader(rest[1:]))
			var name string
			if err := dec.Decode(&name); err != nil {
				return nil, bad("has a name in brackets that is not a JSON string")
			}
			after := rest[1+int(dec.InputOffset()):]
			if !strings.HasPrefix(after, "]") {
				return nil, bad("has a name in brackets not followed by ]")
			}
			steps = append(steps, step{name: name, key: true})
			rest = after[1:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, bad("has a [ without ]")
			}
			n, err := strconv.Atoi(rest[1:end])
			if err != nil || n < 0 || strings.HasPrefix(rest[1:end], "+") {
				return nil, bad("has an index that is not a number from 0")
			}
			steps = append(steps, step{index: n})
			rest = rest[end+1:]
		default:
			return nil, bad("has something other than .name, [n] or [\"name\"] after " + path[:len(path)-len(rest)])
		}
	}
	return steps, nil
}

// withinDepth and withinObjects bound the search of Within: how deep it
// looks, and how many objects it weighs at most.
const (
	withinDepth   = 4
	withinObjects = 10000
)

// Within finds where in the JSON body whole an object like the JSON
// object part sits: a webhook that carries the object an API call
// answered with ("$.data.object" in a payment event, "$.pull_request"
// in a Git host's). Of the objects nested in whole (through objects
// only, down to four levels), it picks the one sharing the most member
// names with part, the shallowest and then the first by name on a tie.
// It reports a path only when that object shares at least half of
// part's names, two at the least, and more than whole itself does:
// else comparing the bodies whole says more.
func Within(part, whole []byte) (path string, ok bool) {
	p, ok := parseJSON(part)
	po, isObj := p.(map[string]any)
	if !ok || !isObj || len(po) < 2 {
		return "", false
	}
	w, ok := parseJSON(whole)
	wo, isObj := w.(map[string]any)
	if !ok || !isObj {
		return "", false
	}
	s := withinSearch{part: po, budget: withinObjects}
	rootScore := shared(po, wo)
	s.walk(wo, nil, 0)
	if s.best == nil || s.score <= rootScore || s.score < 2 || 2*s.score < len(po) {
		return "", false
	}
	return joinPath(s.best), true
}

type withinSearch struct {
	part   map[string]any
	budget int
	best   []step
	score  int
	depth  int
}

// walk weighs every object below o, depth first, keeping the best by
// shared names, then by smaller depth; on a full tie the first met (by
// name) stays.
func (s *withinSearch) walk(o map[string]any, at []step, depth int) {
	if depth >= withinDepth {
		return
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		child, ok := o[k].(map[string]any)
		if !ok || s.budget == 0 {
			continue
		}
		s.budget--
		path := append(append([]step(nil), at...), step{name: k, key: true})
		if n := shared(s.part, child); n > s.score || (n == s.score && s.best != nil && depth+1 < s.depth) {
			s.best, s.score, s.depth = path, n, depth+1
		}
		s.walk(child, path, depth+1)
	}
}

// shared counts the member names a and b both have.
func shared(a, b map[string]any) int {
	if len(b) < len(a) {
		a, b = b, a
	}
	n := 0
	for k := range a {
		if _, ok := b[k]; ok {
			n++
		}
	}
	return n
}
