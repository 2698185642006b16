package har

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/requester/history"
)

func readFixture(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/browser.har")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestImport(t *testing.T) {
	c, ws, err := Import(readFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Items) != 2 || c.Items[0].Name != "api.shop.test" || c.Items[1].Name != "auth.shop.test:8080" {
		t.Fatalf("folders %+v", c.Items)
	}
	api := c.Items[0].Children
	if len(api) != 4 {
		t.Fatalf("%d requests under api.shop.test", len(api))
	}
	get := api[0].Request
	if get.Name != "GET /v1/orders" || get.URL != "https://api.shop.test/v1/orders?limit=2&status=open" || len(get.Params) != 2 {
		t.Errorf("get %+v", get)
	}
	want := []requester.Header{{Name: "accept", Value: "application/json"}, {Name: "x-api-key", Value: "k-1"}, {Name: "cookie", Value: "sid=abc"}}
	if len(get.Headers) != len(want) {
		t.Fatalf("headers %+v", get.Headers)
	}
	for i := range want {
		if get.Headers[i] != want[i] {
			t.Errorf("header %d: %+v, want %+v (pseudo-headers dropped, names as recorded)", i, get.Headers[i], want[i])
		}
	}
	post := api[1].Request
	if post.Body.Kind != requester.BodyJSON || post.Body.Text != `{"sku":"A-1","qty":2}` {
		t.Errorf("post body %+v", post.Body)
	}
	for _, h := range post.Headers {
		if strings.EqualFold(h.Name, "Host") || strings.EqualFold(h.Name, "Content-Length") {
			t.Errorf("kept %s", h.Name)
		}
	}
	login := c.Items[1].Children[0].Request
	if login.Body.Kind != requester.BodyForm || len(login.Body.Form) != 2 || login.Body.Form[0] != (requester.Param{Name: "user", Value: "ann"}) {
		t.Errorf("form %+v", login.Body)
	}
	if b := api[2].Request.Body; b.Kind != requester.BodyText || b.Text != "remember the milk" {
		t.Errorf("text %+v", b)
	}
	up := api[3].Request
	if up.Body.Kind != requester.BodyMultipart || len(up.Body.Parts) != 2 || up.Body.Parts[1].File != "logo.png" {
		t.Errorf("multipart %+v", up.Body)
	}
	if _, ok := header(up.Headers, "Content-Type"); ok {
		t.Error("the recorded multipart Content-Type (old boundary) was kept")
	}
	var sawFile, sawData bool
	for _, w := range ws {
		sawFile = sawFile || strings.Contains(w.Msg, `"logo.png"`)
		sawData = sawData || w.Path == "entry 6" && strings.Contains(w.Msg, "not an http")
	}
	if !sawFile || !sawData {
		t.Errorf("warnings %v", ws)
	}
}

