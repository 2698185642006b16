package highlight

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// chromaJSONLexer is chroma's regexp JSON lexer, loaded from a verbatim copy
// of chroma v2.27.0's lexers/embedded/json.xml so the reference stays
// chroma's even once JSONLexer is registered in its place.
// TestJSONLexerReferenceIsChroma checks the copy against chroma's own.
var chromaJSONLexer = sync.OnceValue(func() chroma.Lexer {
	return chroma.MustNewXMLLexer(os.DirFS("testdata"), "chroma-json.xml")
})

// jsonTokens drains lexer on text, coalesced or raw.
func jsonTokens(t testing.TB, lexer chroma.Lexer, opts *chroma.TokeniseOptions, text string, coalesce bool) []chroma.Token {
	t.Helper()
	if coalesce {
		lexer = chroma.Coalesce(lexer)
	}
	toks, err := chroma.Tokenise(lexer, opts, text)
	if err != nil {
		t.Fatalf("%s: Tokenise: %v", lexer.Config().Name, err)
	}
	return toks
}

// diffTokens describes the first difference between two token streams.
func diffTokens(want, got []chroma.Token) string {
	for i := range max(len(want), len(got)) {
		var w, g chroma.Token
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			from := max(0, i-3)
			return fmt.Sprintf("token %d of %d/%d: chroma %s %q, fast %s %q\n  chroma context: %v\n  fast context:   %v",
				i, len(want), len(got), w.Type, w.Value, g.Type, g.Value,
				goStrings(want[from:min(len(want), i+2)]), goStrings(got[from:min(len(got), i+2)]))
		}
	}
	return ""
}

func goStrings(toks []chroma.Token) string {
	var b strings.Builder
	for _, tok := range toks {
		b.WriteString(tok.GoString())
		b.WriteByte(' ')
	}
	return b.String()
}

// compareJSONLexers checks that both lexers yield the same coalesced
// stream, and also the same raw stream (stronger: Coalesce merges runs only
// up to 8 KiB, so equal raw streams guarantee equal coalesced ones).
// chroma runs once; its coalesced stream is chroma.Coalesce over its raw one.
func compareJSONLexers(t *testing.T, name string, opts *chroma.TokeniseOptions, text string) {
	t.Helper()
	// chroma's regexp2 gives up on a match after 250 ms of wall time, so
	// on a loaded machine (the race detector, parallel packages) a stalled
	// goroutine makes chroma's own output wrong now and then. A real
	// difference shows every time: look three times before failing.
	var d string
	for range 3 {
		if d = diffJSONLexers(t, opts, text); d == "" {
			return
		}
	}
	in := text
	if len(in) > 200 {
		in = in[:200] + "…"
	}
	t.Errorf("%s (input %q): %s", name, in, d)
}

// diffJSONLexers compares the tokens of both lexers, coalesced and raw.
func diffJSONLexers(t *testing.T, opts *chroma.TokeniseOptions, text string) string {
	t.Helper()
	wantRaw := jsonTokens(t, chromaJSONLexer(), opts, text, false)
	want := jsonTokens(t, replayLexer{chromaJSONLexer(), wantRaw}, opts, text, true)
	got := jsonTokens(t, NewJSONLexer(), opts, text, true)
	if d := diffTokens(want, got); d != "" {
		return d
	}
	if d := diffTokens(wantRaw, jsonTokens(t, NewJSONLexer(), opts, text, false)); d != "" {
		return "(raw) " + d
	}
	return ""
}

// replayLexer replays tokens already lexed.
type replayLexer struct {
	chroma.Lexer
	toks []chroma.Token
}

func (r replayLexer) Tokenise(*chroma.TokeniseOptions, string) (chroma.Iterator, error) {
	return chroma.Literator(r.toks...), nil
}

type jsonCase struct{ name, text string }

