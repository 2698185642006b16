package requester

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeFile creates name in dir with data and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pattern returns n bytes that do not repeat with a short period.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func TestSendBodyKinds(t *testing.T) {
	srv, got := recorder(t, nil)
	c := NewClient()
	vars := Vars{"id": "7", "k": "key", "v": "val"}
	tests := []struct {
		name     string
		body     Body
		wantBody string
		wantCT   string // "" means no Content-Type header
	}{
		{"json", Body{Kind: BodyJSON, Text: `{"id":"{{id}}"}`}, `{"id":"7"}`, "application/json"},
		{"xml", Body{Kind: BodyXML, Text: "<id>{{id}}</id>"}, "<id>7</id>", "application/xml"},
		{"text", Body{Kind: BodyText, Text: "id {{id}}\n"}, "id 7\n", "text/plain; charset=utf-8"},
		{"form", Body{Kind: BodyForm, Form: []Param{
			{Name: "a", Value: "1"},
			{Name: "b b", Value: "x y&z/é=+"},
			{Name: "off", Value: "no", Disabled: true},
			{Name: " ", Value: "blank name"},
			{Name: "{{k}}", Value: "{{v}}"},
			{Name: "a", Value: "2"},
		}}, "a=1&b+b=x+y%26z%2F%C3%A9%3D%2B&key=val&a=2", "application/x-www-form-urlencoded"},
		{"form without rows", Body{Kind: BodyForm, Form: []Param{{Name: "x", Disabled: true}}}, "", ""},
		{"graphql", Body{Kind: BodyGraphQL, GraphQL: GraphQL{
			Query:     `query Q($id: ID!) { node(id: $id) { ... on <T> { name(f: "a\b") } } }`,
			Variables: "{\n  \"id\": \"{{id}}\",\n  \"n\": [1, 2.50]\n}",
		}}, `{"query":"query Q($id: ID!) { node(id: $id) { ... on <T> { name(f: \"a\\b\") } } }","variables":{"id":"7","n":[1,2.50]}}`, "application/json"},
		{"graphql without variables", Body{Kind: BodyGraphQL, GraphQL: GraphQL{Query: "{ me }", Variables: " \n"}}, `{"query":"{ me }"}`, "application/json"},
		{"none ignores the other fields", Body{Text: "x", Form: []Param{{Name: "a"}}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, c, Request{Method: "POST", URL: srv.URL, Body: tt.body}, vars)
			g := <-got
			if string(g.body) != tt.wantBody || g.header.Get("Content-Type") != tt.wantCT {
				t.Fatalf("server got %q with Content-Type %q; want %q with %q", g.body, g.header.Get("Content-Type"), tt.wantBody, tt.wantCT)
			}
			if string(resp.Request.Body) != tt.wantBody || resp.Request.BodySize != int64(len(tt.wantBody)) {
				t.Errorf("Request.Body %q size %d", resp.Request.Body, resp.Request.BodySize)
			}
		})
	}
}

func TestSendMultipart(t *testing.T) {
	dir := t.TempDir()
	png := writeFile(t, dir, "pixel.png", []byte("\x89PNG\r\n\x1a\nfake"))
	csv := writeFile(t, dir, "report.bin", []byte("a,b\n1,2\n"))
	raw := writeFile(t, dir, "blob.hooklab-unknown", pattern(1000))
	srv, got := recorder(t, nil)
	resp := send(t, NewClient(), Request{Method: "PUT", URL: srv.URL, Body: Body{Kind: BodyMultipart, Parts: []Part{
		{Name: "note", Value: "hi {{id}}"},
		{Name: "meta", Value: `{"a":1}`, ContentType: "application/json"},
		{Name: "skipped", Value: "x", Disabled: true},
		{Name: "", Value: "blank name"},
		{Name: "image", File: png},
		{Name: `doc "{{id}}"`, File: "{{dir}}/report.bin", ContentType: "text/csv"},
		{Name: "blob", File: raw},
	}}}, Vars{"id": "7", "dir": dir})
	g := <-got

	mediaType, params, err := mime.ParseMediaType(g.header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q: %v", g.header.Get("Content-Type"), err)
	}
	// The exact bytes: what mime/multipart writes with the same boundary.
	var want bytes.Buffer
	mw := multipart.NewWriter(&want)
	mw.SetBoundary(params["boundary"])
	mw.WriteField("note", "hi 7")
	w, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Disposition": {`form-data; name="meta"`}, "Content-Type": {"application/json"}})
	io.WriteString(w, `{"a":1}`)
	for _, f := range []struct{ name, file, ctype, path string }{
		{"image", "pixel.png", "image/png", png},
		{`doc "7"`, "report.bin", "text/csv", csv},
		{"blob", "blob.hooklab-unknown", "application/octet-stream", raw},
	} {
		w, _ := mw.CreatePart(textproto.MIMEHeader{
			"Content-Disposition": {multipart.FileContentDisposition(f.name, f.file)},
			"Content-Type":        {f.ctype},
		})
		data, _ := os.ReadFile(f.path)
		w.Write(data)
	}
	mw.Close()
	if !bytes.Equal(g.body, want.Bytes()) {
		t.Fatalf("server got\n%q\nwant\n%q", g.body, want.Bytes())
	}
	if cl := g.header.Get("Content-Length"); cl != strconv.Itoa(want.Len()) || resp.Request.BodySize != int64(want.Len()) {
		t.Errorf("Content-Length %s, BodySize %d; want %d", cl, resp.Request.BodySize, want.Len())
	}
	if !bytes.Equal(resp.Request.Body, want.Bytes()) {
		t.Errorf("Request.Body differs from what was sent")
	}

	// And a server-side parser reads the parts back.
	mr := multipart.NewReader(bytes.NewReader(g.body), params["boundary"])
	var names []string
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		names = append(names, p.FormName()+"|"+p.FileName()+"|"+p.Header.Get("Content-Type"))
	}
	wantNames := []string{"note||", "meta||application/json", "image|pixel.png|image/png", `doc "7"|report.bin|text/csv`, "blob|blob.hooklab-unknown|application/octet-stream"}
	if strings.Join(names, "\n") != strings.Join(wantNames, "\n") {
		t.Errorf("parts\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(wantNames, "\n"))
	}
}

