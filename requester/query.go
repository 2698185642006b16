package requester

import "strings"

// The query of a URL is kept as the user wrote it: parameter order,
// duplicates and percent-encoding are what the server sees. The params table
// of the editor is a view of that query; these helpers keep the two in sync.

// splitURL cuts rawURL into what precedes the query, the query (without its
// "?"), and the fragment (with its "#"). hasQuery reports a "?" before the
// fragment, even with nothing after it.
func splitURL(rawURL string) (base, query, fragment string, hasQuery bool) {
	base = rawURL
	if i := strings.IndexByte(base, '#'); i >= 0 {
		base, fragment = base[:i], base[i:]
	}
	base, query, hasQuery = strings.Cut(base, "?")
	return base, query, fragment, hasQuery
}

// ParamsFromURL returns the query parameters of rawURL in order, duplicates
// included, names and values as typed (not decoded). A parameter without "="
// has an empty Value; empty pieces ("a=1&&b=2") are skipped. rawURL may hold
// {{variables}}; it is not parsed as a URL.
func ParamsFromURL(rawURL string) []Param {
	_, query, _, _ := splitURL(rawURL)
	var params []Param
	for piece := range strings.SplitSeq(query, "&") {
		if piece == "" {
			continue
		}
		name, value, _ := strings.Cut(piece, "=")
		params = append(params, Param{Name: name, Value: value})
	}
	return params
}

// URLWithParams returns rawURL with its query rebuilt from the enabled rows of
// params, in order, as "name=value" ("name" alone when the value is empty).
// Rows with neither name nor value are skipped. Names and values are written
// as typed, except that "&" and "#" (and "=" in a name) are percent-encoded
// so that a row stays one parameter. A row that rawURL's query already holds
// keeps its spelling there, so an untouched "a=" stays "a=" while another row
// is edited. The fragment is kept; the "?" goes when no row is left.
func URLWithParams(rawURL string, params []Param) string {
	base, query, fragment, _ := splitURL(rawURL)
	// The pieces of the old query, by the row each one reads as.
	old := map[Param][]string{}
	for piece := range strings.SplitSeq(query, "&") {
		if piece == "" {
			continue
		}
		name, value, _ := strings.Cut(piece, "=")
		k := Param{Name: name, Value: value}
		old[k] = append(old[k], piece)
	}
	var pieces []string
	for _, p := range params {
		if p.Disabled || p.Name == "" && p.Value == "" {
			continue
		}
		if k := (Param{Name: p.Name, Value: p.Value}); len(old[k]) > 0 {
			pieces = append(pieces, old[k][0])
			old[k] = old[k][1:]
			continue
		}
		piece := escapeParam(p.Name, true)
		if p.Value != "" {
			piece += "=" + escapeParam(p.Value, false)
		}
		pieces = append(pieces, piece)
	}
	if len(pieces) == 0 {
		return base + fragment
	}
	return base + "?" + strings.Join(pieces, "&") + fragment
}

// escapeParam encodes the characters that would split or end a parameter.
func escapeParam(s string, name bool) string {
	if name {
		s = strings.ReplaceAll(s, "=", "%3D")
	}
	return strings.NewReplacer("&", "%26", "#", "%23").Replace(s)
}

// SyncParams returns the params table after the URL was edited: fromURL (the
// result of ParamsFromURL) fills the positions of old's enabled rows in
// order, and old's disabled rows, which the URL does not show, stay where
// they were. Extra rows of fromURL go at the end.
func SyncParams(old []Param, fromURL []Param) []Param {
	out := make([]Param, 0, len(old)+len(fromURL))
	next := 0
	for _, p := range old {
		switch {
		case p.Disabled:
			out = append(out, p)
		case next < len(fromURL):
			out = append(out, fromURL[next])
			next++
		}
	}
	return append(out, fromURL[next:]...)
}

// encodeQuery percent-encodes the bytes RFC 3986 does not allow in a query
// (controls, space, non-ASCII, `"<>[\]^{|}` and a "%" not followed by two
// hex digits) and leaves every other byte, including existing escapes,
// untouched.
func encodeQuery(q string) string {
	const hexDigits = "0123456789ABCDEF"
	var b []byte // nil until the first byte that needs encoding
	for i := 0; i < len(q); i++ {
		c := q[i]
		if queryByteOK(c) || c == '%' && i+2 < len(q) && isHex(q[i+1]) && isHex(q[i+2]) {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(q)+8), q[:i]...)
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	if b == nil {
		return q
	}
	return string(b)
}

// queryByteOK reports whether c may appear literally in a query: unreserved,
// sub-delims, ":", "@", "/" and "?".
func queryByteOK(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
