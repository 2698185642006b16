package requester

import "time"

// Param is one row of a query, form or environment table. Disabled rows are
// kept (so the editor and the saved file remember them) but not sent.
type Param struct {
	Name, Value string
	Disabled    bool
}

// BodyKind says how Body is encoded on the wire.
type BodyKind string

// Body kinds. The zero value is BodyNone.
const (
	BodyNone      BodyKind = ""
	BodyJSON      BodyKind = "json"      // Text, Content-Type application/json
	BodyXML       BodyKind = "xml"       // Text, Content-Type application/xml
	BodyText      BodyKind = "text"      // Text, Content-Type text/plain; charset=utf-8
	BodyForm      BodyKind = "form"      // Form, application/x-www-form-urlencoded
	BodyMultipart BodyKind = "multipart" // Parts, multipart/form-data
	BodyFile      BodyKind = "file"      // File, bytes of a file; type from its extension
	BodyGraphQL   BodyKind = "graphql"   // GraphQL, sent as JSON {"query","variables"}
)

// Part is one field of a multipart body: a text value, or a file when File
// (a path) is set. ContentType overrides the part's type when not empty.
type Part struct {
	Name, Value string
	File        string
	ContentType string
	Disabled    bool
}

// GraphQL is a query with its variables (a JSON object as text, may be
// empty).
type GraphQL struct {
	Query, Variables string
}

// Body is the request body. Only the field matching Kind is sent; the others
// are kept so switching kinds in the editor loses nothing.
type Body struct {
	Kind    BodyKind
	Text    string // json, xml, text
	Form    []Param
	Parts   []Part
	File    string // path of the file sent as the body
	GraphQL GraphQL
}

// AuthKind selects how a request authenticates.
type AuthKind string

// Auth kinds. The zero value is AuthNone.
const (
	AuthNone   AuthKind = ""
	AuthBasic  AuthKind = "basic"
	AuthBearer AuthKind = "bearer"
	AuthAPIKey AuthKind = "apikey"
	AuthDigest AuthKind = "digest"
)

// Auth holds the credentials of one request. Values may use {{variables}}.
// As in Postman, the Auth tab wins over header rows: basic and bearer
// replace an Authorization row, an API key header replaces a row of its
// name, and digest drops an Authorization row. An empty bearer token or API
// key name sends nothing. An API key in the query is appended, escaped, to
// the query as written.
type Auth struct {
	Kind               AuthKind
	Username, Password string // basic, digest
	Token              string // bearer
	Key, Value         string // apikey: name and value
	InQuery            bool   // apikey: sent as a query parameter instead of a header
}

// Options are the per-request transport settings. The zero value is the safe
// default: 30 s timeout, follow up to 10 redirects, verify TLS, and a proxy
// only if the environment names one (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
// File paths and Proxy may use {{variables}}.
type Options struct {
	Timeout      time.Duration // 0 means DefaultTimeout
	NoRedirects  bool          // do not follow redirects
	MaxRedirects int           // redirects followed at most; 0 means 10
	Insecure     bool          // skip TLS verification (shown in red)
	CACert       string        // PEM file added to the system pool
	ClientCert   string        // PEM certificate file
	ClientKey    string        // PEM key file; empty when the key is in ClientCert
	Proxy        string        // http://, https:// or socks5:// URL
}

// Var is one variable of an environment or a collection. A secret's value is
// masked in the UI and kept apart from the collection files.
type Var struct {
	Name, Value string
	Secret      bool
	Disabled    bool
}

// Environment is a named set of variables; one is active at a time.
type Environment struct {
	Name string
	Vars []Var
}
