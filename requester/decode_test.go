package requester

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

func encodeAs(t *testing.T, coding string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	switch coding {
	case "gzip":
		w := gzip.NewWriter(&b)
		w.Write(data)
		w.Close()
	case "deflate":
		w := zlib.NewWriter(&b)
		w.Write(data)
		w.Close()
	case "br":
		w := brotli.NewWriter(&b)
		w.Write(data)
		w.Close()
	case "zstd":
		w, err := zstd.NewWriter(&b)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
		w.Close()
	default:
		t.Fatalf("no encoder for %s", coding)
	}
	return b.Bytes()
}

// TestResponseDecodedForEveryCodingCurlAsks: with Accept-Encoding as curl
// --compressed sends it, each coding a server may pick comes back
// decoded, and the server saw the header as written.
func TestResponseDecodedForEveryCodingCurlAsks(t *testing.T) {
	want := []byte(`{"ok":true,"padding":"` + string(bytes.Repeat([]byte("x"), 4000)) + `"}`)
	for _, coding := range []string{"gzip", "deflate", "br", "zstd"} {
		t.Run(coding, func(t *testing.T) {
			var asked string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked = r.Header.Get("Accept-Encoding")
				w.Header().Set("Content-Encoding", coding)
				w.Write(encodeAs(t, coding, want))
			}))
			defer srv.Close()
			resp := send(t, NewClient(), Request{URL: srv.URL, Headers: []Header{{Name: "Accept-Encoding", Value: AcceptEncodingCurl}}}, nil)
			if asked != AcceptEncodingCurl {
				t.Errorf("server was asked for %q", asked)
			}
			if !bytes.Equal(resp.Body, want) || !resp.Decoded || resp.Size != int64(len(want)) {
				t.Errorf("body %d bytes (decoded %v, size %d), want the %d bytes sent", len(resp.Body), resp.Decoded, resp.Size, len(want))
			}
		})
	}
}

func TestResponseWithUnknownCodingKeptAsItCame(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "compress")
		w.Write([]byte("\x1f\x9d raw"))
	}))
	defer srv.Close()
	resp := send(t, NewClient(), Request{URL: srv.URL, Headers: []Header{{Name: "Accept-Encoding", Value: "compress"}}}, nil)
	if string(resp.Body) != "\x1f\x9d raw" || resp.Decoded {
		t.Fatalf("body %q decoded %v", resp.Body, resp.Decoded)
	}
}

func TestResponseCorruptGzipSaysSo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write([]byte("not gzip at all"))
	}))
	defer srv.Close()
	_, err := NewClient().Send(t.Context(), Request{URL: srv.URL, Headers: []Header{{Name: "Accept-Encoding", Value: "gzip"}}}, nil)
	if err == nil {
		t.Fatal("a corrupt gzip body was taken")
	}
}
