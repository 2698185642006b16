package highlight

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

func text(l Line) string {
	var b strings.Builder
	for _, sp := range l {
		b.WriteString(sp.Text)
	}
	return b.String()
}

func TestDetect(t *testing.T) {
	cases := []struct {
		ctype, body string
		want        Language
	}{
		{"application/json", `{"a":1}`, JSON},
		{"application/vnd.api+json; charset=utf-8", `{}`, JSON},
		{"", ` [1,2]`, JSON},
		{"", `{not json`, Plain},
		{"text/xml", `<a/>`, XML},
		{"", `<?xml version="1.0"?><a/>`, XML},
		{"text/html; charset=utf-8", `<p>`, HTML},
		{"", `<!DOCTYPE html><html></html>`, HTML},
		{"application/x-www-form-urlencoded", `a=1&b=2`, Form},
		{"application/yaml", `a: 1`, YAML},
		{"text/plain", `hello`, Plain},
		{"", ``, Plain},
		{"application/octet-stream", "\x89PNG\r\n\x1a\n\x00\x00", Binary},
		{"text/plain", "caf\xe9", Binary},
	}
	for _, tc := range cases {
		if got := Detect(tc.ctype, []byte(tc.body)); got != tc.want {
			t.Errorf("Detect(%q, %q) = %s, want %s", tc.ctype, tc.body, got, tc.want)
		}
	}
}

func TestRenderPrettyJSONIsHighlighted(t *testing.T) {
	res := Render("application/json", []byte(`{"type":"payment.succeeded","amount":1200,"ok":true}`), true)
	if !res.Pretty || res.Language != JSON || len(res.Lines) != 5 {
		t.Fatalf("got %+v", res)
	}
	if got := text(res.Lines[1]); got != `  "type": "payment.succeeded",` {
		t.Fatalf("line 2 = %q", got)
	}
	kinds := map[chroma.TokenType]bool{}
	for _, l := range res.Lines {
		for _, sp := range l {
			kinds[sp.Type] = true
		}
	}
	if !kinds[chroma.NameTag] || !kinds[chroma.LiteralStringDouble] || !kinds[chroma.LiteralNumberInteger] {
		t.Fatalf("token kinds %v lack keys, strings or numbers", kinds)
	}
}

func TestRenderMalformedJSONIsRawAndPlain(t *testing.T) {
	res := Render("application/json", []byte(`{"a": 1,,}`), true)
	if res.Language != Plain || res.Pretty || !strings.Contains(res.Note, "malformed") {
		t.Fatalf("got %+v", res)
	}
	if len(res.Lines) != 1 || text(res.Lines[0]) != `{"a": 1,,}` {
		t.Fatalf("lines %v", res.Lines)
	}
}

func TestRenderBinaryIsHexDump(t *testing.T) {
	body := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 30)...)
	res := Render("image/png", body, true)
	if res.Language != Binary || res.Note != "binary, 38 bytes" || len(res.Lines) != 3 {
		t.Fatalf("got %+v", res)
	}
	if got := text(res.Lines[0]); !strings.HasPrefix(got, "00000000  89 50 4e 47") || !strings.HasSuffix(got, " .PNG............") {
		t.Fatalf("first hex line %q", got)
	}
}

func TestRenderFormAndXML(t *testing.T) {
	res := Render("application/x-www-form-urlencoded", []byte("a=1&b=x%20y&flag"), true)
	if len(res.Lines) != 1 || text(res.Lines[0]) != "a=1&b=x%20y&flag" || res.Lines[0][0].Type != chroma.NameAttribute {
		t.Fatalf("form: %+v", res.Lines)
	}
	res = Render("application/xml", []byte("<a x=\"1\">\n  <b>t</b>\n</a>"), true)
	if res.Language != XML || len(res.Lines) != 3 || res.Lines[0][0].Type == chroma.Text {
		t.Fatalf("xml: %+v", res.Lines)
	}
}