func TestSendFileBody(t *testing.T) {
	dir := t.TempDir()
	big := pattern(200 << 10)
	srv, got := recorder(t, nil)
	c := NewClient()
	tests := []struct {
		name, file string
		data       []byte
		wantCT     string
	}{
		{"big json streams", "data.json", big, "application/json"},
		{"unknown extension", "blob.hooklab-unknown", []byte("\x00\x01raw"), "application/octet-stream"},
		{"empty file", "empty.png", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFile(t, dir, tt.file, tt.data)
			resp := send(t, c, Request{Method: "POST", URL: srv.URL, Body: Body{Kind: BodyFile, File: "{{dir}}/" + tt.file}}, Vars{"dir": dir})
			g := <-got
			if !bytes.Equal(g.body, tt.data) || g.header.Get("Content-Type") != tt.wantCT {
				t.Fatalf("server got %d bytes, Content-Type %q; want %d bytes, %q", len(g.body), g.header.Get("Content-Type"), len(tt.data), tt.wantCT)
			}
			p := resp.Request
			preview := tt.data[:min(len(tt.data), BodyPreviewBytes)]
			if p.BodySize != int64(len(tt.data)) || !bytes.Equal(p.Body, preview) {
				t.Errorf("Request.Body %d bytes, BodySize %d; want the first %d, %d", len(p.Body), p.BodySize, len(preview), len(tt.data))
			}
		})
	}
}

func TestSendFileBodyFollows307(t *testing.T) {
	data := pattern(100 << 10)
	path := writeFile(t, t.TempDir(), "x.bin", data)
	srv, got := recorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusTemporaryRedirect)
		}
	})
	resp := send(t, NewClient(), Request{Method: "POST", URL: srv.URL + "/old", Body: Body{Kind: BodyFile, File: path}}, nil)
	first, second := <-got, <-got
	if resp.Status != 200 || second.uri != "/new" || !bytes.Equal(first.body, data) || !bytes.Equal(second.body, data) {
		t.Fatalf("status %d, second hop %s with %d bytes; want the file sent to both", resp.Status, second.uri, len(second.body))
	}
}

func TestPrepareFileErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "y.pdf")
	tests := []struct {
		name     string
		body     Body
		where    string
		path     string
		msg      string
		notExist bool
	}{
		{"missing body file", Body{Kind: BodyFile, File: missing}, "body file", missing,
			"body file: open " + missing + ": no such file or directory", true},
		{"missing part file", Body{Kind: BodyMultipart, Parts: []Part{{Name: "a", Value: "1"}, {Name: "doc", File: missing}}}, `multipart part "doc"`, missing,
			`multipart part "doc": open ` + missing + ": no such file or directory", true},
		{"directory", Body{Kind: BodyFile, File: dir}, "body file", dir,
			"body file: read " + dir + ": is a directory", false},
		{"no file chosen", Body{Kind: BodyFile}, "body file", "", "body file: no file chosen", false},
	}
	srv, got := recorder(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient().Send(context.Background(), Request{Method: "POST", URL: srv.URL, Body: tt.body}, nil)
			var fe *FileError
			if !errors.As(err, &fe) || fe.Where != tt.where || fe.Path != tt.path || err.Error() != tt.msg {
				t.Fatalf("err = %#v (%v); want *FileError %q", err, err, tt.msg)
			}
			if errors.Is(err, fs.ErrNotExist) != tt.notExist {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v", !tt.notExist)
			}
		})
	}
	select {
	case c := <-got:
		t.Fatalf("server got %s %s", c.method, c.uri)
	default:
	}

	// HEAD and OPTIONS send no body, so their body is not looked at.
	for _, m := range []string{"HEAD", "OPTIONS"} {
		p, err := Prepare(Request{Method: m, URL: "http://h/", Body: Body{Kind: BodyFile, File: missing}}, nil)
		if err != nil || p.Body != nil || p.BodySize != 0 || len(p.Header) != 0 {
			t.Errorf("%s: %+v, %v; want no body and no error", m, p, err)
		}
	}
}

func TestPreparedBodyFileShrinks(t *testing.T) {
	path := writeFile(t, t.TempDir(), "x.txt", []byte("0123456789"))
	p, err := Prepare(Request{Method: "POST", URL: "http://h/", Body: Body{Kind: BodyFile, File: path}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("0123"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := p.open()
	defer r.Close()
	_, err = io.ReadAll(r)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "got shorter") {
		t.Fatalf("err = %v; want *FileError about the file getting shorter", err)
	}
}

func TestPrepareBodyVariableErrors(t *testing.T) {
	tests := []struct {
		name  string
		body  Body
		where string
	}{
		{"text", Body{Kind: BodyText, Text: "{{nope}}"}, "body"},
		{"form", Body{Kind: BodyForm, Form: []Param{{Name: "f", Value: "{{nope}}"}}}, "form field f"},
		{"part", Body{Kind: BodyMultipart, Parts: []Part{{Name: "p", Value: "{{nope}}"}}}, `multipart part "p"`},
		{"part file", Body{Kind: BodyMultipart, Parts: []Part{{Name: "p", File: "{{nope}}.pdf"}}}, `multipart part "p"`},
		{"file", Body{Kind: BodyFile, File: "/tmp/{{nope}}"}, "body file"},
		{"graphql query", Body{Kind: BodyGraphQL, GraphQL: GraphQL{Query: "{{nope}}"}}, "GraphQL query"},
		{"graphql variables", Body{Kind: BodyGraphQL, GraphQL: GraphQL{Variables: `{"a":"{{nope}}"}`}}, "GraphQL variables"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Prepare(Request{Method: "POST", URL: "http://h/", Body: tt.body}, nil)
			var uv *UnknownVariableError
			if !errors.As(err, &uv) || uv.Name != "nope" || uv.Where != tt.where {
				t.Fatalf("err = %v; want unknown {{nope}} in %s", err, tt.where)
			}
		})
	}
}

func TestPrepareGraphQLVariablesErrors(t *testing.T) {
	tests := []struct {
		variables string
		line, col int
		msg       string
	}{
		{"{\n  \"id\": 7,\n}", 3, 1, "invalid character '}' looking for beginning of object key string"},
		{"{\"id\": {{id}}x}", 1, 9, "invalid character 'x' after object key:value pair"},
		{"\n  [1, 2]", 2, 3, "variables must be a JSON object"},
	}
	for _, tt := range tests {
		_, err := Prepare(Request{Method: "POST", URL: "http://h/", Body: Body{Kind: BodyGraphQL, GraphQL: GraphQL{Query: "{ a }", Variables: tt.variables}}}, Vars{"id": "7"})
		var je *JSONError
		if !errors.As(err, &je) || je.Where != "GraphQL variables" || je.Line != tt.line || je.Column != tt.col || je.Msg != tt.msg {
			t.Errorf("variables %q: err = %#v; want GraphQL variables line %d column %d %q", tt.variables, err, tt.line, tt.col, tt.msg)
			continue
		}
		if !strings.HasPrefix(err.Error(), "GraphQL variables: line ") {
			t.Errorf("Error() = %q", err)
		}
	}
}

func TestSendFileVanishesMidExchange(t *testing.T) {
	path := writeFile(t, t.TempDir(), "x.bin", pattern(1000))
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) {
		os.Remove(path) // before the 307 makes the client send the file again
		http.Redirect(w, r, "/again", http.StatusTemporaryRedirect)
	})
	_, err := NewClient().Send(context.Background(), Request{Method: "POST", URL: srv.URL, Body: Body{Kind: BodyFile, File: path}}, nil)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Where != "body file" || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %#v (%v); want *FileError for the missing file", err, err)
	}
}
