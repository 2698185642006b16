package curl

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hooklab/requester"
)

// Generate returns a curl command that sends r as the requester would: one
// option per line, arguments single-quoted for POSIX shells. Disabled rows
// are left out, {{variables}} are kept as they are (expand the request first
// for a runnable command), and secrets are included.
//
// Bearer and API key auth become headers (or a query parameter), and
// header rows that the auth replaces are left out. A body without a
// Content-Type row gets the type the requester would send.
func Generate(r requester.Request) string {
	var args []arg

	u := r.URL
	if a := r.Auth; a.Kind == requester.AuthAPIKey && a.InQuery && strings.TrimSpace(a.Key) != "" {
		u = appendQuery(u, formEscape(strings.TrimSpace(a.Key))+"="+formEscape(a.Value))
	}
	body := bodyArgs(r.Body)
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	switch {
	case method == http.MethodHead && len(body) == 0:
		args = append(args, flag("-I"))
	case method != http.MethodGet && len(body) == 0, method != http.MethodPost && len(body) > 0:
		args = append(args, with("-X", method))
	}
	args = append(args, headerArgs(r)...)
	args = append(args, authArgs(r.Auth)...)
	args = append(args, body...)
	args = append(args, optionArgs(r.Options)...)
	if strings.ContainsAny(u, "{}[]") {
		// Braces and brackets are meant as written ({{variables}}, an
		// IPv6 host): -g stops curl from globbing them.
		args = append(args, flag("-g"))
	}

	var b strings.Builder
	b.WriteString("curl")
	if strings.HasPrefix(u, "-") {
		args = append([]arg{with("--url", u)}, args...)
	} else {
		b.WriteString(" " + quote(u))
	}
	for _, a := range args {
		b.WriteString(" \\\n  " + a.opt)
		if a.hasVal {
			b.WriteString(" " + quote(a.val))
		}
	}
	return b.String()
}

// arg is one option of a generated command, with its value if it takes one.
type arg struct {
	opt, val string
	hasVal   bool
}

func flag(opt string) arg { return arg{opt: opt} }

func with(opt, val string) arg { return arg{opt, val, true} }

// headerArgs returns -H (or -A) options for the enabled header rows, except
// those the auth replaces, plus the Content-Type that the body kind implies
// when no row sets one.
func headerArgs(r requester.Request) []arg {
	var out []arg
	replaced := authHeader(r.Auth)
	for _, h := range r.Headers {
		name := strings.TrimSpace(h.Name)
		value := strings.TrimSpace(h.Value) // as net/http sends it
		switch {
		case h.Disabled || name == "" || strings.Contains(name, ":") || strings.EqualFold(name, replaced):
		case value == "" && strings.EqualFold(name, "User-Agent"):
			out = append(out, with("-A", ""))
		case value == "" && !strings.Contains(name, ";"):
			out = append(out, with("-H", name+";"))
		case value != "":
			out = append(out, with("-H", name+": "+value))
		}
	}
	if _, set := contentType(r.Headers); !set {
		if ct := impliedType(r.Body); ct != "" {
			out = append(out, with("-H", "Content-Type: "+ct))
		}
	}
	return out
}

// authHeader is the header that the requester's auth sets (or, for digest,
// removes), replacing rows of that name.
func authHeader(a requester.Auth) string {
	switch a.Kind {
	case requester.AuthBasic, requester.AuthDigest:
		return "Authorization"
	case requester.AuthBearer:
		if a.Token != "" {
			return "Authorization"
		}
	case requester.AuthAPIKey:
		if !a.InQuery {
			return strings.TrimSpace(a.Key)
		}
	}
	return ""
}

// impliedType is the Content-Type the requester sends for a body kind that
// curl would label differently.
func impliedType(b requester.Body) string {
	switch b.Kind {
	case requester.BodyFile:
		return typeByExtension(b.File)
	case requester.BodyJSON, requester.BodyGraphQL:
		if b.Kind == requester.BodyGraphQL || b.Text != "" {
			return "application/json"
		}
	case requester.BodyXML:
		if b.Text != "" {
			return "application/xml"
		}
	case requester.BodyText:
		if b.Text != "" {
			return "text/plain; charset=utf-8"
		}
	}
	return ""
}

func authArgs(a requester.Auth) []arg {
	switch a.Kind {
	case requester.AuthBasic:
		if strings.Contains(a.Username, ":") { // -u would split it at the colon
			token := base64.StdEncoding.EncodeToString([]byte(a.Username + ":" + a.Password))
			return []arg{with("-H", "Authorization: Basic "+token)}
		}
		return []arg{with("-u", a.Username+":"+a.Password)}
	case requester.AuthDigest:
		return []arg{flag("--digest"), with("-u", a.Username+":"+a.Password)}
	case requester.AuthBearer:
		if a.Token == "" {
			return nil
		}
		return []arg{with("-H", "Authorization: Bearer "+a.Token)}
	case requester.AuthAPIKey:
		key := strings.TrimSpace(a.Key)
		switch {
		case a.InQuery || key == "" || strings.Contains(key, ":"):
			return nil
		case strings.TrimSpace(a.Value) == "":
			return []arg{with("-H", key+";")}
		}
		return []arg{with("-H", key+": "+a.Value)}
	}
	return nil
}

