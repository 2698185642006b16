package highlight

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// ValueAt returns the JSON text of the value at path in body, exactly as
// it appears there (whitespace, number forms and escapes kept). path is
// one PathAt gives: "$" then .key, ["key"] and [index] steps. It reports
// false when body holds no such value, or is cut short before the
// value ends. Where an object repeats a key, the first one counts.
func ValueAt(body []byte, path string) ([]byte, bool) {
	steps, ok := parsePath(path)
	if !ok {
		return nil, false
	}
	p := skipJSONSpace(body, 0)
	for _, st := range steps {
		if p, ok = childAt(body, p, st); !ok {
			return nil, false
		}
	}
	end, ok := valueEnd(body, p)
	if !ok {
		return nil, false
	}
	return body[p:end], true
}

// pathStep is one step of a path: a member key, or an index when key
// is unset.
type pathStep struct {
	key    string
	index  int
	member bool
}

// parsePath splits a PathAt path into steps.
func parsePath(path string) ([]pathStep, bool) {
	if len(path) == 0 || path[0] != '$' {
		return nil, false
	}
	var steps []pathStep
	for i := 1; i < len(path); {
		switch {
		case path[i] == '.':
			j := i + 1
			for j < len(path) && path[j] != '.' && path[j] != '[' {
				j++
			}
			if j == i+1 {
				return nil, false
			}
			steps = append(steps, pathStep{key: path[i+1 : j], member: true})
			i = j
		case path[i] == '[' && i+1 < len(path) && path[i+1] == '"':
			end, ok := stringEnd([]byte(path), i+1)
			if !ok || end >= len(path) || path[end] != ']' {
				return nil, false
			}
			var key string
			if json.Unmarshal([]byte(path[i+1:end]), &key) != nil {
				return nil, false
			}
			steps = append(steps, pathStep{key: key, member: true})
			i = end + 1
		case path[i] == '[':
			j := i + 1
			for j < len(path) && path[j] != ']' {
				j++
			}
			n, err := strconv.Atoi(path[i+1 : min(j, len(path))])
			if j == len(path) || err != nil || n < 0 {
				return nil, false
			}
			steps = append(steps, pathStep{index: n})
			i = j + 1
		default:
			return nil, false
		}
	}
	return steps, true
}

// childAt returns where the value st names starts, in the container
// that starts at p.
func childAt(b []byte, p int, st pathStep) (int, bool) {
	if p >= len(b) || (st.member && b[p] != '{') || (!st.member && b[p] != '[') {
		return 0, false
	}
	i := skipJSONSpace(b, p+1)
	for n := 0; i < len(b) && b[i] != '}' && b[i] != ']'; n++ {
		if st.member {
			end, ok := stringEnd(b, i)
			if !ok {
				return 0, false
			}
			key := b[i+1 : end-1]
			i = skipJSONSpace(b, end)
			if i >= len(b) || b[i] != ':' {
				return 0, false
			}
			i = skipJSONSpace(b, i+1)
			if keyIs(key, st.key) {
				return i, true
			}
		} else if n == st.index {
			return i, true
		}
		end, ok := valueEnd(b, i)
		if !ok {
			return 0, false
		}
		i = skipJSONSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipJSONSpace(b, i+1)
		}
	}
	return 0, false
}

// keyIs reports whether the raw (still escaped) key spells want.
func keyIs(raw []byte, want string) bool {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw) == want
	}
	var key string
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	return json.Unmarshal(q, &key) == nil && key == want
}

// valueEnd returns where the value starting at p ends.
func valueEnd(b []byte, p int) (int, bool) {
	if p >= len(b) {
		return 0, false
	}
	switch b[p] {
	case '"':
		return stringEnd(b, p)
	case '{', '[':
		depth := 0
		for i := p; i < len(b); i++ {
			switch b[i] {
			case '"':
				end, ok := stringEnd(b, i)
				if !ok {
					return 0, false
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, true
				}
			}
		}
		return 0, false
	case '}', ']', ',', ':':
		return 0, false
	}
	i := p
	for i < len(b) && !endsScalar(b[i]) {
		i++
	}
	return i, true
}

// endsScalar reports whether c ends a number, true, false or null.
func endsScalar(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// stringEnd returns the index after the string starting at p (b[p] is '"').
func stringEnd(b []byte, p int) (int, bool) {
	if p >= len(b) || b[p] != '"' {
		return 0, false
	}
	for i := p + 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return 0, false
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
