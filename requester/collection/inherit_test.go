package collection

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hooklab/requester"
)

// brunoFolder writes a collection in the shape Bruno writes them (written
// here from the OpenCollection schema): auth, headers and variables at the
// collection and folder level, requests that inherit them, path params,
// runtime variables, the {mode: json} body form, an oauth2 folder, a
// lockfile and an ignored folder. base_url is the environment's, in a file
// whose name differs from its name:.
func brunoFolder(t testing.TB, baseURL string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"opencollection.yml": `opencollection: 1.0.0
info:
  name: Activities
request:
  auth:
    type: bearer
    token: "{{token}}"
  headers:
    - name: X-Client
      value: hooklab-test
    - name: X-Level
      value: collection
  variables:
    - name: token
      value: coll-token
extensions:
  bruno:
    ignore:
      - node_modules
      - scratch
`,
		"environments/staging.yml": "name: Staging (EU)\nvariables:\n  - name: base_url\n    value: " + baseURL + "\n",
		"pnpm-lock.yaml":           "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: {}\n",
		"Create activity.yml": `info:
  name: Create activity
  type: http
  seq: 1
http:
  method: POST
  url: "{{base_url}}/activity/:id?verbose=1"
  params:
    - name: verbose
      value: "1"
      type: query
    - name: id
      value: "{{activity_id}}"
      type: path
  body:
    mode: json
    json: '{"kind": "run"}'
  auth: inherit
runtime:
  variables:
    - name: activity_id
      value: "7"
`,
		"Public.yml": `info:
  name: Public
  type: http
  seq: 2
http:
  method: GET
  url: "{{base_url}}/public"
`,
		"Users/folder.yml": `info:
  name: Users
  type: folder
request:
  auth:
    type: basic
    username: ann
    password: "{{pw}}"
  headers:
    - name: x-level
      value: folder
  variables:
    - name: pw
      value: folder-pw
`,
		"Users/Get user.yml": `info:
  name: Get user
  type: http
http:
  method: GET
  url: "{{base_url}}/users/:id"
  params:
    - name: id
      value: "42"
      type: path
  auth: inherit
`,
		"Users/Deep/Own auth.yml": `info:
  name: Own auth
  type: http
http:
  method: GET
  url: "{{base_url}}/own"
  auth:
    type: bearer
    token: own-token
`,
		"Legacy/folder.yml": `info:
  name: Legacy
  type: folder
request:
  auth:
    type: oauth2
    flow: client_credentials
`,
		"Legacy/Old.yml": `info:
  name: Old
  type: http
http:
  method: GET
  url: "{{base_url}}/old"
  auth: inherit
`,
		"scratch/Ignored.yml": "info:\n  name: Ignored\n  type: http\nhttp:\n  method: GET\n  url: \"{{base_url}}/ignored\"\n",
	}
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// seen is what a test server received, by path.
type seen struct {
	mu   sync.Mutex
	hits map[string]http.Header
	body map[string]string
}

func (s *seen) handler(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.hits[r.URL.RequestURI()] = r.Header.Clone()
	s.body[r.URL.RequestURI()] = string(b)
	s.mu.Unlock()
	io.WriteString(w, "ok")
}

