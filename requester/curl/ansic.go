package curl

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ansiC decodes the body of a bash $'…' string. As in bash, a NUL byte ends
// the string. A UTF-16 surrogate pair written as two \u escapes (as Chrome's
// "Copy as cURL" does for emoji) becomes one character.
func ansiC(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			if c == 0 {
				break
			}
			b.WriteByte(c)
			continue
		}
		i++
		out, next := ansiEscape(s, i)
		if strings.IndexByte(out, 0) >= 0 {
			out, _, _ = strings.Cut(out, "\x00")
			b.WriteString(out)
			break
		}
		b.WriteString(out)
		i = next - 1
	}
	return b.String()
}

// ansiEscape decodes the escape whose letter is at s[i] and returns its text
// and the index after it.
func ansiEscape(s string, i int) (string, int) {
	c := s[i]
	if out, ok := simpleEscapes[c]; ok {
		return out, i + 1
	}
	switch c {
	case '0', '1', '2', '3', '4', '5', '6', '7':
		j := digits(s, i, 3, 8)
		n, _ := strconv.ParseUint(s[i:j], 8, 16)
		return string([]byte{byte(n)}), j
	case 'x':
		if j := digits(s, i+1, 2, 16); j > i+1 {
			n, _ := strconv.ParseUint(s[i+1:j], 16, 8)
			return string([]byte{byte(n)}), j
		}
	case 'u', 'U':
		return unicodeEscape(s, i)
	case 'c':
		if i+1 < len(s) {
			return string([]byte{s[i+1] & 0x1f}), i + 2
		}
	}
	return `\` + string(c), i + 1
}

var simpleEscapes = map[byte]string{
	'a': "\a", 'b': "\b", 'e': "\x1b", 'E': "\x1b", 'f': "\f", 'n': "\n", 'r': "\r",
	't': "\t", 'v': "\v", '\\': "\\", '\'': "'", '"': "\"", '?': "?",
}

// unicodeEscape decodes \uHHHH or \UHHHHHHHH at s[i], joining surrogates.
func unicodeEscape(s string, i int) (string, int) {
	max := 4
	if s[i] == 'U' {
		max = 8
	}
	j := digits(s, i+1, max, 16)
	if j == i+1 {
		return `\` + s[i:i+1], i + 1
	}
	n, _ := strconv.ParseUint(s[i+1:j], 16, 32)
	r := rune(n)
	if utf16.IsSurrogate(r) && strings.HasPrefix(s[j:], `\u`) {
		if k := digits(s, j+2, 4, 16); k == j+6 {
			lo, _ := strconv.ParseUint(s[j+2:k], 16, 32)
			if pair := utf16.DecodeRune(r, rune(lo)); pair != utf8.RuneError {
				return string(pair), k
			}
		}
	}
	if r == 0 {
		return "\x00", j
	}
	return string(r), j // invalid code points become U+FFFD
}

// digits returns the end of the run of at most max digits in base starting
// at s[i].
func digits(s string, i, max, base int) int {
	j := i
	for j < len(s) && j-i < max {
		c := s[j]
		ok := '0' <= c && c <= '7' || base == 16 && ('8' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F')
		if !ok {
			break
		}
		j++
	}
	return j
}
