package capture

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// MaxDecodedBody bounds what DecodeBody produces (64 MiB), so a small
// compressed body cannot expand until memory runs out.
const MaxDecodedBody = 64 << 20

// maxCodings bounds how many stacked codings DecodeBody undoes: real
// senders stack two at most, and each layer costs a decoder's buffers.
const maxCodings = 4

// ErrDecodedTooLarge is returned by DecodeBody, with the part decoded
// so far, when a body decodes to more than MaxDecodedBody bytes.
var ErrDecodedTooLarge = errors.New("decoded body exceeds 64 MiB")

// DecodeBody undoes the Content-Encoding of body: gzip (x-gzip),
// deflate (zlib-wrapped, or raw as some senders send it), br and zstd,
// stacked ones ("gzip, br") in reverse order of application. encoding
// lists the codings the header names, in its order, lower case, x-gzip
// as gzip and identity left out ("" when none remain), whether or not
// they decode. body itself is never modified.
//
// When the header names a coding DecodeBody does not know, or the body
// does not decode, it returns body unchanged and an error saying which
// coding failed, so the caller can show the raw bytes with the reason.
// When the decoded body would exceed MaxDecodedBody it returns the first
// MaxDecodedBody decoded bytes and ErrDecodedTooLarge.
func DecodeBody(header http.Header, body []byte) (decoded []byte, encoding string, err error) {
	var codings []string
	for _, v := range header.Values("Content-Encoding") {
		for _, c := range strings.Split(v, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			if c == "" || c == "identity" {
				continue
			}
			if c == "x-gzip" {
				c = "gzip"
			}
			codings = append(codings, c)
		}
	}
	encoding = strings.Join(codings, ", ")
	for _, c := range codings {
		switch c {
		case "gzip", "deflate", "br", "zstd":
		default:
			return body, encoding, fmt.Errorf("unknown Content-Encoding %q", c)
		}
	}
	if len(codings) > maxCodings {
		return body, encoding, fmt.Errorf("Content-Encoding %q stacks %d codings; at most %d are decoded", encoding, len(codings), maxCodings)
	}
	// An empty body stays empty whatever the header says: senders put
	// Content-Encoding on bodiless answers, and an empty stream is not a
	// broken one worth reporting.
	if len(codings) == 0 || len(body) == 0 {
		return body, encoding, nil
	}

	// Decoders are chained as streams and every stage is capped, so
	// neither the result nor an intermediate layer is ever held whole
	// beyond the cap.
	var r io.Reader = bytes.NewReader(body)
	for i := len(codings) - 1; i >= 0; i-- {
		if i < len(codings)-1 {
			r = &capReader{r: r, n: MaxDecodedBody}
		}
		next, closeFn, err := newDecoder(codings[i], r)
		if err != nil {
			return body, encoding, err
		}
		if closeFn != nil {
			defer closeFn()
		}
		r = next
	}
	out, err := io.ReadAll(&capReader{r: r, n: MaxDecodedBody})
	switch {
	case errors.Is(err, ErrDecodedTooLarge):
		return out, encoding, ErrDecodedTooLarge
	case err != nil:
		return body, encoding, err
	}
	return out, encoding, nil
}

// newDecoder returns a reader undoing coding on r, whose errors name
// the coding, and a function to release it (nil when there is nothing
// to release).
func newDecoder(coding string, r io.Reader) (io.Reader, func(), error) {
	var (
		dec     io.Reader
		closeFn func()
		err     error
	)
	switch coding {
	case "gzip":
		dec, err = gzip.NewReader(r)
	case "deflate":
		// RFC 9110 deflate is zlib-wrapped, but some senders send raw
		// deflate; a valid zlib header tells them apart, as browsers do.
		br := bufio.NewReader(r)
		if h, _ := br.Peek(2); len(h) == 2 && isZlibHeader(h[0], h[1]) {
			dec, err = zlib.NewReader(br)
		} else {
			dec = flate.NewReader(br)
		}
	case "br":
		dec = brotli.NewReader(r)
	case "zstd":
		var z *zstd.Decoder
		// Decoding in the calling goroutine, with a window no larger than the cap:
		// a hostile frame header cannot make us allocate gigabytes.
		z, err = zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(MaxDecodedBody), zstd.WithDecoderMaxMemory(MaxDecodedBody))
		if err == nil {
			dec, closeFn = z, z.Close
		}
	}
	if err == io.EOF {
		// The layer below decoded to nothing: no header to read.
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, nil, codingError(coding, err)
	}
	return &namedReader{r: dec, coding: coding}, closeFn, nil
}

