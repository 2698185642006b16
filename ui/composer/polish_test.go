package composer

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/requester/history"
	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/widgets"
)

// fakeAfter replaces the composer's timer: what it was asked to run
// later waits in the returned slice until the test runs it.
func fakeAfter(c *Composer) *[]func() {
	var due []func()
	c.after = func(_ time.Duration, f func()) { due = append(due, f) }
	return &due
}

func TestCopyAsCurlFillsVariablesAndSaysCopied(t *testing.T) {
	r := newRig(t)
	c := r.c
	due := fakeAfter(c)
	c.Load(requester.Request{Method: "POST", URL: "{{webhook_url}}payments",
		Headers: []requester.Header{{Name: "X-Sandbox", Value: "{{sandbox_url}}"}}})

	cmd := c.CopyAsCurl()
	if strings.Contains(cmd, "{{") || !strings.Contains(cmd, "curl "+r.webhookURL+"payments") || !strings.Contains(cmd, c.builtins["sandbox_url"]) {
		t.Fatalf("Copy as cURL left variables or lost values:\n%s", cmd)
	}
	if got := fyne.CurrentApp().Clipboard().Content(); got != cmd {
		t.Errorf("clipboard %q", got)
	}
	if !c.flash.Visible() || !strings.Contains(c.flash.Text, "Copied") {
		t.Fatalf("no Copied confirmation: %q visible=%v", c.flash.Text, c.flash.Visible())
	}
	tmpl := c.CopyAsCurlTemplate()
	if !strings.Contains(tmpl, "{{webhook_url}}payments") {
		t.Errorf("the template form lost its variables:\n%s", tmpl)
	}
	if len(*due) != 2 {
		t.Fatalf("%d timers; want one per copy", len(*due))
	}
	(*due)[0]()
	if !c.flash.Visible() {
		t.Error("the first copy's timer hid the second copy's confirmation")
	}
	(*due)[1]()
	if c.flash.Visible() {
		t.Error("the confirmation stays after its time")
	}

	c.URL.SetText("{{nope}}/x")
	if cmd := c.CopyAsCurl(); cmd != "" || !strings.Contains(c.inlineErr.Text, "nope") {
		t.Errorf("an unknown variable: copied %q, said %q", cmd, c.inlineErr.Text)
	}
}

// The notes under the URL (the preview, an error, a cURL note, a copy
// confirmation) coming and going never move the request's tabs.
func TestNotesDoNotMoveTheRequestTabs(t *testing.T) {
	r := newRig(t)
	c := r.c
	fakeAfter(c)
	h := c.header.MinSize().Height
	steps := []struct {
		name string
		do   func()
	}{
		{"a URL without variables", func() { c.URL.SetText("https://plain.test/") }},
		{"a URL with variables", func() { c.URL.SetText("{{sandbox_url}}/v1/payments") }},
		{"a blocked send", func() { c.URL.SetText("{{nope}}/x"); test.Tap(c.SendButton) }},
		{"a typed cURL command", func() { c.URL.SetText(""); test.Type(c.URL, "curl ") }},
		{"a copy", func() { c.CopyAsCurlTemplate() }},
		{"all cleared", func() { c.Load(requester.Request{Method: "GET"}) }},
	}
	for _, s := range steps {
		s.do()
		if got := c.header.MinSize().Height; got != h {
			t.Errorf("after %s the area above the request tabs is %v high; was %v", s.name, got, h)
		}
	}
	if !strings.Contains(widgets.MutedText(c.varsHint), "Ctrl+Enter sends") || !strings.HasPrefix(widgets.MutedText(c.varsHint), "Ctrl+Enter") {
		t.Errorf("the hint should start with the shortcut: %q", widgets.MutedText(c.varsHint))
	}
}

func TestBlockedSendMarksTheResponseStale(t *testing.T) {
	r := newRig(t)
	c := r.c
	srv, seen := echoServer(t)
	c.URL.SetText(srv.URL + "/ok")
	r.sendAndWait(t, c, seen)
	if strings.Contains(widgets.MutedText(c.StatusMeta), "previous") {
		t.Fatalf("a fresh response marked stale: %q", widgets.MutedText(c.StatusMeta))
	}
	fresh := c.Status.Color

	c.URL.SetText("{{nope}}/x")
	test.Tap(c.SendButton)
	if !c.inlineErr.Visible() {
		t.Fatal("the send was not blocked")
	}
	if meta := widgets.MutedText(c.StatusMeta); !strings.HasPrefix(meta, "Response from the previous send") {
		t.Errorf("the old response is not marked: %q", meta)
	}
	if c.Status.Color == fresh {
		t.Error("the old status is not dimmed")
	}
	test.Tap(c.SendButton) // blocked again: marked once
	if meta := widgets.MutedText(c.StatusMeta); strings.Count(meta, "previous send") != 1 {
		t.Errorf("marked twice: %q", meta)
	}
}

