package ui

import (
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/highlight"
)

// hopHeaders describe one connection, not the request: a replay's own
// connection sets them (Content-Length from the body).
var hopHeaders = map[string]bool{
	"Connection": true, "Content-Length": true, "Expect": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// replayRequest is a composer request that sends cp again: its method,
// path, query, headers and the exact bytes of its body, to the catcher
// itself ({{webhook_url}}), so Send shows it arrive again and the user
// can point it at their own server instead. A body that is not text (a
// gzip-encoded one, an image) goes as a file written to dir.
func replayRequest(cp *capture.Capture, dir string) (requester.Request, error) {
	if cp.Truncated {
		return requester.Request{}, fmt.Errorf("only the first %s of its %s body were kept",
			highlight.FormatSize(int64(len(cp.Body))), highlight.FormatSize(cp.BodySize))
	}
	url := "{{webhook_url}}" + strings.TrimPrefix(cp.Path, "/")
	if cp.RawQuery != "" {
		url += "?" + cp.RawQuery
	}
	r := requester.Request{
		Name:   "Replay " + cp.Method + " " + cp.Path,
		Method: cp.Method,
		URL:    url,
		Params: requester.ParamsFromURL(url),
	}
	for _, h := range capture.HeaderFields(cp.Header, "") {
		if !hopHeaders[h.Name] {
			r.Headers = append(r.Headers, requester.Header{Name: h.Name, Value: h.Value})
		}
	}
	switch {
	case len(cp.Body) == 0:
	case utf8.Valid(cp.Body) && cp.Header.Get("Content-Encoding") == "":
		// The captured Content-Type goes as a header row, which the body
		// kind's own type never overrides; the kind only picks the editor.
		r.Body = requester.Body{Kind: requester.BodyText, Text: string(cp.Body)}
		switch mt := capture.MediaType(cp.Header.Get("Content-Type")); {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			r.Body.Kind = requester.BodyJSON
		case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
			r.Body.Kind = requester.BodyXML
		}
	default:
		f, err := os.CreateTemp(dir, "hooklab-replay-*.bin")
		if err != nil {
			return requester.Request{}, fmt.Errorf("keep its body for the replay: %w", err)
		}
		_, err = f.Write(cp.Body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			return requester.Request{}, fmt.Errorf("keep its body for the replay: %w", err)
		}
		r.Body = requester.Body{Kind: requester.BodyFile, File: f.Name()}
	}
	return r, nil
}
