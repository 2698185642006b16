package highlight

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// JSONLexer is a chroma.Lexer for JSON that yields the same tokens as
// chroma's regexp JSON lexer (lexers/embedded/json.xml in chroma v2.27.0),
// token for token, for any input, valid or not, but about two orders of
// magnitude faster. Token values are substrings of the text (of its
// normalised copy when EOLs must be converted or the text is not valid
// UTF-8), so lexing allocates next to nothing.
//
// The state machine mirrors json.xml:
//
//	root, value:      whitespace, simplevalue, comment, "{" push objectvalue, "[" push arrayvalue
//	objectvalue:      whitespace, comment, string → NameTag push objectattribute, "}" pop 1
//	objectattribute:  value, ":", "," pop 1, "}" pop 2
//	arrayvalue:       whitespace, value, comment, ",", "]" pop 1
//	simplevalue:      (true|false|null)\b, float, integer, string
//	whitespace:       \s+            comment: //.*?\n
//
// and the regexp2 semantics chroma runs them with: \s is unicode.IsSpace,
// \d is any Unicode decimal digit (Nd), \b uses regexp2's word characters
// (L, Mn, Nd, Pc, ZWNJ, ZWJ), and the backtracking string pattern
// "(\\\\|\\"|[^"])*" which, when no unescaped quote closes a string, still
// matches up to the text's last quote by taking its escaping backslash alone.
// Text no rule matches becomes one Error token per rune, as in chroma.
//
// Use a *JSONLexer (NewJSONLexer); the zero value is ready to use.
type JSONLexer struct {
	registry *chroma.LexerRegistry
	analyser func(text string) float32
}

var _ chroma.Lexer = (*JSONLexer)(nil)

// NewJSONLexer returns a fast JSON lexer, a drop-in for lexers.Get("json").
func NewJSONLexer() chroma.Lexer { return &JSONLexer{} }

// Config describes the lexer exactly as chroma's JSON lexer does.
func (l *JSONLexer) Config() *chroma.Config {
	return &chroma.Config{
		Name:         "JSON",
		Aliases:      []string{"json", "jsonl"},
		Filenames:    []string{"*.json", "*.jsonl", "*.jsonc", "*.json5", "*.avsc", ".luaurc"},
		MimeTypes:    []string{"application/json", "application/jsonl"},
		DotAll:       true,
		NotMultiline: true,
	}
}

// SetRegistry records the registry the lexer belongs to; JSON needs no
// other lexer, so it is only kept for symmetry with chroma's lexers.
func (l *JSONLexer) SetRegistry(registry *chroma.LexerRegistry) chroma.Lexer {
	l.registry = registry
	return l
}

// SetAnalyser sets the function AnalyseText uses.
func (l *JSONLexer) SetAnalyser(analyser func(text string) float32) chroma.Lexer {
	l.analyser = analyser
	return l
}

// AnalyseText scores text with the analyser set by SetAnalyser, 0 without
// one (chroma's JSON lexer has none).
func (l *JSONLexer) AnalyseText(text string) float32 {
	if l.analyser != nil {
		return l.analyser(text)
	}
	return 0
}

// Tokenise returns a lazy iterator over the tokens of text. Options work as
// for chroma's lexers: nil means state "root" with EnsureLF (CRLF and CR
// become LF); State may name any state of json.xml ("" means "root").
func (l *JSONLexer) Tokenise(options *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	state, ensureLF := "root", true
	if options != nil {
		state, ensureLF = options.State, options.EnsureLF
	}
	if state == "" {
		state = "root"
	}
	st, ok := jsonStateByName[state]
	if !ok {
		return nil, fmt.Errorf("json lexer: unknown state %q", state)
	}
	if ensureLF && strings.IndexByte(text, '\r') >= 0 {
		text = jsonEnsureLF(text)
	}
	if !utf8.ValidString(text) {
		// chroma lexes []rune(text): each invalid byte is one U+FFFD.
		text = jsonValidUTF8(text)
	}
	it := &jsonIter{
		text:      text,
		stack:     append(make([]jsonState, 0, 16), st),
		init:      st,
		lastQuote: strings.LastIndexByte(text, '"'),
		newline:   -1,
	}
	return it.next, nil
}

type jsonState uint8

const (
	jsonRoot jsonState = iota
	jsonValue
	jsonWhitespace
	jsonComment
	jsonSimpleValue
	jsonObjectAttribute
	jsonObjectValue
	jsonArrayValue
)

var jsonStateByName = map[string]jsonState{
	"root":            jsonRoot,
	"value":           jsonValue,
	"whitespace":      jsonWhitespace,
	"comment":         jsonComment,
	"simplevalue":     jsonSimpleValue,
	"objectattribute": jsonObjectAttribute,
	"objectvalue":     jsonObjectValue,
	"arrayvalue":      jsonArrayValue,
}

