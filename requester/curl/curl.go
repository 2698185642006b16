// Package curl imports requests from cURL command lines and exports them as
// cURL commands.
//
// Parse reads what people paste: API documentation in bash style (quotes,
// $'…' strings, backslash continuations, a leading "$ " prompt), browser
// "Copy as cURL" output for bash and for Windows cmd (^ continuations, ^"
// quoting), and curl.exe lines. It follows curl's own rules for options and
// data, and reports in warnings what it had to leave out.
//
// Generate writes one option per line, single-quoted for POSIX shells. It
// includes secrets (passwords, tokens) as they are: the user asked for a copy.
package curl

import (
	"fmt"
	"strings"

	"hooklab/requester"
)

// SyntaxError reports a command that cannot be split into words, such as an
// unterminated quote. Line and Col (in bytes) start at 1.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// parser collects what one Parse call learns from the arguments.
type parser struct {
	warnings []string
	seen     map[string]bool

	urls       []string
	unknown    bool     // the last option was unknown
	guesses    []string // words after unknown options: their values, or URLs
	method     string   // -X
	head       bool     // -I
	get        bool     // -G
	globoff    bool     // -g: {} and [] in URLs are literal
	compressed bool     // --compressed
	follow     bool     // -L
	headers    []requester.Header
	cookie     int // index in headers of the row -b writes to, or -1
	data       []piece
	parts      []requester.Part
	upload     string   // -T
	query      []string // --url-query pieces, encoded
	auth       requester.Auth
	digest     bool // --digest: -u is for digest auth
	maxRedirs  int  // --max-redirs; -1 means no limit
	opts       requester.Options
	done       bool // --next: later arguments belong to another request
}

// warnf records a warning once.
func (p *parser) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if !p.seen[msg] {
		p.seen[msg] = true
		p.warnings = append(p.warnings, msg)
	}
}

// short cuts s for a warning.
func short(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
