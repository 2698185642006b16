package curl

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"hooklab/requester"
)

// formArg reads the argument of -F (or of --form-string when literal) into
// multipart parts, following curl's tool_formparse.c: "name=value",
// "name=@file[;type=…]" (several files separated by commas), "name=<file",
// and "name=\"quoted;value\"".
func (p *parser) formArg(flag, arg string, literal bool) ([]requester.Part, error) {
	name, contents, ok := strings.Cut(arg, "=")
	if !ok {
		return nil, fmt.Errorf("option %s needs name=content, not %q", flag, short(arg))
	}
	if literal {
		return []requester.Part{{Name: name, Value: contents}}, nil
	}
	switch {
	case strings.HasPrefix(contents, "(") || name == "" && contents == ")":
		p.warnf("nested multipart parts (%s %s) are not supported and were left out", flag, short(arg))
		return nil, nil
	case strings.HasPrefix(contents, "@"):
		return p.fileParts(flag, name, contents[1:])
	case strings.HasPrefix(contents, "<"):
		f, err := p.paramPart(flag+" "+name, contents[1:], 0)
		if err != nil {
			return nil, err
		}
		p.warnf("%s %s=<%s reads a text field from a file; imported as a file upload", flag, short(name), short(f.data))
		return []requester.Part{{Name: name, File: f.data, ContentType: f.typ}}, nil
	}
	f, err := p.paramPart(flag+" "+name, contents, 0)
	if err != nil {
		return nil, err
	}
	return []requester.Part{{Name: name, Value: f.data, ContentType: f.typ}}, nil
}

// fileParts reads "file[;type=…][,file2…]" after "name=@".
func (p *parser) fileParts(flag, name, list string) ([]requester.Part, error) {
	var parts []requester.Part
	for {
		f, err := p.paramPart(flag+" "+name, list, ',')
		if err != nil {
			return nil, err
		}
		if f.data == "-" {
			p.warnf("%s %s=@- reads standard input, which is not supported; left out", flag, short(name))
		} else {
			typ := f.typ
			if typ == "" {
				typ = curlFileType(f.data)
			}
			parts = append(parts, requester.Part{Name: name, File: f.data, ContentType: typ})
		}
		if f.sep != ',' {
			break
		}
		list = f.rest
	}
	if len(parts) > 1 {
		p.warnf("%s %s=@… names several files; imported as separate parts", flag, short(name))
	}
	return parts, nil
}

// param is one value of -F with its attributes.
type param struct {
	data, typ string
	sep       byte   // what ended it: 0 or the list separator
	rest      string // the text after sep
}

// paramPart reads a value and its ";type=", ";filename=", ";headers=" and
// ";encoder=" attributes up to end (0 for the end of s), as curl's
// get_param_part does. Only the type is kept; the others are warned about,
// naming the part as where ("-F name").
func (p *parser) paramPart(where, s string, end byte) (param, error) {
	var out param
	k := skipSpace(s, 0)
	data, k, quoted := paramWord(s, k, end)
	if !quoted {
		data = strings.TrimRight(data, cSpace)
	}
	out.data = data
	typStart, typEnd := -1, -1 // typEnd >= 0 while the type may grow
	for k < len(s) && s[k] == ';' {
		k = skipSpace(s, k+1)
		attr := strings.ToLower(s[k:min(len(s), k+9)])
		switch {
		case typEnd < 0 && strings.HasPrefix(attr, "type="):
			typStart = skipSpace(s, k+5)
			n, ok := typeLen(s[typStart:])
			if !ok {
				return out, fmt.Errorf("%s has an invalid type in %q", where, short(s))
			}
			k, typEnd = typStart+n, typStart+n
			k, typEnd = extend(s, k, typEnd, end)
		case strings.HasPrefix(attr, "filename="), strings.HasPrefix(attr, "headers="), strings.HasPrefix(attr, "encoder="):
			if typEnd >= 0 {
				out.typ, typEnd = s[typStart:typEnd], -1
			}
			key, _, _ := strings.Cut(attr, "=")
			k += len(key) + 1
			if key == "headers" && k < len(s) && (s[k] == '@' || s[k] == '<') {
				k++ // headers read from a file
			}
			k = skipSpace(s, k)
			_, k, _ = paramWord(s, k, end)
			p.warnf("%s: %s= is not supported and was left out", where, key)
		case typEnd >= 0: // a parameter of the type, such as "; charset=utf-8"
			k, typEnd = extend(s, k, k, end)
		default:
			var v string
			v, k, _ = paramWord(s, k, end)
			if v != "" {
				p.warnf("%s: unknown field %q left out", where, short(v))
			}
		}
	}
	if typEnd >= 0 {
		out.typ = s[typStart:typEnd]
	}
	if k < len(s) {
		out.sep, out.rest = s[k], s[k+1:]
	}
	return out, nil
}

