package collection

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hooklab/requester"
)

// copyTestdata copies the hand-written Bruno-style collection to a temporary
// folder and returns its path.
func copyTestdata(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "payments-api")
	if err := copyTree(filepath.Join("testdata", "payments-api"), root); err != nil {
		t.Fatal(err)
	}
	return root
}

// outline is the tree as "path name seq" lines, indented by depth.
func outline(items []*Item, depth int) []string {
	var out []string
	for _, it := range items {
		out = append(out, strings.Repeat("  ", depth)+it.Path+" | "+it.Name)
		out = append(out, outline(it.Children, depth+1)...)
	}
	return out
}

func TestLoadBrunoCollection(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "payments-api"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) > 0 {
		t.Fatalf("problems: %v", c.Problems)
	}
	if c.Name != "Payments API" || !filepath.IsAbs(c.Root) {
		t.Errorf("name %q root %q", c.Name, c.Root)
	}
	wantVars := []requester.Var{{Name: "api_version", Value: "v1"}, {Name: "amount", Value: "1200"}, {Name: "legacy", Value: "true", Disabled: true}}
	if !reflect.DeepEqual(c.Vars, wantVars) {
		t.Errorf("vars %+v", c.Vars)
	}
	want := []string{
		"Payments | Payments",
		"  Payments/Refunds | Refunds",
		"    Payments/Refunds/Create refund.yml | Create refund",
		"  Payments/Create payment.yml | Create payment",
		"  Payments/Get payment.yml | Get payment",
		"Webhooks | Webhooks",
		"  Webhooks/Upload receipt.yml | Upload receipt",
		"  Webhooks/Search events.yml | Search events",
		"Health check.yml | Health check",
		"Version.yml | Version",
	}
	if got := outline(c.Items, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	wantEnvs := []requester.Environment{
		{Name: "Local", Vars: []requester.Var{{Name: "base_url", Value: "http://localhost:4100"}, {Name: "api_key", Secret: true}}},
		{Name: "Staging", Vars: []requester.Var{{Name: "base_url", Value: "https://staging.example.com"}, {Name: "api_key", Value: "sk_test_staging"}}},
	}
	if !reflect.DeepEqual(c.Environments, wantEnvs) {
		t.Errorf("environments %+v", c.Environments)
	}

	create := Lookup(c.Items, "Payments/Create payment.yml").Request
	wantCreate := requester.Request{
		Name: "Create payment", Method: "POST", URL: "{{base_url}}/v1/payments",
		Headers: []requester.Header{{Name: "Content-Type", Value: "application/json"}, {Name: "Idempotency-Key", Value: "{{idempotency_key}}", Disabled: true}},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: "{\n  \"amount\": {{amount}},\n  \"currency\": \"eur\",\n  \"callback_url\": \"{{webhook_url}}payments\"\n}"},
		Auth:    requester.Auth{Kind: requester.AuthBearer, Token: "{{api_key}}"},
		Options: requester.Options{MaxRedirects: 5},
	}
	if !reflect.DeepEqual(*create, wantCreate) {
		t.Errorf("Create payment:\n%#v\nwant\n%#v", *create, wantCreate)
	}
	get := Lookup(c.Items, "Payments/Get payment.yml").Request
	if !reflect.DeepEqual(get.Params, []requester.Param{{Name: "expand", Value: "customer"}}) ||
		get.Auth != (requester.Auth{Kind: requester.AuthAPIKey, Key: "X-Api-Key", Value: "{{api_key}}"}) ||
		get.Options != (requester.Options{Timeout: 10e9, NoRedirects: true, MaxRedirects: 5}) {
		t.Errorf("Get payment: %#v", *get)
	}
	refund := Lookup(c.Items, "Payments/Refunds/Create refund.yml").Request
	if refund.Body.Kind != requester.BodyForm || len(refund.Body.Form) != 2 || !refund.Body.Form[1].Disabled ||
		refund.Auth != (requester.Auth{Kind: requester.AuthBasic, Username: "{{api_key}}"}) {
		t.Errorf("Create refund: %#v", *refund)
	}
	upload := Lookup(c.Items, "Webhooks/Upload receipt.yml").Request
	wantParts := []requester.Part{{Name: "note", Value: "Paid in full"}, {Name: "receipt", File: "files/receipt.pdf", ContentType: "application/pdf"}}
	if upload.Body.Kind != requester.BodyMultipart || !reflect.DeepEqual(upload.Body.Parts, wantParts) {
		t.Errorf("Upload receipt: %#v", upload.Body)
	}
	search := Lookup(c.Items, "Webhooks/Search events.yml").Request
	if search.Body.Kind != requester.BodyGraphQL || !strings.HasPrefix(search.Body.GraphQL.Query, "query Events") ||
		search.Body.GraphQL.Variables != `{"type": "payment.succeeded"}` || search.Auth.Kind != requester.AuthNone {
		t.Errorf("Search events: %#v", *search)
	}
}