// jsonWebhookCorpus returns the testdata payloads with derived forms:
// minified, re-indented, CRLF line ends and truncated prefixes.
func jsonWebhookCorpus(t testing.TB) []jsonCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "webhooks", "*"))
	if err != nil || len(paths) < 10 {
		t.Fatalf("webhook corpus: %d files, %v", len(paths), err)
	}
	var cases []jsonCase
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		s := string(data)
		cases = append(cases,
			jsonCase{name, s},
			jsonCase{name + "/crlf", strings.ReplaceAll(s, "\n", "\r\n")},
			jsonCase{name + "/cr", strings.ReplaceAll(s, "\n", "\r")},
		)
		if json.Valid(data) {
			var compact, pretty bytes.Buffer
			if err := json.Compact(&compact, data); err != nil {
				t.Fatal(err)
			}
			if err := json.Indent(&pretty, data, "", "\t"); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, jsonCase{name + "/min", compact.String()}, jsonCase{name + "/pretty", pretty.String()})
		}
		// Cut anywhere: unterminated strings, numbers and containers.
		for i := 1; i < 12; i++ {
			cut := len(s) * i / 12
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			cases = append(cases, jsonCase{fmt.Sprintf("%s/cut%d", name, cut), s[:cut]})
		}
	}
	return cases
}

