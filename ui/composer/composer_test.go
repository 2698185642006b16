package composer

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/history"
	"hooklab/ui/codeview/highlight"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/widgets"
)

// seen is what an echo server last received.
type seen struct {
	mu     sync.Mutex
	method string
	uri    string
	header http.Header
	body   []byte
	n      int
}

func (s *seen) get() seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return seen{method: s.method, uri: s.uri, header: s.header, body: s.body, n: s.n}
}

// echoServer records each request and answers 200 with a cookie.
func echoServer(t *testing.T) (*httptest.Server, *seen) {
	t.Helper()
	s := &seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.method, s.uri, s.header, s.body = r.Method, r.RequestURI, r.Header.Clone(), body
		s.n++
		s.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/"})
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, s
}

// sendAndWait taps Send and waits for the answer.
func (r *rig) sendAndWait(t *testing.T, c *Composer, srv *seen) seen {
	t.Helper()
	before := srv.get().n
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "response", func() bool { return !c.busy() && srv.get().n > before && c.Status.Text != "" })
	return srv.get()
}

func TestParamsTableFollowsURLAndBack(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.URL.SetText("http://h.test/x?b=2&a=1&a=3")
	rows := c.Params.Rows()
	if len(rows) != 3 || rows[0].Name != "b" || rows[1].Value != "1" || rows[2].Value != "3" {
		t.Fatalf("params from URL: %+v", rows)
	}
	if c.paramsTab.Text != "Params (3)" {
		t.Errorf("params tab %q", c.paramsTab.Text)
	}
	// Editing the table rewrites the URL's query, order kept.
	c.Params.rows[1].value.SetText("one")
	if c.URL.Text != "http://h.test/x?b=2&a=one&a=3" {
		t.Fatalf("URL after editing a value: %q", c.URL.Text)
	}
	// A disabled row leaves the URL but stays in the table.
	c.Params.rows[0].enabled.SetChecked(false)
	if c.URL.Text != "http://h.test/x?a=one&a=3" || len(c.Params.Rows()) != 3 {
		t.Fatalf("after disabling: %q %+v", c.URL.Text, c.Params.Rows())
	}
	// Typing a new row into the empty last one adds to the URL.
	last := c.Params.rows[len(c.Params.rows)-1]
	last.name.SetText("q")
	last.value.SetText("x y")
	if !strings.HasSuffix(c.URL.Text, "&q=x y") {
		t.Fatalf("URL after a new row: %q", c.URL.Text)
	}
	// Editing the URL keeps the disabled row where it was.
	c.URL.SetText("http://h.test/x?a=1")
	rows = c.Params.Rows()
	if len(rows) != 2 || !rows[0].Disabled || rows[0].Name != "b" || rows[1].Name != "a" {
		t.Fatalf("params after editing the URL: %+v", rows)
	}
}

func TestBodyKindsSendExactBytes(t *testing.T) {
	r := newRig(t)
	c := r.c
	srv, got := echoServer(t)
	c.Method.SetText("POST")
	c.URL.SetText(srv.URL + "/in")
	c.Headers.SetRows(nil, nil)

	c.Body.Kind.SetSelected("Form (urlencoded)")
	c.Body.Form.SetRows([]requester.Param{{Name: "amount", Value: "12"}, {Name: "note", Value: "a b&c"}, {Name: "off", Value: "1", Disabled: true}}, nil)
	s := r.sendAndWait(t, c, got)
	if string(s.body) != "amount=12&note=a+b%26c" || s.header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("form: %q %q", s.body, s.header.Get("Content-Type"))
	}

	c.Body.Kind.SetSelected("Multipart form")
	c.Body.Parts.Set([]requester.Part{{Name: "title", Value: "hello"}})
	s = r.sendAndWait(t, c, got)
	mt, params, _ := mime.ParseMediaType(s.header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		t.Fatalf("multipart type %q", mt)
	}
	mr := multipart.NewReader(strings.NewReader(string(s.body)), params["boundary"])
	p, err := mr.NextPart()
	if err != nil || p.FormName() != "title" {
		t.Fatalf("multipart part: %v", err)
	}
	if v, _ := io.ReadAll(p); string(v) != "hello" {
		t.Errorf("multipart value %q", v)
	}

	c.Body.Kind.SetSelected("GraphQL")
	c.Body.GQLQuery.SetText("query { me { id } }")
	c.Body.GQLVars.SetText(`{"a": 1}`)
	s = r.sendAndWait(t, c, got)
	if !strings.Contains(string(s.body), `"query":"query { me { id } }"`) || !strings.Contains(s.header.Get("Content-Type"), "application/json") {
		t.Errorf("graphql: %s %q", s.body, s.header.Get("Content-Type"))
	}

	c.Body.Kind.SetSelected("No body")
	s = r.sendAndWait(t, c, got)
	if len(s.body) != 0 {
		t.Errorf("no body sent %q", s.body)
	}
}