func TestImportBadInput(t *testing.T) {
	cases := map[string]string{
		"empty":        "",
		"junk":         "\x89PNG\r\n\x1a\n\x00\x00",
		"truncated":    `{"log": {"version": "1.2", "entries": [{"request": `,
		"no log":       `{"entries": []}`,
		"no entries":   `{"log": {"version": "1.2"}}`,
		"version 9":    `{"log": {"version": "9.0", "entries": []}}`,
		"entries obj":  `{"log": {"version": "1.2", "entries": {}}}`,
		"log a string": `{"log": "x"}`,
		"entries list": `{"log": {"version": "1.2", "entries": "x"}}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if c, _, err := Import([]byte(in)); err == nil {
				t.Fatalf("no error: %+v", c)
			}
		})
	}
	if _, _, err := Import(make([]byte, MaxSize+1)); err == nil || !strings.Contains(err.Error(), "MiB") {
		t.Errorf("oversized: %v", err)
	}
	// Missing fields in an entry: reported, the rest imported.
	c, ws, err := Import([]byte(`{"log": {"version": "1.2", "entries": [{}, {"request": {"url": "http://a.test/x"}}]}}`))
	if err != nil || len(c.Items) != 1 || len(ws) != 1 {
		t.Errorf("got %+v %v %v", c, ws, err)
	}
}

// An entry with a field of the wrong type is reported by its number and
// left out; every other entry is imported.
func TestImportSkipsEntriesOfWrongTypes(t *testing.T) {
	in := `{"log": {"version": "1.2", "entries": [
		{"request": {"method": "GET", "url": "http://a.test/1", "headers": []}},
		{"request": {"method": "GET", "url": "http://a.test/2", "headers": "x"}},
		{"request": {"method": "GET", "url": 5}},
		{"request": {"method": 5, "url": "http://a.test/4"}},
		"entry",
		{"request": {"method": "POST", "url": "http://a.test/6", "postData": {"mimeType": "text/plain", "text": "hi"}},
		 "response": {"status": "200", "headers": "x"}}
	]}}`
	c, ws, err := Import([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, f := range c.Items {
		for _, it := range f.Children {
			urls = append(urls, it.Request.URL)
		}
	}
	if strings.Join(urls, " ") != "http://a.test/1 http://a.test/6" {
		t.Errorf("imported %q", urls)
	}
	want := []string{
		"entry 2: request.headers is a string, want a list: not imported",
		"entry 3: request.url is a number, want a string: not imported",
		"entry 4: request.method is a number, want a string: not imported",
		"entry 5: the entry is a string, not an object: not imported",
	}
	var got []string
	for _, w := range ws {
		got = append(got, w.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// HAR → Hooklab files → HAR: every request goes out as recorded.
func TestRoundTrip(t *testing.T) {
	data := readFixture(t)
	c, _, err := Import(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "har")
	if _, _, err := collection.Write(c, dir, nil); err != nil {
		t.Fatal(err)
	}
	loaded, err := collection.Load(dir)
	if err != nil || len(loaded.Problems) > 0 {
		t.Fatalf("%v %v", err, loaded.Problems)
	}
	out, ws, err := ExportRequests(loaded, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || !strings.Contains(ws[0].Path, "upload") {
		t.Errorf("want the upload (its file is not in the HAR) left out, got %v", ws)
	}
	var before, after harFile
	if err := json.Unmarshal(data, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &after); err != nil {
		t.Fatal(err)
	}
	byURL := map[string]harRequest{}
	for _, e := range *after.Log.Entries {
		byURL[e.Request.Method+" "+e.Request.URL] = e.Request
	}
	compared := 0
	for _, e := range *before.Log.Entries {
		in := e.Request
		if strings.HasPrefix(in.URL, "data:") || strings.HasSuffix(in.URL, "/upload") {
			continue
		}
		got, ok := byURL[in.Method+" "+in.URL]
		if !ok {
			t.Errorf("%s %s missing from the export", in.Method, in.URL)
			continue
		}
		compared++
		for _, h := range in.Headers {
			if strings.HasPrefix(h.Name, ":") || skipped[strings.ToLower(h.Name)] {
				continue
			}
			if !hasHeader(got.Headers, h) {
				t.Errorf("%s: header %s: %s lost; got %v", in.URL, h.Name, h.Value, got.Headers)
			}
		}
		if (in.PostData == nil) != (got.PostData == nil) {
			t.Errorf("%s: body %v, then %v", in.URL, in.PostData, got.PostData)
		} else if in.PostData != nil && (in.PostData.Text != got.PostData.Text || in.PostData.MimeType != got.PostData.MimeType) {
			t.Errorf("%s: body %+v, then %+v", in.URL, *in.PostData, *got.PostData)
		}
		if len(in.QueryString) != len(got.QueryString) {
			t.Errorf("%s: query %v, then %v", in.URL, in.QueryString, got.QueryString)
		}
	}
	if compared != 4 {
		t.Errorf("compared %d requests", compared)
	}
}

// hasHeader compares names without case: a Go header map canonicalises them.
func hasHeader(hs []nameValue, want nameValue) bool {
	for _, h := range hs {
		if strings.EqualFold(h.Name, want.Name) && h.Value == want.Value {
			return true
		}
	}
	return false
}

func TestExportHistory(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"got":` + string(body) + `}`))
	}))
	defer srv.Close()

	client := requester.NewClient()
	r := requester.Request{Name: "Create", Method: "POST", URL: srv.URL + "/items?a=1&b=x%20y",
		Headers: []requester.Header{{Name: "X-Trace", Value: "t1"}},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: `{"n":1}`}}
	resp, err := client.Send(context.Background(), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	at := time.Date(2026, 3, 4, 5, 6, 7, 8e6, time.UTC)
	ok := history.FromExchange("", r, resp, nil, at)
	failed := history.FromExchange("", requester.Request{URL: "http://127.0.0.1:1/"}, nil, &requester.SendError{Kind: "connect", Msg: "connection refused", Err: io.EOF}, at)

	data, err := ExportHistory([]history.Entry{ok, failed}, "0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	var f harFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Log.Version != "1.2" || len(*f.Log.Entries) != 2 {
		t.Fatalf("log %+v", f.Log)
	}
	e := (*f.Log.Entries)[0]
	if e.StartedDateTime != "2026-03-04T05:06:07.008Z" {
		t.Errorf("startedDateTime %q", e.StartedDateTime)
	}
	if e.Request.Method != "POST" || e.Request.PostData == nil || e.Request.PostData.Text != `{"n":1}` || !hasHeader(e.Request.Headers, nameValue{"X-Trace", "t1"}) {
		t.Errorf("request %+v", e.Request)
	}
	if len(e.Request.QueryString) != 2 || e.Request.QueryString[1] != (nameValue{"b", "x y"}) {
		t.Errorf("query %+v", e.Request.QueryString)
	}
	if e.Response.Status != 201 || e.Response.StatusText != "Created" || e.Response.Content.Text != `{"got":{"n":1}}` {
		t.Errorf("response %+v", e.Response)
	}
	tm := resp.Timings
	if e.Time != msOf(tm.Total) || e.Timings.Wait != msOf(tm.ServerWait.Duration) || e.Timings.Receive != msOf(tm.Download.Duration) {
		t.Errorf("timings %+v time %v, measured %+v", e.Timings, e.Time, tm)
	}
	if e.Timings.SSL != -1 {
		t.Errorf("ssl over http: %v", e.Timings.SSL)
	}
	sum := e.Timings.Send + e.Timings.Wait + e.Timings.Receive + math.Max(e.Timings.DNS, 0) + math.Max(e.Timings.Connect, 0)
	if math.Abs(sum-e.Time) > 0.01 && e.Timings.Send > 0 {
		t.Errorf("phases sum to %v, time %v", sum, e.Time)
	}
	if e.ServerIPAddress != "127.0.0.1" {
		t.Errorf("server address %q", e.ServerIPAddress)
	}
	bad := (*f.Log.Entries)[1]
	if bad.Response.Status != 0 || !strings.Contains(bad.Response.Comment, "connection refused") {
		t.Errorf("failed entry %+v", bad.Response)
	}
}