func TestLoadNotACollection(t *testing.T) {
	if _, err := Load(t.TempDir()); !errors.Is(err, ErrNotCollection) {
		t.Errorf("err = %v", err)
	}
}

func TestLoadReportsBrokenFilesAndLoadsTheRest(t *testing.T) {
	root := copyTestdata(t)
	write := func(rel, s string) {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Payments/Broken.yml", "info:\n  name: Broken\nhttp:\n  method: GET\n  url: \"unterminated\n")
	write("Webhooks/Shape.yml", "info:\n  name: Shape\nhttp:\n  url: http://h\n  headers:\n    name: not-a-list\n")
	write("environments/Bad.yml", "name: Bad\nvariables: {a: 1}\n")
	c, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{
		{Path: "Payments/Broken.yml", Line: 5, Msg: "invalid YAML: found unexpected end of stream"},
		{Path: "Webhooks/Shape.yml", Line: 6, Msg: "http.headers must be a list"},
		{Path: "environments/Bad.yml", Line: 2, Msg: "variables must be a list"},
	}
	if !reflect.DeepEqual(c.Problems, want) {
		t.Errorf("problems:\n%+v\nwant\n%+v", c.Problems, want)
	}
	if got := c.Problems[0].Error(); got != "Payments/Broken.yml:5: invalid YAML: found unexpected end of stream" {
		t.Errorf("Error() = %q", got)
	}
	if n := len(Find(c.Items, "")); n != 10 || len(c.Environments) != 2 {
		t.Errorf("%d items, %d environments still loaded", n, len(c.Environments))
	}
}

func TestTreeOperations(t *testing.T) {
	root := copyTestdata(t)
	names := func(folder string) []string {
		t.Helper()
		c, err := Load(root)
		if err != nil || len(c.Problems) > 0 {
			t.Fatalf("%v %v", err, c.Problems)
		}
		items := c.Items
		if folder != "" {
			items = Lookup(c.Items, folder).Children
		}
		var out []string
		for _, it := range items {
			out = append(out, it.Path)
		}
		return out
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", what, got, want)
		}
	}

	// New requests go last, with unique file names.
	r := requester.Request{Method: "GET", URL: "{{base_url}}/v1/payments"}
	a, err := NewRequest(root, "Payments", "List payments", r)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewRequest(root, "Payments", "List payments", r)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewRequest(root, "Payments", "a/b: c?", r)
	check("new", []string{a, b, c}, []string{"Payments/List payments.yml", "Payments/List payments 2.yml", "Payments/a b- c-.yml"})
	check("order after new", names("Payments"), []string{"Payments/Refunds", "Payments/Create payment.yml", "Payments/Get payment.yml", a, b, c})

	// Rename changes file name and info.name, keeps seq.
	renamed, err := Rename(root, b, "Search payments")
	if err != nil {
		t.Fatal(err)
	}
	check("rename", []string{renamed}, []string{"Payments/Search payments.yml"})
	got, seq, _ := readRequestFile(filepath.Join(root, filepath.FromSlash(renamed)))
	if got.Name != "Search payments" || seq != 4 {
		t.Errorf("renamed: name %q seq %d", got.Name, seq)
	}
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(b))); !os.IsNotExist(err) {
		t.Errorf("old file still there: %v", err)
	}
	// Renaming to the same name keeps the file.
	if same, err := Rename(root, renamed, "Search payments"); err != nil || same != renamed {
		t.Errorf("same-name rename: %q %v", same, err)
	}

	// Duplicate a request and a folder.
	dup, err := Duplicate(root, "Payments/Create payment.yml")
	if err != nil {
		t.Fatal(err)
	}
	check("duplicate", []string{dup}, []string{"Payments/Create payment copy.yml"})
	orig, _, _ := readRequestFile(filepath.Join(root, "Payments", "Create payment.yml"))
	cp, seq, _ := readRequestFile(filepath.Join(root, filepath.FromSlash(dup)))
	orig.Name = "Create payment copy"
	if !reflect.DeepEqual(cp, orig) || seq != 6 {
		t.Errorf("copy differs (seq %d): %#v", seq, cp)
	}
	dupFolder, err := Duplicate(root, "Payments/Refunds")
	if err != nil {
		t.Fatal(err)
	}
	check("duplicate folder", names("Payments")[:2], []string{"Payments/Refunds", dupFolder})
	check("copied folder content", names(dupFolder), []string{dupFolder + "/Create refund.yml"})

	// Move to the top level goes last there; a folder cannot go into itself.
	moved, err := Move(root, "Payments/Get payment.yml", "")
	if err != nil {
		t.Fatal(err)
	}
	check("move", names(""), []string{"Payments", "Webhooks", "Health check.yml", "Version.yml", "Get payment.yml"})
	if _, seq, _ := readRequestFile(filepath.Join(root, moved)); seq != 3 {
		t.Errorf("moved seq = %d", seq)
	}
	if _, err := Move(root, "Payments", "Payments/Refunds"); err == nil {
		t.Error("moved a folder into itself")
	}
	mf, err := Move(root, "Webhooks", "Payments")
	if err != nil {
		t.Fatal(err)
	}
	check("moved folder", names("Payments")[:3], []string{"Payments/Refunds", dupFolder, mf})

	// A new folder, then delete things.
	nf, err := NewFolder(root, "", "Customers")
	if err != nil {
		t.Fatal(err)
	}
	check("new folder", names("")[:2], []string{"Payments", nf})
	for _, rel := range []string{nf, moved, dupFolder} {
		if err := Delete(root, rel); err != nil {
			t.Fatal(err)
		}
	}
	check("after delete", names(""), []string{"Payments", "Health check.yml", "Version.yml"})

	for _, bad := range []string{"../x.yml", "/etc/passwd", "", "."} {
		if err := Delete(root, bad); err == nil {
			t.Errorf("Delete(%q) worked", bad)
		}
	}
}

