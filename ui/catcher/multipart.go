package catcher

import (
	"fmt"
	"strings"

	"hooklab/capture"
	"hooklab/ui/codeview/highlight"
)

// maxPartText is the most of one text part the Body tab shows; the
// Parts tab saves it whole.
const maxPartText = 64 << 10

// partsText is a multipart body as the Body tab shows it: each part
// under a line naming it, text parts as text, binary ones (an image, a
// file) as one line saying what they are, so one PNG does not turn the
// whole body into a hex dump.
func partsText(parts []capture.Part) []byte {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString("\n")
		}
		head := []string{fmt.Sprintf("── part %d", i+1)}
		if p.Name != "" {
			head = append(head, fmt.Sprintf("name=%q", p.Name))
		}
		if p.Filename != "" {
			head = append(head, fmt.Sprintf("filename=%q", p.Filename))
		}
		if p.ContentType != "" {
			head = append(head, p.ContentType)
		}
		head = append(head, capture.FormatSize(p.Size))
		b.WriteString(strings.Join(head, " · "))
		b.WriteString(" ──\n")
		switch {
		case highlight.IsBinary(p.Body):
			what := "binary"
			if strings.HasPrefix(p.ContentType, "image/") {
				what = "image, shown in the Image tab"
			}
			fmt.Fprintf(&b, "[%s: %s; Parts saves it]\n", what, capture.FormatSize(int64(len(p.Body))))
		case len(p.Body) > maxPartText:
			b.Write(p.Body[:maxPartText])
			fmt.Fprintf(&b, "\n[… %s more; Parts saves it whole]\n", capture.FormatSize(int64(len(p.Body)-maxPartText)))
		default:
			b.Write(p.Body)
			if len(p.Body) > 0 && p.Body[len(p.Body)-1] != '\n' {
				b.WriteByte('\n')
			}
		}
	}
	return []byte(b.String())
}
