package curl

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hooklab/requester"
)

// Parse reads a curl command line into the request curl would send; as in
// curl, redirects are followed only with -L. The warnings name what was
// left out or changed: unknown or unsupported options, shell variables kept
// as literal text, a cookie file, extra URLs or commands. Errors are for
// commands that cannot be read: not curl, no URL, an option without its
// value, or a *SyntaxError such as an unterminated quote.
//
// -d data becomes form rows only if they encode back to the same bytes,
// else text with an explicit Content-Type row. @file data becomes a file
// body, and -F name=<file (a text field read from a file) a file part.
func Parse(cmd string) (requester.Request, []string, error) {
	p := &parser{cookie: -1, maxRedirs: -1}
	args, err := p.split(cmd)
	if err == nil {
		err = p.options(args)
	}
	if err != nil {
		return requester.Request{}, p.warnings, err
	}
	r, err := p.request()
	if err != nil {
		return requester.Request{}, p.warnings, err
	}
	return r, p.warnings, nil
}

// options applies the arguments in order.
func (p *parser) options(args []word) error {
	endOfOptions := false
	for i := 0; i < len(args) && !p.done; i++ {
		a := args[i].text
		var used int
		var err error
		afterUnknown := p.unknown
		p.unknown = false
		switch {
		case endOfOptions || len(a) < 2 || a[0] != '-':
			switch {
			case a == "":
			case afterUnknown:
				p.guesses = append(p.guesses, a)
			default:
				p.urls = append(p.urls, a)
			}
		case a == "--":
			endOfOptions = true
		case strings.HasPrefix(a, "--"):
			used, err = p.long(args[i], args[i+1:])
		default:
			used, err = p.shorts(args[i], args[i+1:])
		}
		if err != nil {
			return err
		}
		i += used
	}
	return nil
}

// long applies one --option and returns how many following arguments it
// used.
func (p *parser) long(w word, rest []word) (int, error) {
	name, on := w.text[2:], true
	if base, ok := strings.CutPrefix(name, "expand-"); ok && argOptions[base] {
		name = base // curl's --variable expansion, which is not done here
	}
	if !argOptions[name] && !flagOptions[name] {
		base, ok := strings.CutPrefix(name, "no-")
		if !ok || !flagOptions[base] {
			hint := ""
			if strings.Contains(name, "=") {
				hint = " (curl takes the value as the next argument)"
			}
			p.warnf("unknown option %s ignored%s", short(w.text), hint)
			p.unknown = true
			return 0, nil
		}
		name, on = base, false
	}
	if !argOptions[name] {
		return 0, p.apply(opt{name: name, flag: w.text, on: on})
	}
	if len(rest) == 0 {
		return 0, missingArg(w)
	}
	return 1, p.apply(opt{name: name, flag: w.text, arg: rest[0].text, on: true})
}

// shorts applies a group of one-letter options such as -sSL or -XPOST.
func (p *parser) shorts(w word, rest []word) (int, error) {
	a := w.text
	for j := 1; j < len(a) && !p.done; j++ {
		flag := "-" + a[j:j+1]
		name, ok := shortOptions[a[j]]
		p.unknown = !ok
		switch {
		case !ok:
			p.warnf("unknown option %s ignored", strings.ToValidUTF8(flag, "?"))
		case !argOptions[name]:
			if err := p.apply(opt{name: name, flag: flag, on: true}); err != nil {
				return 0, err
			}
		case j+1 < len(a):
			return 0, p.apply(opt{name: name, flag: flag, arg: a[j+1:], on: true})
		case len(rest) == 0:
			return 0, missingArg(word{text: flag, pos: w.pos})
		default:
			return 1, p.apply(opt{name: name, flag: flag, arg: rest[0].text, on: true})
		}
	}
	return 0, nil
}

func missingArg(w word) error {
	return fmt.Errorf("option %s (%s) needs a value, but the command ends after it", short(w.text), w.pos)
}

// apply runs the handler of o, or ignores o, with a warning unless it only
// changes what curl prints.
func (p *parser) apply(o opt) error {
	if h := handlers[o.name]; h != nil {
		return h(p, o)
	}
	if !quietOptions[o.name] {
		p.warnf("option %s is not supported and was ignored", short(o.flag))
	}
	return nil
}

func (p *parser) setMethod(o opt) error {
	if o.arg != "" {
		p.method = o.arg
	}
	return nil
}

func (p *parser) setFlag(o opt) error {
	switch o.name {
	case "head":
		p.head = o.on
	case "get":
		p.get = o.on
	case "insecure":
		p.opts.Insecure = o.on
	case "globoff":
		p.globoff = o.on
	case "compressed":
		p.compressed = o.on
	default: // location, location-trusted, follow
		p.follow = o.on
	}
	return nil
}