func TestJSONBodyIsCheckedAsYouTypeButStillSent(t *testing.T) {
	r := newRig(t)
	c := r.c
	srv, got := echoServer(t)
	c.URL.SetText(srv.URL)
	c.Body.Text.SetText("{\n  \"a\": 1,\n  \"b\": \n}")
	if !strings.Contains(c.Body.Status.Text, "line 4") || !strings.Contains(c.Body.Status.Text, "still sendable") {
		t.Fatalf("invalid JSON status %q", c.Body.Status.Text)
	}
	s := r.sendAndWait(t, c, got)
	if !strings.Contains(string(s.body), `"b": `) {
		t.Errorf("invalid JSON was not sent as written: %q", s.body)
	}
	c.Body.Text.SetText(`{"b":[1,2],"a":1}`)
	test.Tap(c.Body.Beautify)
	if c.Body.Text.Text != "{\n  \"b\": [\n    1,\n    2\n  ],\n  \"a\": 1\n}" {
		t.Errorf("beautified %q", c.Body.Text.Text)
	}
	if c.Body.Status.Text != "Valid JSON" {
		t.Errorf("status %q", c.Body.Status.Text)
	}
}

func TestAuthAndAutomaticHeaders(t *testing.T) {
	r := newRig(t)
	c := r.c
	srv, got := echoServer(t)
	c.URL.SetText(srv.URL)
	c.Auth.Kind.SetSelected("Basic")
	c.Auth.Username.SetText("sk_test")
	c.Auth.Password.SetText("{{webhook_url}}")
	if !c.Auth.Password.Password {
		t.Error("the password is not masked")
	}
	if !strings.Contains(widgets.MutedText(c.autoHdrs), "Authorization: (from Auth)") || !strings.Contains(widgets.MutedText(c.autoHdrs), "User-Agent: Hooklab/") {
		t.Errorf("automatic headers %q", widgets.MutedText(c.autoHdrs))
	}
	s := r.sendAndWait(t, c, got)
	req, _ := http.NewRequest("GET", "/", nil)
	req.Header = s.header
	user, pass, ok := req.BasicAuth()
	if !ok || user != "sk_test" || pass != r.webhookURL {
		t.Errorf("basic auth %q %q %v", user, pass, ok)
	}

	c.Auth.Kind.SetSelected("API key")
	c.Auth.Key.SetText("X-Api-Key")
	c.Auth.Value.SetText("k1")
	c.Auth.Where.SetSelected("Query parameter")
	s = r.sendAndWait(t, c, got)
	if !strings.Contains(s.uri, "X-Api-Key=k1") || s.header.Get("Authorization") != "" {
		t.Errorf("api key in query: %q", s.uri)
	}
}