// A 50 MB HAR (a browser's, with a large response body) imports its
// request; the response is not kept.
func TestImportLargeHAR(t *testing.T) {
	body := strings.Repeat("x", 50<<20)
	data := []byte(`{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "https://cdn.test/app.js", "headers": []},
		"response": {"status": 200, "content": {"size": 52428800, "mimeType": "text/javascript", "text": "` + body + `"}}}]}}`)
	c, ws, err := Import(data)
	if err != nil || len(ws) != 0 || len(c.Items) != 1 || len(c.Items[0].Children) != 1 {
		t.Fatalf("%v %v %+v", err, ws, c)
	}
}

// TestExportRequestsAsWritten: a collection's requests go into the HAR
// with their header names as written and in their order (not sorted and
// canonicalised), and a multipart body with its parts as params, so that
// importing the HAR gives the fields back rather than a text body.
func TestExportRequestsAsWritten(t *testing.T) {
	file := filepath.Join(t.TempDir(), "photo.png")
	os.WriteFile(file, []byte("\x89PNG"), 0o644)
	c := &collection.Collection{Name: "W", Items: []*collection.Item{{Name: "Up", Path: "Up.yml", Request: &requester.Request{
		Method: "POST", URL: "http://api.test/up",
		Headers: []requester.Header{{Name: "OpenAI-Beta", Value: "v2"}, {Name: "x-api-key", Value: "k"}, {Name: "zeta", Value: "1"}, {Name: "Alpha", Value: "2"}},
		Body: requester.Body{Kind: requester.BodyMultipart, Parts: []requester.Part{
			{Name: "title", Value: "Hi"}, {Name: "photo", File: file, ContentType: "image/png"},
		}},
	}}}}
	out, ws, err := ExportRequests(c, nil, "test")
	if err != nil || len(ws) > 0 {
		t.Fatal(err, ws)
	}
	var f harFile
	if err := json.Unmarshal(out, &f); err != nil {
		t.Fatal(err)
	}
	req := (*f.Log.Entries)[0].Request
	var names []string
	for _, h := range req.Headers {
		names = append(names, h.Name)
	}
	if got, want := strings.Join(names, ","), "OpenAI-Beta,x-api-key,zeta,Alpha,Content-Type"; got != want {
		t.Errorf("headers %s, want %s", got, want)
	}
	want := []harParam{{Name: "title", Value: "Hi"}, {Name: "photo", FileName: "photo.png", ContentType: "image/png"}}
	if req.PostData == nil || len(req.PostData.Params) != 2 || req.PostData.Params[0] != want[0] || req.PostData.Params[1] != want[1] {
		t.Fatalf("postData %+v, want params %+v", req.PostData, want)
	}
	back, ws2, err := Import(out)
	if err != nil {
		t.Fatal(err)
	}
	r := back.Items[0].Children[0].Request
	if r.Body.Kind != requester.BodyMultipart || len(r.Body.Parts) != 2 || r.Body.Parts[0].Value != "Hi" || r.Body.Parts[1].File != "photo.png" {
		t.Errorf("imported body %+v", r.Body)
	}
	if len(ws2) != 1 || !strings.Contains(ws2[0].Msg, `file "photo.png" of field "photo" is not in the HAR`) {
		t.Errorf("warnings %v", ws2)
	}
}