// addHeader handles -H, -A and -e.
func (p *parser) addHeader(o opt) error {
	switch o.name {
	case "user-agent":
		p.headers = append(p.headers, requester.Header{Name: "User-Agent", Value: strings.TrimSpace(o.arg)})
		return nil
	case "referer":
		ref, _, _ := strings.Cut(o.arg, ";auto") // ;auto asks curl to update it on redirects
		if ref = strings.TrimSpace(ref); ref != "" {
			p.headers = append(p.headers, requester.Header{Name: "Referer", Value: ref})
		}
		return nil
	}
	h, ok := headerRow(o.arg)
	switch {
	case strings.HasPrefix(o.arg, "@"):
		p.warnf("headers read from the file %s were ignored", short(o.arg[1:]))
	case ok && strings.HasPrefix(h.Name, "@"):
		// No header name starts with @ (it is not a token character), and
		// written back as -H '@…' it would read a file.
		p.warnf("header %q has no valid name and was ignored", short(o.arg))
	case !ok:
		p.warnf("header %q is not Name: value and was ignored", short(o.arg))
	default:
		p.headers = append(p.headers, h)
	}
	return nil
}

// headerRow reads a -H argument. "Name: value" sends the header, "Name;"
// sends it empty, and "Name:" tells curl not to send it: that becomes a
// disabled row, except for User-Agent, whose empty row suppresses the
// requester's default just as curl does.
func headerRow(arg string) (requester.Header, bool) {
	if name, value, ok := strings.Cut(arg, ":"); ok {
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		removed := value == "" && !strings.EqualFold(name, "User-Agent")
		return requester.Header{Name: name, Value: value, Disabled: removed}, name != ""
	}
	name, rest, ok := strings.Cut(arg, ";")
	name = strings.TrimSpace(name)
	return requester.Header{Name: name}, ok && name != "" && strings.TrimSpace(rest) == ""
}

// addCookie handles -b: name=value pairs go into a Cookie header row; any
// other argument names a cookie file, which is not read.
func (p *parser) addCookie(o opt) error {
	v := strings.TrimSpace(o.arg)
	if strings.HasPrefix(o.arg, "@") || !strings.Contains(o.arg, "=") {
		p.warnf("cookie file %s ignored (%s without = reads cookies from a file)", short(strings.TrimPrefix(o.arg, "@")), o.flag)
		return nil
	}
	if p.cookie >= 0 {
		p.headers[p.cookie].Value += "; " + v
		return nil
	}
	p.cookie = len(p.headers)
	p.headers = append(p.headers, requester.Header{Name: "Cookie", Value: v})
	return nil
}

// piece is one data argument: text, or a file to read (@file).
type piece struct {
	text   string
	file   string
	isFile bool
	json   bool // --json: appended without "&"
	strip  bool // -d @file: curl strips the file's newlines
}

// addData handles -d and its variants.
func (p *parser) addData(o opt) error {
	pc := piece{json: o.name == "json"}
	switch {
	case o.name == "data-urlencode":
		pc.text = p.urlencode(o)
	case o.name != "data-raw" && strings.HasPrefix(o.arg, "@"):
		if o.arg == "@-" {
			p.warnf("%s @- reads standard input, which is not supported; that data was left out", o.flag)
			break
		}
		pc.file, pc.isFile = o.arg[1:], true
		pc.strip = o.name == "data" || o.name == "data-ascii"
	default:
		pc.text = o.arg
	}
	p.data = append(p.data, pc)
	return nil
}

// urlencode applies --data-urlencode's rules: "content", "=content",
// "name=content" encode content; "name@file" would encode a file, which is
// kept as text. Spaces become "+", as in curl 8.
func (p *parser) urlencode(o opt) string {
	sep := strings.IndexByte(o.arg, '=')
	if sep < 0 {
		sep = strings.IndexByte(o.arg, '@')
		if sep >= 0 {
			p.warnf("%s %s reads a file, which is not supported; kept as text", o.flag, short(o.arg))
			return o.arg
		}
		return url.QueryEscape(o.arg)
	}
	if sep == 0 {
		return url.QueryEscape(o.arg[1:])
	}
	return o.arg[:sep] + "=" + url.QueryEscape(o.arg[sep+1:])
}

// addQuery handles --url-query: "+content" is added as is, anything else as
// --data-urlencode would encode it.
func (p *parser) addQuery(o opt) error {
	if raw, ok := strings.CutPrefix(o.arg, "+"); ok {
		p.query = append(p.query, raw)
	} else {
		p.query = append(p.query, p.urlencode(o))
	}
	return nil
}

// addForm handles -F and --form-string. A part without a name is left out,
// as the requester does not send one.
func (p *parser) addForm(o opt) error {
	parts, err := p.formArg(o.flag, o.arg, o.name == "form-string")
	for _, part := range parts {
		if strings.TrimSpace(part.Name) == "" {
			p.warnf("%s %s: a part without a name was left out", o.flag, short(o.arg))
			continue
		}
		p.parts = append(p.parts, part)
	}
	return err
}