// isZlibHeader reports whether cmf, flg start a zlib stream: method 8
// (deflate), a window of at most 32 KiB, no preset dictionary and a
// valid check value.
func isZlibHeader(cmf, flg byte) bool {
	return cmf&0x0f == 8 && cmf>>4 <= 7 && flg&0x20 == 0 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

// decodeError says which coding failed.
type decodeError struct {
	coding string
	err    error
}

func (e *decodeError) Error() string { return "decode " + e.coding + ": " + e.err.Error() }
func (e *decodeError) Unwrap() error { return e.err }

// codingError wraps err with coding unless it already names one (an
// inner stage's error passing through an outer decoder) or is one that
// must pass unchanged.
func codingError(coding string, err error) error {
	var de *decodeError
	if err == io.EOF || errors.Is(err, ErrDecodedTooLarge) || errors.As(err, &de) {
		return err
	}
	return &decodeError{coding: coding, err: err}
}

type namedReader struct {
	r      io.Reader
	coding string
}

func (n *namedReader) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	if err != nil {
		err = codingError(n.coding, err)
	}
	return k, err
}

// capReader passes at most n bytes of r and then fails with
// ErrDecodedTooLarge if r has more.
type capReader struct {
	r io.Reader
	n int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		// Probe one byte to tell "exactly at the cap" from "beyond it".
		var one [1]byte
		k, err := c.r.Read(one[:])
		if k > 0 {
			return 0, ErrDecodedTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	k, err := c.r.Read(p)
	c.n -= int64(k)
	return k, err
}

// Field is one name=value pair of a form, as sent.
type Field struct{ Name, Value string }

// ParseForm parses an application/x-www-form-urlencoded body (or a raw
// query string), keeping the order and duplicates that url.ParseQuery
// loses. '+' is a space; ';' is an ordinary character. A pair with a bad
// %-escape is kept with its raw text, and the error names the first such
// field, so the caller can still show everything that was sent.
func ParseForm(body []byte) ([]Field, error) {
	var (
		fields  []Field
		first   error
		badMore int
	)
	s := string(body)
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, errName := url.QueryUnescape(rawName)
		value, errValue := url.QueryUnescape(rawValue)
		if errName != nil || errValue != nil {
			name, value = rawName, rawValue
			if first == nil {
				err := errName
				if err == nil {
					err = errValue
				}
				first = fmt.Errorf("form field %d (%.40q): %w", len(fields)+1, pair, err)
			} else {
				badMore++
			}
		}
		fields = append(fields, Field{Name: name, Value: value})
	}
	if badMore > 0 {
		first = fmt.Errorf("%w (and %d more fields with bad escapes)", first, badMore)
	}
	return fields, first
}

// MaxParts bounds how many parts ParseMultipart returns.
const MaxParts = 1000

// Part is one part of a multipart body. Body holds its exact bytes
// (Content-Transfer-Encoding is not undone), so a file part can be saved
// as it was sent.
type Part struct {
	Name, Filename, ContentType string
	Size                        int64
	Header                      textproto.MIMEHeader
	Body                        []byte
}

// ParseMultipart splits a multipart body (multipart/form-data, mixed, …)
// into its parts, in order, with the boundary taken from contentType.
// Filename is the base name the sender gave, safe to save under. On an
// error it returns the parts read so far, the last one holding the bytes
// that arrived when the body is cut short (as a truncated capture is);
// past MaxParts it stops with an error.
func ParseMultipart(contentType string, body []byte) ([]Part, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, fmt.Errorf("multipart: Content-Type %q: %w", contentType, err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return nil, fmt.Errorf("multipart: Content-Type %q is not multipart/*", mt)
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, fmt.Errorf("multipart: Content-Type %q has no boundary parameter", contentType)
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var parts []Part
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return parts, nil
		}
		if err != nil {
			return parts, fmt.Errorf("multipart part %d: %w", len(parts)+1, err)
		}
		if len(parts) == MaxParts {
			return parts, fmt.Errorf("multipart: more than %d parts; the rest were not read", MaxParts)
		}
		data, err := io.ReadAll(p)
		parts = append(parts, Part{
			Name:        p.FormName(),
			Filename:    p.FileName(),
			ContentType: p.Header.Get("Content-Type"),
			Size:        int64(len(data)),
			Header:      p.Header,
			Body:        data,
		})
		if err != nil {
			return parts, fmt.Errorf("multipart part %d (%q): %w", len(parts), p.FormName(), err)
		}
	}
}