// bodyArgs returns the options that send b; none for an empty body.
func bodyArgs(b requester.Body) []arg {
	var out []arg
	switch b.Kind {
	case requester.BodyJSON, requester.BodyXML, requester.BodyText:
		if b.Text != "" {
			out = append(out, with("--data-raw", b.Text))
		}
	case requester.BodyGraphQL:
		out = append(out, with("--data-raw", graphQLBody(b.GraphQL)))
	case requester.BodyForm:
		for _, row := range b.Form {
			if !row.Disabled && strings.TrimSpace(row.Name) != "" {
				// Encoded text never starts with "@", so -d sends it as is.
				out = append(out, with("-d", formEscape(row.Name)+"="+formEscape(row.Value)))
			}
		}
	case requester.BodyMultipart:
		for _, part := range b.Parts {
			if !part.Disabled && strings.TrimSpace(part.Name) != "" {
				out = append(out, partArg(part))
			}
		}
	case requester.BodyFile:
		out = append(out, with("--data-binary", "@"+b.File))
	}
	return out
}

// graphQLBody is the JSON the requester sends for a GraphQL body. Variables
// that are not JSON yet (as with unquoted {{variables}}) are kept as typed.
func graphQLBody(g requester.GraphQL) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(g.Query) // a string always encodes
	s := `{"query":` + strings.TrimSuffix(b.String(), "\n")
	if v := strings.TrimSpace(g.Variables); v != "" {
		var c bytes.Buffer
		if json.Compact(&c, []byte(v)) == nil {
			v = c.String()
		}
		s += `,"variables":` + v
	}
	return s + "}"
}

// partArg writes a multipart part in the first form that curl reads back
// as the same part: -F with the value as is, then quoted, then
// --form-string (which cannot carry a type).
func partArg(part requester.Part) arg {
	part.Disabled = false
	var tries []arg
	typ := ""
	if part.ContentType != "" {
		typ = ";type=" + part.ContentType
	}
	if part.File != "" {
		// The type Hooklab sends, unless curl would send it too.
		ct := part.ContentType
		if ct == "" {
			ct = typeByExtension(part.File)
		}
		part.ContentType, typ = ct, ""
		if ct != curlFileType(part.File) {
			typ = ";type=" + ct
		}
		tries = []arg{
			with("-F", part.Name+"=@"+part.File+typ),
			with("-F", part.Name+"=@"+quoteParam(part.File)+typ),
			with("-F", part.Name+"=@"+quoteParam(part.File)),
		}
	} else {
		tries = []arg{
			with("-F", part.Name+"="+part.Value+typ),
			with("-F", part.Name+"="+quoteParam(part.Value)+typ),
			with("--form-string", part.Name+"="+part.Value),
		}
	}
	for _, t := range tries {
		p := &parser{}
		parts, err := p.formArg(t.opt, t.val, t.opt == "--form-string")
		if err == nil && len(p.warnings) == 0 && len(parts) == 1 && parts[0] == part {
			return t
		}
	}
	return tries[len(tries)-1]
}

// quoteParam double-quotes s for -F, escaping \ and ".
func quoteParam(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func optionArgs(o requester.Options) []arg {
	var out []arg
	if !o.NoRedirects {
		out = append(out, flag("-L"))
	}
	if o.MaxRedirects > 0 {
		out = append(out, with("--max-redirs", strconv.Itoa(o.MaxRedirects)))
	}
	if o.Insecure {
		out = append(out, flag("-k"))
	}
	if o.Timeout > 0 {
		out = append(out, with("-m", formatSeconds(o.Timeout)))
	}
	if o.Proxy != "" {
		out = append(out, with("-x", o.Proxy))
	}
	if o.CACert != "" {
		out = append(out, with("--cacert", o.CACert))
	}
	if o.ClientCert != "" {
		out = append(out, with("--cert", escapeCert(o.ClientCert)))
	}
	if o.ClientKey != "" {
		out = append(out, with("--key", o.ClientKey))
	}
	return out
}

// formatSeconds writes d in seconds, exactly.
func formatSeconds(d time.Duration) string {
	s := strconv.FormatInt(int64(d/time.Second), 10)
	if ns := d % time.Second; ns != 0 {
		s += strings.TrimRight("."+strconv.FormatInt(int64(ns)+1e9, 10)[1:], "0")
	}
	return s
}

// escapeCert escapes a certificate path for --cert when curl would
// otherwise read part of it as a password.
func escapeCert(path string) string {
	if name, pass := parseCert(path); name == path && pass == "" {
		return path
	}
	return strings.NewReplacer(`\`, `\\`, `:`, `\:`).Replace(path)
}

// typeByExtension is the requester's type for a body file: by its
// extension, else application/octet-stream.
func typeByExtension(path string) string {
	if t := mime.TypeByExtension(filepath.Ext(path)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// quote returns s as one POSIX shell word: bare when that is safe, else in
// single quotes. Bytes that are not UTF-8 can only be written as $'\xHH'.
func quote(s string) string {
	switch {
	case s != "" && strings.Trim(s, safeChars) == "":
		return s
	case !utf8.ValidString(s), strings.ContainsRune(s, '\r'):
		// A carriage return inside '…' does not survive a paste (line
		// endings are made \n) or the reader, which does the same.
		return ansiQuote(s)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ansiQuote writes s as a bash $'…' string.
func ansiQuote(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r == '\\' || r == '\'':
			b.WriteString(`\` + s[:1])
		case r == '\r':
			b.WriteString(`\r`)
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String() + "'"
}

const safeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,"
