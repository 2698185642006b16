package har

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// skipped are request headers an entry records but a request does not
// set itself: the client computes them from the URL and body.
var skipped = map[string]bool{"content-length": true, "host": true, "connection": true}

// IsHAR reports whether data looks like a HAR file: an object whose log
// has an entries list.
func IsHAR(data []byte) bool {
	var probe struct {
		Log *struct {
			Entries *[]json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.Log != nil && probe.Log.Entries != nil
}

// Import reads a HAR 1.2 (or 1.1) file: each entry with an http or https
// URL becomes a request, in a folder per host, in the order of the file.
// Headers are kept as recorded except HTTP/2 pseudo-headers and those the
// client sets itself (Host, Content-Length, Connection); the body by its
// MIME type: JSON, XML, a form, multipart fields (files named but not
// included are reported), or text. Responses are not imported. Warnings
// list entries left out, by index and URL.
func Import(data []byte) (*collection.Collection, []collection.Problem, error) {
	if len(data) > MaxSize {
		return nil, nil, fmt.Errorf("the file is %d MiB; HAR files of more than %d MiB are not read", len(data)>>20, MaxSize>>20)
	}
	// Only the requests are read: responses (often most of a browser's
	// HAR) are scanned but not kept.
	var f struct {
		Log struct {
			Version string             `json:"version"`
			Entries *[]json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, nil, describe(data, err)
	}
	if f.Log.Entries == nil {
		return nil, nil, fmt.Errorf("%w: no log.entries", ErrNotHAR)
	}
	var warnings []collection.Problem
	switch f.Log.Version {
	case "1.2", "1.1":
	case "":
		warnings = append(warnings, collection.Problem{Path: "log", Msg: "no log.version; read as HAR 1.2"})
	default:
		return nil, nil, fmt.Errorf("%w: version %q (only HAR 1.1 and 1.2 are read)", ErrNotHAR, f.Log.Version)
	}
	c := &collection.Collection{Name: "HAR import"}
	folders := map[string]*collection.Item{}
	for i, raw := range *f.Log.Entries {
		where := "entry " + strconv.Itoa(i+1)
		// Entries are read one by one so that one of the wrong shape
		// (a header list that is a string, a URL that is a number) is
		// reported and the others are still imported.
		var e struct {
			Request harRequest `json:"request"`
		}
		if err := json.Unmarshal(raw, &e); err != nil {
			warnings = append(warnings, collection.Problem{Path: where, Msg: requester.DescribeShape(err, "the entry") + ": not imported"})
			continue
		}
		u, err := url.Parse(e.Request.URL)
		if err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
			warnings = append(warnings, collection.Problem{Path: where, Msg: fmt.Sprintf("URL %q is not an http or https URL: not imported", cut(e.Request.URL, 80))})
			continue
		}
		folder := folders[u.Host]
		if folder == nil {
			folder = &collection.Item{Name: u.Host, Path: u.Host, Folder: true, Seq: len(folders) + 1}
			folders[u.Host] = folder
			c.Items = append(c.Items, folder)
		}
		name := requestName(e.Request.Method, u)
		r, ws := request(e.Request, name)
		for _, w := range ws {
			warnings = append(warnings, collection.Problem{Path: where + " (" + name + ")", Msg: w})
		}
		folder.Children = append(folder.Children, &collection.Item{
			Name: name, Path: u.Host + "/" + name, Seq: len(folder.Children) + 1, Request: &r,
			AuthType: "none",
		})
	}
	return c, warnings, nil
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// requestName is the method and the path, as a tab shows it.
func requestName(method string, u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	return strings.ToUpper(strings.TrimSpace(method)) + " " + cut(p, 100)
}

func request(hr harRequest, name string) (requester.Request, []string) {
	var warnings []string
	r := requester.Request{Name: name, Method: strings.ToUpper(strings.TrimSpace(hr.Method)), URL: hr.URL}
	if r.Method == "" {
		r.Method = "GET"
	}
	r.Params = requester.ParamsFromURL(r.URL)
	for _, h := range hr.Headers {
		if strings.HasPrefix(h.Name, ":") || skipped[strings.ToLower(h.Name)] || strings.TrimSpace(h.Name) == "" {
			continue
		}
		r.Headers = append(r.Headers, requester.Header{Name: h.Name, Value: h.Value})
	}
	pd := hr.PostData
	if pd == nil || pd.Text == "" && len(pd.Params) == 0 {
		return r, warnings
	}
	mt, _, _ := mime.ParseMediaType(pd.MimeType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		r.Body.Kind = requester.BodyForm
		if len(pd.Params) > 0 {
			for _, p := range pd.Params {
				r.Body.Form = append(r.Body.Form, requester.Param{Name: p.Name, Value: p.Value})
			}
		} else {
			r.Body.Form = requester.ParamsFromURL("?" + pd.Text)
		}
	case mt == "multipart/form-data" && len(pd.Params) > 0:
		r.Body.Kind = requester.BodyMultipart
		for _, p := range pd.Params {
			part := requester.Part{Name: p.Name, Value: p.Value, ContentType: p.ContentType}
			if p.FileName != "" {
				part.File = p.FileName
				warnings = append(warnings, fmt.Sprintf("file %q of field %q is not in the HAR: the part names it, choose the file before sending", p.FileName, p.Name))
			}
			r.Body.Parts = append(r.Body.Parts, part)
		}
		// The recorded Content-Type holds the old boundary.
		r.Headers = dropHeader(r.Headers, "Content-Type")
	case mt == "multipart/form-data":
		warnings = append(warnings, "multipart body without params: imported as text with its recorded boundary")
		r.Body = requester.Body{Kind: requester.BodyText, Text: pd.Text}
	case strings.HasSuffix(mt, "json") || strings.HasSuffix(mt, "+json"):
		r.Body = requester.Body{Kind: requester.BodyJSON, Text: pd.Text}
	case strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml"):
		r.Body = requester.Body{Kind: requester.BodyXML, Text: pd.Text}
	default:
		r.Body = requester.Body{Kind: requester.BodyText, Text: pd.Text}
	}
	if pd.MimeType != "" && r.Body.Kind != requester.BodyMultipart {
		if _, ok := header(r.Headers, "Content-Type"); !ok {
			r.Headers = append(r.Headers, requester.Header{Name: "Content-Type", Value: pd.MimeType})
		}
	}
	return r, warnings
}

func header(hs []requester.Header, name string) (string, bool) {
	for _, h := range hs {
		if !h.Disabled && strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

func dropHeader(hs []requester.Header, name string) []requester.Header {
	out := hs[:0:0]
	for _, h := range hs {
		if !strings.EqualFold(h.Name, name) {
			out = append(out, h)
		}
	}
	return out
}