func TestVerifyTLSOffIsShownInRed(t *testing.T) {
	r := newRig(t)
	c := r.c
	if c.Options.verifyNote.Visible() {
		t.Fatal("the warning shows while TLS is verified")
	}
	c.Options.Verify.SetChecked(false)
	if !c.Options.verifyNote.Visible() || !strings.Contains(c.optionsTab.Text, "TLS off") {
		t.Fatalf("TLS off not shown: %q", c.optionsTab.Text)
	}
	c.Options.Timeout.SetText("soon")
	test.Tap(c.SendButton)
	if !c.inlineErr.Visible() || !strings.Contains(c.inlineErr.Text, "timeout") {
		t.Fatalf("a bad timeout was not named: %q", c.inlineErr.Text)
	}
	if c.SendButton.Text != "Send" {
		t.Fatal("sent with a bad timeout")
	}
	c.Options.Timeout.SetText("")
	c.Options.Proxy.SetText("ftp://proxy.test:21")
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "the proxy error", func() bool { return !c.busy() && c.inlineErr.Visible() })
	if !c.inlineErr.Visible() || !strings.Contains(c.inlineErr.Text, "proxy") || c.SendButton.Text != "Send" {
		t.Fatalf("a bad proxy was not named: %q", c.inlineErr.Text)
	}
	c.Options.Proxy.SetText("")
	c.Options.CACert.SetPath("/nonexistent/ca.pem")
	if c.Options.CACert.label.Importance != widget.DangerImportance {
		t.Error("a missing CA file is not flagged")
	}
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "the CA error", func() bool { return !c.busy() && c.inlineErr.Visible() })
	if !strings.Contains(c.inlineErr.Text, "ca.pem") {
		t.Fatalf("a missing CA file was not named: %q", c.inlineErr.Text)
	}
}

func TestResponseTabsShowCookiesTimingAndRaw(t *testing.T) {
	r := newRig(t)
	c := r.c
	srv, got := echoServer(t)
	c.URL.SetText(srv.URL + "/x?y=1")
	r.sendAndWait(t, c, got)
	if c.cookiesTab.Text != "Cookies (1)" || !strings.Contains(c.Cookies.Text(), "set · session=abc") {
		t.Errorf("cookies tab %q:\n%s", c.cookiesTab.Text, c.Cookies.Text())
	}
	rows := strings.Join(c.Timing.Rows(), "\n")
	if !strings.Contains(rows, "Server wait") || !strings.Contains(rows, "DNS lookup n/a") {
		t.Errorf("timing rows:\n%s", rows)
	}
	raw := c.RespRaw.Text()
	if !strings.Contains(raw, "POST /x?y=1 HTTP/1.1") || !strings.Contains(raw, "HTTP/1.1 200 OK") || !strings.Contains(raw, `{"ok":true}`) {
		t.Errorf("raw exchange:\n%s", raw)
	}
	// The jar sends the cookie back next time, and Clear empties it.
	r.sendAndWait(t, c, got)
	if s := got.get(); !strings.Contains(s.header.Get("Cookie"), "session=abc") {
		t.Errorf("the jar did not send the cookie: %q", s.header.Get("Cookie"))
	}
	c.clearCookies()
	if strings.Contains(c.Cookies.Text(), "jar ·") {
		t.Errorf("jar not cleared:\n%s", c.Cookies.Text())
	}
}

func TestTabsKeepTheirOwnRequests(t *testing.T) {
	r := newRig(t)
	c := r.c
	first := c.Tabs.current()
	c.Tabs.New()
	if len(c.Tabs.tabs) != 2 || c.Method.Text != "GET" || c.URL.Text != "" {
		t.Fatalf("new tab: %d tabs, %s %q", len(c.Tabs.tabs), c.Method.Text, c.URL.Text)
	}
	second := c.Tabs.current()
	c.URL.SetText("http://second.test/")
	c.Tabs.doc.Select(first.item)
	if c.URL.Text != "{{sandbox_url}}/v1/payments" || c.Method.Text != "POST" {
		t.Fatalf("first tab not restored: %s %q", c.Method.Text, c.URL.Text)
	}
	c.Tabs.doc.Select(second.item)
	if c.URL.Text != "http://second.test/" {
		t.Fatalf("second tab lost its edit: %q", c.URL.Text)
	}
	c.Tabs.Duplicate()
	if len(c.Tabs.tabs) != 3 || c.URL.Text != "http://second.test/" || !strings.HasSuffix(c.Tabs.current().title, " copy") {
		t.Fatalf("duplicate: %d %q %q", len(c.Tabs.tabs), c.URL.Text, c.Tabs.current().title)
	}
	c.Tabs.Rename("Lookup")
	if c.Tabs.current().item.Text != "Lookup" {
		t.Errorf("rename: %q", c.Tabs.current().item.Text)
	}
	// Ctrl+W from the URL field closes the tab in view (scratch: no question).
	c.Tabs.CloseCurrent()
	c.Tabs.CloseCurrent()
	if len(c.Tabs.tabs) != 1 || c.Tabs.current() != first || c.URL.Text != "{{sandbox_url}}/v1/payments" {
		t.Fatalf("after closing: %d tabs, %q", len(c.Tabs.tabs), c.URL.Text)
	}
	c.Tabs.CloseCurrent()
	if len(c.Tabs.tabs) != 1 || c.URL.Text != "" {
		t.Fatalf("closing the last tab should leave a fresh one: %d %q", len(c.Tabs.tabs), c.URL.Text)
	}
}