// Rule families a state has (after json.xml's includes are expanded). Each
// family starts with its own characters, so the order of rules matters only
// between float and integer, which always come together in that order.
const (
	ruleSpace     = 1 << iota // \s+ → Text
	ruleComment               // //.*?\n → CommentSingle
	ruleSimple                // keywords, numbers, string → LiteralStringDouble
	ruleOpen                  // { push objectvalue, [ push arrayvalue
	ruleKey                   // string → NameTag, push objectattribute
	ruleColon                 // : → Punctuation
	ruleCommaPop              // , → Punctuation, pop 1
	ruleComma                 // , → Punctuation
	ruleCloseObj1             // } → Punctuation, pop 1
	ruleCloseObj2             // } → Punctuation, pop 2
	ruleCloseArr              // ] → Punctuation, pop 1
)

var jsonStateRules = [...]uint16{
	jsonRoot:            ruleSpace | ruleSimple | ruleComment | ruleOpen,
	jsonValue:           ruleSpace | ruleSimple | ruleComment | ruleOpen,
	jsonWhitespace:      ruleSpace,
	jsonComment:         ruleComment,
	jsonSimpleValue:     ruleSimple,
	jsonObjectAttribute: ruleSpace | ruleSimple | ruleComment | ruleOpen | ruleColon | ruleCommaPop | ruleCloseObj2,
	jsonObjectValue:     ruleSpace | ruleComment | ruleKey | ruleCloseObj1,
	jsonArrayValue:      ruleSpace | ruleSimple | ruleComment | ruleOpen | ruleComma | ruleCloseArr,
}

type jsonIter struct {
	text      string
	pos       int
	stack     []jsonState
	init      jsonState
	lastQuote int // index of the text's last '"', -1 if none
	newline   int // index of a '\n' at or after the last comment start; len(text) if none; -1 unknown
}

// next mirrors chroma's LexerState.Iterator: match the top state's rules at
// pos, emit one token per match, one Error token per unmatched rune, and
// when the stack runs empty the rest of the text as a single Error token.
func (it *jsonIter) next() chroma.Token {
	t := it.text
	for it.pos < len(t) && len(it.stack) > 0 {
		st := it.stack[len(it.stack)-1]
		rules := jsonStateRules[st]
		p := it.pos
		c := t[p]
		n := 0
		var typ chroma.TokenType
		push, pop := jsonState(0), 0
		hasPush := false
		switch c {
		case '"':
			if rules&(ruleSimple|ruleKey) != 0 {
				if n = it.stringLen(p); n > 0 {
					if rules&ruleKey != 0 {
						typ, push, hasPush = chroma.NameTag, jsonObjectAttribute, true
					} else {
						typ = chroma.LiteralStringDouble
					}
				}
			}
		case '{':
			if rules&ruleOpen != 0 {
				n, typ, push, hasPush = 1, chroma.Punctuation, jsonObjectValue, true
			}
		case '[':
			if rules&ruleOpen != 0 {
				n, typ, push, hasPush = 1, chroma.Punctuation, jsonArrayValue, true
			}
		case '}':
			if rules&ruleCloseObj1 != 0 {
				n, typ, pop = 1, chroma.Punctuation, 1
			} else if rules&ruleCloseObj2 != 0 {
				n, typ, pop = 1, chroma.Punctuation, 2
			}
		case ']':
			if rules&ruleCloseArr != 0 {
				n, typ, pop = 1, chroma.Punctuation, 1
			}
		case ',':
			if rules&ruleCommaPop != 0 {
				n, typ, pop = 1, chroma.Punctuation, 1
			} else if rules&ruleComma != 0 {
				n, typ = 1, chroma.Punctuation
			}
		case ':':
			if rules&ruleColon != 0 {
				n, typ = 1, chroma.Punctuation
			}
		case '/':
			if rules&ruleComment != 0 {
				n, typ = it.commentLen(p), chroma.CommentSingle
			}
		case 't', 'f', 'n':
			if rules&ruleSimple != 0 {
				n, typ = keywordLen(t, p), chroma.KeywordConstant
			}
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			if rules&ruleSimple != 0 {
				var float bool
				n, float = numberLen(t, p)
				typ = chroma.LiteralNumberInteger
				if float {
					typ = chroma.LiteralNumberFloat
				}
			}
		default:
			if rules&ruleSpace != 0 {
				n, typ = spaceLen(t, p), chroma.Text
			}
		}
		if n == 0 {
			// chroma (after Pygments): an unmatched newline outside the
			// initial state resets the stack. Every state that can be
			// pushed matches \s, so this never fires; kept for fidelity.
			if c == '\n' && st != it.init {
				it.stack = append(it.stack[:0], it.init)
				continue
			}
			size := 1
			if c >= utf8.RuneSelf {
				_, size = utf8.DecodeRuneInString(t[p:])
			}
			it.pos += size
			return chroma.Token{Type: chroma.Error, Value: t[p : p+size]}
		}
		it.pos += n
		switch {
		case hasPush:
			it.stack = append(it.stack, push)
		case pop > 0:
			// chroma panics popping past the bottom (only possible when
			// starting in objectattribute); empty the stack instead.
			it.stack = it.stack[:max(0, len(it.stack)-pop)]
		}
		return chroma.Token{Type: typ, Value: t[p : p+n]}
	}
	if it.pos < len(t) {
		v := t[it.pos:]
		it.pos = len(t)
		return chroma.Token{Type: chroma.Error, Value: v}
	}
	return chroma.EOF
}

