package requester

import (
	"testing"
	"time"
)

func TestRequestEqual(t *testing.T) {
	base := Request{
		Name: "Create payment", Method: "POST", URL: "https://api.test/v1/payments?x=1",
		Params:  []Param{{Name: "x", Value: "1"}},
		Headers: []Header{{Name: "Content-Type", Value: "application/json"}},
		Body:    Body{Kind: BodyJSON, Text: `{"a":1}`},
		Options: Options{Timeout: 5 * time.Second},
	}
	with := func(edit func(r *Request)) Request {
		r := base
		r.Params = append([]Param(nil), base.Params...)
		r.Headers = append([]Header(nil), base.Headers...)
		edit(&r)
		return r
	}
	tests := []struct {
		name string
		a, b Request
		want bool
	}{
		{"itself", base, base, true},
		{"empty method is GET", Request{URL: "u"}, Request{Method: "GET", URL: "u"}, true},
		{"methods differ", Request{Method: "PUT"}, Request{Method: "POST"}, false},
		{"nil and empty params", Request{Params: []Param{}}, Request{}, true},
		{"nil and empty headers", Request{Headers: []Header{}}, Request{}, true},
		{"name counts", base, with(func(r *Request) { r.Name = "Other" }), false},
		{"URL counts", base, with(func(r *Request) { r.URL += "&y=2" }), false},
		{"a disabled row counts", base, with(func(r *Request) { r.Headers[0].Disabled = true }), false},
		{"header order counts", with(func(r *Request) { r.Headers = append(r.Headers, Header{Name: "A"}) }),
			with(func(r *Request) { r.Headers = append([]Header{{Name: "A"}}, r.Headers...) }), false},
		{"text of an inactive kind does not count",
			Request{Body: Body{Kind: BodyNone, Text: `{"typed":"then switched away"}`}}, Request{}, true},
		{"form of an inactive kind does not count",
			Request{Body: Body{Kind: BodyJSON, Text: "{}", Form: []Param{{Name: "f"}}}}, Request{Body: Body{Kind: BodyJSON, Text: "{}"}}, true},
		{"parts, file and GraphQL of an inactive kind do not count",
			Request{Body: Body{Kind: BodyForm, Parts: []Part{{Name: "p"}}, File: "/x", GraphQL: GraphQL{Query: "q"}}}, Request{Body: Body{Kind: BodyForm}}, true},
		{"the active kind's text counts", base, with(func(r *Request) { r.Body.Text = `{"a":2}` }), false},
		{"the kind counts", Request{Body: Body{Kind: BodyJSON, Text: "x"}}, Request{Body: Body{Kind: BodyText, Text: "x"}}, false},
		{"nil and empty form", Request{Body: Body{Kind: BodyForm, Form: []Param{}}}, Request{Body: Body{Kind: BodyForm}}, true},
		{"form rows count", Request{Body: Body{Kind: BodyForm, Form: []Param{{Name: "a"}}}}, Request{Body: Body{Kind: BodyForm}}, false},
		{"nil and empty parts", Request{Body: Body{Kind: BodyMultipart, Parts: []Part{}}}, Request{Body: Body{Kind: BodyMultipart}}, true},
		{"parts count", Request{Body: Body{Kind: BodyMultipart, Parts: []Part{{Name: "a", File: "/f"}}}}, Request{Body: Body{Kind: BodyMultipart}}, false},
		{"the body file counts", Request{Body: Body{Kind: BodyFile, File: "/a"}}, Request{Body: Body{Kind: BodyFile, File: "/b"}}, false},
		{"GraphQL counts", Request{Body: Body{Kind: BodyGraphQL, GraphQL: GraphQL{Query: "a"}}}, Request{Body: Body{Kind: BodyGraphQL, GraphQL: GraphQL{Query: "b"}}}, false},
		{"a sub-millisecond timeout difference does not count",
			base, with(func(r *Request) { r.Options.Timeout += 999 * time.Microsecond }), true},
		{"a millisecond of timeout counts", base, with(func(r *Request) { r.Options.Timeout += time.Millisecond }), false},
		{"other options count", base, with(func(r *Request) { r.Options.Insecure = true }), false},
		{"auth counts", base, with(func(r *Request) { r.Auth = Auth{Kind: AuthBearer, Token: "t"} }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Equal(tt.b); got != tt.want {
				t.Errorf("a.Equal(b) = %v, want %v", got, tt.want)
			}
			if got := tt.b.Equal(tt.a); got != tt.want {
				t.Errorf("b.Equal(a) = %v, want %v", got, tt.want)
			}
		})
	}
}
