package collection

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hooklab/requester"
)

// runFixture is a collection whose Local environment points at an
// httptest server, with one request to a port nothing listens on.
func runFixture(t *testing.T) (root, secrets string, hits chan string) {
	t.Helper()
	hits = make(chan string, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hits <- r.Method + " " + r.URL.RequestURI() + " key=" + r.Header.Get("X-Api-Key") + " " + string(body)
		switch r.URL.Path {
		case "/v1/payments":
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"id":"pay_1"}`)
		case "/health":
			io.WriteString(w, "ok")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	// A port that refuses connections: listen, note the address, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	root = filepath.Join(t.TempDir(), "shop")
	if _, err := Create(root, "Shop"); err != nil {
		t.Fatal(err)
	}
	if err := SaveCollection(root, "Shop", []requester.Var{{Name: "amount", Value: "100"}}); err != nil {
		t.Fatal(err)
	}
	secrets = filepath.Join(t.TempDir(), "secrets.json")
	store, _ := OpenSecretStore(secrets)
	err = SaveEnvironment(root, requester.Environment{Name: "Local", Vars: []requester.Var{
		{Name: "base_url", Value: srv.URL},
		{Name: "down_url", Value: refused},
		{Name: "api_key", Value: "sk_secret", Secret: true},
	}}, store)
	if err != nil {
		t.Fatal(err)
	}
	folder, _ := NewFolder(root, "", "Payments")
	mustNew := func(folder, name string, r requester.Request) {
		if _, err := NewRequest(root, folder, name, r); err != nil {
			t.Fatal(err)
		}
	}
	mustNew(folder, "Create payment", requester.Request{
		Method: "POST", URL: "{{base_url}}/v1/payments",
		Headers: []requester.Header{{Name: "X-Api-Key", Value: "{{api_key}}"}},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: `{"amount": {{amount}}}`},
	})
	mustNew(folder, "Missing", requester.Request{Method: "GET", URL: "{{base_url}}/nope"})
	mustNew("", "Health", requester.Request{URL: "{{base_url}}/health"})
	mustNew("", "Down", requester.Request{Method: "GET", URL: "{{down_url}}/"})
	return root, secrets, hits
}

func TestRunText(t *testing.T) {
	root, secrets, hits := runFixture(t)
	var out bytes.Buffer
	sum, err := Run(context.Background(), requester.NewClient(), RunOptions{
		Path: root, Env: "Local", Vars: map[string]string{"amount": "1200"}, SecretsPath: secrets,
	}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if sum != (RunSummary{Sent: 3, Failed: 1}) {
		t.Errorf("summary %+v", sum)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^201 Created +\d+ ms  Create payment  \(Payments/Create payment\.yml\)$`),
		regexp.MustCompile(`^404 Not Found +\d+ ms  Missing  \(Payments/Missing\.yml\)$`),
		regexp.MustCompile(`^200 OK +\d+ ms  Health  \(Health\.yml\)$`),
		regexp.MustCompile(`^ERR  refused: Connection refused by 127\.0\.0\.1:\d+ — is the server running\?  Down  \(Down\.yml\)$`),
		regexp.MustCompile(`^3 sent, 1 failed$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s", out.String())
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d = %q, want %v", i, lines[i], re)
		}
	}
	if first := <-hits; first != `POST /v1/payments key=sk_secret {"amount": 1200}` {
		t.Errorf("server got %q", first)
	}
	// The example layout: status padded, time right-aligned.
	if !strings.HasPrefix(lines[0], "201 Created  ") {
		t.Errorf("layout %q", lines[0])
	}
}

func TestRunJSON(t *testing.T) {
	root, secrets, _ := runFixture(t)
	var out bytes.Buffer
	sum, err := Run(context.Background(), requester.NewClient(), RunOptions{
		Path: filepath.Join(root, "Payments"), Env: "Local", Vars: map[string]string{"amount": "5"}, SecretsPath: secrets, JSON: true,
	}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if sum != (RunSummary{Sent: 2}) {
		t.Errorf("summary %+v", sum)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one line per request, got:\n%s", out.String())
	}
	var keys []string
	dec := json.NewDecoder(strings.NewReader(lines[0]))
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	if strings.Join(keys, ",") != "name,file,method,url,status,status_text,time_ms,size,timings,error" {
		t.Errorf("keys %v", keys)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["name"] != "Create payment" || rec["file"] != "Payments/Create payment.yml" || rec["method"] != "POST" ||
		rec["status"] != 201.0 || rec["status_text"] != "Created" || rec["size"] != 14.0 || rec["error"] != nil ||
		!strings.HasSuffix(rec["url"].(string), "/v1/payments") {
		t.Errorf("record %v", rec)
	}
	tm, ok := rec["timings"].(map[string]any)
	if !ok {
		t.Fatalf("timings %v", rec["timings"])
	}
	if tm["tls_ms"] != nil || tm["dns_ms"] != nil { // plain http to an IP address
		t.Errorf("timings %v", tm)
	}
	if _, ok := tm["server_ms"].(float64); !ok {
		t.Errorf("server_ms %v", tm["server_ms"])
	}

	// A failing request and a broken file, one object each.
	if err := os.WriteFile(filepath.Join(root, "Broken.yml"), []byte("info:\n  name: [x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	sum, err = Run(context.Background(), requester.NewClient(), RunOptions{Path: root, Env: "Local", SecretsPath: secrets, JSON: true}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if sum != (RunSummary{Sent: 3, Failed: 2}) {
		t.Errorf("summary %+v", sum)
	}
	lines = strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("output:\n%s", out.String())
	}
	var down, broken map[string]any
	json.Unmarshal([]byte(lines[3]), &down)
	json.Unmarshal([]byte(lines[4]), &broken)
	if down["name"] != "Down" || down["timings"] != nil || !strings.HasPrefix(down["error"].(string), "refused: ") || down["status"] != 0.0 {
		t.Errorf("down %v", down)
	}
	if broken["file"] != "Broken.yml" || !strings.HasPrefix(broken["error"].(string), "file: line 2: invalid YAML") {
		t.Errorf("broken %v", broken)
	}
}

func TestRunSingleFile(t *testing.T) {
	root, secrets, _ := runFixture(t)
	var out bytes.Buffer
	// Without --env the variables are missing: a failure, not an error.
	sum, err := Run(context.Background(), requester.NewClient(), RunOptions{Path: filepath.Join(root, "Health.yml")}, &out)
	if err != nil || sum != (RunSummary{Failed: 1}) {
		t.Fatalf("%+v %v", sum, err)
	}
	if !strings.HasPrefix(out.String(), "ERR  variable: unknown variable {{base_url}} in URL  Health  (Health.yml)\n") {
		t.Errorf("output %q", out.String())
	}
	// A lone file outside any collection runs with --var.
	lone := filepath.Join(t.TempDir(), "lone.yml")
	data, _ := os.ReadFile(filepath.Join(root, "Health.yml"))
	os.WriteFile(lone, data, 0o644)
	env, _ := LoadEnvironment(root, "Local", nil)
	out.Reset()
	sum, err = Run(context.Background(), requester.NewClient(), RunOptions{Path: lone, Vars: map[string]string{"base_url": env.Vars[0].Value}}, &out)
	if err != nil || sum != (RunSummary{Sent: 1}) || !strings.Contains(out.String(), "Health  (lone.yml)") {
		t.Errorf("%+v %v %q", sum, err, out.String())
	}
	// Setup errors are errors.
	if _, err := Run(context.Background(), requester.NewClient(), RunOptions{Path: root, Env: "Nope", SecretsPath: secrets}, io.Discard); err == nil || !strings.Contains(err.Error(), "there are: Local") {
		t.Errorf("unknown env: %v", err)
	}
	if _, err := Run(context.Background(), requester.NewClient(), RunOptions{Path: filepath.Join(root, "nothing")}, io.Discard); err == nil {
		t.Error("missing path ran")
	}
}

func TestResolvePaths(t *testing.T) {
	r := requester.Request{
		Body:    requester.Body{File: "payloads/a.json", Parts: []requester.Part{{File: "f.bin"}, {Value: "v"}, {File: "{{dir}}/x"}}},
		Options: requester.Options{CACert: "/etc/ca.pem", ClientCert: "c.pem"},
	}
	got := ResolvePaths(r, "/coll")
	if got.Body.File != filepath.Join("/coll", "payloads", "a.json") || got.Body.Parts[0].File != filepath.Join("/coll", "f.bin") ||
		got.Body.Parts[1].File != "" || got.Body.Parts[2].File != "{{dir}}/x" || got.Options.CACert != "/etc/ca.pem" ||
		got.Options.ClientCert != filepath.Join("/coll", "c.pem") {
		t.Errorf("%+v", got)
	}
	if r.Body.Parts[0].File != "f.bin" {
		t.Error("changed the caller's parts")
	}
}

// TestRunWarnsWhatItDoesNotRun: scripts, assertions and actions of YAML
// request files and of the request: sections above them are listed as
// warnings, as those of .bru files are; running one file lists its own
// and its folders', not every file's; a lone file outside a collection
// lists its own.
func TestRunWarnsWhatItDoesNotRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	root := t.TempDir()
	files := map[string]string{
		"opencollection.yml": "opencollection: 1.0.0\ninfo:\n  name: W\nrequest:\n  scripts:\n    - type: before-request\n      code: bru.setVar('a', 1)\n",
		"Sub/folder.yml":     "info:\n  name: Sub\n  type: folder\nrequest:\n  scripts:\n    - type: after-response\n      code: x()\n",
		"Sub/Scripted.yml": "info:\n  name: Scripted\n  type: http\nhttp:\n  method: GET\n  url: " + srv.URL + "/s\n" +
			"runtime:\n  scripts:\n    - type: before-request\n      code: req.setHeader('x', '1')\n    - type: tests\n      code: test('ok', () => {})\n" +
			"  assertions:\n    - expression: res.status\n      operator: eq\n      value: \"200\"\n",
		"Plain.yml": "info:\n  name: Plain\n  type: http\nhttp:\n  method: GET\n  url: " + srv.URL + "/p\n",
		"Other.yml": "info:\n  name: Other\n  type: http\nhttp:\n  method: GET\n  url: " + srv.URL + "/o\n" +
			"runtime:\n  actions:\n    - type: set-variable\n      phase: after-response\n",
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(p string) string {
		t.Helper()
		var out bytes.Buffer
		if _, err := Run(context.Background(), requester.NewClient(), RunOptions{Path: p}, &out); err != nil {
			t.Fatal(err)
		}
		var warns []string
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(l, "WARN ") {
				warns = append(warns, l)
			}
		}
		return strings.Join(warns, "\n")
	}
	collWarn := "WARN opencollection.yml: request.scripts (before-request) kept as text, not run"
	subWarn := "WARN Sub/folder.yml: request.scripts (after-response) kept as text, not run"
	fileWarns := "WARN Sub/Scripted.yml: runtime.scripts (before-request, tests) kept as text, not run\n" +
		"WARN Sub/Scripted.yml: runtime.assertions ignored: Hooklab does not run them"
	// Sorted by path, as Load sorts them.
	otherWarn := "WARN Other.yml: runtime.actions ignored: Hooklab does not run them"
	if got, want := run(root), strings.Join([]string{otherWarn, fileWarns, subWarn, collWarn}, "\n"); got != want {
		t.Errorf("whole collection:\n%s\nwant\n%s", got, want)
	}
	if got, want := run(filepath.Join(root, "Sub", "Scripted.yml")), strings.Join([]string{fileWarns, subWarn, collWarn}, "\n"); got != want {
		t.Errorf("one file:\n%s\nwant\n%s", got, want)
	}
	if got := run(filepath.Join(root, "Plain.yml")); got != collWarn {
		t.Errorf("a file without any: %q", got)
	}
	lone := filepath.Join(t.TempDir(), "lone.yml")
	os.WriteFile(lone, []byte(files["Sub/Scripted.yml"]), 0o644)
	if got, want := run(lone), strings.ReplaceAll(fileWarns, "Sub/Scripted.yml", "lone.yml"); got != want {
		t.Errorf("lone file:\n%s\nwant\n%s", got, want)
	}
	loneBru := filepath.Join(t.TempDir(), "lone.bru")
	os.WriteFile(loneBru, []byte("meta {\n  name: B\n}\n\nget {\n  url: "+srv.URL+"/b\n}\n\nscript:pre-request {\n  x()\n}\n"), 0o644)
	if got := run(loneBru); got != "WARN lone.bru: script:pre-request kept as text, not run" {
		t.Errorf("lone .bru file: %q", got)
	}
}