func TestURLWithoutSchemeIsSentAsHTTP(t *testing.T) {
	r := newRig(t)
	c := r.c
	srv, seen := echoServer(t)
	c.Method.SetText("GET")
	c.URL.SetText(strings.TrimPrefix(srv.URL, "http://") + "/x?a=1")
	got := r.sendAndWait(t, c, seen)
	if got.uri != "/x?a=1" || c.Status.Text != "200 OK" {
		t.Fatalf("sent %q, status %q %q", got.uri, c.Status.Text, widgets.MutedText(c.StatusMeta))
	}
	// What went on the wire, all of it, in Raw.
	raw := c.RespRaw.Text()
	for _, h := range []string{"Accept-Encoding: gzip", "User-Agent: ", "Host: " + strings.TrimPrefix(srv.URL, "http://")} {
		if !strings.Contains(raw, h) {
			t.Errorf("Raw lacks %q:\n%s", h, raw)
		}
	}
	if strings.Count(raw, "Host: ") != 1 {
		t.Errorf("Host shown %d times:\n%s", strings.Count(raw, "Host: "), raw)
	}
	if !strings.Contains(widgets.MutedText(c.autoHdrs), "Accept-Encoding: gzip") {
		t.Errorf("added when sent: %q", widgets.MutedText(c.autoHdrs))
	}
}

func TestReplacingTheURLDropsItsSwitchedOffParams(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.Load(requester.Request{Method: "GET", URL: "https://a.test/x?k=1",
		Params: []requester.Param{{Name: "k", Value: "1"}, {Name: "off", Value: "2", Disabled: true}}})
	c.URL.SetText("https://a.test/x?k=1&m=3") // an edit keeps them
	if rows := c.Params.Rows(); len(rows) != 3 || !rows[1].Disabled {
		t.Fatalf("an edit of the query lost the switched-off row: %+v", rows)
	}
	c.URL.SetText("https://b.test/y?z=9") // pasted over the whole URL
	if rows := c.Params.Rows(); len(rows) != 1 || rows[0].Name != "z" {
		t.Fatalf("after replacing the URL: %+v", rows)
	}
}

func TestImportCurlTakesTheTypedCommandIntoThisTab(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.URL.SetText("")
	test.Type(c.URL, "curl -X DELETE https://api.example.test/v1/items/7")
	var offered string
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		offered = a.Items[0].Widget.(*widget.Entry).Text
		return true
	}
	tabs := len(c.Tabs.tabs)
	c.Tabs.askCurl()
	if offered != "curl -X DELETE https://api.example.test/v1/items/7" {
		t.Fatalf("the dialog offered %q", offered)
	}
	if len(c.Tabs.tabs) != tabs || c.Method.Text != "DELETE" || c.URL.Text != "https://api.example.test/v1/items/7" {
		t.Fatalf("after importing: %d tabs (had %d), %s %s", len(c.Tabs.tabs), tabs, c.Method.Text, c.URL.Text)
	}
}

// The example tab of a first start is its file's: edits show ●, and
// closing it offers Save, which writes the file.
func TestFirstStartTabIsTiedToItsFileAndCloseOffersSave(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := r.c
	tab := c.Tabs.current()
	if tab.rel == "" || tab.coll != p.colls[0].Root {
		t.Fatalf("the example tab is not tied to its file: coll %q rel %q", tab.coll, tab.rel)
	}
	if strings.Contains(tab.item.Text, "●") {
		t.Fatalf("marked unsaved before any edit: %q", tab.item.Text)
	}
	c.URL.SetText("{{sandbox_url}}/v1/payments?edited=1")
	if !strings.Contains(tab.item.Text, "●") {
		t.Fatalf("an edit is not marked: %q", tab.item.Text)
	}
	c.Tabs.New()
	c.Tabs.doc.Select(tab.item)
	r.dialogs.Choice = func(a dialogstest.Asked) int { return 0 } // Save
	c.Tabs.CloseCurrent()
	if got := r.dialogs.Titles(dialogstest.Choose); len(got) != 1 {
		t.Fatalf("closing asked %v", got)
	}
	if c.Tabs.has(tab) {
		t.Fatal("Save did not close the tab")
	}
	coll, err := collection.Load(p.colls[0].Root)
	if err != nil {
		t.Fatal(err)
	}
	var url string
	collection.Walk(coll.Items, func(it *collection.Item) {
		if it.Path == tab.rel {
			url = it.Request.URL
		}
	})
	if url != "{{sandbox_url}}/v1/payments?edited=1" {
		t.Errorf("the file holds %q", url)
	}
}