func (p *parser) setUpload(o opt) error {
	if o.arg == "-" || o.arg == "." {
		p.warnf("%s %s reads standard input, which is not supported; ignored", o.flag, o.arg)
		return nil
	}
	p.upload = o.arg
	return nil
}

func (p *parser) addURL(o opt) error {
	if o.arg != "" {
		p.urls = append(p.urls, o.arg)
	}
	return nil
}

// setUser handles -u user:password. Without a colon curl asks for the
// password, which cannot happen here.
func (p *parser) setUser(o opt) error {
	user, pass, ok := strings.Cut(o.arg, ":")
	if !ok {
		p.warnf("curl would ask for the password of %s; it was left empty", short(user))
	}
	p.auth = requester.Auth{Kind: requester.AuthBasic, Username: user, Password: pass}
	return nil
}

// setAuthKind handles --basic and --digest, which apply to -u wherever it is.
func (p *parser) setAuthKind(o opt) error {
	p.digest = o.name == "digest" && o.on
	return nil
}

func (p *parser) setBearer(o opt) error {
	if o.arg == "" {
		p.warnf("%s with an empty token ignored", o.flag)
		return nil
	}
	p.auth = requester.Auth{Kind: requester.AuthBearer, Token: o.arg}
	return nil
}

func (p *parser) setMaxRedirs(o opt) error {
	n, err := strconv.Atoi(strings.TrimSpace(o.arg))
	if err != nil || n < -1 {
		return fmt.Errorf("option %s needs a whole number of redirects, not %q", o.flag, short(o.arg))
	}
	if n == -1 {
		p.warnf("%s -1 (no limit) imported as the default limit", o.flag)
	}
	p.maxRedirs = n
	return nil
}

func (p *parser) setTimeout(o opt) error {
	d, err := parseSeconds(o.arg)
	if err != nil {
		return fmt.Errorf("option %s needs a number of seconds, not %q", o.flag, short(o.arg))
	}
	p.opts.Timeout = d
	return nil
}

// parseSeconds reads a non-negative number of seconds; plain decimals are
// read exactly to the nanosecond.
func parseSeconds(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole+frac != "" && strings.Trim(whole+frac, "0123456789") == "" && len(whole) <= 10 {
		sec, _ := strconv.ParseInt("0"+whole, 10, 64)
		frac = (frac + "000000000")[:9]
		ns, _ := strconv.ParseInt(frac, 10, 64)
		if sec <= math.MaxInt64/int64(time.Second)-1 {
			return time.Duration(sec)*time.Second + time.Duration(ns), nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) || f*1e9 >= math.MaxInt64 {
		return 0, errors.New("not a number of seconds")
	}
	return time.Duration(math.Round(f * 1e9)), nil
}

// setProxy handles -x and --socks5; a proxy without a scheme is HTTP.
func (p *parser) setProxy(o opt) error {
	v := strings.TrimSpace(o.arg)
	switch {
	case v == "" || hasScheme(v):
	case o.name == "proxy":
		v = "http://" + v
	default:
		v = "socks5://" + v
	}
	p.opts.Proxy = v
	return nil
}

func (p *parser) setFile(o opt) error {
	if o.name == "cacert" {
		p.opts.CACert = o.arg
	} else {
		p.opts.ClientKey = o.arg
	}
	return nil
}

func (p *parser) setCert(o opt) error {
	cert, pass := parseCert(o.arg)
	if pass != "" {
		p.warnf("the password given with %s is not supported and was left out", o.flag)
	}
	p.opts.ClientCert = cert
	return nil
}

func (p *parser) setFileType(o opt) error {
	if !strings.EqualFold(strings.TrimSpace(o.arg), "PEM") {
		p.warnf("%s %s is not supported; certificates and keys are read as PEM", o.flag, short(o.arg))
	}
	return nil
}

func (p *parser) stop(o opt) error {
	p.done = true
	p.warnf("%s starts another request; only the first one was imported", o.flag)
	return nil
}

// parseCert splits the argument of --cert into the file and the password as
// curl does: "\:" and "\\" are escapes, a colon ends the file name, except a
// drive letter's colon ("C:\…"), and a pkcs11: URI is taken whole.
func parseCert(s string) (name, pass string) {
	if strings.HasPrefix(strings.ToLower(s), "pkcs11:") || !strings.ContainsAny(s, `:\`) {
		return s, ""
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] != '\\' && s[i] != ':' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
		case c == ':' && !isDriveColon(s, i):
			return b.String(), s[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

func isDriveColon(s string, i int) bool {
	return i == 1 && len(s) > 2 && (s[2] == '\\' || s[2] == '/') && isLetter(s[0])
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// hasScheme reports whether u starts with "scheme://".
func hasScheme(u string) bool {
	i := strings.Index(u, "://")
	if i <= 0 || !isLetter(u[0]) {
		return false
	}
	for _, c := range []byte(u[1:i]) {
		if !isLetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}
