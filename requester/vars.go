package requester

import (
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Vars maps variable names (without braces) to values, e.g. "webhook_url".
type Vars map[string]string

// Expand replaces every {{name}} in s by vars[name]; whitespace inside the
// braces is ignored, so {{ name }} works too. Values are inserted verbatim and
// never expanded again, so a value may itself contain "{{". An unterminated
// "{{" is left as literal text.
//
// Names not in vars may be built-ins, fresh at each occurrence: {{$uuid}} (a
// random version 4 UUID), {{$timestamp}} (Unix seconds), {{$isoTimestamp}}
// (UTC, RFC 3339 with milliseconds), {{$randomInt}} (0 to 1000), and the
// sample values of Bruno and Postman collections ({{$randomFullName}},
// {{$randomEmail}}, … in faker.go). A variable in vars shadows a built-in of the same name. Any other name
// returns an *UnknownVariableError with Where left empty for the caller to
// fill in.
func Expand(s string, vars Vars) (string, error) {
	var b strings.Builder
	err := EachVar(s, func(text string, isVar bool) error {
		if !isVar {
			b.WriteString(text)
			return nil
		}
		name := VarName(text)
		v, ok := vars[name]
		if !ok {
			v, ok = builtin(name)
		}
		if name == "" || !ok {
			return &UnknownVariableError{Name: name}
		}
		b.WriteString(v)
		return nil
	})
	if err != nil {
		return "", err
	}
	return b.String(), nil
}

// EachVar calls f on the pieces of s in order: plain text (isVar false)
// and each {{variable}} with its braces (isVar true), found as Expand
// finds them. It stops at the first error f returns.
func EachVar(s string, f func(text string, isVar bool) error) error {
	for {
		open := strings.Index(s, "{{")
		if open < 0 {
			break
		}
		end := strings.Index(s[open+2:], "}}")
		if end < 0 {
			break
		}
		end += open + 2
		// The innermost "{{" before the closing braces opens the variable, so
		// "{{{x}}}" is {{x}} between literal braces and "{{a {{x}}" keeps "{{a ".
		open += strings.LastIndex(s[open:end], "{{")
		if open > 0 {
			if err := f(s[:open], false); err != nil {
				return err
			}
		}
		if err := f(s[open:end+2], true); err != nil {
			return err
		}
		s = s[end+2:]
	}
	if s == "" {
		return nil
	}
	return f(s, false)
}

// VarName is the name inside a {{variable}} piece of EachVar.
func VarName(piece string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(piece, "{{"), "}}"))
}

// IsBuiltin reports whether name is a built-in dynamic variable.
func IsBuiltin(name string) bool {
	switch name {
	case "$uuid", "$timestamp", "$isoTimestamp", "$randomInt":
		return true
	}
	_, ok := fakers[name]
	return ok
}

// builtin returns the value of a built-in dynamic variable.
func builtin(name string) (string, bool) {
	switch name {
	case "$uuid":
		return newUUID(), true
	case "$timestamp":
		return strconv.FormatInt(time.Now().Unix(), 10), true
	case "$isoTimestamp":
		return time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"), true
	case "$randomInt":
		return strconv.Itoa(rand.IntN(1001)), true
	}
	if f, ok := fakers[name]; ok {
		return f(rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))), true
	}
	return "", false
}