func TestRunBrunoFolderOnTheWire(t *testing.T) {
	s := &seen{hits: map[string]http.Header{}, body: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(s.handler))
	t.Cleanup(srv.Close)
	root := brunoFolder(t, srv.URL)

	var out bytes.Buffer
	sum, err := Run(context.Background(), requester.NewClient(), RunOptions{Path: root, Env: "staging"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if sum != (RunSummary{Sent: 4, Failed: 1}) {
		t.Errorf("summary %+v, output:\n%s", sum, out.String())
	}
	for _, want := range []string{
		`WARN Legacy/folder.yml: auth type "oauth2" is not supported: requests using it are not sent`,
		`ERR  auth: auth type "oauth2" (in Legacy/folder.yml) is not supported by Hooklab; not sent  Old  (Legacy/Old.yml)`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	tests := []struct {
		uri, auth, level, body string
	}{
		// auth: inherit from the collection; path param from a runtime variable; {mode: json}.
		{"/activity/7?verbose=1", "Bearer coll-token", "collection", `{"kind": "run"}`},
		// No auth: none, yet the collection's headers.
		{"/public", "", "collection", ""},
		// auth: inherit from the folder; the folder's variable and header (named in another case).
		{"/users/42", "Basic YW5uOmZvbGRlci1wdw==", "folder", ""},
		// Its own auth wins over the folder's.
		{"/own", "Bearer own-token", "folder", ""},
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tt := range tests {
		h, ok := s.hits[tt.uri]
		if !ok {
			t.Errorf("%s: not received; got %v", tt.uri, keys(s.hits))
			continue
		}
		if got := h.Get("Authorization"); got != tt.auth {
			t.Errorf("%s: Authorization %q, want %q", tt.uri, got, tt.auth)
		}
		if got := h.Values("X-Level"); len(got) != 1 || got[0] != tt.level {
			t.Errorf("%s: X-Level %q, want just %q", tt.uri, got, tt.level)
		}
		if got := h.Get("X-Client"); got != "hooklab-test" {
			t.Errorf("%s: X-Client %q", tt.uri, got)
		}
		if got := s.body[tt.uri]; got != tt.body {
			t.Errorf("%s: body %q, want %q", tt.uri, got, tt.body)
		}
	}
	for _, uri := range []string{"/old", "/ignored"} {
		if _, ok := s.hits[uri]; ok {
			t.Errorf("%s was sent", uri)
		}
	}
	if ct := s.hits["/activity/7?verbose=1"].Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
}

func keys(m map[string]http.Header) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestLoadBrunoFolder(t *testing.T) {
	c, err := Load(brunoFolder(t, "http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 0 {
		t.Errorf("problems: %v", c.Problems)
	}
	var paths []string
	Walk(c.Items, func(it *Item) {
		if it.Request != nil {
			paths = append(paths, it.Path)
		}
	})
	want := []string{"Legacy/Old.yml", "Users/Deep/Own auth.yml", "Users/Get user.yml", "Create activity.yml", "Public.yml"}
	if strings.Join(paths, ",") != strings.Join(want, ",") {
		t.Errorf("requests %q, want %q (no lockfile, nothing ignored)", paths, want)
	}
	if len(c.Warnings) != 1 || c.Warnings[0].Path != "Legacy/folder.yml" {
		t.Errorf("warnings %v", c.Warnings)
	}
	if c.Defaults.AuthType != "bearer" || c.Defaults.Auth.Token != "{{token}}" || len(c.Defaults.Headers) != 2 {
		t.Errorf("collection defaults %+v", c.Defaults)
	}
}

func TestEnvironmentByName(t *testing.T) {
	c := &Collection{
		Environments: []requester.Environment{{Name: "Local"}, {Name: "Staging (EU)"}, {Name: "prod"}, {Name: "Prod"}},
		envFiles:     []string{"local", "staging", "prod-a", "prod-b"},
	}
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"Local", "Local", true},
		{"local", "Local", true},          // the file name
		{"staging", "Staging (EU)", true}, // the file name, not the name inside
		{"STAGING", "Staging (EU)", true}, // case, when only one matches
		{"Prod", "Prod", true},            // exact name first
		{"PROD", "", false},               // two match in another case
		{"prod-b", "Prod", true},
		{"staging.yml", "Staging (EU)", true},              // the file name with its extension
		{"environments/staging.yml", "Staging (EU)", true}, // as a shell completes it
		{"prod-a.bru", "prod", true},
		{"qa.yml", "", false},
		{".yml", "", false},
		{"qa", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		e, ok := c.Environment(tt.name)
		if ok != tt.ok || e.Name != tt.want {
			t.Errorf("Environment(%q) = %q, %v; want %q, %v", tt.name, e.Name, ok, tt.want, tt.ok)
		}
	}
}

func TestWithPathParams(t *testing.T) {
	id := []requester.Param{{Name: "id", Value: "7"}, {Name: "off", Value: "x", Disabled: true}}
	tests := []struct{ url, want string }{
		{"https://h/activity/:id", "https://h/activity/7"},
		{"{{base}}/activity/:id/items?x=:id#:id", "{{base}}/activity/7/items?x=:id#:id"},
		{"https://h/:idx/:id", "https://h/:idx/7"},
		{"https://h/:off", "https://h/:off"},
		{"https://h:8080/a", "https://h:8080/a"},
		{"https://h", "https://h"},
	}
	for _, tt := range tests {
		if got := withPathParams(tt.url, id); got != tt.want {
			t.Errorf("withPathParams(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestIgnored(t *testing.T) {
	pats := []string{"node_modules", "./scratch/", "*.lock.yml", "docs/drafts"}
	tests := []struct {
		rel  string
		want bool
	}{
		{"node_modules", true},
		{"a/node_modules", true},
		{"scratch", true},
		{"scratch/x.yml", true},
		{"pnpm.lock.yml", true},
		{"docs/drafts/a.yml", true},
		{"docs/a.yml", false},
		{"Users/Get user.yml", false},
	}
	for _, tt := range tests {
		if got := ignored(pats, tt.rel); got != tt.want {
			t.Errorf("ignored(%q) = %v", tt.rel, got)
		}
	}
}

func TestRunJSONUnsupportedAuth(t *testing.T) {
	root := brunoFolder(t, "http://127.0.0.1:1")
	var out bytes.Buffer
	sum, err := Run(context.Background(), requester.NewClient(), RunOptions{Path: filepath.Join(root, "Legacy"), JSON: true}, &out)
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil || sum.Failed != 1 {
		t.Fatalf("%v %+v %s", err, sum, out.String())
	}
	if e, _ := rec["error"].(string); !strings.HasPrefix(e, `auth: auth type "oauth2"`) {
		t.Errorf("error %q", rec["error"])
	}
}

// FuzzSendable feeds arbitrary folder.yml and request files to the readers
// and to Sendable: nothing may panic.
func FuzzSendable(f *testing.F) {
	root := brunoFolder(f, "http://127.0.0.1:1")
	folder, _ := os.ReadFile(filepath.Join(root, "Users", "folder.yml"))
	req, _ := os.ReadFile(filepath.Join(root, "Create activity.yml"))
	f.Add(folder, req)
	f.Add([]byte("request:\n  auth: inherit\n"), []byte("http:\n  url: 'x/:a/:'\n  params: [{name: a, value: '', type: path}]\n  auth: {type: awsv4}\n"))
	f.Add([]byte("request: {headers: [{name: 1}], auth: [x]}"), []byte("lockfileVersion: 9"))
	f.Fuzz(func(t *testing.T, folderData, reqData []byte) {
		fdoc, err := parseDoc(folderData)
		if err != nil {
			return
		}
		var dir Item
		dir.Folder, dir.Path = true, "F"
		dir.Defaults, _ = decodeDefaults(fdoc)
		rdoc, err := parseDoc(reqData)
		if err != nil || !isRequestDoc(rdoc) {
			return
		}
		r, x, err := decodeRequestFile(rdoc)
		if err != nil {
			return
		}
		it := &Item{Path: "F/r.yml", Request: &r, AuthType: x.authType, PathParams: x.pathParams, RuntimeVars: x.runtimeVars}
		dir.Children = []*Item{it}
		c := &Collection{Items: []*Item{&dir}, Defaults: dir.Defaults}
		Sendable(c, it)
	})
}

// TestBodyTypesHooklabCannotSend: a body type Hooklab cannot hold (sparql,
// an unknown one) is a load warning and the request is refused, not sent
// without its body; once an editor gives it another body it is sent. Rows
// of Bruno's {mode: …} body form that say enabled: false stay off.
func TestBodyTypesHooklabCannotSend(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"opencollection.yml": "opencollection: 1.0.0\ninfo:\n  name: B\n",
		"Sparql.yml":         "info:\n  name: Sparql\n  type: http\nhttp:\n  method: POST\n  url: http://h/q\n  body:\n    type: sparql\n    data: SELECT * WHERE {?s ?p ?o}\n",
		"Mode.yml":           "info:\n  name: Mode\n  type: http\nhttp:\n  method: POST\n  url: http://h/m\n  body:\n    mode: graphqlish\n    graphqlish: x\n",
		"Form.yml": "info:\n  name: Form\n  type: http\nhttp:\n  method: POST\n  url: http://h/f\n  body:\n    mode: formUrlEncoded\n    formUrlEncoded:\n" +
			"      - name: a\n        value: \"1\"\n      - name: b\n        value: \"2\"\n        enabled: false\n      - name: c\n        value: \"3\"\n        enabled: true\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Load(root)
	if err != nil || len(c.Problems) > 0 {
		t.Fatal(err, c.Problems)
	}
	var warns []string
	for _, w := range c.Warnings {
		warns = append(warns, w.Error())
	}
	want := `Mode.yml: body type "graphqlish" is not supported: the request is not sent` + "\n" +
		`Sparql.yml: body type "sparql" is not supported: the request is not sent`
	if got := strings.Join(warns, "\n"); got != want {
		t.Errorf("warnings:\n%s\nwant\n%s", got, want)
	}
	sparql := Lookup(c.Items, "Sparql.yml")
	_, _, err = Sendable(c, sparql)
	var be *UnsupportedBodyError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), `body type "sparql" (in Sparql.yml) is not supported by Hooklab; not sent`) {
		t.Errorf("Sendable: %v", err)
	}
	edited := *sparql
	r := *sparql.Request
	r.Body = requester.Body{Kind: requester.BodyText, Text: "SELECT 1"}
	edited.Request = &r
	if _, _, err := Sendable(c, &edited); err != nil {
		t.Errorf("with a body from the editor: %v", err)
	}
	form := Lookup(c.Items, "Form.yml").Request.Body.Form
	if len(form) != 3 || form[0].Disabled || !form[1].Disabled || form[2].Disabled {
		t.Errorf("form rows %+v", form)
	}
}
