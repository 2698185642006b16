package bruexport

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hooklab/requester"
	"hooklab/requester/bru"
	"hooklab/requester/collection"
	"hooklab/requester/importer"
)

// An auth Hooklab cannot send (awsv4) keeps its settings through every
// step: .bru import, the OpenCollection files it makes, writing those
// into another collection, and .bru export. Sending it is still refused.
func TestUnsentAuthKeepsItsSettings(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "bruno")
	files := map[string]string{
		"bruno.json":    `{"version": "1", "name": "aws", "type": "collection"}`,
		"S3/folder.bru": "meta {\n  name: S3\n}\n\nauth {\n  mode: awsv4\n}\n\nauth:awsv4 {\n  accessKeyId: AKIA1\n  secretAccessKey: {{awsSecret}}\n  region: eu-west-1\n  service: s3\n}\n",
		"S3/List.bru": "meta {\n  name: List\n  type: http\n  seq: 1\n}\n\nget {\n  url: https://s3.test/\n  body: none\n  auth: awsv4\n}\n\n" +
			"auth:awsv4 {\n  accessKeyId: AKIA2\n  secretAccessKey: s3cr3t\n  sessionToken: tok\n  service: s3\n  region: us-east-1\n  profileName: dev\n}\n",
	}
	for name, body := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reqFields := []requester.Param{{Name: "accessKeyId", Value: "AKIA2"}, {Name: "secretAccessKey", Value: "s3cr3t"}, {Name: "sessionToken", Value: "tok"},
		{Name: "service", Value: "s3"}, {Name: "region", Value: "us-east-1"}, {Name: "profileName", Value: "dev"}}
	folderFields := []requester.Param{{Name: "accessKeyId", Value: "AKIA1"}, {Name: "secretAccessKey", Value: "{{awsSecret}}"},
		{Name: "region", Value: "eu-west-1"}, {Name: "service", Value: "s3"}}

	check := func(step, root string) *collection.Collection {
		t.Helper()
		c, err := collection.Load(root)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		folder := collection.Lookup(c.Items, "S3")
		req := collection.Lookup(c.Items, "S3/List.yml")
		if folder == nil || req == nil {
			t.Fatalf("%s: items %+v", step, c.Items)
		}
		if req.AuthType != "awsv4" || !reflect.DeepEqual(req.AuthFields, reqFields) {
			t.Errorf("%s: request auth %q %+v", step, req.AuthType, req.AuthFields)
		}
		if folder.Defaults.AuthType != "awsv4" || !reflect.DeepEqual(folder.Defaults.AuthFields, folderFields) {
			t.Errorf("%s: folder auth %q %+v", step, folder.Defaults.AuthType, folder.Defaults.AuthFields)
		}
		var unsupported *collection.UnsupportedAuthError
		if _, _, err := collection.Sendable(c, req); !errors.As(err, &unsupported) {
			t.Errorf("%s: sending an awsv4 request: %v", step, err)
		}
		return c
	}

	res, err := importer.Import(src, filepath.Join(tmp, "imported"), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := check("import", res.Root)
	data, _ := os.ReadFile(filepath.Join(res.Root, "S3", "List.yml"))
	if !strings.Contains(string(data), "profileName: dev") {
		t.Errorf("List.yml:\n%s", data)
	}

	// The OpenCollection files written into another collection.
	wr, _, err := collection.Write(c, filepath.Join(tmp, "copy"), nil)
	if err != nil {
		t.Fatal(err)
	}
	check("copy", wr.Root)

	// Exported to .bru: the auth:awsv4 blocks as they were.
	if _, err := Write(c, filepath.Join(tmp, "out"), Options{}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]requester.Param{"S3/List.bru": reqFields, "S3/folder.bru": folderFields} {
		data, err := os.ReadFile(filepath.Join(tmp, "out", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		var got []bru.Pair
		if strings.HasSuffix(name, "folder.bru") {
			d, err := bru.ParseDefaults(data)
			if err != nil {
				t.Fatal(err)
			}
			got = d.AuthFields
		} else {
			r, err := bru.ParseRequest(data)
			if err != nil {
				t.Fatal(err)
			}
			got = r.AuthFields
		}
		var gotParams []requester.Param
		for _, p := range got {
			gotParams = append(gotParams, requester.Param{Name: p.Key, Value: p.Value, Disabled: p.Disabled})
		}
		if !reflect.DeepEqual(gotParams, want) {
			t.Errorf("%s: auth fields %+v, want %+v\n%s", name, gotParams, want, data)
		}
	}
}