func TestLongLinesAreCut(t *testing.T) {
	long := `"` + strings.Repeat("é", MaxColumns*3) + `"`
	res := Render("text/plain", []byte(long+"\nshort"), false)
	if len(res.Lines) != 2 {
		t.Fatalf("%d lines", len(res.Lines))
	}
	got := text(res.Lines[0])
	if !strings.HasSuffix(got, CutMarker) || utf8.RuneCountInString(got) != MaxColumns+utf8.RuneCountInString(CutMarker) {
		t.Fatalf("cut line has %d runes", utf8.RuneCountInString(got))
	}
	if !utf8.ValidString(got) {
		t.Fatal("cut split a rune")
	}
}

func TestLargeBodiesAreCappedAndPlain(t *testing.T) {
	big := []byte(`<a>` + strings.Repeat(`<k>v</k>`, MaxHighlight/8+10) + `</a>`)
	res := Render("application/xml", big, false)
	if res.Language != Plain || !strings.Contains(res.Note, "too large") {
		t.Fatalf("xml: got language %s note %q", res.Language, res.Note)
	}
	// JSON has a fast lexer of its own and stays highlighted.
	bigJSON := []byte(`[` + strings.Repeat(`{"k":"v"},`, MaxHighlight/10+10) + `1]`)
	if res := Render("application/json", bigJSON, false); res.Language != JSON || res.Note != "" {
		t.Fatalf("json: got language %s note %q", res.Language, res.Note)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 812: "812 B", 1228: "1.2 KB", 10 << 20: "10.0 MB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPaletteColoursTokens(t *testing.T) {
	for _, dark := range []bool{false, true} {
		p := PaletteFor(dark)
		if p != PaletteFor(dark) {
			t.Fatal("palette not shared")
		}
		if p.Style(chroma.NameTag).Color == nil || p.Style(chroma.LiteralStringDouble).Color == nil {
			t.Fatalf("dark=%v: keys or strings have no colour", dark)
		}
	}
}

// cancelAt is a context that ends when it is asked for the at-th time:
// Err returns nil before, context.Canceled from then on. It counts the
// times it was asked, so a test knows how far the work got.
type cancelAt struct {
	context.Context
	at, asked int
}

func (c *cancelAt) Err() error {
	c.asked++
	if c.at > 0 && c.asked >= c.at {
		return context.Canceled
	}
	return nil
}

// A render asks its context after pretty-printing, before tokenizing,
// every 4096 tokens and at the end; cancelled at any of those, it returns
// the cancellation at once, having tokenized no more than the tokens
// before that check.
func TestRenderContextStopsWhenCancelled(t *testing.T) {
	body := []byte(`[` + strings.Repeat(`{"k":"v","n":[1,2,3]},`, 1500) + `1]`)
	full := &cancelAt{}
	res, err := RenderContext(full, "application/json", body, true, 0)
	if err != nil || len(res.Lines) != 1500*8+3 {
		t.Fatalf("render: %v, %d lines", err, len(res.Lines))
	}
	// Two checks before tokenizing and one at the end: the others are in
	// the middle of tokenizing (the body has some 30,000 tokens).
	if full.asked < 6 {
		t.Fatalf("a whole render asked its context %d times; want checks while tokenizing", full.asked)
	}
	for _, at := range []int{1, 2, 3, full.asked / 2, full.asked - 1, full.asked} {
		ctx := &cancelAt{at: at}
		res, err := RenderContext(ctx, "application/json", body, true, 0)
		if err != context.Canceled || res.Lines != nil {
			t.Errorf("cancelled at check %d of %d: %v, %d lines; want context.Canceled and nothing", at, full.asked, err, len(res.Lines))
		}
		// It stopped at the check that saw the cancellation (asking once
		// more for the error to return), so at most (at-2)×4096 tokens
		// were made: going on to the next check would ask twice more.
		if ctx.asked > at+1 {
			t.Errorf("cancelled at check %d of %d, it went on to ask %d times", at, full.asked, ctx.asked)
		}
	}
}
