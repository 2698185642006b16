package curl

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// word is one argument of the command line.
type word struct {
	text string
	pos  string // "line L, column C", for messages
}

// split returns the arguments after the curl program name.
func (p *parser) split(cmd string) ([]word, error) {
	src := strings.ReplaceAll(cmd, "\r\n", "\n")
	src = blankPrompt(src)
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("the command is empty")
	}
	if i := strings.IndexByte(src, 0); i >= 0 {
		line, col := lineCol(src, i)
		return nil, &SyntaxError{Line: line, Col: col, Msg: "a NUL byte cannot be part of a command"}
	}
	var words []word
	var err error
	if isCmdStyle(src) {
		words, err = p.cmdWords(src)
	} else {
		words, err = p.shellWords(src)
	}
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, errors.New("the command is empty")
	}
	if !isCurl(words[0].text) {
		return nil, fmt.Errorf("not a curl command: it starts with %q", short(words[0].text))
	}
	return words[1:], nil
}

// isCurl reports whether name runs curl: curl, curl.exe or a path to one.
func isCurl(name string) bool {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	return strings.EqualFold(base, "curl") || strings.EqualFold(base, "curl.exe")
}

// blankPrompt turns a leading "$ " shell prompt into spaces, so that
// positions in errors still match what the user sees.
func blankPrompt(src string) string {
	trimmed := strings.TrimLeft(src, " \t\n")
	if strings.HasPrefix(trimmed, "$ ") {
		i := len(src) - len(trimmed)
		return src[:i] + "  " + src[i+2:]
	}
	return src
}

// isCmdStyle reports a command written for Windows cmd: its first line ends
// with a ^ continuation, or the first argument is ^"-quoted (Chrome's "Copy
// as cURL (cmd)").
func isCmdStyle(src string) bool {
	first, _, _ := strings.Cut(strings.TrimLeft(src, " \t\n"), "\n")
	first = strings.TrimRight(first, " \t")
	if strings.HasSuffix(first, " ^") {
		return true
	}
	fields := strings.Fields(first)
	return len(fields) > 1 && strings.HasPrefix(fields[1], `^"`)
}

// shellWords splits src as bash does, keeping expansions as literal text.
func (p *parser) shellWords(src string) ([]word, error) {
	f, err := parseShell(src)
	if err != nil {
		return nil, err
	}
	if len(f.Stmts) > 1 {
		// "\ " at a line end is a common paste error: the backslash escapes
		// the space instead of the newline and the command ends there.
		if fixed := spaceAfterBackslash.ReplaceAllString(src, "\\\n"); fixed != src {
			if f2, err := parseShell(fixed); err == nil && len(f2.Stmts) == 1 {
				p.warnf(`spaces after a \ at the end of a line were removed`)
				f, src = f2, fixed
			}
		}
	}
	if len(f.Stmts) == 0 {
		return nil, errors.New("the command is empty")
	}
	st := f.Stmts[0]
	switch {
	case st.Background:
		p.warnf("an unquoted & ended the command and the rest was ignored; quote the URL if it contains &")
	case len(f.Stmts) > 1:
		p.warnf("only the first command was imported")
	}
	if len(st.Redirs) > 0 {
		// An unquoted < or > (as in -u client:<secret>) makes a shell
		// redirection, which takes the next word with it: the shell would
		// never pass either to curl, so neither was imported. Say so
		// instead of dropping, say, the -d that followed.
		var texts []string
		for _, r := range st.Redirs {
			if a, b := int(r.Pos().Offset()), int(r.End().Offset()); 0 <= a && a < b && b <= len(src) {
				texts = append(texts, strings.TrimSpace(src[a:b]))
			}
		}
		p.warnf("unquoted < or > are shell redirections, so the shell would not pass %s to curl and they were not imported; put the argument in quotes, e.g. -u 'client:<secret>'", quoteList(texts))
	}
	call := p.callOf(st)
	if call == nil || len(call.Args) == 0 {
		return nil, errors.New("not a curl command")
	}
	words := make([]word, len(call.Args))
	for i, w := range call.Args {
		words[i] = word{text: p.wordText(src, w.Parts, false), pos: posText(w.Pos())}
	}
	return words, nil
}

var spaceAfterBackslash = regexp.MustCompile(`\\[ \t]+\n`)

// parseShell parses src as bash and converts errors to plain words.
func parseShell(src string) (*syntax.File, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err == nil {
		return f, nil
	}
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		msg := pe.Text
		if q, ok := strings.CutPrefix(msg, "reached EOF without closing quote "); ok {
			msg = quoteName(strings.Trim(q, "`"))
		} else if strings.HasPrefix(msg, "reached EOF") {
			msg = "the command ends too early: " + msg
		}
		return nil, &SyntaxError{Line: int(pe.Pos.Line()), Col: int(pe.Pos.Col()), Msg: msg}
	}
	var le syntax.LangError
	if errors.As(err, &le) {
		return nil, &SyntaxError{Line: int(le.Pos.Line()), Col: int(le.Pos.Col()), Msg: le.Feature + " is not supported"}
	}
	return nil, err
}

// quoteName describes an unterminated quote.
func quoteName(q string) string {
	switch q {
	case "'":
		return "unterminated single quote (')"
	case `"`:
		return `unterminated double quote (")`
	}
	return "unterminated quote " + q
}

// callOf returns the simple command st runs first; in "curl … | jq" that is
// curl.
func (p *parser) callOf(st *syntax.Stmt) *syntax.CallExpr {
	for {
		switch c := st.Cmd.(type) {
		case *syntax.CallExpr:
			return c
		case *syntax.BinaryCmd:
			p.warnf("only the first command was imported; %s and what follows were ignored", c.Op)
			st = c.X
		default:
			return nil
		}
	}
}

// wordText is the value bash gives a word, except that expansions ($VAR,
// $(…), …) are kept as written, with a warning.
func (p *parser) wordText(src string, parts []syntax.WordPart, quoted bool) string {
	var b strings.Builder
	for _, part := range parts {
		switch x := part.(type) {
		case *syntax.Lit:
			if quoted {
				b.WriteString(unescapeDouble(x.Value))
			} else {
				b.WriteString(unescapeBare(x.Value))
			}
		case *syntax.SglQuoted:
			if x.Dollar {
				b.WriteString(ansiC(x.Value))
			} else {
				b.WriteString(x.Value)
			}
		case *syntax.DblQuoted:
			b.WriteString(p.wordText(src, x.Parts, true))
		default:
			text := src[part.Pos().Offset():part.End().Offset()]
			if _, ok := part.(*syntax.ParamExp); ok {
				p.warnf("shell variable %s left as literal text", short(text))
			} else {
				p.warnf("shell expansion %s left as literal text", short(text))
			}
			b.WriteString(text)
		}
	}
	return b.String()
}

func posText(pos syntax.Pos) string {
	return fmt.Sprintf("line %d, column %d", pos.Line(), pos.Col())
}

// unescapeBare removes the backslashes of an unquoted word.
func unescapeBare(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unescapeDouble removes the backslashes bash removes inside double quotes.
func unescapeDouble(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// quoteList writes texts as "‘a’, ‘b’".
func quoteList(texts []string) string {
	q := make([]string, len(texts))
	for i, t := range texts {
		q[i] = "‘" + t + "’"
	}
	return strings.Join(q, ", ")
}
