package postman

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// An awsv4 auth keeps its settings from Postman through the collection's
// files and back to Postman (only its type was kept).
func TestAWSv4AuthKeepsItsSettings(t *testing.T) {
	src := `{"info": {"name": "aws", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
	  "item": [{"name": "S3", "auth": {"type": "awsv4", "awsv4": {"region": "eu-west-1", "accessKey": "AKIA1"}},
	    "item": [{"name": "List", "request": {"method": "GET", "url": "https://s3.test/",
	      "auth": {"type": "awsv4", "awsv4": [{"key": "secretKey", "value": "s3cr3t", "type": "string"}, {"key": "accessKey", "value": "AKIA2", "type": "string"},
	        {"key": "service", "value": "s3", "type": "string"}]}}}]}]}`
	c, _, err := Import([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := collection.Write(c, filepath.Join(t.TempDir(), "aws"), nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := collection.Load(res.Root)
	if err != nil {
		t.Fatal(err)
	}
	req := collection.Lookup(back.Items, "S3/List.yml")
	folder := collection.Lookup(back.Items, "S3")
	wantReq := []requester.Param{{Name: "secretKey", Value: "s3cr3t"}, {Name: "accessKey", Value: "AKIA2"}, {Name: "service", Value: "s3"}}
	wantFolder := []requester.Param{{Name: "accessKey", Value: "AKIA1"}, {Name: "region", Value: "eu-west-1"}}
	if req == nil || folder == nil || !reflect.DeepEqual(req.AuthFields, wantReq) || !reflect.DeepEqual(folder.Defaults.AuthFields, wantFolder) {
		t.Fatalf("loaded back: %+v", back.Items)
	}
	data, _, err := Export(back)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Item []struct {
			Auth struct {
				Type  string
				AWSv4 []struct{ Key, Value string } `json:"awsv4"`
			}
			Item []struct {
				Request struct {
					Auth struct {
						Type  string
						AWSv4 []struct{ Key, Value string } `json:"awsv4"`
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &out); err != nil || len(out.Item) != 1 || len(out.Item[0].Item) != 1 {
		t.Fatalf("%v\n%s", err, data)
	}
	got := out.Item[0].Item[0].Request.Auth
	if got.Type != "awsv4" || len(got.AWSv4) != 3 || got.AWSv4[1].Key != "accessKey" || got.AWSv4[1].Value != "AKIA2" {
		t.Errorf("request auth %+v", got)
	}
	if f := out.Item[0].Auth; f.Type != "awsv4" || len(f.AWSv4) != 2 || f.AWSv4[1].Value != "eu-west-1" {
		t.Errorf("folder auth %+v", f)
	}
}
