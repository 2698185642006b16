package collection

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
)

//go:embed testdata/opencollection-v1-constraints.json
var constraintsJSON []byte

type constraints struct {
	Defs map[string]struct {
		Allowed  []string            `json:"allowed"`
		Required []string            `json:"required"`
		Enums    map[string][]string `json:"enums"`
		Children map[string]string   `json:"children"`
	} `json:"defs"`
	BodyByType map[string]string `json:"bodyByType"`
	AuthByType map[string]string `json:"authByType"`
}

// check lists where n breaks the constraints of def; at names n.
func (c *constraints) check(def string, n *yaml.Node, at string) []string {
	n = deref(n)
	if strings.HasPrefix(def, "[") {
		if n.Kind != yaml.SequenceNode {
			return []string{at + ": not an array"}
		}
		var out []string
		for i, e := range n.Content {
			out = append(out, c.check(strings.Trim(def, "[]"), e, fmt.Sprintf("%s[%d]", at, i))...)
		}
		return out
	}
	switch def {
	case "Body":
		t, _ := strField(n, "type", "")
		if def = c.BodyByType[t]; def == "" {
			return []string{fmt.Sprintf("%s: body type %q", at, t)}
		}
	case "Auth":
		if n.Kind == yaml.ScalarNode && n.Value == "inherit" {
			return nil
		}
		t, _ := strField(n, "type", "")
		if def = c.AuthByType[t]; def == "" {
			return []string{fmt.Sprintf("%s: auth type %q", at, t)}
		}
	}
	d, ok := c.Defs[def]
	if !ok {
		return []string{at + ": no definition " + def}
	}
	if n.Kind != yaml.MappingNode {
		return []string{at + ": not an object"}
	}
	var out []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		if !slices.Contains(d.Allowed, k) {
			out = append(out, fmt.Sprintf("%s: %s is not allowed in %s", at, k, def))
			continue
		}
		if enum, ok := d.Enums[k]; ok && !slices.Contains(enum, deref(v).Value) {
			out = append(out, fmt.Sprintf("%s.%s: %q is not one of %v", at, k, deref(v).Value, enum))
		}
		if child, ok := d.Children[k]; ok {
			out = append(out, c.check(child, v, at+"."+k)...)
		}
	}
	for _, k := range d.Required {
		if field(n, k) == nil {
			out = append(out, fmt.Sprintf("%s: %s lacks required %s", at, def, k))
		}
	}
	return out
}

// TestWrittenFilesMeetTheSchema writes every kind of request, with every
// option, and the collection file, and checks each file against the
// constraints of the OpenCollection schema.
func TestWrittenFilesMeetTheSchema(t *testing.T) {
	var c constraints
	if err := json.Unmarshal(constraintsJSON, &c); err != nil {
		t.Fatal(err)
	}
	// The checker itself: what earlier versions wrote fails.
	bad, _ := parseDoc([]byte("info: {name: x}\nhttp:\n  body: {type: file, data: [{filePath: a, selected: true}]}\nsettings: {insecure: true}\n"))
	if got := c.check("HttpRequest", bad, "old"); len(got) != 2 {
		t.Errorf("old file: %q, want the file body's contentType and settings.insecure", got)
	}
	root := t.TempDir()
	if _, err := Create(root, "Schema"); err != nil {
		t.Fatal(err)
	}
	if err := SaveCollection(root, "Schema", []requester.Var{{Name: "a", Value: "1"}}); err != nil {
		t.Fatal(err)
	}
	cases := append([]requester.Request(nil), roundTripCases...)
	cases = append(cases,
		requester.Request{Name: "Empty form", Method: "POST", URL: "http://h/", Body: requester.Body{Kind: requester.BodyForm}},
		requester.Request{Name: "Empty multipart", Method: "POST", URL: "http://h/", Body: requester.Body{Kind: requester.BodyMultipart}},
		requester.Request{Name: "Empty file", Method: "POST", URL: "http://h/", Body: requester.Body{Kind: requester.BodyFile}},
		requester.Request{Name: "Unknown extension", Method: "POST", URL: "http://h/", Body: requester.Body{Kind: requester.BodyFile, File: "blob.zzz"}},
	)
	for _, r := range cases {
		if _, err := NewRequest(root, "", "", r); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(root, "*.yml"))
	if len(files) != len(cases)+1 {
		t.Fatalf("%d files for %d requests", len(files), len(cases))
	}
	for _, p := range files {
		data, _ := os.ReadFile(p)
		doc, err := parseDoc(data)
		if err != nil {
			t.Fatal(err)
		}
		def := "HttpRequest"
		switch {
		case filepath.Base(p) == collectionFile:
			def = "OpenCollection"
		case field(doc, "graphql") != nil:
			def = "GraphQLRequest"
		}
		for _, e := range c.check(def, doc, filepath.Base(p)) {
			t.Errorf("%s\n%s", e, data)
		}
	}
}

