package requester

import (
	"reflect"
	"time"
)

// Equal reports whether r and o are the same request as a collection
// file keeps it; a tab backed by a file holds unsaved edits exactly
// when its request is not Equal to the one last loaded or saved. Every
// field counts, Name included, except that:
//   - an empty Method is GET;
//   - no rows and an empty list of rows are the same (Params, Headers,
//     and the body's Form and Parts);
//   - of the body only Kind and the field that kind sends count: the
//     editor keeps what was typed under the other kinds, a file does not;
//   - Options.Timeout counts in whole milliseconds, as a file keeps it.
//
// It replaces ui's sameRequest (composer.go).
func (r Request) Equal(o Request) bool {
	return reflect.DeepEqual(r.asSaved(), o.asSaved())
}

// asSaved is r reduced to what Equal compares.
func (r Request) asSaved() Request {
	if r.Method == "" {
		r.Method = "GET"
	}
	if len(r.Params) == 0 {
		r.Params = nil
	}
	if len(r.Headers) == 0 {
		r.Headers = nil
	}
	body := Body{Kind: r.Body.Kind}
	switch r.Body.Kind {
	case BodyJSON, BodyXML, BodyText:
		body.Text = r.Body.Text
	case BodyForm:
		body.Form = r.Body.Form
	case BodyMultipart:
		body.Parts = r.Body.Parts
	case BodyFile:
		body.File = r.Body.File
	case BodyGraphQL:
		body.GraphQL = r.Body.GraphQL
	}
	if len(body.Form) == 0 {
		body.Form = nil
	}
	if len(body.Parts) == 0 {
		body.Parts = nil
	}
	r.Body = body
	r.Options.Timeout = r.Options.Timeout.Truncate(time.Millisecond)
	return r
}