func jsonEdgeCases() []jsonCase {
	nest := func(n int, open, close, inner string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	return []jsonCase{
		{"empty", ""},
		{"space", " "},
		{"whitespace only", " \t\r\n\v\f \r\r\n\n"},
		{"unicode spaces", "{\u00a0\"a\"\u2003:\u3000 1\u0085,\u2028\"b\":[\u1680true\u205f]\u202f}"},
		{"empty object", "{}"},
		{"empty array", "[]"},
		{"empty containers spaced", "{ }\n[ ]\n{\n}\n[\n]"},
		{"nested empties", `{"a":{},"b":[],"c":[{}],"d":[[]]}`},
		{"scalars", `true false null 0 "s"`},
		{"keywords glued", `truefalse nullx true_ false1 null- true" nulll tru fals nul`},
		{"keywords unicode boundary", "true\u00e9 false\u200d null\u200c true\u2028 false\u0301 null\u0660 true\u203f true\u00a0 null\U0001F600"},
		{"keyword upper", `TRUE False NULL`},
		{"keyword at end", `[true`},
		{"numbers", `[0, -0, 1, -1, 10, 1e10, 1E-5, -1.5e+3, 1.5E3, 0.5, -0.0e0, 123456789012345678901234567890, 1.7976931348623157e308]`},
		{"bad numbers", `[01, 1., .5, 1e, 1e+, 1.e5, -, --1, -a, +1, 00, 0x1F, 1_000, 1.2.3, 1e5e5, 1ee5, 0e, 0.e1, 5.5.5, -.5, 1.5e, 1.5e-]`},
		{"numbers unicode digits", "[1\u0663, \u0663, 0\u0663, 1.\u0663, 1e\u0663, 1\uff11, 1.5e\u0661\u0662]"},
		{"number at end", `-`},
		{"number at end 2", `1e`},
		{"number at end 3", `[1.`},
		{"strings", `["", "a", "a b", "\"", "\\", "\\\\", "\/", "\b\f\n\r\t", "\u00e9", "\ud83d\ude00", "\uZZZZ", "\x", "\'", "it's"]`},
		{"escaped quotes and backslashes", `{"a\"b": "c\\\"d\\", "e\\": "\\\\\"", "\\\"\\": 1}`},
		{"raw newline in string", "{\"a\": \"line1\nline2\", \"b\": 1}"},
		{"raw tab and NUL in string", "[\"a\tb\x00c\"]"},
		{"unterminated string", `{"a": "abc`},
		{"unterminated key", `{"abc`},
		{"unterminated string before quote", `{"a": "x\", "b": 1`},
		{"unterminated escaped quote at end", `["abc\"`},
		{"escaped last quote", `["a\"b\"c`},
		{"escaped last quote then backslashes", `"a\"\\\\\\`},
		{"odd backslashes", `"\\\"`},
		{"lone quote", `"`},
		{"two quotes", `""`},
		{"three quotes", `"""`},
		{"quote inside key", `{"a"b": 1}`},
		{"deep objects", nest(1000, `{"a":`, `}`, `1`)},
		{"deep arrays", nest(1000, `[`, `]`, `1`)},
		{"deep mixed", nest(500, `{"k":[`, `]}`, `null`)},
		{"deep unclosed", strings.Repeat(`[{"a":`, 300)},
		{"deep over-closed", nest(50, `[`, `]`, ``) + strings.Repeat(`]}`, 20)},
		{"missing commas", `{"a": 1 "b": 2} [1 2 3] ["a" "b"]`},
		{"missing colon", `{"a" 1, "b" "c"}`},
		{"double colon", `{"a":: 1}`},
		{"unquoted keys", `{a: 1, b_c: true}`},
		{"single quotes", `{'a': 'b'}`},
		{"trailing commas", `{"a": 1,} [1, 2,] {"a": [1,],}`},
		{"leading commas", `[,1] {,"a":1}`},
		{"colon in array", `[1: 2]`},
		{"key in array", `["a": 1]`},
		{"object as key", `{{}: 1, []: 2, 1: 3, true: 4}`},
		{"value then key", `{"a": 1, "b", "c": 2}`},
		{"trailing garbage", `{"a": 1} garbage`},
		{"trailing garbage 2", `[1,2]]]}}x`},
		{"two values", `{"a":1}{"b":2}[3]"s"4`},
		{"lone close brace", `}`},
		{"lone close bracket", `]`},
		{"lone punctuation", `: , } ] ,:`},
		{"mismatched close", `{"a": [1}, "b": 2]`},
		{"mismatched close 2", `[{"a": 1]]`},
		{"close brace pops two", `{"a": 1, "b": {"c": 2}} }`},
		{"unicode text", `{"名前": "日本語", "emoji": "😀🎉", "ar": "مرحبا", "mixed": "Ωmega ∑ ≠"}`},
		{"unicode outside strings", `{"a": 1} 日本 😀 é`},
		{"unicode keys unquoted", `{名前: 1}`},
		{"invalid utf8", "{\"a\": \"\xff\xfe\", \"b\xc3\": 1}\xff\x80 \xe2\x82"},
		{"invalid utf8 outside", "\xff{\xc0\xaf\"a\":\xed\xa0\x80}"},
		{"surrogate in utf8", "[\"\xed\xa0\xbd\xed\xb8\x80\"]"},
		{"truncated rune at end", "{\"a\": 1}\xe6\x97"},
		{"NUL bytes", "\x00{\"a\x00\": \x00 1}\x00"},
		{"control chars", "{\x01\"a\":\x1f1\x7f}"},
		{"BOM", "\ufeff{\"a\": 1}"},
		{"line comment", "// header\n{\"a\": 1 // one\n, \"b\": [2, // two\n 3]}\n"},
		{"line comment root only", "// just a comment\n"},
		{"line comment no newline", "{\"a\": 1} // trailing"},
		{"line comment in value", "{\"a\": // c\n 1}"},
		{"line comment everywhere", "[//a\n1//b\n,//c\n{//d\n\"k\"//e\n://f\n2//g\n}//h\n]//i\n"},
		{"line comment crlf", "{\"a\": 1 // c\r\n}"},
		{"line comment cr", "{\"a\": 1 // c\r}"},
		{"many slashes no newline", strings.Repeat("/", 50)},
		{"slashes", "/ /a /* */ ///\n"},
		{"block comment", "/* block */ {\"a\": /* inline */ 1}"},
		{"block comment multiline", "{\n  /*\n   * doc\n   */\n  \"a\": 1\n}"},
		{"hash comment", "# nope\n{}"},
		{"crlf", "{\r\n  \"a\": 1,\r\n  \"b\": [\r\n    true\r\n  ]\r\n}\r\n"},
		{"lone cr", "{\r\"a\":\r1}\r"},
		{"crlf in string", "[\"a\r\nb\", \"c\rd\"]"},
		{"tabs", "{\t\"a\"\t:\t1\t}"},
		{"form feed vtab", "[\f1\v,\v2\f]"},
		{"newline after error in object", "{\"a\": x\n\"b\": 1}"},
		{"newline in error states", "{\n@\n}\n[\n@\n]"},
		{"ndjson", "{\"a\":1}\n{\"b\":2}\n[3]\n"},
		{"json5 like", "{unquoted: 'single', trailing: [1,2,], hex: 0xFF, inf: Infinity, nan: NaN, plus: +1,}"},
		{"jsonc", "{\n  // comment\n  \"a\": 1, /* b */\n}"},
		{"python repr", `{'a': True, 'b': None, 'c': (1, 2)}`},
		{"html", `<html><body>{"a": 1}</body></html>`},
		{"xml", `<?xml version="1.0"?><a b="c">d</a>`},
		{"form", `a=1&b=%7B%22c%22%3A1%7D`},
		{"only punctuation", `{{{{[[[[`},
		{"long string", `["` + strings.Repeat("abc\\\"def\\\\", 2000) + `"]`},
		{"long unterminated string", `["` + strings.Repeat("abc\\\"def\\\\", 2000)},
		{"long whitespace", "[" + strings.Repeat(" \n\t", 5000) + "]"},
		{"long error run", strings.Repeat("@", 10000)},
		{"long error run unicode", strings.Repeat("é", 5000)},
		{"long text run", strings.Repeat(" ", 9000) + "1" + strings.Repeat(" ", 20000)},
	}
}

func TestJSONLexerMatchesChromaWebhooks(t *testing.T) {
	for _, c := range jsonWebhookCorpus(t) {
		compareJSONLexers(t, c.name, nil, c.text)
	}
}

func TestJSONLexerMatchesChromaEdgeCases(t *testing.T) {
	for _, c := range jsonEdgeCases() {
		compareJSONLexers(t, c.name, nil, c.text)
	}
}

// Random sequences of JSON fragments, valid and not: a deterministic,
// grammar-aware complement to FuzzJSONLexer's byte mutations.
func TestJSONLexerMatchesChromaRandom(t *testing.T) {
	frags := []string{
		"{", "}", "[", "]", ",", ":", " ", "\n", "\t", "\v", "\f", "\r\n", "\r", "\u00a0", "\u2028",
		`"`, `\`, `\"`, `\\`, `"a"`, `"k":`, `"\u00e9"`, `"\ud83d\ude00"`, "é", "日本", "😀",
		"true", "false", "null", "tru", "x", "_", "\u200d", "\u0301", "\u0663",
		"0", "-", "1", "23", ".", ".5", "e", "E", "+", "1e5", "-0.5e-3", "01",
		"//", "/", "/*", "*/", "// c\n", "\x00", "\xff", "\xe2\x82", "'", "#",
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(40) {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		s := b.String()
		if slowForRegexp2(s) {
			continue
		}
		compareJSONLexers(t, fmt.Sprintf("random %d", i), nil, s)
	}
}

func TestJSONLexerMatchesChromaOptions(t *testing.T) {
	cases := append(jsonEdgeCases(), jsonCase{"crlf everywhere", "{\r\n\"a\r\n\":\r1}\r\n\r"})
	for _, c := range cases {
		if len(c.text) > 4096 {
			continue
		}
		compareJSONLexers(t, c.name+"/noLF", &chroma.TokeniseOptions{State: "root"}, c.text)
		compareJSONLexers(t, c.name+"/LF", &chroma.TokeniseOptions{State: "root", EnsureLF: true}, c.text)
		compareJSONLexers(t, c.name+"/nested", &chroma.TokeniseOptions{State: "root", EnsureLF: true, Nested: true}, c.text)
	}
}

func TestJSONLexerMatchesChromaStates(t *testing.T) {
	states := []string{"value", "whitespace", "comment", "simplevalue", "objectattribute", "objectvalue", "arrayvalue"}
	for _, c := range jsonEdgeCases() {
		if len(c.text) > 4096 {
			continue
		}
		for _, st := range states {
			opts := &chroma.TokeniseOptions{State: st, EnsureLF: true}
			if chromaPanics(opts, c.text) {
				continue // chroma pops past the stack's bottom
			}
			compareJSONLexers(t, c.name+"/"+st, opts, c.text)
		}
	}
}

func chromaPanics(opts *chroma.TokeniseOptions, text string) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	_, _ = chroma.Tokenise(chromaJSONLexer(), opts, text)
	return false
}

func TestJSONLexerUnknownState(t *testing.T) {
	if _, err := NewJSONLexer().Tokenise(&chroma.TokeniseOptions{State: "nope"}, "{}"); err == nil {
		t.Fatal("unknown state: no error")
	}
	// "" is taken as "root" (chroma would panic).
	got := jsonTokens(t, NewJSONLexer(), &chroma.TokeniseOptions{}, "{}", false)
	want := jsonTokens(t, chromaJSONLexer(), nil, "{}", false)
	if d := diffTokens(want, got); d != "" {
		t.Fatal(d)
	}
}

// Known chroma tokens for a small document, independent of chroma.
func TestJSONLexerTokens(t *testing.T) {
	in := "{\"a\": [1, -2.5e3, true, null, \"s\"], // c\n\"b\": {}} x"
	want := []chroma.Token{
		{Type: chroma.Punctuation, Value: "{"},
		{Type: chroma.NameTag, Value: `"a"`},
		{Type: chroma.Punctuation, Value: ":"},
		{Type: chroma.Text, Value: " "},
		{Type: chroma.Punctuation, Value: "["},
		{Type: chroma.LiteralNumberInteger, Value: "1"},
		{Type: chroma.Punctuation, Value: ","},
		{Type: chroma.Text, Value: " "},
		{Type: chroma.LiteralNumberFloat, Value: "-2.5e3"},
		{Type: chroma.Punctuation, Value: ","},
		{Type: chroma.Text, Value: " "},
		{Type: chroma.KeywordConstant, Value: "true"},
		{Type: chroma.Punctuation, Value: ","},
		{Type: chroma.Text, Value: " "},
		{Type: chroma.KeywordConstant, Value: "null"},
		{Type: chroma.Punctuation, Value: ","},
		{Type: chroma.Text, Value: " "},
		{Type: chroma.LiteralStringDouble, Value: `"s"`},
		{Type: chroma.Punctuation, Value: "],"},
		{Type: chroma.Text, Value: " "},
		{Type: chroma.CommentSingle, Value: "// c\n"},
		{Type: chroma.NameTag, Value: `"b"`},
		{Type: chroma.Punctuation, Value: ":"},
		{Type: chroma.Text, Value: " "},
		{Type: chroma.Punctuation, Value: "{}}"},
		{Type: chroma.Text, Value: " "},
		{Type: chroma.Error, Value: "x"},
	}
	if d := diffTokens(want, jsonTokens(t, NewJSONLexer(), nil, in, true)); d != "" {
		t.Fatal(d)
	}
}

// Token values are substrings of the input, not copies.
func TestJSONLexerNoCopies(t *testing.T) {
	in := `{"a": [1, "two", null]}`
	it, err := NewJSONLexer().Tokenise(nil, in)
	if err != nil {
		t.Fatal(err)
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(in)))
	for tok := it(); tok != chroma.EOF; tok = it() {
		p := uintptr(unsafe.Pointer(unsafe.StringData(tok.Value)))
		if p < base || p >= base+uintptr(len(in)) {
			t.Fatalf("token %q is a copy", tok.Value)
		}
	}
	allocs := testing.AllocsPerRun(20, func() {
		it, _ := NewJSONLexer().Tokenise(nil, in)
		for tok := it(); tok != chroma.EOF; tok = it() {
		}
	})
	if allocs > 4 {
		t.Errorf("%v allocations per tokenisation, want ≤ 4", allocs)
	}
}