func TestPasteCurlIntoTheURL(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.URL.SetText(`curl -X PUT 'https://api.example.test/v1/items/7?x=1' \
  -H 'X-Trace: t1' -H 'Content-Type: application/json' \
  --data-raw '{"name":"a"}' --frobnicate`)
	if c.Method.Text != "PUT" || c.URL.Text != "https://api.example.test/v1/items/7?x=1" {
		t.Fatalf("imported %s %q", c.Method.Text, c.URL.Text)
	}
	if rows := c.Params.Rows(); len(rows) != 1 || rows[0].Name != "x" {
		t.Errorf("params %+v", rows)
	}
	req := c.Request()
	if req.Body.Kind != requester.BodyJSON || req.Body.Text != `{"name":"a"}` || len(req.Headers) != 2 || req.Headers[0].Name != "X-Trace" {
		t.Errorf("imported request %+v", req)
	}
	if !c.curlNote.Visible() || !strings.Contains(c.curlNote.Text, "frobnicate") {
		t.Errorf("unknown flag not warned: %q", c.curlNote.Text)
	}
	cmd := c.CopyAsCurl()
	if !strings.Contains(cmd, "-X PUT") || !strings.Contains(cmd, "'X-Trace: t1'") {
		t.Errorf("copy as cURL:\n%s", cmd)
	}
}

func TestHistoryKeepsAndReopens(t *testing.T) {
	r := newRig(t)
	c := r.c
	hist := r.ws.History()
	srv, got := echoServer(t)
	c.URL.SetText(srv.URL + "/first")
	// A secret typed in: masked in history, yet the reopened tab sends it.
	c.Auth.Kind.SetSelected("Bearer token")
	c.Auth.Token.SetText("typed-secret-42")
	r.sendAndWait(t, c, got)
	h := c.sidebar.History
	r.loop.WaitFor(t, "history entry", func() bool { return len(h.items) == 1 })
	if h.items[0].Status != 200 || !strings.HasSuffix(h.items[0].URL, "/first") {
		t.Fatalf("history row %+v", h.items[0])
	}
	h.Search.SetText("nomatch")
	r.loop.WaitFor(t, "search narrows", func() bool { return len(h.items) == 0 })
	h.Search.SetText("first")
	r.loop.WaitFor(t, "search finds", func() bool { return len(h.items) == 1 })

	h.List.Select(0)
	r.loop.WaitFor(t, "opened in a new tab", func() bool { return len(c.Tabs.tabs) == 2 })
	r.loop.WaitFor(t, "its response body", func() bool { return strings.Contains(c.RespBody.Text(), `"ok"`) })
	if c.Status.Text != "200 OK" || !strings.HasSuffix(c.URL.Text, "/first") {
		t.Fatalf("reopened: %q %q", c.Status.Text, c.URL.Text)
	}
	if c.Auth.Token.Text != "typed-secret-42" {
		t.Fatalf("reopened with the token %q, want the one sent", c.Auth.Token.Text)
	}
	if e, err := hist.Get(h.items[0].ID); err != nil || e.Request.Auth.Token != history.Mask || strings.Contains(e.SentHeader.Get("Authorization"), "typed-secret") {
		t.Fatalf("history keeps the secret in view: %+v %v, %v", e.Request.Auth, e.SentHeader, err)
	}

	// Clear asks first, and clears only when told to.
	h.Search.SetText("")
	r.loop.WaitFor(t, "the entry listed again", func() bool { return len(h.items) == 1 })
	r.dialogs.Answer = func(dialogstest.Asked) bool { return false }
	h.askClear()
	if got := r.dialogs.Titles(dialogstest.Confirm); len(got) != 1 || got[0] != "Clear history?" {
		t.Fatalf("asked %v", got)
	}
	if n, _ := hist.Count(""); n != 1 {
		t.Fatal("cleared without a yes")
	}
	r.dialogs.Answer = nil
	h.askClear()
	r.loop.WaitFor(t, "the history cleared", func() bool { return len(h.items) == 0 })
}

