package highlight

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// PrettyXML re-indents an XML document two spaces per level. Names keep
// their prefixes as written (no namespace rewriting), text is kept
// (whitespace-only text between elements is dropped), and an element
// holding only text stays on one line. Malformed XML is an error.
func PrettyXML(body []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false // HTML-ish entities and unquoted attributes still show
	var out bytes.Buffer
	var stack []string // open element names, to catch a mismatched end tag
	depth := 0
	// open is set just after a start tag; a text or end tag then decides
	// whether the element spans lines.
	open, inline := false, false
	newline := func() {
		if out.Len() > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(strings.Repeat("  ", depth))
	}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			newline()
			out.WriteString("<" + qname(t.Name))
			for _, a := range t.Attr {
				out.WriteString(" " + qname(a.Name) + `="`)
				_ = xml.EscapeText(&out, []byte(a.Value))
				out.WriteByte('"')
			}
			out.WriteByte('>')
			stack = append(stack, qname(t.Name))
			depth++
			open, inline = true, false
		case xml.EndElement:
			name := qname(t.Name)
			if len(stack) == 0 || stack[len(stack)-1] != name {
				line, _ := d.InputPos()
				if len(stack) == 0 {
					return nil, fmt.Errorf("line %d: </%s> closes nothing", line, name)
				}
				return nil, fmt.Errorf("line %d: </%s> closes <%s>", line, name, stack[len(stack)-1])
			}
			stack = stack[:len(stack)-1]
			depth--
			if !(open || inline) {
				newline()
			}
			out.WriteString("</" + qname(t.Name) + ">")
			open, inline = false, false
		case xml.CharData:
			text := strings.TrimSpace(string(t))
			if text == "" {
				continue
			}
			if !open {
				newline()
			}
			_ = xml.EscapeText(&out, []byte(text))
			inline = open
			open = false
		case xml.Comment:
			newline()
			out.WriteString("<!--" + string(t) + "-->")
			open = false
		case xml.ProcInst:
			newline()
			out.WriteString("<?" + t.Target + " " + string(t.Inst) + "?>")
		case xml.Directive:
			newline()
			out.WriteString("<!" + string(t) + ">")
		}
	}
	if depth != 0 {
		return nil, errors.New("XML ends inside an element")
	}
	return out.Bytes(), nil
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}
