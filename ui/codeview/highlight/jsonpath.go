package highlight

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/alecthomas/chroma/v2"
)

// identifier is a key that reads plainly after a dot.
var identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// pathFrame is one open object or array on the way down.
type pathFrame struct {
	array bool
	index int    // arrays: the element being read
	key   string // objects: the member being read
	seg   string // how the parent reaches this container
}

// PathAt returns the JSONPath-like path ($.data.items[2].id) of what
// line row of highlighted JSON holds: the member whose key is on it,
// the array element that starts on it, or the container a closing
// bracket on it ends. It reports false for rows outside the lines.
func PathAt(lines []Line, row int) (string, bool) {
	if row < 0 || row >= len(lines) {
		return "", false
	}
	var stack []pathFrame
	for r := 0; r <= row; r++ {
		first := true
		for _, sp := range lines[r] {
			if r == row && first && sp.Type != chroma.Text && sp.Type != chroma.TextWhitespace {
				return pathOf(stack, sp), true
			}
			if sp.Type != chroma.Text && sp.Type != chroma.TextWhitespace {
				first = false
			}
			stack = advance(stack, sp)
		}
	}
	return pathOf(stack, Span{}), true
}

// advance applies one span to the open containers.
func advance(stack []pathFrame, sp Span) []pathFrame {
	switch sp.Type {
	case chroma.NameTag:
		if len(stack) > 0 {
			stack[len(stack)-1].key = unquote(sp.Text)
		}
	case chroma.Punctuation:
		for _, c := range sp.Text {
			switch c {
			case '{', '[':
				stack = append(stack, pathFrame{array: c == '[', seg: childSeg(stack)})
			case '}', ']':
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			case ',':
				if len(stack) > 0 && stack[len(stack)-1].array {
					stack[len(stack)-1].index++
				}
			}
		}
	}
	return stack
}

// childSeg is how the innermost container reaches what comes next in it.
func childSeg(stack []pathFrame) string {
	if len(stack) == 0 {
		return "$"
	}
	top := stack[len(stack)-1]
	if top.array {
		return fmt.Sprintf("[%d]", top.index)
	}
	return keySeg(top.key)
}

// keySeg is how an object reaches its member key.
func keySeg(key string) string {
	if identifier.MatchString(key) {
		return "." + key
	}
	q, _ := json.Marshal(key)
	return "[" + string(q) + "]"
}

// pathOf is the path of what first meets the eye on a row: sp.
func pathOf(stack []pathFrame, sp Span) string {
	path := ""
	for _, f := range stack {
		path += f.seg
	}
	if path == "" {
		path = "$"
	}
	switch {
	case sp.Type == chroma.NameTag:
		return path + keySeg(unquote(sp.Text)) // the member itself
	case sp.Type == chroma.Punctuation && len(sp.Text) > 0 && (sp.Text[0] == '}' || sp.Text[0] == ']'):
		return path // the container this row closes
	case len(stack) > 0 && stack[len(stack)-1].array:
		return path + childSeg(stack) // an element starting on this row
	}
	return path
}

func unquote(s string) string {
	var out string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return s
	}
	return out
}
