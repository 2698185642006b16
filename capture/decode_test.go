package capture

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"reflect"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// compressAs applies codings in the order given, as a sender stacking
// "Content-Encoding: a, b" would: a first, then b.
func compressAs(t testing.TB, data []byte, codings ...string) []byte {
	t.Helper()
	for _, coding := range codings {
		var buf bytes.Buffer
		var w io.WriteCloser
		var err error
		switch coding {
		// Fastest levels: the race detector makes encoders slow, and the
		// level does not matter to the decoder.
		case "gzip":
			w, err = gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		case "zlib":
			w, err = zlib.NewWriterLevel(&buf, zlib.BestSpeed)
		case "rawflate":
			w, err = flate.NewWriter(&buf, flate.BestSpeed)
		case "br":
			w = brotli.NewWriterLevel(&buf, brotli.BestSpeed)
		case "zstd":
			w, err = zstd.NewWriter(&buf, zstd.WithEncoderLevel(zstd.SpeedFastest))
		default:
			t.Fatalf("no encoder for %q", coding)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		data = buf.Bytes()
	}
	return data
}

func contentEncoding(values ...string) http.Header { return http.Header{"Content-Encoding": values} }

func TestDecodeBodyRoundTrips(t *testing.T) {
	plain := []byte(strings.Repeat(`{"type":"payment.succeeded","amount":1200}`, 100))
	cases := []struct {
		name     string
		header   http.Header
		body     []byte
		wantEnc  string
		wantSame bool // the result is the input slice itself
	}{
		{"no header", http.Header{}, plain, "", true},
		{"identity", contentEncoding("identity"), plain, "", true},
		{"empty value", contentEncoding(""), plain, "", true},
		{"gzip", contentEncoding("gzip"), compressAs(t, plain, "gzip"), "gzip", false},
		{"x-gzip", contentEncoding("x-gzip"), compressAs(t, plain, "gzip"), "gzip", false},
		{"upper case, spaces", contentEncoding(" GZIP "), compressAs(t, plain, "gzip"), "gzip", false},
		{"deflate zlib", contentEncoding("deflate"), compressAs(t, plain, "zlib"), "deflate", false},
		{"deflate raw", contentEncoding("deflate"), compressAs(t, plain, "rawflate"), "deflate", false},
		{"br", contentEncoding("br"), compressAs(t, plain, "br"), "br", false},
		{"zstd", contentEncoding("zstd"), compressAs(t, plain, "zstd"), "zstd", false},
		{"stacked gzip, br", contentEncoding("gzip, br"), compressAs(t, plain, "gzip", "br"), "gzip, br", false},
		{"stacked over header lines", contentEncoding("zstd", "gzip"), compressAs(t, plain, "zstd", "gzip"), "zstd, gzip", false},
		{"stacked with identity", contentEncoding("identity, deflate,,br"), compressAs(t, plain, "zlib", "br"), "deflate, br", false},
		{"gzip twice", contentEncoding("gzip, gzip"), compressAs(t, plain, "gzip", "gzip"), "gzip, gzip", false},
		{"empty body, gzip header", contentEncoding("gzip"), []byte{}, "gzip", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := bytes.Clone(tc.body)
			got, enc, err := DecodeBody(tc.header, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			want := plain
			if len(tc.body) == 0 {
				want = tc.body
			}
			if !bytes.Equal(got, want) || enc != tc.wantEnc {
				t.Fatalf("got %d bytes, encoding %q; want %d bytes, %q", len(got), enc, len(want), tc.wantEnc)
			}
			if tc.wantSame && len(got) > 0 && &got[0] != &tc.body[0] {
				t.Fatal("an unencoded body was copied")
			}
			if !bytes.Equal(tc.body, raw) {
				t.Fatal("DecodeBody modified the raw body")
			}
		})
	}
}

func TestDecodeBodyFailuresReturnRaw(t *testing.T) {
	gz := compressAs(t, []byte(strings.Repeat("hello ", 1000)), "gzip")
	cases := []struct {
		name    string
		header  http.Header
		body    []byte
		wantEnc string
		errHas  []string
	}{
		{"unknown", contentEncoding("compress"), []byte("abc"), "compress", []string{`unknown Content-Encoding "compress"`}},
		{"unknown after known", contentEncoding("gzip, snappy"), gz, "gzip, snappy", []string{`"snappy"`}},
		{"not gzip", contentEncoding("gzip"), []byte("plain text, not gzip"), "gzip", []string{"decode gzip"}},
		{"gzip cut short", contentEncoding("gzip"), gz[:len(gz)/2], "gzip", []string{"decode gzip", "unexpected EOF"}},
		{"gzip trailing junk", contentEncoding("gzip"), append(bytes.Clone(gz), "junk"...), "gzip", []string{"decode gzip"}},
		{"bad deflate", contentEncoding("deflate"), []byte{0xff, 0xff, 0xff}, "deflate", []string{"decode deflate"}},
		{"bad br", contentEncoding("br"), []byte("not brotli at all"), "br", []string{"decode br"}},
		{"bad zstd", contentEncoding("zstd"), []byte("not zstd"), "zstd", []string{"decode zstd"}},
		{"inner layer broken", contentEncoding("gzip, br"), compressAs(t, []byte("not gzip"), "br"), "gzip, br", []string{"decode gzip"}},
		{"too many layers", contentEncoding("gzip, gzip, gzip, gzip, gzip"), gz, "gzip, gzip, gzip, gzip, gzip", []string{"stacks 5 codings"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := bytes.Clone(tc.body)
			got, enc, err := DecodeBody(tc.header, tc.body)
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tc.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			if !bytes.Equal(got, raw) || !bytes.Equal(tc.body, raw) {
				t.Fatal("want the raw body back, unmodified")
			}
			if enc != tc.wantEnc {
				t.Errorf("encoding %q, want %q", enc, tc.wantEnc)
			}
		})
	}
}

// gzipZeros returns gzip of n zero bytes, written in chunks so the test does
// not hold n bytes itself.
func gzipZeros(t *testing.T, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := io.CopyN(w, zeroReader{}, n); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.Bytes()
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestDecodeBodyCap(t *testing.T) {
	t.Parallel() // seconds under -race: let it overlap the rest
	bomb := gzipZeros(t, 100<<20)
	got, _, err := DecodeBody(contentEncoding("gzip"), bomb)
	if !errors.Is(err, ErrDecodedTooLarge) || err.Error() != "decoded body exceeds 64 MiB" {
		t.Fatalf("error %v, want ErrDecodedTooLarge", err)
	}
	if len(got) != MaxDecodedBody || bytes.IndexByte(got, 1) >= 0 {
		t.Fatalf("got %d bytes, want the first %d decoded", len(got), MaxDecodedBody)
	}
}

// TestCapReader checks the cap's edge, which the bomb test cannot afford
// to: exactly the cap passes, one byte more fails.
func TestCapReader(t *testing.T) {
	r := &capReader{r: zeroReader{}, n: 10}
	got, err := io.ReadAll(r)
	if len(got) != 10 || !errors.Is(err, ErrDecodedTooLarge) {
		t.Fatalf("got %d bytes, %v", len(got), err)
	}
	got, err = io.ReadAll(&capReader{r: strings.NewReader("0123456789"), n: 10})
	if string(got) != "0123456789" || err != nil {
		t.Fatalf("exactly at the cap: %q %v", got, err)
	}
}

func TestDecodeBodyTenMiB(t *testing.T) {
	t.Parallel()
	chunk := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range chunk {
		chunk[i] = byte(rng.Uint32())
	}
	plain := bytes.Repeat(chunk, DefaultMaxBody/len(chunk))
	got, _, err := DecodeBody(contentEncoding("gzip"), compressAs(t, plain, "gzip"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("%d bytes, %v", len(got), err)
	}
}

func TestParseForm(t *testing.T) {
	cases := []struct {
		body   string
		want   []Field
		errHas string
	}{
		{"", nil, ""},
		{"a=1", []Field{{"a", "1"}}, ""},
		{"b=2&a=1&b=3", []Field{{"b", "2"}, {"a", "1"}, {"b", "3"}}, ""},
		{"name=Jos%C3%A9+Mar%C3%ADa&x=a%2Bb%26c", []Field{{"name", "José María"}, {"x", "a+b&c"}}, ""},
		{"flag&empty=&=nameless", []Field{{"flag", ""}, {"empty", ""}, {"", "nameless"}}, ""},
		{"a=1&&b=2&", []Field{{"a", "1"}, {"b", "2"}}, ""},
		{"a=1;b=2", []Field{{"a", "1;b=2"}}, ""},
		{"k=v=w", []Field{{"k", "v=w"}}, ""},
		{"a=1&bad=%zz&c=3", []Field{{"a", "1"}, {"bad", "%zz"}, {"c", "3"}}, `form field 2 ("bad=%zz"): invalid URL escape "%zz"`},
		{"%g1=x&ok=1&v=%", []Field{{"%g1", "x"}, {"ok", "1"}, {"v", "%"}}, "and 1 more"},
	}
	for _, tc := range cases {
		got, err := ParseForm([]byte(tc.body))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseForm(%q) = %q, want %q", tc.body, got, tc.want)
		}
		if tc.errHas == "" && err != nil || tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)) {
			t.Errorf("ParseForm(%q) error %v, want %q", tc.body, err, tc.errHas)
		}
	}

	big := "file=" + strings.Repeat("x", DefaultMaxBody) + "&n=1"
	if got, err := ParseForm([]byte(big)); err != nil || len(got) != 2 || len(got[0].Value) != DefaultMaxBody {
		t.Fatalf("10 MiB form: %d fields, %v", len(got), err)
	}
}