// TestHooklabOptionsInExtensions: the options the schema has no place for
// are written under extensions.hooklab of opencollection.yml, read back from
// there, still read from a request's settings (files of earlier versions),
// moved there by a save, and follow renames, moves, duplicates and deletes.
func TestHooklabOptionsInExtensions(t *testing.T) {
	root := t.TempDir()
	if _, err := Create(root, "Ext"); err != nil {
		t.Fatal(err)
	}
	opts := requester.Options{Insecure: true, CACert: "ca.pem", ClientCert: "c.pem", ClientKey: "k.pem", Proxy: "http://127.0.0.1:3128", Timeout: 2000 * 1e6}
	rel, err := NewRequest(root, "", "A", requester.Request{URL: "http://h/", Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	head, _ := os.ReadFile(filepath.Join(root, collectionFile))
	if !strings.Contains(string(head), "extensions:\n  hooklab:\n    requests:\n      A.yml:\n        insecure: true\n") {
		t.Errorf("opencollection.yml:\n%s", head)
	}
	options := func(rel string) requester.Options {
		t.Helper()
		c, err := Load(root)
		if err != nil {
			t.Fatal(err)
		}
		it := Lookup(c.Items, rel)
		if it == nil {
			t.Fatalf("%s not loaded", rel)
		}
		return it.Request.Options
	}
	if got := options(rel); got != opts {
		t.Errorf("read back %+v, want %+v", got, opts)
	}

	// An earlier version's file: the options under settings.
	old := "info:\n  name: Old\nhttp:\n  method: GET\n  url: http://h/\nsettings:\n  insecure: true\n  proxy: http://p:1\n"
	if err := os.WriteFile(filepath.Join(root, "Old.yml"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	oldOpts := requester.Options{Insecure: true, Proxy: "http://p:1"}
	if got := options("Old.yml"); got != oldOpts {
		t.Errorf("old place: %+v", got)
	}
	if err := SaveRequest(root, "Old.yml", requester.Request{Name: "Old", URL: "http://h/", Options: oldOpts}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "Old.yml")); strings.Contains(string(data), "insecure") {
		t.Errorf("saved file still holds insecure:\n%s", data)
	}
	if got := options("Old.yml"); got != oldOpts {
		t.Errorf("after save: %+v", got)
	}

	folder, _ := NewFolder(root, "", "F")
	moved, err := Move(root, rel, folder)
	if err != nil {
		t.Fatal(err)
	}
	if got := options(moved); got != opts {
		t.Errorf("after move: %+v", got)
	}
	renamed, err := Rename(root, folder, "G")
	if err != nil {
		t.Fatal(err)
	}
	inG := renamed + "/A.yml"
	if got := options(inG); got != opts {
		t.Errorf("after folder rename: %+v", got)
	}
	dup, err := Duplicate(root, inG)
	if err != nil {
		t.Fatal(err)
	}
	if got := options(dup); got != opts {
		t.Errorf("duplicate: %+v", got)
	}
	for _, r := range []string{dup, renamed, "Old.yml"} {
		if err := Delete(root, r); err != nil {
			t.Fatal(err)
		}
	}
	if head, _ := os.ReadFile(filepath.Join(root, collectionFile)); strings.Contains(string(head), "extensions") {
		t.Errorf("entries left after deletes:\n%s", head)
	}
}
