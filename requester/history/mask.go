package history

import (
	"net/http"
	"net/url"
	"strings"

	"hooklab/requester"
)

// Mask is what a secret is replaced by in what the history shows: its
// list, its search, the headers and URL as sent, and exports.
const Mask = "••••••"

// secrets is what maskEntry took out of an entry, for the caller to keep
// apart: the request as edited and the head as sent, both unmasked.
type secrets struct {
	request requester.Request
	head    string // "" when the head held no secret
}

// maskEntry replaces the secrets of e by Mask: in the request as edited
// (the auth fields, header rows whose names say they hold a secret,
// query parameters named like one, a password in a URL) and in what was
// sent (the same headers, Authorization and Cookie, the URL's query, and
// the same in the head as sent). A value that is only {{variables}} is
// no secret itself and is kept, so the entry still says which variable
// it came from. It returns what it masked, unmasked, when anything was;
// nil when nothing was.
func maskEntry(e *Entry) *secrets {
	orig := e.Request
	r := orig
	changed := false
	set := func(p *string) {
		if isLiteralSecret(*p) {
			*p = Mask
			changed = true
		}
	}
	switch r.Auth.Kind {
	case requester.AuthBasic, requester.AuthDigest:
		set(&r.Auth.Password)
	case requester.AuthBearer:
		set(&r.Auth.Token)
	case requester.AuthAPIKey:
		set(&r.Auth.Value)
	}
	if len(r.Headers) > 0 {
		r.Headers = append([]requester.Header(nil), r.Headers...)
		for i := range r.Headers {
			if secretHeader(r.Headers[i].Name) {
				set(&r.Headers[i].Value)
			}
		}
	}
	if len(r.Params) > 0 {
		r.Params = append([]requester.Param(nil), r.Params...)
		for i := range r.Params {
			if secretParam(r.Params[i].Name) {
				set(&r.Params[i].Value)
			}
		}
	}
	if u := maskURL(r.URL); u != r.URL {
		r.URL, changed = u, true
	}
	if p := maskURL(r.Options.Proxy); p != r.Options.Proxy {
		r.Options.Proxy, changed = p, true
	}

	// What was sent holds the expanded values, secrets or not.
	apiKeyHeader := ""
	if r.Auth.Kind == requester.AuthAPIKey && !r.Auth.InQuery {
		apiKeyHeader = http.CanonicalHeaderKey(strings.TrimSpace(r.Auth.Key))
	}
	if len(e.SentHeader) > 0 {
		sent := make(http.Header, len(e.SentHeader))
		for name, vals := range e.SentHeader {
			if secretHeader(name) || http.CanonicalHeaderKey(name) == apiKeyHeader {
				masked := make([]string, len(vals))
				for i, v := range vals {
					masked[i] = maskCredential(v)
				}
				vals = masked
			}
			sent[name] = vals
		}
		e.SentHeader = sent
	}
	sentKey := ""
	if r.Auth.Kind == requester.AuthAPIKey && r.Auth.InQuery {
		sentKey = strings.TrimSpace(r.Auth.Key)
	}
	e.URL = maskSentURL(e.URL, sentKey)
	e.Request = r
	var head string
	if h := maskHead(e.SentHead, apiKeyHeader, sentKey); h != e.SentHead {
		head, e.SentHead, changed = e.SentHead, h, true
	}
	if !changed {
		return nil
	}
	return &secrets{request: orig, head: head}
}

