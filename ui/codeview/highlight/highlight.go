// Package highlight turns a body into lines of typed spans for the code
// view: it picks a language, pretty-prints JSON, tokenizes with chroma and
// renders binary bodies as a hex dump. It knows nothing of Fyne, so the
// heavy work runs (and is tested) off the UI goroutine.
package highlight

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// Language names the highlighter used for a body.
type Language string

// Languages the code view knows by name; any other chroma lexer name works too.
const (
	Plain  Language = "plaintext"
	JSON   Language = "json"
	XML    Language = "xml"
	HTML   Language = "html"
	YAML   Language = "yaml"
	JS     Language = "javascript"
	GQL    Language = "graphql"
	Form   Language = "form"
	Binary Language = "binary"
)

// Limits keep the view responsive whatever arrives.
const (
	// MaxColumns cuts longer lines; the cut is marked with CutMarker.
	MaxColumns = 1000
	// MaxHighlight is the largest text tokenized with chroma's regexp
	// lexers (~1 s per MB); beyond it the text is shown plain. JSON has a
	// lexer of its own (~5 ms per MB) and is highlighted up to MaxShown.
	MaxHighlight = 512 << 10
	// MaxShown is the most text placed in the view by default; the view
	// offers the rest.
	MaxShown = 10 << 20
	// HexPreview is how many bytes of a binary body the hex dump shows
	// (4,096 rows); Save has the rest.
	HexPreview = 64 << 10
)

// CutMarker ends a line cut at MaxColumns.
const CutMarker = " … [line cut]"

// Span is a run of text of one token type.
type Span struct {
	Text string
	Type chroma.TokenType
}

// Line is one line of the view; it never contains a newline.
type Line []Span

// Result is a body ready for the view.
type Result struct {
	Lines    []Line
	Language Language
	Pretty   bool // JSON or XML was re-indented
	// CanPretty says whether the pretty flag changes how the body shows
	// (valid JSON, or XML), so the view knows without parsing it again.
	CanPretty bool
	Note      string // shown above the body: why it is plain or binary
	// Shown and Total are set when the text was cut at the limit: how
	// many bytes are in Lines, and how many there were.
	Shown, Total int
}

// Detect picks the language from the Content-Type, then by sniffing.
func Detect(contentType string, body []byte) Language {
	if IsBinary(body) {
		return Binary
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "application/x-ndjson":
		return JSON
	case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
		return XML
	case mt == "text/html":
		return HTML
	case mt == "application/x-www-form-urlencoded":
		return Form
	case strings.Contains(mt, "yaml"):
		return YAML
	case mt == "application/javascript" || mt == "text/javascript":
		return JS
	case mt == "application/graphql":
		return GQL
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return Plain
	case (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed):
		return JSON
	case bytes.HasPrefix(trimmed, []byte("<?xml")):
		return XML
	case hasPrefixFold(trimmed, "<!doctype html") || hasPrefixFold(trimmed, "<html"):
		return HTML
	case trimmed[0] == '<':
		return XML
	}
	return Plain
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

// IsBinary reports whether body is not text: invalid UTF-8, or NUL bytes
// or other control characters a text body would not carry.
func IsBinary(body []byte) bool {
	sample := body
	if len(sample) > 8192 {
		sample = sample[:8192]
		// Do not judge a multi-byte rune cut at the sample's end.
		for i := 0; i < utf8.UTFMax && len(sample) > 0 && !utf8.Valid(sample); i++ {
			sample = sample[:len(sample)-1]
		}
	}
	if !utf8.Valid(sample) {
		return true
	}
	for _, c := range sample {
		if c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
			return true
		}
	}
	return len(body) > len(sample) && !utf8.Valid(body)
}

// Render prepares body for the view: binary bodies become a hex dump,
// JSON is pretty-printed when pretty is set and the body is valid, and
// text is tokenized. Malformed JSON is shown raw and unhighlighted.
// Text beyond MaxShown is cut (see RenderLimit).
func Render(contentType string, body []byte, pretty bool) Result {
	return RenderLimit(contentType, body, pretty, MaxShown)
}

// RenderLimit is Render showing at most limit bytes of text; limit ≤ 0
// shows everything.
func RenderLimit(contentType string, body []byte, pretty bool, limit int) Result {
	res, _ := RenderContext(context.Background(), contentType, body, pretty, limit)
	return res
}

