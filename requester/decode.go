package requester

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// AcceptEncodingCurl is what curl --compressed asks for; a request that
// sets Accept-Encoding itself gets its response decoded by Send for the
// codings named here (net/http decodes only the gzip it asked for).
const AcceptEncodingCurl = "deflate, gzip, br, zstd"

// maxCodings bounds how many stacked codings are undone.
const maxCodings = 4

// decodeResponse undoes the Content-Encoding of a response body when
// the request asked for it itself: codings are undone last first. It
// returns the body unchanged with decoded false when a coding is not
// one it knows (the body shows as it came). close releases decoders.
func decodeResponse(h http.Header, body io.Reader) (r io.Reader, decoded bool, close func(), err error) {
	var codings []string
	for _, v := range h.Values("Content-Encoding") {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	if len(codings) == 0 || len(codings) > maxCodings {
		return body, false, func() {}, nil
	}
	for _, c := range codings {
		switch c {
		case "gzip", "x-gzip", "deflate", "br", "zstd":
		default:
			return body, false, func() {}, nil
		}
	}
	var closers []func()
	closeAll := func() {
		for _, f := range closers {
			f()
		}
	}
	r = body
	for i := len(codings) - 1; i >= 0; i-- {
		switch codings[i] {
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				closeAll()
				return nil, false, nil, err
			}
			closers = append(closers, func() { zr.Close() })
			r = zr
		case "deflate":
			// HTTP's deflate is zlib-wrapped; some servers send it raw.
			br := bufio.NewReader(r)
			if head, err := br.Peek(2); err == nil && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 && head[0]&0x0f == 8 {
				zr, err := zlib.NewReader(br)
				if err != nil {
					closeAll()
					return nil, false, nil, err
				}
				closers = append(closers, func() { zr.Close() })
				r = zr
			} else {
				fr := flate.NewReader(br)
				closers = append(closers, func() { fr.Close() })
				r = fr
			}
		case "br":
			r = brotli.NewReader(r)
		case "zstd":
			zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
			if err != nil {
				closeAll()
				return nil, false, nil, err
			}
			closers = append(closers, zr.Close)
			r = zr
		}
	}
	return r, true, closeAll, nil
}