// TestTabMenuAsksForANameAndACurlCommand: Rename tab and Import cURL
// ask with a form and act on what it holds.
func TestTabMenuAsksForANameAndACurlCommand(t *testing.T) {
	r := newRig(t)
	c := r.c
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		switch e := a.Items[0].Widget.(*widget.Entry); a.Title {
		case "Rename tab":
			e.SetText("Lookup")
		case "Import cURL":
			e.SetText("curl -X DELETE https://api.example.test/v1/items/7")
		}
		return true
	}
	c.Tabs.askRename()
	if got := c.Tabs.Titles(); len(got) != 1 || got[0] != "Lookup" {
		t.Fatalf("tabs after renaming: %v", got)
	}
	c.Tabs.askCurl()
	if got := c.Tabs.Titles(); len(got) != 1 || c.Method.Text != "DELETE" || c.URL.Text != "https://api.example.test/v1/items/7" {
		t.Fatalf("after importing: tabs %v, %s %s", got, c.Method.Text, c.URL.Text)
	}
	if got := r.dialogs.Titles(dialogstest.Form); len(got) != 2 {
		t.Fatalf("forms asked: %v", got)
	}
}

// TestFilePickerAsksForAFile: Choose file… asks for a file to open and
// shows the one chosen, with its size.
func TestFilePickerAsksForAFile(t *testing.T) {
	r := newRig(t)
	c := r.c
	path := filepath.Join(t.TempDir(), "body.bin")
	if err := os.WriteFile(path, make([]byte, 2048), 0o600); err != nil {
		t.Fatal(err)
	}
	c.Body.Kind.SetSelected("File")
	r.dialogs.OpenPath = path
	test.Tap(c.Body.File.button)
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.OpenFile || a.Title != "Choose the file to send as the body" {
		t.Fatalf("asked %+v", r.dialogs.Asked)
	}
	if c.Body.File.Path() != path || c.Request().Body.File != path || !strings.Contains(c.Body.File.label.Text, "2.0 KB") {
		t.Fatalf("chose %q, shown %q", c.Body.File.Path(), c.Body.File.label.Text)
	}
	// Cancelling keeps the file.
	r.dialogs.OpenPath = ""
	test.Tap(c.Body.File.button)
	if c.Body.File.Path() != path {
		t.Fatalf("cancelling changed the file to %q", c.Body.File.Path())
	}
}

func TestShortcutsReachTheWindowFromAField(t *testing.T) {
	r := newRig(t)
	c := r.c
	calls := 0
	r.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierControl}, func(fyne.Shortcut) { calls++ })
	r.win.Canvas().Focus(c.URL)
	c.URL.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierControl})
	if calls != 1 {
		t.Fatalf("Ctrl+T in the URL field reached the window %d times", calls)
	}
}

