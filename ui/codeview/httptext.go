package codeview

import (
	"fmt"

	"github.com/alecthomas/chroma/v2"

	"hooklab/ui/codeview/highlight"
	"hooklab/ui/widgets"
)

// maxRawBody is how much of the body a raw view shows after the head.
const maxRawBody = 64 << 10

// RawBodyLines renders a body under an HTTP head: text up to maxRawBody,
// binary as a note.
func RawBodyLines(body []byte) []highlight.Line {
	switch {
	case len(body) == 0:
		return nil
	case highlight.IsBinary(body):
		return []highlight.Line{{{Text: fmt.Sprintf("[binary body, %d bytes: see the Body tab]", len(body)), Type: chroma.Comment}}}
	}
	text, cut := string(body), ""
	if len(text) > maxRawBody {
		text, cut = text[:maxRawBody], fmt.Sprintf("[… %d more bytes: see the Body tab]", len(body)-maxRawBody)
	}
	lines := highlight.Tokenize(highlight.Plain, text)
	if cut != "" {
		lines = append(lines, highlight.Line{{Text: cut, Type: chroma.Comment}})
	}
	return lines
}

// HeaderLines renders header fields as HTTP text, in the order given.
func HeaderLines(pairs []widgets.Pair) []highlight.Line {
	lines := make([]highlight.Line, len(pairs))
	for i, p := range pairs {
		lines[i] = fieldLine(p.Name, ": ", p.Value)
	}
	return lines
}

func fieldLine(name, sep, value string) highlight.Line {
	return highlight.Line{{Text: name, Type: chroma.NameAttribute}, {Text: sep, Type: chroma.Punctuation}, {Text: value, Type: chroma.LiteralString}}
}
