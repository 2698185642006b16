// Package bru reads Bruno's .bru files: requests, folder.bru,
// collection.bru and environments. It parses the bru language into blocks
// and turns them into Hooklab's request model; requester/collection loads
// folders of them as collections.
//
// The language: top-level blocks "name {" ... "}" (or "name [" ... "]"
// for lists) with the closing brace or bracket alone at the start of a
// line. A dictionary block holds "key: value" lines, "~key: value" when
// disabled, and a value of ”' starts lines up to a closing ”' line. A
// text block (body:*, script:*, tests, docs) holds its text indented by
// two spaces.
package bru

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSize is the largest .bru file Parse reads.
const MaxSize = 16 << 20

// Pair is one line of a dictionary or list block.
type Pair struct {
	Key, Value string
	Disabled   bool
}

// Block is one top-level block of a file.
type Block struct {
	Name string
	Line int    // 1-based line of its opening line
	Text string // the content as text, its two-space indent removed
	List bool   // opened with [
	raw  []string
}

// SyntaxError is a file that is not in the bru language.
type SyntaxError struct {
	Line int
	Msg  string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// File is a parsed .bru file: its blocks in order.
type File struct {
	Blocks []*Block
}

// Block returns the first block named name, or nil.
func (f *File) Block(name string) *Block {
	for _, b := range f.Blocks {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// ErrBinary is a file that is not text.
var ErrBinary = errors.New("not a text file")

// Parse splits data into blocks. Anything outside a block other than blank
// lines and comments (#) is a *SyntaxError, as is a block never closed.
func Parse(data []byte) (*File, error) {
	if len(data) > MaxSize {
		return nil, &SyntaxError{Msg: fmt.Sprintf("the file is %d MiB; .bru files of more than %d MiB are not read", len(data)>>20, MaxSize>>20)}
	}
	if !utf8.Valid(data) || strings.ContainsRune(string(data), 0) {
		return nil, ErrBinary
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	f := &File{}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		var open, closing string
		switch {
		case strings.HasSuffix(trimmed, "{"):
			open, closing = "{", "}"
		case strings.HasSuffix(trimmed, "["):
			open, closing = "[", "]"
		default:
			return nil, &SyntaxError{Line: i + 1, Msg: fmt.Sprintf("expected a block such as \"meta {\", got %q", cutText(trimmed, 40))}
		}
		name := strings.TrimSpace(strings.TrimSuffix(trimmed, open))
		if name == "" || strings.ContainsAny(name, " \t{}[]") {
			return nil, &SyntaxError{Line: i + 1, Msg: fmt.Sprintf("bad block name %q", cutText(name, 40))}
		}
		b := &Block{Name: name, Line: i + 1, List: open == "["}
		j := i + 1
		for ; j < len(lines); j++ {
			l := strings.TrimRight(lines[j], " \t\r")
			if l == closing {
				break
			}
			b.raw = append(b.raw, strings.TrimRight(lines[j], "\r"))
		}
		if j == len(lines) {
			return nil, &SyntaxError{Line: i + 1, Msg: fmt.Sprintf("block %q is not closed (a %q alone on a line)", name, closing)}
		}
		b.Text = dedent(b.raw)
		f.Blocks = append(f.Blocks, b)
		i = j
	}
	return f, nil
}

func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// dedent joins lines, each without its first two spaces (or tab).
func dedent(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "  "):
			l = l[2:]
		case strings.HasPrefix(l, "\t"):
			l = l[1:]
		}
		out[i] = l
	}
	return strings.Join(out, "\n")
}

// Pairs reads a dictionary block: "key: value" lines, ~ marking disabled
// ones, ”' opening a value of several lines. A line without a colon is a
// *SyntaxError.
func (b *Block) Pairs() ([]Pair, error) {
	if b == nil {
		return nil, nil
	}
	var out []Pair
	for i := 0; i < len(b.raw); i++ {
		line := strings.TrimSpace(b.raw[i])
		if line == "" {
			continue
		}
		p := Pair{}
		if strings.HasPrefix(line, "~") {
			p.Disabled = true
			line = line[1:]
		}
		key, value, ok := cutKey(line)
		if !ok {
			return nil, &SyntaxError{Line: b.Line + 1 + i, Msg: fmt.Sprintf("in %s: expected \"name: value\", got %q", b.Name, cutText(line, 40))}
		}
		p.Key, p.Value = key, value
		if value == "'''" {
			var ml []string
			j := i + 1
			for ; j < len(b.raw) && strings.TrimSpace(b.raw[j]) != "'''"; j++ {
				ml = append(ml, b.raw[j])
			}
			if j == len(b.raw) {
				return nil, &SyntaxError{Line: b.Line + 1 + i, Msg: fmt.Sprintf("in %s: value of %q is not closed by '''", b.Name, key)}
			}
			p.Value = dedentBy(ml, 4)
			i = j
		}
		out = append(out, p)
	}
	return out, nil
}

// cutKey splits "key: value". A key may be quoted ("a: b": c) to hold a
// colon.
func cutKey(line string) (key, value string, ok bool) {
	if strings.HasPrefix(line, `"`) {
		if end := strings.Index(line[1:], `"`); end >= 0 {
			key = line[1 : end+1]
			rest := strings.TrimSpace(line[end+2:])
			if !strings.HasPrefix(rest, ":") {
				return "", "", false
			}
			return key, strings.TrimSpace(rest[1:]), true
		}
	}
	key, value, ok = strings.Cut(line, ":")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return "", "", false
	}
	return key, strings.TrimSpace(value), true
}

// dedentBy removes up to n leading spaces from each line.
func dedentBy(lines []string, n int) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		k := 0
		for k < n && k < len(l) && l[k] == ' ' {
			k++
		}
		out[i] = l[k:]
	}
	return strings.Join(out, "\n")
}

// Items reads a list block ("[ a, ~b ]"): names, ~ marking disabled ones.
func (b *Block) Items() []Pair {
	if b == nil {
		return nil
	}
	var out []Pair
	for _, l := range b.raw {
		for piece := range strings.SplitSeq(l, ",") {
			piece = strings.TrimSpace(piece)
			if piece == "" {
				continue
			}
			p := Pair{Key: piece}
			if strings.HasPrefix(piece, "~") {
				p.Disabled, p.Key = true, strings.TrimSpace(piece[1:])
			}
			if p.Key != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