func TestURLPreviewShowsVariables(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.URL.SetText("{{sandbox_url}}/v1/{{nope}}?t={{$timestamp}}")
	if !c.preview.Visible() {
		t.Fatal("no preview for a URL with variables")
	}
	got := c.preview.String()
	if !strings.Contains(got, strings.TrimSuffix(c.builtins["sandbox_url"], "/")+"/v1/") || !strings.Contains(got, "{{nope}} (unknown)") || !strings.Contains(got, "{{$timestamp}}") {
		t.Errorf("preview %q", got)
	}
	c.URL.SetText("https://plain.test/")
	if c.preview.Visible() {
		t.Error("a URL without variables needs no preview")
	}
}

func TestBigResponseIsSavedFromItsFile(t *testing.T) {
	r := newRig(t)
	c := r.c
	r.ws.Client().MemLimit = 4 << 10
	big := strings.Repeat("0123456789abcdef", 1<<10) // 16 KiB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, big)
	}))
	defer srv.Close()
	c.URL.SetText(srv.URL)
	c.Body.Kind.SetSelected("No body")
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "response", func() bool { return c.Status.Text == "200 OK" })
	resp := c.Tabs.current().resp
	if resp.BodyFile == "" || len(resp.Body) != 4<<10 {
		t.Fatalf("big body: file %q, %d bytes in memory", resp.BodyFile, len(resp.Body))
	}
	savedFrom := resp.BodyFile
	r.loop.WaitFor(t, "the first part shown", func() bool { return len(c.RespBody.Text()) > 0 })

	// Save writes all of it, not the part shown.
	var save *widget.Button
	for _, o := range test.LaidOutObjects(c.RespBody) {
		if b, ok := o.(*widget.Button); ok && b.Icon == theme.DocumentSaveIcon() && b.Text == "" && b.Visible() {
			save = b
		}
	}
	if save == nil {
		t.Fatal("no Save for the response body")
	}
	r.dialogs.SavePath = filepath.Join(t.TempDir(), "saved.txt")
	test.Tap(save)
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.SaveFile || a.Message != "body.txt" {
		t.Fatalf("asked %+v", r.dialogs.Asked)
	}
	r.loop.WaitFor(t, "the whole body saved", func() bool {
		data, _ := os.ReadFile(r.dialogs.SavePath)
		return string(data) == big
	})
	c.Tabs.CloseCurrent()
	if _, err := os.Stat(savedFrom); !os.IsNotExist(err) {
		t.Errorf("closing the tab left the temporary file: %v", err)
	}
}

func TestAnswerGoesToTheTabThatSent(t *testing.T) {
	r := newRig(t)
	c := r.c
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		select {
		case <-release:
		case <-req.Context().Done():
		}
		io.WriteString(w, "slow answer")
	}))
	defer slow.Close()
	a := c.Tabs.current()
	c.Body.Kind.SetSelected("No body")
	c.URL.SetText(slow.URL)
	test.Tap(c.SendButton)
	c.Tabs.New()
	if c.SendButton.Text != "Send" || c.busy() {
		t.Fatalf("a new tab shows %q while another tab sends", c.SendButton.Text)
	}
	close(release)
	r.loop.WaitFor(t, "tab A's answer", func() bool { return a.cancel == nil && a.resp != nil })
	if c.Status.Text != "" || c.Tabs.current().resp != nil {
		t.Fatalf("tab B shows tab A's answer: %q", c.Status.Text)
	}
	c.Tabs.doc.Select(a.item)
	if c.Status.Text != "200 OK" || c.SendButton.Text != "Send" {
		t.Fatalf("tab A: %q, button %q", c.Status.Text, c.SendButton.Text)
	}
	r.loop.WaitFor(t, "its body", func() bool { return strings.Contains(c.RespBody.Text(), "slow answer") })
}

func TestTypingCurlDoesNotImportAtTheFirstLetter(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.URL.SetText("")
	r.win.Canvas().Focus(c.URL)
	test.Type(c.URL, "curl https://api.test/x")
	if c.URL.Text != "curl https://api.test/x" || c.Method.Text != "POST" || c.Body.Text.Text == "" {
		t.Fatalf("typing a cURL command changed the request: %q %s", c.URL.Text, c.Method.Text)
	}
	if !c.curlNote.Visible() || !strings.Contains(c.curlNote.Text, "paste it whole") {
		t.Errorf("no hint: %q", c.curlNote.Text)
	}
}