// maskHead masks a request head as it went on the wire (request line,
// header lines, blank line) as the rest of what was sent is masked: the
// values of credential headers and of the API key header (apiKeyHeader,
// canonical) by maskCredential, and the request target's query and user
// info by maskSentURL. Names, their case and order, and every other byte
// stay as they were.
func maskHead(head, apiKeyHeader, queryKey string) string {
	if head == "" {
		return head
	}
	lines := strings.SplitAfter(head, "\n")
	changed := false
	secret := false // the header line before was a credential
	for i, line := range lines {
		text := strings.TrimRight(line, "\r\n")
		eol := line[len(text):]
		var masked string
		switch {
		case i == 0: // METHOD SP target SP version
			method, rest, ok := strings.Cut(text, " ")
			if !ok {
				continue
			}
			target, version, hasVersion := strings.Cut(rest, " ")
			masked = method + " " + maskSentURL(target, queryKey)
			if hasVersion {
				masked += " " + version
			}
		case text == "":
			secret = false
			continue
		case text[0] == ' ' || text[0] == '\t': // the value goes on
			if !secret {
				continue
			}
			masked = text[:1] + Mask
		default:
			name, value, ok := strings.Cut(text, ":")
			secret = ok && (secretHeader(name) || http.CanonicalHeaderKey(strings.TrimSpace(name)) == apiKeyHeader)
			if !secret || strings.TrimSpace(value) == "" {
				continue
			}
			lead := value[:len(value)-len(strings.TrimLeft(value, " \t"))]
			masked = name + ":" + lead + maskCredential(value)
		}
		if masked != text {
			lines[i] = masked + eol
			changed = true
		}
	}
	if !changed {
		return head
	}
	return strings.Join(lines, "")
}

// isLiteralSecret reports whether v holds text of its own besides
// {{variables}}: a value typed in, not a reference to one kept elsewhere.
func isLiteralSecret(v string) bool {
	literal := false
	_ = requester.EachVar(v, func(text string, isVar bool) error {
		if !isVar && strings.TrimSpace(text) != "" {
			literal = true
		}
		return nil
	})
	return literal
}

// secretHeader reports whether a header of that name carries a
// credential.
func secretHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "authorization", "proxy-authorization", "cookie", "x-hooklab-token":
		return true
	}
	return secretWord(n)
}

// secretParam reports whether a query parameter of that name carries a
// credential.
func secretParam(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "key", "sig", "signature", "hooklab_token":
		return true
	}
	return secretWord(n)
}

func secretWord(n string) bool {
	for _, w := range []string{"token", "secret", "password", "passwd", "api-key", "api_key", "apikey", "access-key", "access_key", "session"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// maskCredential masks a header value, keeping an auth scheme's name
// ("Bearer ••••••") so the entry still says how it authenticated.
func maskCredential(v string) string {
	scheme, _, ok := strings.Cut(strings.TrimSpace(v), " ")
	if ok && scheme != "" && isToken(scheme) && len(scheme) <= 16 {
		return scheme + " " + Mask
	}
	return Mask
}

func isToken(s string) bool {
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// maskURL masks a password in the user info and the literal values of
// query parameters named like a secret, leaving the rest of the text as
// written (variables included).
func maskURL(raw string) string {
	return maskQuery(maskUserinfo(raw), "", true)
}

// maskSentURL masks an expanded URL as sent: every value of a secret
// parameter, and of the API key parameter named key.
func maskSentURL(raw, key string) string {
	return maskQuery(maskUserinfo(raw), key, false)
}

func maskUserinfo(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndexByte(rest[:end], '@')
	if at < 0 {
		return raw
	}
	user, pass, ok := strings.Cut(rest[:at], ":")
	if !ok || pass == "" || !isLiteralSecret(pass) {
		return raw
	}
	return scheme + "://" + user + ":" + Mask + rest[at:]
}

// maskQuery masks the values of secret parameters in raw's query; with
// onlyLiteral, values that are only {{variables}} are kept.
func maskQuery(raw, key string, onlyLiteral bool) string {
	base, frag, _ := strings.Cut(raw, "#")
	path, query, ok := strings.Cut(base, "?")
	if !ok || query == "" {
		return raw
	}
	pieces := strings.Split(query, "&")
	changed := false
	for i, p := range pieces {
		name, value, hasValue := strings.Cut(p, "=")
		if !hasValue || value == "" {
			continue
		}
		dec, err := url.QueryUnescape(name)
		if err != nil {
			dec = name
		}
		if !secretParam(dec) && (key == "" || dec != key) {
			continue
		}
		if onlyLiteral && !isLiteralSecret(value) {
			continue
		}
		pieces[i] = name + "=" + Mask
		changed = true
	}
	if !changed {
		return raw
	}
	out := path + "?" + strings.Join(pieces, "&")
	if strings.Contains(raw, "#") {
		out += "#" + frag
	}
	return out
}