// The lexer stays at EOF once there.
func TestJSONLexerEOFSticky(t *testing.T) {
	it, _ := NewJSONLexer().Tokenise(nil, "[1]")
	for tok := it(); tok != chroma.EOF; tok = it() {
	}
	for range 3 {
		if tok := it(); tok != chroma.EOF {
			t.Fatalf("after EOF: %v", tok)
		}
	}
}

func TestJSONLexerConfig(t *testing.T) {
	want := *chromaJSONLexer().Config()
	got := *NewJSONLexer().Config()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("config\n got %+v\nwant %+v", got, want)
	}
	// And the config of the lexer chroma actually registers, unless
	// JSONLexer has taken its place.
	if reg, ok := lexers.Get("json").(*chroma.RegexLexer); ok && !reflect.DeepEqual(*reg.Config(), got) {
		t.Errorf("config\n got %+v\nwant %+v", got, *reg.Config())
	}
}

// The reference copy in testdata is the lexer chroma ships.
func TestJSONLexerReferenceIsChroma(t *testing.T) {
	reg, ok := lexers.Get("json").(*chroma.RegexLexer)
	if !ok {
		t.Skip("chroma's JSON lexer was replaced in the registry")
	}
	want, err := reg.Rules()
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromaJSONLexer().(*chroma.RegexLexer).Rules()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatal("testdata/chroma-json.xml differs from chroma's embedded json.xml")
	}
}

