// Package postman reads Postman Collection v2.0 and v2.1 files and Postman
// environment files into a collection.Collection, and writes a collection
// as Postman Collection v2.1.
//
// What Hooklab cannot hold is reported as a warning with the item's path
// and left out; the rest is imported. Scripts (prerequest, test) are kept
// as text in the request (runtime.scripts) and never run. Auth types
// Hooklab cannot send (oauth1, oauth2, awsv4, ...) are kept by type, so the
// request is refused when sent rather than sent without them.
package postman

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Schema URLs of the versions this package reads; the written files use
// SchemaV21.
const (
	SchemaV20 = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"
	SchemaV21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
)

// MaxSize is the largest file Import and ImportEnvironment read.
const MaxSize = 64 << 20

// ErrNotPostman is a file that is not a Postman collection or environment.
var ErrNotPostman = errors.New("not a Postman collection")

// The JSON shapes of the format. Fields that are written in more than one
// form (a string or an object, an object or a list) are raw and decoded by
// hand.

type pmCollection struct {
	Info     pmInfo          `json:"info"`
	Item     []pmItem        `json:"item"`
	Event    []pmEvent       `json:"event,omitempty"`
	Variable []pmVariable    `json:"variable,omitempty"`
	Auth     json.RawMessage `json:"auth,omitempty"`
}

type pmInfo struct {
	PostmanID   string          `json:"_postman_id,omitempty"`
	Name        string          `json:"name"`
	Schema      string          `json:"schema"`
	Description json.RawMessage `json:"description,omitempty"`
}

// pmItem is an item (with a request) or a folder (with item).
type pmItem struct {
	Name     string          `json:"name"`
	Item     json.RawMessage `json:"item,omitempty"` // a folder's items, decoded one by one`
	Request  json.RawMessage `json:"request,omitempty"`
	Event    []pmEvent       `json:"event,omitempty"`
	Variable []pmVariable    `json:"variable,omitempty"`
	Auth     json.RawMessage `json:"auth,omitempty"`
	Response json.RawMessage `json:"response,omitempty"`
	// Behavior holds request settings: followRedirects, maxRedirects,
	// strictSSL, ...
	Behavior map[string]json.RawMessage `json:"protocolProfileBehavior,omitempty"`
}

type pmRequest struct {
	URL    json.RawMessage `json:"url,omitempty"`
	Method string          `json:"method,omitempty"`
	Header json.RawMessage `json:"header,omitempty"`
	Body   *pmBody         `json:"body,omitempty"`
	Auth   json.RawMessage `json:"auth,omitempty"`
}

type pmURL struct {
	Raw      string          `json:"raw,omitempty"`
	Protocol string          `json:"protocol,omitempty"`
	Host     json.RawMessage `json:"host,omitempty"`
	Port     string          `json:"port,omitempty"`
	Path     json.RawMessage `json:"path,omitempty"`
	Query    []pmKV          `json:"query,omitempty"`
	Hash     string          `json:"hash,omitempty"`
	Variable []pmVariable    `json:"variable,omitempty"`
}

// pmKV is a header, query parameter or urlencoded field.
type pmKV struct {
	Key         *string         `json:"key"`
	Value       *string         `json:"value"`
	Disabled    bool            `json:"disabled,omitempty"`
	Description json.RawMessage `json:"description,omitempty"`
}

type pmBody struct {
	Mode       string          `json:"mode,omitempty"`
	Raw        *string         `json:"raw,omitempty"`
	URLEncoded []pmKV          `json:"urlencoded,omitempty"`
	FormData   []pmFormField   `json:"formdata,omitempty"`
	File       *pmFile         `json:"file,omitempty"`
	GraphQL    json.RawMessage `json:"graphql,omitempty"`
	Options    *pmBodyOptions  `json:"options,omitempty"`
	Disabled   bool            `json:"disabled,omitempty"`
}

type pmBodyOptions struct {
	Raw *struct {
		Language string `json:"language,omitempty"`
	} `json:"raw,omitempty"`
}

type pmFormField struct {
	Key         string          `json:"key"`
	Value       *string         `json:"value,omitempty"`
	Src         json.RawMessage `json:"src,omitempty"` // a path, a list of paths, or null
	Type        string          `json:"type,omitempty"`
	ContentType string          `json:"contentType,omitempty"`
	Disabled    bool            `json:"disabled,omitempty"`
}

type pmFile struct {
	Src     *string `json:"src,omitempty"`
	Content *string `json:"content,omitempty"`
}

type pmGraphQL struct {
	Query     string          `json:"query"`
	Variables json.RawMessage `json:"variables,omitempty"`
}

type pmVariable struct {
	Key      string          `json:"key"`
	Value    json.RawMessage `json:"value,omitempty"`
	Type     string          `json:"type,omitempty"`
	Disabled bool            `json:"disabled,omitempty"`
}

type pmEvent struct {
	Listen string   `json:"listen"`
	Script pmScript `json:"script"`
}

type pmScript struct {
	Type string          `json:"type,omitempty"`
	Exec json.RawMessage `json:"exec,omitempty"` // a list of lines or one string
}

// textOf reads a JSON value as text: a string as is, a number or boolean
// as written, null and absent as "". Objects and lists are not text.
func textOf(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		return "", false
	}
	return string(raw), true
}

// linesOf reads a script's exec: a list of lines or one string.
func linesOf(raw json.RawMessage) string {
	if s, ok := textOf(raw); ok {
		return s
	}
	var lines []string
	if json.Unmarshal(raw, &lines) != nil {
		return ""
	}
	return strings.Join(lines, "\n")
}

// describe is a short account of a JSON error, with the offset.
func describe(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("invalid JSON at line %d: %v", line, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("unexpected %s at %s (want %s)", te.Value, te.Field, te.Type)
	}
	return fmt.Errorf("invalid JSON: %v", err)
}
