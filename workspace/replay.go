package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"hooklab/capture"
	"hooklab/requester"
)

// ReplaysFolder is the folder of the data directory that holds the body
// files of replays, beside tabs.json, which may refer to them after a
// restart.
const ReplaysFolder = "replays"

// ReplayKeep is how long a replay's body file outlives the tabs that
// use it: another Hooklab on the same data directory may still have one
// open.
const ReplayKeep = 24 * time.Hour

// hopHeaders describe one connection, not the request: a replay's own
// connection sets them (Content-Length from the body).
var hopHeaders = map[string]bool{
	"Connection": true, "Content-Length": true, "Expect": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// ReplayRequest is a composer request that sends cp again: its method,
// path, query, headers and the exact bytes of its body, to the catcher
// itself ({{webhook_url}}), so Send shows it arrive again and the user
// can point it at their own server instead. A body that is not plain
// text (a gzip-encoded one, an image, one holding {{) goes as a file
// written to dir (created if missing), which the composer sends
// unchanged; PruneReplays removes such files once unused.
//
// It refuses, with the reason, a capture whose body was truncated and
// one whose path, query or a header holds {{, which the composer would
// read as a variable. Hop-by-hop headers (Connection, Content-Length,
// Transfer-Encoding…) are left to the replay's own connection; the
// composer still adds what it adds to every request the sender left
// out: a Content-Type for a body, User-Agent, Accept-Encoding.
//
// It replaces ui's replayRequest (replay.go).
func ReplayRequest(cp *capture.Capture, dir string) (requester.Request, error) {
	if cp.Truncated {
		return requester.Request{}, fmt.Errorf("only the first %s of its %s body were kept",
			capture.FormatSize(int64(len(cp.Body))), capture.FormatSize(cp.BodySize))
	}
	target := replayTarget(cp)
	if strings.Contains(target, "{{") {
		return requester.Request{}, errors.New("its path or query holds {{…}}, which the composer would read as a variable")
	}
	u := "{{webhook_url}}" + target
	r := requester.Request{
		Name:   "Replay " + cp.Method + " " + cp.Path,
		Method: cp.Method,
		URL:    u,
		Params: requester.ParamsFromURL(u),
	}
	fields := capture.HeaderFields(cp.Header, "")
	if cp.Head != nil {
		// The names as received, in their order.
		_, fields = capture.HeadFields(cp.Head)
	}
	for _, h := range fields {
		if canon := http.CanonicalHeaderKey(h.Name); hopHeaders[canon] || canon == "Host" || canon == capture.TokenHeader {
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
		file, err := writeReplayBody(dir, cp.Body)
		if err != nil {
			return requester.Request{}, fmt.Errorf("keep its body for the replay: %w", err)
		}
		r.Body = requester.Body{Kind: requester.BodyFile, File: file}
	}
	return r, nil
}

// writeReplayBody writes body to a new replay-*.bin file in dir and
// returns its path; nothing is left behind when it fails.
func writeReplayBody(dir string, body []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "replay-*.bin")
	if err != nil {
		return "", err
	}
	_, err = f.Write(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// PruneReplays removes the replay body files in dir that are not in
// keep (the files the saved tabs use, see FilesUsed) and were last
// written before cutoff, normally ReplayKeep ago. Other files are left
// alone, and so are failures, for the next time.
//
// It replaces ui's pruneReplays (replay.go).
func PruneReplays(dir string, keep map[string]bool, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.IsDir() || keep[path] || !strings.HasPrefix(e.Name(), "replay-") {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			os.Remove(path)
		}
	}
}

// replayTarget is cp's path and query for a URL after {{webhook_url}}:
// as received when the capture kept it (so /a%2Fb goes as /a%2Fb), with
// bytes a URL cannot hold as they are (controls, spaces, non-ASCII, '#')
// percent-encoded. A capture from before Hooklab kept the raw path has
// its decoded path escaped again: %3F or %23 stay in the path, but an
// escaped slash, %2F, comes back as "/".
func replayTarget(cp *capture.Capture) string {
	var target string
	if strings.HasPrefix(cp.RawPath, "/") {
		target = escapeRaw(cp.RawPath[1:])
	} else {
		target = strings.TrimPrefix((&url.URL{Path: cp.Path}).EscapedPath(), "/")
	}
	if cp.RawQuery != "" {
		// A "#" in a raw query is the sender's, not a fragment.
		target += "?" + escapeRaw(cp.RawQuery)
	}
	return target
}

func escapeRaw(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