func TestSaveAsAsksForANameAndAPlace(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := r.c
	root := p.colls[0].Root
	if _, err := collection.NewFolder(root, "", "Orders"); err != nil {
		t.Fatal(err)
	}
	r.reloaded(t, p)
	c.Tabs.New()
	c.URL.SetText("https://api.example.test/refunds")
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		if a.Title != "Save request" || len(a.Items) != 2 {
			t.Errorf("asked %q with %d fields", a.Title, len(a.Items))
			return false
		}
		a.Items[0].Widget.(*widget.Entry).SetText("Refund")
		where := a.Items[1].Widget.(*widget.Select)
		if len(where.Options) != 2 || where.Selected != "My requests" {
			t.Errorf("places %v, chosen %q", where.Options, where.Selected)
		}
		where.SetSelected("My requests / Orders")
		return true
	}
	c.Tabs.Save()
	tab := c.Tabs.current()
	if tab.title != "Refund" || !strings.HasPrefix(tab.rel, "Orders/") || tab.coll != root {
		t.Fatalf("saved as %q in %q %q", tab.title, tab.coll, tab.rel)
	}
}

func TestHistoryRowsLeadWithThePath(t *testing.T) {
	for _, tt := range []struct{ name, url, want string }{
		{"", "http://127.0.0.1:18931/v1/payments?expand=customer", "/v1/payments?expand=customer  ·  127.0.0.1:18931"},
		{"Untitled 3", "https://api.test/", "/  ·  api.test"},
		{"Create payment", "http://127.0.0.1:1/v1/payments", "Create payment · /v1/payments  ·  127.0.0.1:1"},
		{"", "not a url", "not a url"},
	} {
		if got := historyTarget(tt.name, tt.url); got != tt.want {
			t.Errorf("historyTarget(%q, %q) = %q; want %q", tt.name, tt.url, got, tt.want)
		}
	}
	row := newHistoryRow()
	row.show(history.Summary{Method: "GET", Status: 200, URL: "http://127.0.0.1:18931/x/y"}, time.Now())
	if !strings.HasPrefix(row.url.Text, "/x/y") {
		t.Errorf("row shows %q", row.url.Text)
	}
}

func TestLongTabTitlesAreShortened(t *testing.T) {
	r := newRig(t)
	c := r.c
	c.Open(requester.Request{Name: "Replay POST /github/issues/12345/comments", Method: "POST"})
	tab := c.Tabs.current()
	if n := len([]rune(tab.item.Text)); n > maxTabTitle || !strings.HasPrefix(tab.item.Text, "Replay POST") {
		t.Errorf("tab label %q (%d characters)", tab.item.Text, n)
	}
	if tab.title != "Replay POST /github/issues/12345/comments" {
		t.Errorf("the title itself was cut: %q", tab.title)
	}
}

func TestEnvironmentMenuAndHint(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := r.c
	if !p.varsMenu()[0].Disabled {
		t.Fatal(`"Edit this environment…" is offered under "No environment"`)
	}
	p.editEnvironment(false)
	if len(r.dialogs.Asked) != 0 {
		t.Fatalf("editing no environment asked %v", r.dialogs.Asked)
	}
	root := p.colls[0].Root
	if err := collection.SaveEnvironment(root, requester.Environment{Name: "Staging", Vars: []requester.Var{{Name: "api_base", Value: "https://staging.test"}}}, p.secrets); err != nil {
		t.Fatal(err)
	}
	r.reloaded(t, p)
	p.Env.SetSelected("Staging")
	if p.varsMenu()[0].Disabled {
		t.Error(`"Edit this environment…" is off with Staging picked`)
	}
	if hint := widgets.MutedText(c.varsHint); !strings.Contains(hint, "{{api_base}}") || !strings.HasPrefix(hint, "Ctrl+Enter sends") {
		t.Errorf("the hint leaves the environment out: %q", hint)
	}
}
