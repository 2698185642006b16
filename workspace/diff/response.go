package diff

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"hooklab/capture"
	"hooklab/requester"
)

// FromResponse is the message a composer's call got back: its status
// line ("201 Created"), its headers and its body as kept. The body is
// already decoded when it came compressed (Send undoes the encodings it
// knows, and history keeps that decoded body under the original
// Content-Encoding header), so it is decoded here only when resp does
// not say so and the body is not text: a body that reads as text is
// never a compressed one. A body cut at the memory limit or the
// history's cap is marked Cut.
func FromResponse(resp *requester.Response) Message {
	start := strings.TrimSpace(resp.StatusText)
	if start == "" {
		start = strings.TrimSpace(strconv.Itoa(resp.Status) + " " + http.StatusText(resp.Status))
	}
	body := resp.Body
	if !resp.Decoded && isBinary(body) {
		if decoded, enc, err := capture.DecodeBody(resp.Header, body); err == nil && enc != "" {
			body = decoded
		}
	}
	m := Message{Start: start, Header: resp.Header, Body: body}
	if resp.Truncated {
		m.Cut = max(resp.Size, int64(len(resp.Body)))
	}
	return m
}

// cutNote says which bodies were compared from their start only: the
// differences past what was kept are not known.
func cutNote(a, b Message) string {
	var parts []string
	for _, s := range []struct {
		side string
		m    Message
	}{{"old", a}, {"new", b}} {
		if s.m.Cut > 0 {
			parts = append(parts, fmt.Sprintf("the %s body is only the first %s of %s", s.side,
				capture.FormatSize(int64(len(s.m.Body))), capture.FormatSize(s.m.Cut)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " and ") + ": what follows was not compared"
}
