package capture

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rule is how the catcher answers on one endpoint, so a user can test
// how a sender handles a 500 or a slow answer.
type Rule struct {
	Endpoint string // as Endpoint returns: "github", or "/" for the root path
	Status   int
	Header   http.Header
	// Body may hold {{capture.id}} and {{request.header.X-Name}}.
	Body  string
	Delay time.Duration // 0–30 s
}

// RuleStore keeps response rules, one per endpoint.
type RuleStore interface {
	Rules() ([]Rule, error) // sorted by endpoint
	SetRule(r Rule) error   // adds or replaces the rule of r.Endpoint
	DeleteRule(endpoint string) error
}

// MaxRuleDelay is the longest a rule may hold its answer back.
const MaxRuleDelay = 30 * time.Second

// RuleError is the error Validate returns; Field names the Rule field
// at fault ("Endpoint", "Status", "Header" or "Delay") so an editor can
// point at it.
type RuleError struct {
	Field string
	Msg   string
}

func (e *RuleError) Error() string { return "rule " + strings.ToLower(e.Field) + ": " + e.Msg }

// Validate reports the first thing wrong with r as a *RuleError.
func (r Rule) Validate() error {
	switch {
	case r.Endpoint == "":
		return &RuleError{"Endpoint", `is empty; use "/" for the root path`}
	case r.Endpoint != "/" && strings.Contains(r.Endpoint, "/"):
		return &RuleError{"Endpoint", fmt.Sprintf("%q holds a slash; an endpoint is one path segment, or \"/\" for the root path", r.Endpoint)}
	}
	// 1xx codes are not accepted: net/http sends them as interim
	// responses followed by an implicit 200, so the sender would never
	// see them as the answer.
	if r.Status < 200 || r.Status > 599 {
		return &RuleError{"Status", fmt.Sprintf("%d is not between 200 and 599", r.Status)}
	}
	if r.Delay < 0 || r.Delay > MaxRuleDelay {
		return &RuleError{"Delay", fmt.Sprintf("%s is not between 0s and %s", r.Delay, MaxRuleDelay)}
	}
	for name, values := range r.Header {
		if !validToken(name) {
			return &RuleError{"Header", fmt.Sprintf("name %q is not a valid header name", name)}
		}
		switch http.CanonicalHeaderKey(name) {
		case "Content-Length", "Transfer-Encoding", "Connection":
			// The catcher frames the answer itself; a rule that sets
			// these would make net/http send a broken response.
			return &RuleError{"Header", fmt.Sprintf("%s is set by the catcher, not by a rule", name)}
		}
		for _, v := range values {
			if i := strings.IndexFunc(v, func(c rune) bool { return c < ' ' && c != '\t' || c == 0x7f }); i >= 0 {
				return &RuleError{"Header", fmt.Sprintf("value of %s holds control character %q", name, v[i])}
			}
		}
	}
	return nil
}