// stringLen matches "(\\\\|\\"|[^"])*" at p (t[p] == '"') and returns the
// match length, 0 for no match. Escape-aware scanning finds the closing
// quote; where there is none, regexp2 backtracks and the match ends at the
// text's last quote, whose escaping backslash then counts as a plain char.
// With no quote after p there is no match.
func (it *jsonIter) stringLen(p int) int {
	t, last := it.text, it.lastQuote
	if last <= p {
		return 0
	}
	for i := p + 1; i < len(t); {
		switch t[i] {
		case '"':
			return i + 1 - p
		case '\\':
			if i+1 < len(t) {
				switch t[i+1] {
				case '\\':
					i += 2
					continue
				case '"':
					if i+1 == last {
						return i + 2 - p
					}
					i += 2
					continue
				}
			}
			i++
		default:
			// Skip to the next quote or backslash.
			j := i + 1
			for j < len(t) && t[j] != '"' && t[j] != '\\' {
				j++
			}
			i = j
		}
	}
	return 0 // unreachable: a quote follows p
}

// commentLen matches //.*?\n (dot matches newlines) at p.
func (it *jsonIter) commentLen(p int) int {
	t := it.text
	if p+1 >= len(t) || t[p+1] != '/' {
		return 0
	}
	if it.newline < p+2 {
		if i := strings.IndexByte(t[p+2:], '\n'); i >= 0 {
			it.newline = p + 2 + i
		} else {
			it.newline = len(t)
		}
	}
	if it.newline == len(t) {
		return 0
	}
	return it.newline + 1 - p
}

// keywordLen matches (true|false|null)\b at p.
func keywordLen(t string, p int) int {
	rest := t[p:]
	var n int
	switch {
	case strings.HasPrefix(rest, "true"), strings.HasPrefix(rest, "null"):
		n = 4
	case strings.HasPrefix(rest, "false"):
		n = 5
	default:
		return 0
	}
	// The keyword ends with a word character, so \b needs a non-word one.
	if p+n < len(t) && isWordAt(t, p+n) {
		return 0
	}
	return n
}

// isWordAt reports whether the rune at i is a regexp2 word character.
func isWordAt(t string, i int) bool {
	c := t[i]
	if c < utf8.RuneSelf {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	return r == '\u200C' || r == '\u200D' ||
		unicode.In(r, unicode.L, unicode.Mn, unicode.Nd, unicode.Pc)
}

// numberLen matches, at p, the float rule
//
//	-?(0|[1-9]\d*)(\.\d+[eE](\+|-)?\d+|[eE](\+|-)?\d+|\.\d+)
//
// or else the integer rule -?(0|[1-9]\d*), reporting which one matched.
func numberLen(t string, p int) (n int, float bool) {
	i := p
	if t[i] == '-' {
		i++
		if i >= len(t) {
			return 0, false
		}
	}
	switch c := t[i]; {
	case c == '0':
		i++
	case '1' <= c && c <= '9':
		i = skipDigits(t, i+1)
	default:
		return 0, false
	}
	if i < len(t) && t[i] == '.' {
		if j := skipDigits(t, i+1); j > i+1 {
			return j + exponentLen(t, j) - p, true
		}
	}
	if e := exponentLen(t, i); e > 0 {
		return i + e - p, true
	}
	return i - p, false
}

// exponentLen matches [eE](\+|-)?\d+ at i.
func exponentLen(t string, i int) int {
	if i >= len(t) || t[i] != 'e' && t[i] != 'E' {
		return 0
	}
	j := i + 1
	if j < len(t) && (t[j] == '+' || t[j] == '-') {
		j++
	}
	k := skipDigits(t, j)
	if k == j {
		return 0
	}
	return k - i
}

// skipDigits skips \d* (Unicode decimal digits) from i.
func skipDigits(t string, i int) int {
	for i < len(t) {
		c := t[i]
		if '0' <= c && c <= '9' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, size := utf8.DecodeRuneInString(t[i:])
		if !unicode.Is(unicode.Nd, r) {
			break
		}
		i += size
	}
	return i
}

// spaceLen matches \s+ (unicode.IsSpace) at p.
func spaceLen(t string, p int) int {
	i := p
	for i < len(t) {
		c := t[i]
		if c < utf8.RuneSelf {
			if c == ' ' || '\t' <= c && c <= '\r' {
				i++
				continue
			}
			break
		}
		r, size := utf8.DecodeRuneInString(t[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i - p
}

// jsonEnsureLF converts CRLF and lone CR to LF, as chroma's EnsureLF does.
func jsonEnsureLF(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for {
		i := strings.IndexByte(text, '\r')
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		b.WriteByte('\n')
		if i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
	}
}

// jsonValidUTF8 replaces each byte of an invalid UTF-8 sequence with
// U+FFFD, as string([]rune(text)) does.
func jsonValidUTF8(text string) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/2)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(text[i : i+size])
		}
		i += size
	}
	return b.String()
}
