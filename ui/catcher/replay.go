package catcher

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/ui/codeview/highlight"
)

// replaySelected hands the shown capture, as a request, to OnReplay.
func (c *Catcher) replaySelected() {
	cp := c.detail.shown
	if cp == nil || c.OnReplay == nil {
		return
	}
	dir := c.replayDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "hooklab-replays")
	}
	r, err := replayRequest(cp, dir)
	if err != nil {
		c.showError("Cannot replay this capture", err)
		return
	}
	c.OnReplay(r)
}

// hopHeaders describe one connection, not the request: a replay's own
// connection sets them (Content-Length from the body).
var hopHeaders = map[string]bool{
	"Connection": true, "Content-Length": true, "Expect": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// replayRequest is a composer request that sends cp again: its method,
// path, query, headers and the exact bytes of its body, to the catcher
// itself ({{webhook_url}}), so Send shows it arrive again and the user
// can point it at their own server instead. A body that is not plain
// text (a gzip-encoded one, an image, one holding {{) goes as a file
// written to dir, which the composer sends unchanged.
//
// The composer still adds what it adds to every request the sender left
// out: a Content-Type for a body, User-Agent, Accept-Encoding.
func replayRequest(cp *capture.Capture, dir string) (requester.Request, error) {
	if cp.Truncated {
		return requester.Request{}, fmt.Errorf("only the first %s of its %s body were kept",
			highlight.FormatSize(int64(len(cp.Body))), highlight.FormatSize(cp.BodySize))
	}
	// The stored path is decoded: escape it again, so %3F or %23 in it
	// stay in the path. (An escaped slash, %2F, comes back as "/".) A
	// "#" in a raw query is the sender's, not a fragment.
	target := strings.TrimPrefix((&url.URL{Path: cp.Path}).EscapedPath(), "/")
	if cp.RawQuery != "" {
		target += "?" + strings.ReplaceAll(cp.RawQuery, "#", "%23")
	}
	if strings.Contains(target, "{{") {
		return requester.Request{}, errors.New("its path or query holds {{…}}, which the composer would read as a variable")
	}
	url := "{{webhook_url}}" + target
	r := requester.Request{
		Name:   "Replay " + cp.Method + " " + cp.Path,
		Method: cp.Method,
		URL:    url,
		Params: requester.ParamsFromURL(url),
	}
	for _, h := range capture.HeaderFields(cp.Header, "") {
		if hopHeaders[h.Name] {
			continue
		}
		if strings.Contains(h.Name, "{{") || strings.Contains(h.Value, "{{") {
			return requester.Request{}, fmt.Errorf("its header %s holds {{…}}, which the composer would read as a variable", h.Name)
		}
		r.Headers = append(r.Headers, requester.Header{Name: h.Name, Value: h.Value})
	}
	switch {
	case len(cp.Body) == 0:
	case utf8.Valid(cp.Body) && cp.Header.Get("Content-Encoding") == "" && !bytes.Contains(cp.Body, []byte("{{")):
		// (A text body holding {{ goes as a file below: the composer
		// would read it as variables.)
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
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return requester.Request{}, fmt.Errorf("keep its body for the replay: %w", err)
		}
		f, err := os.CreateTemp(dir, "replay-*.bin")
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