func TestJSONLexerRegistry(t *testing.T) {
	l := NewJSONLexer()
	if l.AnalyseText("{}") != 0 {
		t.Error("AnalyseText without analyser")
	}
	if l.SetAnalyser(func(string) float32 { return 0.5 }) != l || l.AnalyseText("{}") != 0.5 {
		t.Error("SetAnalyser")
	}
	reg := chroma.NewLexerRegistry()
	reg.Register(l)
	for _, name := range []string{"json", "JSON", "jsonl"} {
		if reg.Get(name) != l {
			t.Errorf("registry Get(%q)", name)
		}
	}
	if reg.Match("event.json") != l || reg.MatchMimeType("application/json") != l {
		t.Error("registry Match")
	}
}

func FuzzJSONLexer(f *testing.F) {
	for _, c := range jsonEdgeCases() {
		if len(c.text) <= 4096 {
			f.Add(c.text)
		}
	}
	for _, c := range jsonWebhookCorpus(f) {
		if !strings.Contains(c.name, "/") { // the files as they are
			f.Add(c.text)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 8192 || slowForRegexp2(s) {
			t.Skip()
		}
		compareJSONLexers(t, "fuzz", nil, s)
		compareJSONLexers(t, "fuzz/noLF", &chroma.TokeniseOptions{State: "root"}, s)
	})
}