func TestCtrlEnterSends(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.Method.SetText("GET")
	c.URL.SetText("{{sandbox_url}}/v1/payments")
	c.Body.Text.SetText("")
	r.win.Canvas().Focus(c.Body.Text)
	c.Body.Text.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl})
	r.loop.WaitFor(t, "200 from Ctrl+Enter", func() bool { return c.Status.Text == "200 OK" })
	if c.Body.Text.Text != "" {
		t.Fatalf("Ctrl+Enter typed into the body: %q", c.Body.Text.Text)
	}
}

func TestComposerShowsInputAndNetworkErrors(t *testing.T) {
	r := newRig(t)
	c := r.c

	c.URL.SetText("{{nope}}/x")
	test.Tap(c.SendButton)
	if !c.inlineErr.Visible() || !strings.Contains(c.inlineErr.Text, "{{nope}}") {
		t.Fatalf("unknown variable: inline error %q visible=%v", c.inlineErr.Text, c.inlineErr.Visible())
	}
	if c.SendButton.Text != "Send" {
		t.Fatal("a request with an unknown variable must not be sent")
	}

	c.URL.SetText("ftp://example.com/")
	test.Tap(c.SendButton)
	if !strings.Contains(c.inlineErr.Text, "ftp") {
		t.Fatalf("bad scheme: inline error %q", c.inlineErr.Text)
	}

	ln := httptest.NewServer(http.NotFoundHandler())
	refused := ln.URL
	ln.Close()
	c.URL.SetText(refused + "/x")
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "refused error", func() bool { return c.Status.Text == "Error" })
	if !strings.Contains(strings.ToLower(widgets.MutedText(c.StatusMeta)), "refused") {
		t.Fatalf("refused: meta %q", widgets.MutedText(c.StatusMeta))
	}
}

func TestCancelInFlight(t *testing.T) {
	r := newRig(t)
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		select {
		case <-release:
		case <-req.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	c := r.c
	c.Method.SetText("GET")
	c.Body.Text.SetText("")
	c.URL.SetText(slow.URL)
	test.Tap(c.SendButton)
	if c.SendButton.Text != "Cancel" {
		t.Fatalf("button while in flight: %q", c.SendButton.Text)
	}
	r.loop.WaitFor(t, "elapsed time", func() bool { return strings.HasPrefix(widgets.MutedText(c.StatusMeta), "Sending… ") })
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "cancelled", func() bool { return c.Status.Text == "Cancelled" })
	if c.SendButton.Text != "Send" {
		t.Fatalf("button after cancel: %q", c.SendButton.Text)
	}
}

// TestSendTheExample: the composer starts with the example payment, and
// Send shows the sandbox's answer, highlighted.
func TestSendTheExample(t *testing.T) {
	r := newRig(t)
	c := r.c
	if c.Method.Text != "POST" || c.URL.Text != "{{sandbox_url}}/v1/payments" || !strings.Contains(c.Body.Text.Text, `"callback_url": "{{webhook_url}}payments"`) {
		t.Fatalf("composer does not hold the example: %s %s %s", c.Method.Text, c.URL.Text, c.Body.Text.Text)
	}
	test.Tap(c.SendButton)
	r.loop.WaitFor(t, "201 response", func() bool { return c.Status.Text == "201 Created" })
	r.loop.WaitFor(t, "response body", func() bool { return strings.Contains(c.RespBody.Text(), `"status": "pending"`) })
	p := highlight.PaletteFor(false)
	styled := false
	for _, line := range c.RespBody.Lines() {
		for _, sp := range line {
			styled = styled || p.Style(sp.Type).Color != nil
		}
	}
	if !styled {
		t.Error("response body is not highlighted")
	}
	if !strings.Contains(widgets.MutedText(c.StatusMeta), "HTTP/1.1") {
		t.Errorf("status meta %q lacks the protocol", widgets.MutedText(c.StatusMeta))
	}
}
