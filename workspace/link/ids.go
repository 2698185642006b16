// Package link ties a webhook to the request that caused it: both carry
// an identifier (a payment's id, a job's id, a delivery id), found by
// Identifiers in the response of the request and in the capture. The
// index of requests' identifiers and the links themselves live in the
// one database (see store.go). It imports only the standard library.
package link

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Bounds of what is read and returned, so that a large response costs
// bounded work and bounded rows in the index.
const (
	// MaxBody is how much of a body is looked at.
	MaxBody = 1 << 20
	// MaxIDs is how many identifiers one body and its headers give, the
	// first found.
	MaxIDs = 64
	// minToken is the length of the shortest free-standing token taken
	// as an identifier; minKeyed that of a value under an id key.
	minToken = 8
	minKeyed = 6
	maxLen   = 128
)

// skipHeaders are headers whose values are never identifiers of one
// exchange: protocol bookkeeping, dates, credentials and session
// cookies (shared by every call of a session, they would tie every
// webhook to the latest call), and signatures (unique to one message,
// they tie nothing).
var skipHeaders = map[string]bool{
	"Accept": true, "Accept-Encoding": true, "Accept-Language": true, "Accept-Ranges": true,
	"Age": true, "Allow": true, "Authorization": true, "Cache-Control": true, "Connection": true,
	"Content-Encoding": true, "Content-Length": true, "Content-Type": true, "Cookie": true,
	"Date": true, "Etag": true, "Expires": true, "Host": true, "Keep-Alive": true,
	"Last-Modified": true, "Location": true, "Proxy-Authorization": true, "Server": true,
	"Set-Cookie": true, "Strict-Transport-Security": true, "Transfer-Encoding": true,
	"User-Agent": true, "Vary": true, "Via": true, "X-Api-Key": true, "X-Forwarded-For": true,
}

// notIDs are tokens of the right shape that name algorithms, charsets
// and platforms, found in many unrelated messages.
var notIDs = map[string]bool{
	"hmac-sha1": true, "hmac-sha256": true, "hmac-sha512": true, "hmac_sha256": true,
	"iso-8859-1": true, "iso-8859-15": true, "windows-1252": true, "x86_64": true,
	"base64url": true, "sha256-rsa": true, "rsa-sha256": true, "ed25519-v1": true,
}

// Identifiers returns the identifiers in a message: its header values
// (but those of skipHeaders and signature headers) and its body (the
// first MaxBody bytes), each once, at most MaxIDs. The order is not
// specified (JSON objects are maps).
func Identifiers(h http.Header, body []byte) []string {
	c := collector{seen: map[string]bool{}}
	for name, vs := range h {
		name = http.CanonicalHeaderKey(name)
		if skipHeaders[name] || strings.Contains(name, "Signature") {
			continue
		}
		for _, v := range vs {
			c.text(v)
		}
	}
	c.body(body)
	return c.out
}

// FromBody returns the identifiers of a body alone.
func FromBody(body []byte) []string {
	c := collector{seen: map[string]bool{}}
	c.body(body)
	return c.out
}

type collector struct {
	seen map[string]bool
	out  []string
}

func (c *collector) full() bool { return len(c.out) >= MaxIDs }

func (c *collector) add(id string) {
	if c.full() || c.seen[id] {
		return
	}
	c.seen[id] = true
	c.out = append(c.out, id)
}

// body reads a JSON body as JSON (values under id keys, and tokens in
// every other string), anything else as text.
func (c *collector) body(b []byte) {
	if len(b) > MaxBody {
		b = b[:MaxBody]
	}
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) == nil {
			c.json(v, "")
			return
		}
	}
	c.text(string(b))
}

// json walks v; key is the name v is under in its object.
func (c *collector) json(v any, key string) {
	if c.full() {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			c.json(x, k)
		}
	case []any:
		for _, x := range v {
			c.json(x, key)
		}
	case string:
		if IsIDKey(key) && keyedID(v) {
			c.add(v)
			return
		}
		c.text(v)
	}
	// Numbers are amounts, counts and timestamps as often as ids: not
	// taken, even under an id key. Booleans and null say nothing.
}

// IsIDKey reports whether a JSON key names an identifier: "id", or a
// name ending in "_id", "Id" or "ID" ("payment_id", "paymentId").
func IsIDKey(k string) bool {
	return strings.EqualFold(k, "id") || strings.HasSuffix(strings.ToLower(k), "_id") ||
		(len(k) > 2 && (strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "ID")))
}