// RenderContext is RenderLimit that gives up, returning ctx's error, as
// soon as ctx ends: the user selected another capture meanwhile.
func RenderContext(ctx context.Context, contentType string, body []byte, pretty bool, limit int) (Result, error) {
	lang := Detect(contentType, body)
	if lang == Binary {
		return Result{Lines: HexDump(body, HexPreview), Language: Binary,
			Note: fmt.Sprintf("binary, %d bytes", len(body))}, nil
	}
	res := Result{Language: lang, CanPretty: lang == JSON || lang == XML}
	text := body
	switch {
	case lang == JSON && !json.Valid(body):
		res.CanPretty = false
		res.Note = "malformed JSON: shown raw"
		res.Language = Plain
	case lang == JSON && pretty:
		var buf bytes.Buffer
		if err := json.Indent(&buf, body, "", "  "); err == nil {
			text, res.Pretty = buf.Bytes(), true
		}
	case lang == XML && pretty:
		if p, err := PrettyXML(body); err == nil {
			text, res.Pretty = p, true
		} else {
			res.Note = "malformed XML, shown as it came: " + err.Error()
		}
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err // pretty-printing a big body took a while
	}
	if limit > 0 && len(text) > limit {
		for limit > 0 && !utf8.RuneStart(text[limit]) {
			limit-- // never cut a character in two
		}
		res.Shown, res.Total = limit, len(text)
		text = text[:limit]
	}
	if len(text) > MaxHighlight && res.Language != Plain && res.Language != JSON {
		res.Note = joinNote(res.Note, "too large to highlight")
		res.Language = Plain
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	lines, err := tokenize(ctx, res.Language, string(text))
	if err != nil {
		return Result{}, err
	}
	res.Lines = lines
	return res, nil
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// Tokenize splits text into lines of typed spans using chroma's lexer for
// lang (a form tokenizer for Form); unknown languages come back plain.
func Tokenize(lang Language, text string) []Line {
	lines, _ := tokenize(context.Background(), lang, text)
	return lines
}

// tokenize is Tokenize that stops when ctx ends.
func tokenize(ctx context.Context, lang Language, text string) ([]Line, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if lang == Form {
		return cutLines(splitLines(formTokens(text))), nil
	}
	lexer := lexers.Get(string(lang))
	if lang == JSON {
		lexer = jsonLexer // same tokens as chroma's JSON lexer, ~200× faster
	}
	if lang == Plain || lexer == nil {
		return cutLines(splitLines([]Span{{Text: text, Type: chroma.Text}})), nil
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, text)
	if err != nil {
		return cutLines(splitLines([]Span{{Text: text, Type: chroma.Text}})), nil
	}
	// Tokens of indented JSON average 6–10 bytes: room for most bodies
	// at once spares copying (and collecting) a growing slice.
	spans := make([]Span, 0, len(text)/8+16)
	for tok := it(); tok != chroma.EOF; tok = it() {
		spans = append(spans, Span{Text: tok.Value, Type: tok.Type})
		if len(spans)%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return cutLines(splitLines(spans)), nil
}

// jsonLexer replaces chroma's regexp JSON lexer (see JSONLexer).
var jsonLexer = NewJSONLexer()

// formTokens highlights a urlencoded body: names, "=", values and "&".
func formTokens(text string) []Span {
	var spans []Span
	for i, pair := range strings.Split(text, "&") {
		if i > 0 {
			spans = append(spans, Span{"&", chroma.Punctuation})
		}
		name, value, hasValue := strings.Cut(pair, "=")
		spans = append(spans, Span{name, chroma.NameAttribute})
		if hasValue {
			spans = append(spans, Span{"=", chroma.Operator}, Span{value, chroma.LiteralString})
		}
	}
	return spans
}

func splitLines(spans []Span) []Line {
	// Count first, so one array holds the spans of every line: a 10 MiB
	// body has ~300,000 lines, and one allocation per line adds up.
	pieces, newlines := 0, 0
	for _, sp := range spans {
		n := strings.Count(sp.Text, "\n")
		newlines += n
		pieces += n + 1
	}
	pool := make([]Span, 0, pieces)
	lines := make([]Line, 0, newlines+1)
	start := 0
	for _, sp := range spans {
		text := sp.Text
		for {
			i := strings.IndexByte(text, '\n')
			part := text
			if i >= 0 {
				part = text[:i]
			}
			if part != "" {
				pool = append(pool, Span{part, sp.Type})
			}
			if i < 0 {
				break
			}
			// Full slice expressions: cutLines appends to a line, which
			// must not run into the next one.
			lines = append(lines, Line(pool[start:len(pool):len(pool)]))
			start = len(pool)
			text = text[i+1:]
		}
	}
	lines = append(lines, Line(pool[start:len(pool):len(pool)]))
	if len(lines) > 1 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1] // a final newline ends a line, starts none
	}
	return lines
}

// cutLines shortens lines longer than MaxColumns runes, so a minified
// body never makes a grid thousands of columns wide.
func cutLines(lines []Line) []Line {
	for i, line := range lines {
		cols := 0
		for j, sp := range line {
			n := utf8.RuneCountInString(sp.Text)
			if cols+n <= MaxColumns {
				cols += n
				continue
			}
			keep := MaxColumns - cols
			cut := line[:j:j]
			if keep > 0 {
				cut = append(cut, Span{string([]rune(sp.Text)[:keep]), sp.Type})
			}
			lines[i] = append(cut, Span{CutMarker, chroma.Comment})
			break
		}
	}
	return lines
}

// HexDump renders up to max bytes as "offset  hex  |ascii|" lines.
func HexDump(body []byte, max int) []Line {
	shown := body
	if len(shown) > max {
		shown = shown[:max]
	}
	lines := make([]Line, 0, len(shown)/16+2)
	for off := 0; off < len(shown); off += 16 {
		row := shown[off:min(off+16, len(shown))]
		var hex, ascii strings.Builder
		for i := range 16 {
			if i == 8 {
				hex.WriteByte(' ')
			}
			if i < len(row) {
				fmt.Fprintf(&hex, "%02x ", row[i])
			} else {
				hex.WriteString("   ")
			}
		}
		for _, c := range row {
			if c >= 0x20 && c < 0x7f {
				ascii.WriteByte(c)
			} else {
				ascii.WriteByte('.')
			}
		}
		lines = append(lines, Line{
			{fmt.Sprintf("%08x  ", off), chroma.LiteralNumber},
			{hex.String(), chroma.Text},
			{" " + ascii.String(), chroma.LiteralString},
		})
	}
	if len(body) > len(shown) {
		lines = append(lines, Line{{fmt.Sprintf("… %d more bytes", len(body)-len(shown)), chroma.Comment}})
	}
	return lines
}

// FormatSize renders a byte count for people: "0 B", "812 B", "1.2 KB", "10.0 MB".
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
