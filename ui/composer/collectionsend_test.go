package composer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester/collection"
	"hooklab/ui/widgets"
)

// inheritingCollection writes, outside the data directory, a collection
// in Bruno's OpenCollection shape: bearer auth, a header and a variable
// at the collection level, a request with auth: inherit and a path
// param, and one under a folder whose auth is oauth2.
func inheritingCollection(t *testing.T, base string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "Activities")
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
  variables:
    - name: token
      value: coll-token
    - name: base
      value: ` + base + `
`,
		"Get activity.yml": `info:
  name: Get activity
  type: http
http:
  method: GET
  url: "{{base}}/activity/:id"
  params:
    - name: id
      value: "{{activity_id}}"
      type: path
  auth: inherit
runtime:
  variables:
    - name: activity_id
      value: "7"
`,
		"Legacy/folder.yml": "info:\n  name: Legacy\n  type: folder\nrequest:\n  auth:\n    type: oauth2\n    flow: client_credentials\n",
		"Legacy/Old.yml":    "info:\n  name: Old\n  type: http\nhttp:\n  method: GET\n  url: \"{{base}}/old\"\n  auth: inherit\n",
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

// TestCollectionRequestIsSentAsBrunoSendsIt: a request of an opened
// collection, edited in its tab and not saved, goes out with the
// collection's bearer auth and header, its path param filled in, and
// the edit; the editor still shows the request as written. A request
// whose inherited auth is oauth2 is not sent, and says why.
func TestCollectionRequestIsSentAsBrunoSendsIt(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := r.c
	srv, got := echoServer(t)
	root := inheritingCollection(t, srv.URL)
	p.addOpened(root)
	r.settled(t, p)
	coll := p.collByRoot(root)
	if coll == nil {
		t.Fatalf("the collection is not shown: %q", p.status.Text)
	}
	if strings.Contains(p.status.Text, "oauth2") {
		t.Errorf("a collection's warnings are said while no tab of it is in view: %q", p.status.Text)
	}

	it := collection.Lookup(coll.Items, "Get activity.yml")
	c.openFile(*it.Request, root, it.Path)
	if note := authNotes(c); !strings.Contains(note, "Bearer token auth of its folder or collection") {
		t.Errorf("the Auth tab does not say the auth is inherited: %q", note)
	}
	if _, vars := c.vars(); vars["activity_id"] != "7" || vars["token"] != "coll-token" {
		t.Errorf("the variables of the file's tab: %v", vars)
	}
	c.URL.SetText(c.URL.Text + "?edited=1") // not saved
	if !c.Tabs.current().dirty() {
		t.Fatal("the edit should be unsaved")
	}
	s := r.sendAndWait(t, c, got)
	if s.uri != "/activity/7?edited=1" {
		t.Errorf("sent to %q", s.uri)
	}
	if a := s.header.Get("Authorization"); a != "Bearer coll-token" {
		t.Errorf("Authorization %q", a)
	}
	if h := s.header.Get("X-Client"); h != "hooklab-test" {
		t.Errorf("X-Client %q", h)
	}
	if c.URL.Text != "{{base}}/activity/:id?edited=1" || len(c.Headers.Rows()) != 0 || c.Auth.Auth().Kind != "" {
		t.Errorf("the editor changed: %q, headers %+v, auth %+v", c.URL.Text, c.Headers.Rows(), c.Auth.Auth())
	}
	if !strings.Contains(p.status.Text, "Legacy/folder.yml") {
		t.Errorf("the collection's warnings are not said: %q", p.status.Text)
	}
	// Copy as cURL copies what Send sends, inherited auth and headers
	// included; the template keeps the file as written.
	if cmd := c.CopyAsCurl(); !strings.Contains(cmd, "Bearer coll-token") || !strings.Contains(cmd, "X-Client: hooklab-test") || !strings.Contains(cmd, "/activity/7?edited=1") {
		t.Errorf("Copy as cURL of an inheriting request:\n%s", cmd)
	}
	if cmd := c.CopyAsCurlTemplate(); strings.Contains(cmd, "coll-token") {
		t.Errorf("the template copied a resolved secret:\n%s", cmd)
	}

	// An auth the request sets itself in the tab is its own.
	c.Auth.Kind.SetSelected("Bearer token")
	c.Auth.Token.SetText("typed")
	if s := r.sendAndWait(t, c, got); s.header.Get("Authorization") != "Bearer typed" {
		t.Errorf("the tab's own auth: %q", s.header.Get("Authorization"))
	}

	old := collection.Lookup(coll.Items, "Legacy/Old.yml")
	c.openFile(*old.Request, root, old.Path)
	if note := authNotes(c); !strings.Contains(note, `"oauth2" (in Legacy/folder.yml)`) {
		t.Errorf("the Auth tab does not say the inherited auth cannot be sent: %q", note)
	}
	before := got.get().n
	test.Tap(c.SendButton)
	r.loop.Drain()
	if c.busy() || !c.inlineErr.Visible() || !strings.Contains(c.inlineErr.Text, `"oauth2"`) || !strings.Contains(c.inlineErr.Text, "not sent") {
		t.Fatalf("the oauth2 request: busy %v, note %q", c.busy(), c.inlineErr.Text)
	}
	if got.get().n != before {
		t.Fatal("the oauth2 request was sent")
	}
}

// authNotes is the text of the Auth tab's notes.
func authNotes(c *Composer) string {
	var out []string
	for _, o := range c.Auth.form.Objects {
		if rt, ok := o.(*widget.RichText); ok {
			out = append(out, widgets.MutedText(rt))
		}
	}
	return strings.Join(out, "\n")
}