// keyedID reports whether v, found under an id key, is an identifier:
// 6 to 128 characters of letters, digits, '_', '-', '.' and ':', not
// only letters (a word such as "default"), and neither an amount
// ("12.50"), a timestamp, nor a short number.
func keyedID(v string) bool {
	if len(v) < minKeyed || len(v) > maxLen || timestamp(v) {
		return false
	}
	var letters, digits, dots int
	for i := 0; i < len(v); i++ {
		switch ch := v[i]; {
		case isLetter(ch):
			letters++
		case isDigit(ch):
			digits++
		case ch == '.':
			dots++
		case ch == '_' || ch == '-' || ch == ':':
		default:
			return false
		}
	}
	switch {
	case digits == 0 && (len(v) < minToken || !(strings.ContainsAny(v, "_-") || innerUpper(v))):
		// A word ("default"), or only punctuation. Random ids may hold no
		// digit (pay_QzZXORSTiGmmmC: about one in twelve of 14 random
		// letters and digits), so a long value with a prefix or inner
		// capitals is still one.
		return false
	case letters == 0 && dots > 0:
		return false // an amount or a version
	case letters == 0 && (digits == 10 || digits == 13):
		return false // Unix seconds or milliseconds
	}
	return !notIDs[strings.ToLower(v)]
}

// innerUpper reports whether v has a capital after its first character
// and a small letter: random ids mix case, words do not.
func innerUpper(v string) bool {
	return strings.ContainsFunc(v[1:], func(r rune) bool { return r >= 'A' && r <= 'Z' }) &&
		strings.ContainsFunc(v, func(r rune) bool { return r >= 'a' && r <= 'z' })
}

// text finds the identifier-like tokens of free text. Words (runs
// between spaces and punctuation other than "_-.:/+@=?&#%~") that are
// URLs, paths, e-mail addresses or timestamps are skipped whole; the
// rest are cut at ".:+=?&#%~" and each piece that is a token is taken.
func (c *collector) text(s string) {
	for len(s) > 0 && !c.full() {
		i := 0
		for i < len(s) && !wordByte(s[i]) {
			i++
		}
		j := i
		for j < len(s) && wordByte(s[j]) {
			j++
		}
		word := s[i:j]
		s = s[j:]
		if word == "" || strings.Contains(word, "://") || strings.Contains(word, "/") ||
			strings.Contains(word, "@") || timestamp(word) {
			continue
		}
		for _, tok := range strings.FieldsFunc(word, func(r rune) bool { return strings.ContainsRune(".:+=?&#%~", r) }) {
			// A piece may be a timestamp on its own ("…T0" before a '#'
			// in "0000-01-01T0#"), which the whole word was not.
			if token(tok) && !timestamp(tok) {
				c.add(tok)
			}
		}
	}
}

func wordByte(ch byte) bool {
	return isLetter(ch) || isDigit(ch) || strings.IndexByte("_-.:/+@=?&#%~", ch) >= 0
}

// token reports whether tok looks like an identifier on its own: 8 to
// 128 letters, digits, '_' and '-', with at least one letter and one
// digit, not starting or ending with '-' or '_', and not a name such as
// "HMAC-SHA256".
func token(tok string) bool {
	if len(tok) < minToken || len(tok) > maxLen {
		return false
	}
	var letter, digit bool
	for i := 0; i < len(tok); i++ {
		switch ch := tok[i]; {
		case isLetter(ch):
			letter = true
		case isDigit(ch):
			digit = true
		case ch == '_' || ch == '-':
		default:
			return false
		}
	}
	if !letter || !digit || strings.IndexByte("_-", tok[0]) >= 0 || strings.IndexByte("_-", tok[len(tok)-1]) >= 0 {
		return false
	}
	return !notIDs[strings.ToLower(tok)]
}

// timestamp reports whether s is a date or a time: RFC 3339 (with or
// without seconds' fraction and zone) or an ISO date.
func timestamp(s string) bool {
	if len(s) < 10 || !isDigit(s[0]) || !isDigit(s[3]) || s[4] != '-' || s[7] != '-' {
		return false
	}
	if _, err := time.Parse("2006-01-02", s[:10]); err != nil {
		return false
	}
	if len(s) == 10 {
		return true
	}
	if s[10] != 'T' && s[10] != 't' && s[10] != ' ' && s[10] != '_' {
		return false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02T15"} {
		if _, err := time.Parse(layout, strings.ToUpper(s[:10])+"T"+s[11:]); err == nil {
			return true
		}
	}
	return false
}

func isLetter(ch byte) bool { return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' }
func isDigit(ch byte) bool  { return ch >= '0' && ch <= '9' }