// cSpace is what C's isspace accepts.
const cSpace = " \t\n\v\f\r"

func skipSpace(s string, k int) int {
	for k < len(s) && strings.IndexByte(cSpace, s[k]) >= 0 {
		k++
	}
	return k
}

// extend moves k to the next ";" or end, and typEnd past the last non-blank.
func extend(s string, k, typEnd int, end byte) (int, int) {
	for ; k < len(s) && s[k] != ';' && (end == 0 || s[k] != end); k++ {
		if strings.IndexByte(cSpace, s[k]) < 0 {
			typEnd = k + 1
		}
	}
	return k, typEnd
}

// typeLen checks "major/minor" at the start of s as curl's sscanf does and
// returns its length.
func typeLen(s string) (int, bool) {
	major := strings.IndexAny(s, "/ ")
	if major < 1 || major > 127 || s[major] != '/' {
		return 0, false
	}
	rest := s[major+1:]
	minor := strings.IndexAny(rest, ";, \n")
	if minor < 0 {
		minor = len(rest)
	}
	if minor < 1 {
		return 0, false
	}
	return major + 1 + min(minor, 127), true
}

// paramWord reads a word of -F at s[k:] up to ";" or end: a double-quoted
// word (with \\ and \" escapes; anything after the closing quote is
// dropped), or the text up to the separator. It returns the word, the index
// of the separator (or len(s)) and whether the word was quoted.
func paramWord(s string, k int, end byte) (string, int, bool) {
	isSep := func(c byte) bool { return c == ';' || end != 0 && c == end }
	if k < len(s) && s[k] == '"' {
		var b strings.Builder
		for j := k + 1; j < len(s); j++ {
			c := s[j]
			if c == '\\' && j+1 < len(s) && (s[j+1] == '\\' || s[j+1] == '"') {
				b.WriteByte(s[j+1])
				j++
				continue
			}
			if c == '"' {
				for j++; j < len(s) && !isSep(s[j]); j++ {
				}
				return b.String(), j, true
			}
			b.WriteByte(c)
		}
		// Without a closing quote curl reads the word as unquoted.
	}
	j := k
	for j < len(s) && !isSep(s[j]) {
		j++
	}
	return s[k:j], j, false
}

// formRows splits an application/x-www-form-urlencoded body into decoded
// rows, if encoding the rows again as the requester does (formEncode) gives
// back exactly data.
func formRows(data string) ([]requester.Param, bool) {
	var rows []requester.Param
	for piece := range strings.SplitSeq(data, "&") {
		name, value, _ := strings.Cut(piece, "=")
		n, err1 := formUnescape(name)
		v, err2 := formUnescape(value)
		if err1 != nil || err2 != nil {
			return nil, false
		}
		rows = append(rows, requester.Param{Name: n, Value: v})
	}
	return rows, formEncode(rows) == data
}

// formEncode encodes the rows as the requester does: enabled rows with a
// name, as name=value pairs joined by "&", escaped with url.QueryEscape
// except for {{variables}}, which the requester expands before encoding.
func formEncode(rows []requester.Param) string {
	var b strings.Builder
	for _, r := range rows {
		if r.Disabled || strings.TrimSpace(r.Name) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(formEscape(r.Name))
		b.WriteByte('=')
		b.WriteString(formEscape(r.Value))
	}
	return b.String()
}

func formEscape(s string) string {
	var b strings.Builder
	requester.EachVar(s, func(text string, isVar bool) error {
		if isVar {
			b.WriteString(text)
		} else {
			b.WriteString(url.QueryEscape(text))
		}
		return nil
	})
	return b.String()
}

func formUnescape(s string) (string, error) {
	var b strings.Builder
	err := requester.EachVar(s, func(text string, isVar bool) error {
		if isVar {
			b.WriteString(text)
			return nil
		}
		t, err := url.QueryUnescape(text)
		b.WriteString(t)
		return err
	})
	return b.String(), err
}

// curlFileType is the Content-Type curl gives a file part sent without
// ";type=": a few extensions it knows, else application/octet-stream
// (where Hooklab alone would guess from every extension the system
// knows).
func curlFileType(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".gif":
		return "image/gif"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".svg":
		return "image/svg+xml"
	case ".txt":
		return "text/plain"
	case ".htm", ".html":
		return "text/html"
	case ".pdf":
		return "application/pdf"
	case ".xml":
		return "application/xml"
	}
	return "application/octet-stream"
}