func multipartBody(t testing.TB, build func(*multipart.Writer)) (contentType string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	build(w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), buf.Bytes()
}

func TestParseMultipart(t *testing.T) {
	file := append([]byte{0x89, 'P', 'N', 'G', 0, 0xff}, bytes.Repeat([]byte{7}, DefaultMaxBody)...)
	ct, body := multipartBody(t, func(w *multipart.Writer) {
		w.WriteField("event", "push")
		w.WriteField("event", "again")
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="upload"; filename="../../etc/logo.png"`)
		h.Set("Content-Type", "image/png")
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		p, _ := w.CreatePart(h)
		p.Write(file)
		w.WriteField("after", "x")
	})
	parts, err := ParseMultipart(ct, body)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 4 {
		t.Fatalf("%d parts, want 4", len(parts))
	}
	names := []string{parts[0].Name, parts[1].Name, parts[2].Name, parts[3].Name}
	if !reflect.DeepEqual(names, []string{"event", "event", "upload", "after"}) {
		t.Fatalf("names %v, want sent order with duplicates", names)
	}
	if string(parts[0].Body) != "push" || string(parts[1].Body) != "again" || parts[0].Filename != "" || parts[0].Size != 4 {
		t.Fatalf("text parts %+v %+v", parts[0], parts[1])
	}
	f := parts[2]
	if f.Filename != "logo.png" || f.ContentType != "image/png" || f.Size != int64(len(file)) || !bytes.Equal(f.Body, file) {
		t.Fatalf("file part: %q %q size %d, bytes equal %v", f.Filename, f.ContentType, f.Size, bytes.Equal(f.Body, file))
	}
	if f.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatal("part header not kept")
	}
}

func TestParseMultipartErrors(t *testing.T) {
	ct, body := multipartBody(t, func(w *multipart.Writer) { w.WriteField("a", "1") })
	cases := []struct {
		name, contentType string
		body              []byte
		wantParts         int
		errHas            string
	}{
		{"missing boundary", "multipart/form-data", body, 0, "no boundary"},
		{"not multipart", "application/json; boundary=x", body, 0, "not multipart"},
		{"bad content type", "multipart/form-data; boundary", body, 0, "Content-Type"},
		{"wrong boundary", "multipart/form-data; boundary=other", body, 0, "part 1"},
		{"cut short", ct, body[:len(body)-10], 1, `part 1 ("a")`},
		{"empty body", ct, nil, 0, "part 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parts, err := ParseMultipart(tc.contentType, tc.body)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("error %v, want one saying %q", err, tc.errHas)
			}
			if len(parts) != tc.wantParts {
				t.Fatalf("%d parts, want %d", len(parts), tc.wantParts)
			}
		})
	}

	ct, body = multipartBody(t, func(w *multipart.Writer) {
		for range MaxParts + 5 {
			w.WriteField("f", "v")
		}
	})
	parts, err := ParseMultipart(ct, body)
	if len(parts) != MaxParts || err == nil || !strings.Contains(err.Error(), "more than 1000 parts") {
		t.Fatalf("%d parts, %v; want %d and an error", len(parts), err, MaxParts)
	}
	ct, body = multipartBody(t, func(w *multipart.Writer) {
		for range MaxParts {
			w.WriteField("f", "v")
		}
	})
	if parts, err := ParseMultipart(ct, body); len(parts) != MaxParts || err != nil {
		t.Fatalf("exactly %d parts: got %d, %v", MaxParts, len(parts), err)
	}
}

func FuzzDecodeBody(f *testing.F) {
	plain := []byte(`{"a":1}`)
	f.Add("gzip", compressAs(f, plain, "gzip"))
	f.Add("deflate", compressAs(f, plain, "zlib"))
	f.Add("deflate", compressAs(f, plain, "rawflate"))
	f.Add("br", compressAs(f, plain, "br"))
	f.Add("zstd", compressAs(f, plain, "zstd"))
	f.Add("gzip, br", compressAs(f, plain, "gzip", "br"))
	f.Add("x-gzip,identity", compressAs(f, plain, "gzip"))
	f.Add("compress", plain)
	f.Add("", plain)
	f.Fuzz(func(t *testing.T, encoding string, body []byte) {
		raw := bytes.Clone(body)
		got, _, err := DecodeBody(contentEncoding(encoding), body)
		if !bytes.Equal(body, raw) {
			t.Fatal("raw body modified")
		}
		if len(got) > MaxDecodedBody {
			t.Fatalf("decoded %d bytes, over the cap", len(got))
		}
		if err != nil && !errors.Is(err, ErrDecodedTooLarge) && !bytes.Equal(got, raw) {
			t.Fatalf("failed decode (%v) did not return the raw body", err)
		}
	})
}

func FuzzParseMultipart(f *testing.F) {
	ct, body := multipartBody(f, func(w *multipart.Writer) {
		w.WriteField("a", "1")
		fw, _ := w.CreateFormFile("file", "x.bin")
		fw.Write([]byte{0, 1, 2})
	})
	f.Add(ct, body)
	f.Add("multipart/mixed; boundary=b", []byte("--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n"))
	f.Add("multipart/form-data", []byte("--b\r\n\r\n--b--"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		parts, _ := ParseMultipart(contentType, body)
		if len(parts) > MaxParts {
			t.Fatalf("%d parts, over the cap", len(parts))
		}
		var total int
		for _, p := range parts {
			if p.Size != int64(len(p.Body)) {
				t.Fatalf("part size %d, body %d bytes", p.Size, len(p.Body))
			}
			total += len(p.Body)
		}
		if total > len(body) {
			t.Fatalf("parts hold %d bytes from a %d-byte body", total, len(body))
		}
	})
}

func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"a=1&b=2&a=3", "x=%zz&y=%2", "+=+&%20", "a;b=c", "&&=&"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fields, err := ParseForm(body)
		if err == nil && len(fields) > bytes.Count(body, []byte("&"))+1 {
			t.Fatalf("%d fields from %d separators", len(fields), bytes.Count(body, []byte("&")))
		}
	})
}
