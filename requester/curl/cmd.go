package curl

import (
	"fmt"
	"strings"
)

// cmdWords splits src as Windows does: cmd.exe applies its ^ escapes, then
// the C runtime of curl.exe splits the line into arguments.
func (p *parser) cmdWords(src string) ([]word, error) {
	line, offs := p.cmdLine(src)
	return crtSplit(line, offs, src)
}

// cmdLine applies cmd.exe's escapes: outside double quotes, ^ takes the next
// character literally, and ^ at a line end continues the command on the next
// line (whose first character is then taken literally). An unescaped newline
// ends the command. offs[i] is the offset in src that line[i] came from.
func (p *parser) cmdLine(src string) (line []byte, offs []int) {
	inQuote := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '^' && !inQuote:
			i++
			// Blanks after a line-end ^ are taken as a paste error, not as
			// an escaped blank that would end the command.
			j := i
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			if j < len(src) && src[j] == '\n' {
				i = j + 1
			}
			if i >= len(src) {
				return line, offs
			}
		case c == '\n':
			if strings.TrimSpace(src[i:]) != "" {
				p.warnf("only the first command was imported")
			}
			return line, offs
		case c == '"':
			inQuote = !inQuote
		case c == '%':
			if name := cmdVariable(src[i:]); name != "" {
				p.warnf("cmd variable %s left as literal text", short(name))
			}
		}
		line = append(line, src[i])
		offs = append(offs, i)
	}
	return line, offs
}

// cmdVariable returns the %NAME% reference that s starts with, if any.
func cmdVariable(s string) string {
	end := strings.IndexByte(s[1:], '%') + 1
	if end <= 1 {
		return ""
	}
	for i, c := range s[1:end] {
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return ""
		}
	}
	return s[:end+1]
}

// crtSplit splits a command line into arguments with the rules of the
// Microsoft C runtime: blanks separate arguments outside double quotes;
// 2n backslashes before a quote give n backslashes and the quote opens or
// closes, 2n+1 give n backslashes and a literal quote; other backslashes are
// literal; "" inside quotes is a literal quote.
func crtSplit(line []byte, offs []int, src string) ([]word, error) {
	var words []word
	var cur []byte
	inArg, inQuote := false, false
	start, quoteAt := 0, 0
	begin := func(i int) {
		if !inArg {
			inArg, start = true, i
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case (c == ' ' || c == '\t') && !inQuote:
			if inArg {
				words = append(words, word{text: string(cur), pos: offsetPos(src, offs[start])})
				cur, inArg = nil, false
			}
		case c == '\\':
			begin(i)
			n := 1
			for i+n < len(line) && line[i+n] == '\\' {
				n++
			}
			if i+n < len(line) && line[i+n] == '"' {
				cur = append(cur, strings.Repeat(`\`, n/2)...)
				if n%2 == 1 {
					cur = append(cur, '"')
					i += n
					continue
				}
				i += n - 1 // the quote is read next
				continue
			}
			cur = append(cur, strings.Repeat(`\`, n)...)
			i += n - 1
		case c == '"':
			begin(i)
			if inQuote && i+1 < len(line) && line[i+1] == '"' {
				cur = append(cur, '"')
				i++
				continue
			}
			inQuote = !inQuote
			quoteAt = i
		default:
			begin(i)
			cur = append(cur, c)
		}
	}
	if inQuote {
		line, col := lineCol(src, offs[quoteAt])
		return nil, &SyntaxError{Line: line, Col: col, Msg: quoteName(`"`)}
	}
	if inArg {
		words = append(words, word{text: string(cur), pos: offsetPos(src, offs[start])})
	}
	return words, nil
}

// lineCol returns the 1-based line and byte column of offset in src.
func lineCol(src string, offset int) (line, col int) {
	before := src[:offset]
	line = strings.Count(before, "\n") + 1
	col = offset - strings.LastIndexByte(before, '\n')
	return line, col
}

func offsetPos(src string, offset int) string {
	line, col := lineCol(src, offset)
	return fmt.Sprintf("line %d, column %d", line, col)
}