func TestFind(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "payments-api"))
	if err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string][]string{
		"payment":        {"Payments", "Payments/Create payment.yml", "Payments/Get payment.yml"},
		"CREATE":         {"Payments/Refunds/Create refund.yml", "Payments/Create payment.yml"},
		"/v1/refunds":    {"Payments/Refunds/Create refund.yml"},
		"create refunds": {"Payments/Refunds/Create refund.yml"},
		"graphql":        {"Webhooks/Search events.yml"},
		"nothing here":   nil,
	} {
		var got []string
		for _, it := range Find(c.Items, query) {
			got = append(got, it.Path)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Find(%q) = %q, want %q", query, got, want)
		}
	}
}

func TestCreateAndSaveCollection(t *testing.T) {
	root := filepath.Join(t.TempDir(), "new")
	c, err := Create(root, "Shop API")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Create(root, "again"); err == nil {
		t.Error("Create over an existing collection worked")
	}
	vars := []requester.Var{{Name: "host", Value: "http://localhost:8080"}, {Name: "old", Value: "1", Disabled: true}}
	if err := SaveCollection(c.Root, "Shop API", vars); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(root, collectionFile))
	want := "opencollection: 1.0.0\n\ninfo:\n  name: Shop API\n\nrequest:\n  variables:\n    - name: host\n      value: http://localhost:8080\n    - name: old\n      value: \"1\"\n      disabled: true\n"
	if string(data) != want {
		t.Errorf("got:\n%s\nwant:\n%s", data, want)
	}
	if err := SaveCollection(c.Root, "x", []requester.Var{{Name: "s", Value: "v", Secret: true}}); err == nil {
		t.Error("saved a secret collection variable")
	}
	c2, err := Load(root)
	if err != nil || c2.Name != "Shop API" || !reflect.DeepEqual(c2.Vars, vars) {
		t.Errorf("reloaded %+v %v", c2, err)
	}

	// An empty flow mapping in the old file does not make new keys flow.
	os.WriteFile(filepath.Join(root, collectionFile), []byte("opencollection: 1.0.0\ninfo:\n  name: Shop API\nrequest: {}\n"), 0o644)
	if err := SaveCollection(c.Root, "Shop API", vars); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(root, collectionFile)); !strings.Contains(string(data), "request:\n  variables:\n    - name: host\n") {
		t.Errorf("flow style leaked:\n%s", data)
	}

	// Bruno's own keys in opencollection.yml survive.
	root = copyTestdata(t)
	orig, _ := os.ReadFile(filepath.Join(root, collectionFile))
	c3, _ := Load(root)
	if err := SaveCollection(root, c3.Name, c3.Vars); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, collectionFile)); string(got) != string(orig) {
		t.Errorf("rewrote opencollection.yml:\n%s", got)
	}
}