// validToken reports whether s is an RFC 9110 token, the grammar of a
// header name.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// DefaultRule returns how the catcher answers where no rule is set:
// 200 with the JSON acknowledgement {"ok":true,"id":"<capture id>"}.
// Its Endpoint is empty; set one before storing it as a rule.
func DefaultRule() Rule {
	return Rule{
		Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"ok":true,"id":"{{capture.id}}"}`,
	}
}

// Render returns the answer r gives to c, with {{capture.id}} and
// {{request.header.Name}} expanded in the body and in header values.
// Header names match case-insensitively; a header the request lacks
// expands to "", one sent several times to its values joined by ", ".
// Values go in verbatim, without JSON escaping. Any other {{...}} is
// left as it is. The returned header is a fresh map with canonical keys.
func (r Rule) Render(c *Capture) (status int, header http.Header, body []byte) {
	header = make(http.Header, len(r.Header))
	for name, values := range r.Header {
		for _, v := range values {
			header.Add(name, expand(v, c))
		}
	}
	// The body is built as bytes at once: every capture gets one.
	return r.Status, header, appendExpanded(make([]byte, 0, len(r.Body)+len(c.ID)), r.Body, c)
}

// expand replaces the placeholders Render knows in s.
func expand(s string, c *Capture) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return string(appendExpanded(nil, s, c))
}

// appendExpanded appends s to b with the placeholders Render knows
// replaced.
func appendExpanded(b []byte, s string, c *Capture) []byte {
	for {
		start := strings.Index(s, "{{")
		if start < 0 {
			break
		}
		end := strings.Index(s[start+2:], "}}")
		if end < 0 {
			break
		}
		end += start + 2
		value, ok := placeholder(strings.TrimSpace(s[start+2:end]), c)
		if !ok {
			// Unknown: keep "{{" and look again after it, so "{{{{capture.id}}"
			// still expands the inner placeholder.
			b = append(b, s[:start+2]...)
			s = s[start+2:]
			continue
		}
		b = append(b, s[:start]...)
		b = append(b, value...)
		s = s[end+2:]
	}
	return append(b, s...)
}

func placeholder(key string, c *Capture) (string, bool) {
	if key == "capture.id" {
		return c.ID, true
	}
	name, ok := strings.CutPrefix(key, "request.header.")
	if !ok || !validToken(name) {
		return "", false
	}
	if values := c.Header.Values(name); len(values) > 0 {
		return strings.Join(values, ", "), true
	}
	// Keys net/http could not canonicalize are stored as sent.
	for k, values := range c.Header {
		if strings.EqualFold(k, name) {
			return strings.Join(values, ", "), true
		}
	}
	return "", true
}

// MemoryRules is a RuleStore held in memory, for tests and runs without
// a database. The zero value is ready to use.
type MemoryRules struct {
	mu    sync.RWMutex
	rules map[string]Rule
}

var _ RuleStore = (*MemoryRules)(nil)

// Rules returns copies of the rules, sorted by endpoint.
func (m *MemoryRules) Rules() ([]Rule, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Rule, 0, len(m.rules))
	for _, r := range m.rules {
		r.Header = r.Header.Clone()
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Endpoint < out[j].Endpoint })
	return out, nil
}

// SetRule validates r and adds or replaces the rule of r.Endpoint.
func (m *MemoryRules) SetRule(r Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	r.Header = r.Header.Clone()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rules == nil {
		m.rules = make(map[string]Rule)
	}
	m.rules[r.Endpoint] = r
	return nil
}

// DeleteRule removes the rule of endpoint; deleting an endpoint that has
// no rule is not an error, so a UI can delete without checking first.
func (m *MemoryRules) DeleteRule(endpoint string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.rules, endpoint)
	return nil
}

// ParseRespond parses the value of the CLI flag --respond:
//
//	/github=202                      status only
//	/github=500:delay=2s             status and delay
//	/=201                            the root path
//	/stripe=200:body={"received":true}
//
// The path is one segment. After the status come options, each
// introduced by ':'; body= must be the last, as it takes the rest of the
// spec, colons included. Headers are those of DefaultRule, and so is the
// body when none is given.
func ParseRespond(spec string) (Rule, error) {
	bad := func(format string, args ...any) (Rule, error) {
		return Rule{}, fmt.Errorf("--respond %q: %s", spec, fmt.Sprintf(format, args...))
	}
	path, rest, ok := strings.Cut(spec, "=")
	if !ok {
		return bad(`want /endpoint=status, e.g. /github=202`)
	}
	if !strings.HasPrefix(path, "/") {
		return bad("path %q must start with /", path)
	}
	if strings.Contains(path[1:], "/") {
		return bad("path %q has more than one segment; rules apply to a whole endpoint such as /github", path)
	}
	r := DefaultRule()
	r.Endpoint = Endpoint(path)

	statusText, opts, hasOpts := strings.Cut(rest, ":")
	status, err := strconv.Atoi(statusText)
	if err != nil {
		return bad("status %q is not a number", statusText)
	}
	r.Status = status

	seenDelay := false
	for hasOpts {
		if body, ok := strings.CutPrefix(opts, "body="); ok {
			r.Body = body
			break
		}
		var opt string
		opt, opts, hasOpts = strings.Cut(opts, ":")
		value, ok := strings.CutPrefix(opt, "delay=")
		if !ok {
			return bad("unknown option %q; options are delay=DURATION and body=TEXT", opt)
		}
		if seenDelay {
			return bad("delay given twice")
		}
		seenDelay = true
		if r.Delay, err = time.ParseDuration(value); err != nil {
			return bad("delay %q is not a duration such as 2s or 500ms", value)
		}
	}
	if err := r.Validate(); err != nil {
		return bad("%v", err)
	}
	return r, nil
}