// slowForRegexp2 reports text on which chroma's string pattern may
// backtrack long enough to hit regexp2's 250 ms match timeout, after which
// chroma gives up on the string and its output depends on the clock (see
// TestJSONLexerRegexp2Timeout). The pattern then tries every way to split
// the runs of backslashes after the text's last quote into "\\" and "\",
// each time rescanning the rest of the text.
func slowForRegexp2(s string) bool {
	last := strings.LastIndexByte(s, '"')
	if last < 0 {
		return false
	}
	// A run of n backslashes splits Fib(n+1) ways.
	fib := func(n int) float64 {
		a, b := 1.0, 1.0
		for range n {
			a, b = b, a+b
		}
		return a
	}
	ways, run := 1.0, 0
	for i := last + 1; i <= len(s); i++ {
		if i < len(s) && s[i] == '\\' {
			run++
			continue
		}
		ways *= fib(run)
		run = 0
	}
	return ways*float64(len(s)-last) > 1e5
}

// Where chroma's regexp matching times out, chroma's tokens depend on the
// clock; JSONLexer yields what chroma yields given time. An unterminated
// string whose only later quote is escaped, followed by many backslashes:
func TestJSONLexerRegexp2Timeout(t *testing.T) {
	in := `"\"` + strings.Repeat(`\`, 40)
	if !slowForRegexp2(in) {
		t.Error("slowForRegexp2 misses it")
	}
	want := []chroma.Token{
		{Type: chroma.LiteralStringDouble, Value: `"\"`},
		{Type: chroma.Error, Value: strings.Repeat(`\`, 40)},
	}
	if d := diffTokens(want, jsonTokens(t, NewJSONLexer(), nil, in, true)); d != "" {
		t.Fatal(d)
	}
	// chroma, after about 1 s, gives the whole text as Error tokens.
}