// newUUID returns a random (version 4) UUID in its canonical text form.
func newUUID() string {
	var u [16]byte
	crand.Read(u[:]) // never fails; it crashes the program rather than return an error
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ExpandURL is Expand for a URL: each value is escaped for the part of
// the URL it lands in, so that it stays data and cannot change the URL's
// shape. Where a value lands is read from the URL expanded so far:
//   - before the path (scheme, host, port: {{base_url}}) and in the
//     fragment, values are inserted verbatim, so a variable may hold a
//     whole base URL;
//   - in the path, "?", "#", "%" and spaces are percent-encoded ("/" is
//     kept: a value may hold several segments);
//   - in the query, "&", "#", "+" and "%" are percent-encoded, and "=" too
//     in a parameter's name, so that "q={{v}}" with v = "a&b=c" sends one
//     parameter q whose value is "a&b=c".
//
// Errors are Expand's.
func ExpandURL(s string, vars Vars) (string, error) {
	var b strings.Builder
	err := EachVar(s, func(text string, isVar bool) error {
		if !isVar {
			b.WriteString(text)
			return nil
		}
		name := VarName(text)
		v, ok := vars[name]
		if !ok {
			v, ok = builtin(name)
		}
		if name == "" || !ok {
			return &UnknownVariableError{Name: name}
		}
		b.WriteString(escapeIn(urlPartAt(b.String()), v))
		return nil
	})
	if err != nil {
		return "", err
	}
	return b.String(), nil
}

// urlPart is where in a URL a variable's value lands.
type urlPart int

const (
	partVerbatim urlPart = iota // scheme, host, port, fragment
	partPath
	partQueryName
	partQueryValue
)

// urlPartAt says where text appended to prefix, a URL's start, lands.
func urlPartAt(prefix string) urlPart {
	if strings.IndexByte(prefix, '#') >= 0 {
		return partVerbatim
	}
	if i := strings.IndexByte(prefix, '?'); i >= 0 {
		q := prefix[i+1:]
		if j := strings.LastIndexByte(q, '&'); j >= 0 {
			q = q[j+1:]
		}
		if strings.IndexByte(q, '=') >= 0 {
			return partQueryValue
		}
		return partQueryName
	}
	rest := prefix
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if strings.IndexByte(rest, '/') >= 0 {
		return partPath
	}
	return partVerbatim
}

// escapeIn percent-encodes the bytes of v that would change the shape of
// the URL part it lands in.
func escapeIn(part urlPart, v string) string {
	var special string
	switch part {
	case partPath:
		special = "?#% "
	case partQueryName:
		special = "&#+%="
	case partQueryValue:
		special = "&#+%"
	default:
		return v
	}
	if !strings.ContainsAny(v, special) {
		return v
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if strings.IndexByte(special, c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ExpandRequest returns r with every {{variable}} of what it sends
// expanded (URL, params, headers, body, auth, option paths and proxy), as
// for a command to run outside the app; the first unknown variable is an
// *UnknownVariableError with Where set.
func ExpandRequest(r Request, vars Vars) (Request, error) {
	var first error
	x := func(s *string, where string) {
		if first != nil {
			return
		}
		out, err := expandIn(*s, vars, where)
		if err != nil {
			first = err
			return
		}
		*s = out
	}
	if first == nil {
		// Escaped for where each value lands, as Prepare does.
		u, err := ExpandURL(r.URL, vars)
		var uv *UnknownVariableError
		if errors.As(err, &uv) {
			uv.Where = "URL"
		}
		r.URL, first = u, err
	}
	r.Params = expandRows(r.Params, x, "param")
	hdrs := make([]Header, len(r.Headers))
	for i, h := range r.Headers {
		if !h.Disabled {
			x(&h.Name, "header "+h.Name)
			x(&h.Value, "header "+h.Name)
		}
		hdrs[i] = h
	}
	r.Headers = hdrs
	b := &r.Body
	x(&b.Text, "body")
	x(&b.File, "body file")
	b.Form = expandRows(b.Form, x, "form field")
	parts := make([]Part, len(b.Parts))
	for i, p := range b.Parts {
		if !p.Disabled {
			for _, s := range []*string{&p.Name, &p.Value, &p.File, &p.ContentType} {
				x(s, "part "+p.Name)
			}
		}
		parts[i] = p
	}
	b.Parts = parts
	x(&b.GraphQL.Query, "GraphQL query")
	x(&b.GraphQL.Variables, "GraphQL variables")
	for _, s := range []*string{&r.Auth.Username, &r.Auth.Password, &r.Auth.Token, &r.Auth.Key, &r.Auth.Value} {
		x(s, "auth")
	}
	for _, s := range []*string{&r.Options.CACert, &r.Options.ClientCert, &r.Options.ClientKey, &r.Options.Proxy} {
		x(s, "options")
	}
	if first != nil {
		return Request{}, first
	}
	return r, nil
}

func expandRows(rows []Param, x func(*string, string), where string) []Param {
	out := make([]Param, len(rows))
	for i, p := range rows {
		if !p.Disabled {
			x(&p.Name, where+" "+p.Name)
			x(&p.Value, where+" "+p.Name)
		}
		out[i] = p
	}
	return out
}
