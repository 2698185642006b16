package capture

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

func compressed(t testing.TB, coding, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	switch coding {
	case "gzip":
		w := gzip.NewWriter(&b)
		w.Write([]byte(text))
		w.Close()
	case "deflate":
		w := zlib.NewWriter(&b)
		w.Write([]byte(text))
		w.Close()
	case "br":
		w := brotli.NewWriter(&b)
		w.Write([]byte(text))
		w.Close()
	default:
		t.Fatalf("coding %q", coding)
	}
	return b.Bytes()
}

// TestSearchFindsDecodedBodies: a search finds words of gzip, deflate
// and br bodies, as the Body tab shows them, both before the idle
// writer indexed them (a scan) and after (the index).
func TestSearchFindsDecodedBodies(t *testing.T) {
	s := openTestSQLite(t, t.TempDir(), SQLiteOptions{})
	for i, coding := range []string{"gzip", "deflate", "br"} {
		c := &Capture{ID: fmt.Sprintf("cap_%s", coding), Time: time.Unix(int64(1700000000+i), 0), Method: "POST", Path: "/z",
			Header: http.Header{"Content-Encoding": {coding}, "Content-Type": {"application/json"}},
			Body:   compressed(t, coding, `{"event":"Invoice.Paid-`+coding+`"}`)}
		c.BodySize = int64(len(c.Body))
		mustAdd(t, s, c)
	}
	// Not a body that only claims a coding: it is searched as stored.
	mustAdd(t, s, &Capture{ID: "cap_liar", Time: time.Unix(1700000010, 0), Method: "POST", Path: "/z",
		Header: http.Header{"Content-Encoding": {"gzip"}}, Body: []byte("plain invoice.paid-liar")})
	check := func(when string) {
		t.Helper()
		for _, coding := range []string{"gzip", "deflate", "br", "liar"} {
			list, err := s.List(Filter{Text: "invoice.paid-" + coding}, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].ID != "cap_"+coding {
				t.Errorf("%s: search for the %s body found %v", when, coding, summaryIDs(list))
			}
		}
	}
	check("not indexed yet")
	waitIndexed(t, s)
	check("indexed")
}

// BenchmarkIndexText is the cost of the search text of a capture with
// a 2 KiB JSON body as stored and gzip-compressed: what indexing pays
// once per capture, and a scan of a capture not indexed yet per search.
func BenchmarkIndexText(b *testing.B) {
	text := `{"type":"payment.succeeded","data":{"object":{` + strings.Repeat(`"k":"value of a field",`, 90) + `"id":"pay_1"}}}`
	for _, coding := range []string{"identity", "gzip"} {
		c := &Capture{Method: "POST", Path: "/p", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(text)}
		if coding != "identity" {
			c.Header.Set("Content-Encoding", coding)
			c.Body = compressed(b, coding, text)
		}
		b.Run(coding, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				indexText(c)
			}
		})
	}
}
