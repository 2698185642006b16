package requester

import (
	"reflect"
	"strings"
	"testing"
)

// TestContentTypeIsWhatPrepareSends: the type a kind names is the one
// a body of that kind goes with.
func TestContentTypeIsWhatPrepareSends(t *testing.T) {
	bodies := []Body{
		{Kind: BodyJSON, Text: "{}"},
		{Kind: BodyXML, Text: "<a/>"},
		{Kind: BodyText, Text: "hi"},
		{Kind: BodyForm, Form: []Param{{Name: "a", Value: "1"}}},
		{Kind: BodyGraphQL, GraphQL: GraphQL{Query: "{ a }"}},
		{Kind: BodyMultipart, Parts: []Part{{Name: "a", Value: "1"}}},
	}
	for _, b := range bodies {
		p, err := Prepare(Request{Method: "POST", URL: "http://h.test/", Body: b}, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := p.Header.Get("Content-Type")
		if want := b.Kind.ContentType(); want == "" || got != want && !strings.HasPrefix(got, want+"; boundary=") {
			t.Errorf("%s: Prepare sent Content-Type %q, ContentType says %q", b.Kind, got, want)
		}
	}
	for _, k := range []BodyKind{BodyNone, BodyFile, "unknown"} {
		if ct := k.ContentType(); ct != "" {
			t.Errorf("%q.ContentType() = %q, want none", k, ct)
		}
	}
}

func TestAutoHeaders(t *testing.T) {
	ua := AutoHeader{"User-Agent", UserAgent}
	length := AutoHeader{"Content-Length", "(computed)"}
	fromAuth := AutoHeader{"Authorization", "(from Auth)"}
	ae := AutoHeader{"Accept-Encoding", "gzip"}
	vars := Vars{"base": "https://api.test:8443/v1"}
	tests := []struct {
		name string
		r    Request
		want []AutoHeader
	}{
		{"no URL, no body", Request{}, []AutoHeader{ua, ae}},
		{"host from the expanded URL", Request{URL: "{{base}}/payments"},
			[]AutoHeader{{"Host", "api.test:8443"}, ua, ae}},
		{"an unknown variable: no host", Request{URL: "{{nope}}/x"}, []AutoHeader{ua, ae}},
		{"a URL without a host", Request{URL: "/relative"}, []AutoHeader{ua, ae}},
		{"a User-Agent row replaces it", Request{Headers: []Header{{Name: " user-agent ", Value: "me"}}}, []AutoHeader{ae}},
		{"a disabled User-Agent row does not", Request{Headers: []Header{{Name: "User-Agent", Disabled: true}}}, []AutoHeader{ua, ae}},
		{"JSON body", Request{Body: Body{Kind: BodyJSON}},
			[]AutoHeader{ua, {"Content-Type", "application/json"}, length, ae}},
		{"GraphQL body", Request{Body: Body{Kind: BodyGraphQL}},
			[]AutoHeader{ua, {"Content-Type", "application/json"}, length, ae}},
		{"XML body", Request{Body: Body{Kind: BodyXML}},
			[]AutoHeader{ua, {"Content-Type", "application/xml"}, length, ae}},
		{"text body", Request{Body: Body{Kind: BodyText}},
			[]AutoHeader{ua, {"Content-Type", "text/plain; charset=utf-8"}, length, ae}},
		{"form body", Request{Body: Body{Kind: BodyForm}},
			[]AutoHeader{ua, {"Content-Type", "application/x-www-form-urlencoded"}, length, ae}},
		{"multipart body", Request{Body: Body{Kind: BodyMultipart}},
			[]AutoHeader{ua, {"Content-Type", "multipart/form-data; boundary=…"}, length, ae}},
		{"file body", Request{Body: Body{Kind: BodyFile, File: "x.png"}},
			[]AutoHeader{ua, {"Content-Type", "(from the file's extension)"}, length, ae}},
		{"a Content-Type row replaces it, the length stays",
			Request{Headers: []Header{{Name: "content-type", Value: "application/vnd+json"}}, Body: Body{Kind: BodyJSON}},
			[]AutoHeader{ua, length, ae}},
		{"basic auth", Request{Auth: Auth{Kind: AuthBasic}}, []AutoHeader{ua, fromAuth, ae}},
		{"bearer auth", Request{Auth: Auth{Kind: AuthBearer, Token: "t"}}, []AutoHeader{ua, fromAuth, ae}},
		{"digest auth", Request{Auth: Auth{Kind: AuthDigest}}, []AutoHeader{ua, fromAuth, ae}},
		{"API key header", Request{Auth: Auth{Kind: AuthAPIKey, Key: "X-Api-Key", Value: "k"}},
			[]AutoHeader{ua, {"X-Api-Key", "(from Auth)"}, ae}},
		{"API key in the query", Request{Auth: Auth{Kind: AuthAPIKey, Key: "k", InQuery: true}}, []AutoHeader{ua, ae}},
		{"POST without a body", Request{Method: "post"}, []AutoHeader{ua, {"Content-Length", "0"}, ae}},
		{"HEAD: no gzip", Request{Method: "HEAD"}, []AutoHeader{ua}},
		{"own Accept-Encoding", Request{Headers: []Header{{Name: "accept-encoding", Value: "br"}}}, []AutoHeader{ua}},
		{"a Range asks for no gzip", Request{Headers: []Header{{Name: "Range", Value: "bytes=0-9"}}}, []AutoHeader{ua}},
		{"API key without a name", Request{Auth: Auth{Kind: AuthAPIKey}}, []AutoHeader{ua, ae}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Accept: TestAutoHeadersAccept.
			var got []AutoHeader
			for _, h := range AutoHeaders(tt.r, vars) {
				if h.Name != "Accept" {
					got = append(got, h)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AutoHeaders = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAutoHeadersAccept: Accept and Accept-Encoding are listed, as they
// go out, unless a row sets them.
func TestAutoHeadersAccept(t *testing.T) {
	ua := AutoHeader{"User-Agent", UserAgent}
	if got, want := AutoHeaders(Request{}, nil), []AutoHeader{ua, {"Accept", "*/*"}, {"Accept-Encoding", "gzip"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("AutoHeaders = %v, want %v", got, want)
	}
	rows := []Header{{Name: "accept", Value: "application/json"}, {Name: "Accept-Encoding", Value: AcceptEncodingCurl}}
	if got, want := AutoHeaders(Request{Headers: rows}, nil), []AutoHeader{ua}; !reflect.DeepEqual(got, want) {
		t.Errorf("with rows: AutoHeaders = %v, want %v", got, want)
	}
}
