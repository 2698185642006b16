package requester

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// BodyPreviewBytes is how much of a body that streams from files
// Prepared.Body keeps for display.
const BodyPreviewBytes = 64 << 10

// FileError reports a file of the body that cannot be sent. Where is "body
// file" or `multipart part "doc"`; Err is usually an *fs.PathError, so the
// message reads `multipart part "doc": open /x/y.pdf: no such file or
// directory`.
type FileError struct {
	Where, Path string
	Err         error
}

// Error implements error.
func (e *FileError) Error() string { return e.Where + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// segment is a run of a body: bytes, or the first size bytes of a file.
type segment struct {
	data  []byte
	where string // for a file: FileError.Where
	path  string
	size  int64
}

// bodyBuilder collects a body as segments; files are read only when sent.
type bodyBuilder struct {
	segs []segment
	cur  []byte // bytes written since the last file
}

// Write appends p to the body.
func (b *bodyBuilder) Write(p []byte) (int, error) {
	b.cur = append(b.cur, p...)
	return len(p), nil
}

// addFile appends the file at path, checking that it can be read now.
func (b *bodyBuilder) addFile(where, path string) error {
	size, err := checkFile(where, path)
	if err != nil {
		return err
	}
	if len(b.cur) > 0 {
		b.segs = append(b.segs, segment{data: b.cur})
		b.cur = nil
	}
	b.segs = append(b.segs, segment{where: where, path: path, size: size})
	return nil
}

// checkFile returns the size of the regular file at path or a *FileError.
func checkFile(where, path string) (int64, error) {
	fail := func(err error) (int64, error) { return 0, &FileError{Where: where, Path: path, Err: err} }
	if path == "" {
		return fail(errors.New("no file chosen"))
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if fi.IsDir() {
		return fail(&fs.PathError{Op: "read", Path: path, Err: errors.New("is a directory")})
	}
	return fi.Size(), nil
}

// setBody encodes b into p: Body, BodySize, the file segments if any, and a
// Content-Type header unless p already has one.
func setBody(p *Prepared, b Body, vars Vars) error {
	var (
		bb    bodyBuilder
		ctype string
		err   error
	)
	switch b.Kind {
	case BodyNone:
		return nil
	case BodyJSON, BodyXML, BodyText:
		var text string
		text, err = expandIn(b.Text, vars, "body")
		bb.cur = []byte(text)
		ctype = b.Kind.ContentType()
	case BodyForm:
		bb.cur, err = formBody(b.Form, vars)
		ctype = b.Kind.ContentType()
	case BodyMultipart:
		ctype, err = multipartBody(&bb, b.Parts, vars)
	case BodyFile:
		var path string
		if path, err = expandIn(b.File, vars, "body file"); err == nil {
			err = bb.addFile("body file", path)
			ctype = typeByExtension(path)
		}
	case BodyGraphQL:
		bb.cur, err = graphQLBody(b.GraphQL, vars)
		ctype = b.Kind.ContentType()
	default:
		return fmt.Errorf("unknown body kind %q", b.Kind)
	}
	if err != nil {
		return err
	}
	size := int64(len(bb.cur))
	for _, s := range bb.segs {
		size += int64(len(s.data)) + s.size
	}
	switch {
	case size == 0:
		return nil // an empty body is no body, and needs no Content-Type
	case len(bb.segs) == 0:
		p.Body, p.BodySize = bb.cur, size
	default:
		if len(bb.cur) > 0 {
			bb.segs = append(bb.segs, segment{data: bb.cur})
		}
		p.segs, p.BodySize = bb.segs, size
		if p.Body, err = p.preview(); err != nil {
			return err
		}
	}
	if _, ok := p.Header["Content-Type"]; !ok {
		p.Header.Set("Content-Type", ctype)
	}
	return nil
}

// formBody encodes the enabled rows of form in order, skipping blank names.
func formBody(form []Param, vars Vars) ([]byte, error) {
	var b []byte
	for _, f := range form {
		if f.Disabled {
			continue
		}
		where := "form field " + strings.TrimSpace(f.Name)
		name, err := expandIn(f.Name, vars, where)
		if err != nil {
			return nil, err
		}
		value, err := expandIn(f.Value, vars, where)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(name) == "" {
			continue
		}
		if len(b) > 0 {
			b = append(b, '&')
		}
		b = append(b, url.QueryEscape(name)+"="+url.QueryEscape(value)...)
	}
	return b, nil
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// multipartBody writes the enabled parts into bb and returns the
// Content-Type with the boundary. Parts with a blank name are skipped; with
// none left, nothing is written.
func multipartBody(bb *bodyBuilder, parts []Part, vars Vars) (string, error) {
	mw := multipart.NewWriter(bb)
	n := 0
	for _, pt := range parts {
		if pt.Disabled {
			continue
		}
		where := fmt.Sprintf("multipart part %q", strings.TrimSpace(pt.Name))
		name, err := expandIn(pt.Name, vars, where)
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(name) == "" {
			continue
		}
		where = fmt.Sprintf("multipart part %q", name)
		ctype, err := expandIn(pt.ContentType, vars, where)
		if err != nil {
			return "", err
		}
		h := make(textproto.MIMEHeader)
		if pt.File == "" {
			value, err := expandIn(pt.Value, vars, where)
			if err != nil {
				return "", err
			}
			h.Set("Content-Disposition", `form-data; name="`+quoteEscaper.Replace(name)+`"`)
			if ctype != "" {
				h.Set("Content-Type", ctype)
			}
			w, _ := mw.CreatePart(h) // bodyBuilder never fails
			io.WriteString(w, value)
		} else {
			path, err := expandIn(pt.File, vars, where)
			if err != nil {
				return "", err
			}
			if ctype == "" {
				ctype = typeByExtension(path)
			}
			h.Set("Content-Disposition", multipart.FileContentDisposition(name, filepath.Base(path)))
			h.Set("Content-Type", ctype)
			mw.CreatePart(h)
			if err := bb.addFile(where, path); err != nil {
				return "", err
			}
		}
		n++
	}
	if n == 0 {
		return "", nil
	}
	mw.Close()
	return mw.FormDataContentType(), nil
}

// typeByExtension is the media type for a file name's extension, or
// application/octet-stream.
func typeByExtension(path string) string {
	if t := mime.TypeByExtension(filepath.Ext(path)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// graphQLBody encodes a query and its variables as GraphQL over HTTP does:
// {"query":"...","variables":{...}}, without variables when they are blank.
func graphQLBody(g GraphQL, vars Vars) ([]byte, error) {
	const where = "GraphQL variables"
	query, err := expandIn(g.Query, vars, "GraphQL query")
	if err != nil {
		return nil, err
	}
	variables, err := expandIn(g.Variables, vars, where)
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if trimmed := strings.TrimSpace(variables); trimmed != "" {
		if je := CheckJSON(variables); je != nil {
			je.Where = where
			return nil, je
		}
		if trimmed[0] != '{' {
			line, col := lineColumn(variables, strings.Index(variables, trimmed))
			return nil, &JSONError{Where: where, Line: line, Column: col, Msg: "variables must be a JSON object"}
		}
		raw = json.RawMessage(variables)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // send "<" as typed, not as \u003c
	err = enc.Encode(struct {
		Query     string          `json:"query"`
		Variables json.RawMessage `json:"variables,omitempty"`
	}{query, raw})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// preview reads the start of a body that streams from files.
func (p *Prepared) preview() ([]byte, error) {
	r := p.open()
	defer r.Close()
	buf := make([]byte, min(p.BodySize, BodyPreviewBytes))
	_, err := io.ReadFull(r, buf)
	return buf, err
}

// open returns the whole body as a stream, reading files as it goes.
func (p *Prepared) open() io.ReadCloser {
	if p.segs == nil {
		return io.NopCloser(bytes.NewReader(p.Body))
	}
	rc := &segmentsReader{}
	readers := make([]io.Reader, len(p.segs))
	for i, s := range p.segs {
		if s.path == "" {
			readers[i] = bytes.NewReader(s.data)
			continue
		}
		f := &fileReader{seg: s}
		rc.files = append(rc.files, f)
		readers[i] = f
	}
	rc.Reader = io.MultiReader(readers...)
	return rc
}

// segmentsReader reads the segments of a body and closes the files it opened.
type segmentsReader struct {
	io.Reader
	files []*fileReader
}

// Close closes any file still open.
func (r *segmentsReader) Close() error {
	for _, f := range r.files {
		f.close()
	}
	return nil
}

// fileReader reads exactly seg.size bytes of seg.path, opening it on the
// first Read, so the Content-Length sent stays true.
type fileReader struct {
	seg  segment
	f    *os.File
	read int64
}

func (r *fileReader) Read(p []byte) (int, error) {
	if r.read >= r.seg.size {
		r.close()
		return 0, io.EOF
	}
	if r.f == nil {
		f, err := os.Open(r.seg.path)
		if err != nil {
			return 0, &FileError{Where: r.seg.where, Path: r.seg.path, Err: err}
		}
		r.f = f
	}
	if left := r.seg.size - r.read; int64(len(p)) > left {
		p = p[:left]
	}
	n, err := r.f.Read(p)
	r.read += int64(n)
	switch {
	case err == io.EOF && r.read < r.seg.size:
		err = &fs.PathError{Op: "read", Path: r.seg.path, Err: errors.New("the file got shorter while it was being sent")}
	case err == io.EOF:
		err = nil
	}
	if err != nil {
		r.close()
		return n, &FileError{Where: r.seg.where, Path: r.seg.path, Err: err}
	}
	return n, nil
}

func (r *fileReader) close() {
	if r.f != nil {
		r.f.Close()
		r.f = nil
	}
}
