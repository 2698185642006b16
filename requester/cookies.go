package requester

import (
	"cmp"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxCookies bounds one jar; past it the oldest cookies are dropped.
const maxCookies = 3000

// Cookies returns the cookies held in the named jar, sorted by domain, path
// and name, with Domain (the host, for a host-only cookie), Path, Expires
// (zero for a session cookie), Secure, HttpOnly and SameSite filled in.
func (c *Client) Cookies(jar string) []*http.Cookie {
	c.mu.Lock()
	j := c.jars[jar]
	c.mu.Unlock()
	if j == nil {
		return nil
	}
	return j.list()
}

// ClearCookies empties the named jar.
func (c *Client) ClearCookies(jar string) {
	c.mu.Lock()
	delete(c.jars, jar)
	c.mu.Unlock()
}

// jar returns the named jar, creating it on first use.
func (c *Client) jar(name string) *cookieJar {
	c.mu.Lock()
	defer c.mu.Unlock()
	j := c.jars[name]
	if j == nil {
		if c.jars == nil {
			c.jars = make(map[string]*cookieJar)
		}
		j = &cookieJar{entries: make(map[string]*jarEntry)}
		c.jars[name] = j
	}
	return j
}

// cookieJar is an http.CookieJar that can list what it holds. It follows
// net/http/cookiejar's rules without a public suffix list, except that a
// Domain attribute without a dot (a top-level domain) is refused unless it
// is the host itself.
type cookieJar struct {
	mu      sync.Mutex
	entries map[string]*jarEntry // by domain;path;name
	next    uint64
}

// jarEntry is a stored cookie. Domain, Path and Expires (zero for a session
// cookie) are always set.
type jarEntry struct {
	c        http.Cookie
	hostOnly bool
	seq      uint64 // creation order: a replaced cookie keeps its place
}

// SetCookies implements http.CookieJar.
func (j *cookieJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	host, ok := cookieHost(u)
	if !ok {
		return
	}
	defPath := defaultCookiePath(u.Path)
	now := time.Now()
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cookies {
		domain, hostOnly, ok := cookieDomain(host, c.Domain)
		if !ok {
			continue
		}
		path := c.Path
		if path == "" || path[0] != '/' {
			path = defPath
		}
		id := domain + ";" + path + ";" + c.Name
		var expires time.Time
		switch {
		case c.MaxAge < 0: // Max-Age=0 or negative: delete now
			delete(j.entries, id)
			continue
		case c.MaxAge > 0:
			expires = now.Add(time.Duration(c.MaxAge) * time.Second)
		case !c.Expires.IsZero():
			if !c.Expires.After(now) {
				delete(j.entries, id)
				continue
			}
			expires = c.Expires
		}
		e := &jarEntry{
			c: http.Cookie{
				Name: c.Name, Value: c.Value, Quoted: c.Quoted,
				Domain: domain, Path: path, Expires: expires,
				Secure: c.Secure, HttpOnly: c.HttpOnly, SameSite: c.SameSite,
			},
			hostOnly: hostOnly,
		}
		if old, ok := j.entries[id]; ok {
			e.seq = old.seq
		} else {
			e.seq = j.next
			j.next++
		}
		j.entries[id] = e
	}
	if len(j.entries) > maxCookies {
		j.trim(now)
	}
}

// trim drops expired cookies, then the oldest, down to maxCookies.
func (j *cookieJar) trim(now time.Time) {
	var live []*jarEntry
	for id, e := range j.entries {
		if e.expired(now) {
			delete(j.entries, id)
		} else {
			live = append(live, e)
		}
	}
	if len(live) <= maxCookies {
		return
	}
	slices.SortFunc(live, func(a, b *jarEntry) int { return cmp.Compare(a.seq, b.seq) })
	for _, e := range live[:len(live)-maxCookies] {
		delete(j.entries, e.c.Domain+";"+e.c.Path+";"+e.c.Name)
	}
}

// Cookies implements http.CookieJar: the cookies to send to u, longest path
// first, then oldest first (RFC 6265 section 5.4).
func (j *cookieJar) Cookies(u *url.URL) []*http.Cookie {
	host, ok := cookieHost(u)
	if !ok {
		return nil
	}
	https := u.Scheme == "https"
	path := u.Path
	if path == "" {
		path = "/"
	}
	now := time.Now()
	j.mu.Lock()
	var selected []*jarEntry
	for id, e := range j.entries {
		switch {
		case e.expired(now):
			delete(j.entries, id)
		case e.domainMatch(host) && pathMatch(e.c.Path, path) && e.secureMatch(https):
			selected = append(selected, e)
		}
	}
	j.mu.Unlock()
	slices.SortFunc(selected, func(a, b *jarEntry) int {
		if c := cmp.Compare(len(b.c.Path), len(a.c.Path)); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]*http.Cookie, len(selected))
	for i, e := range selected {
		out[i] = &http.Cookie{Name: e.c.Name, Value: e.c.Value, Quoted: e.c.Quoted}
	}
	return out
}

// list returns copies of all live cookies, sorted by domain, path and name.
func (j *cookieJar) list() []*http.Cookie {
	now := time.Now()
	j.mu.Lock()
	var out []*http.Cookie
	for _, e := range j.entries {
		if !e.expired(now) {
			c := e.c
			out = append(out, &c)
		}
	}
	j.mu.Unlock()
	slices.SortFunc(out, func(a, b *http.Cookie) int {
		return cmp.Or(cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Name, b.Name))
	})
	return out
}

func (e *jarEntry) expired(now time.Time) bool {
	return !e.c.Expires.IsZero() && !e.c.Expires.After(now)
}

func (e *jarEntry) domainMatch(host string) bool {
	return host == e.c.Domain || !e.hostOnly && hasDotSuffix(host, e.c.Domain)
}

// secureMatch sends a Secure cookie over https only, or to localhost, which
// browsers treat as a secure origin.
func (e *jarEntry) secureMatch(https bool) bool {
	if !e.c.Secure || https {
		return true
	}
	d := e.c.Domain
	if d == "localhost" || strings.HasSuffix(d, ".localhost") {
		return true
	}
	ip := net.ParseIP(d)
	return ip != nil && ip.IsLoopback()
}

// pathMatch is "path-match" of RFC 6265 section 5.1.4.
func pathMatch(cookiePath, requestPath string) bool {
	if !strings.HasPrefix(requestPath, cookiePath) {
		return false
	}
	return len(requestPath) == len(cookiePath) ||
		cookiePath[len(cookiePath)-1] == '/' || requestPath[len(cookiePath)] == '/'
}

// cookieHost is u's host, lower case, without port or trailing dot; ok is
// false for a URL that is not http(s).
func cookieHost(u *url.URL) (host string, ok bool) {
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	host = strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	return host, host != ""
}

// defaultCookiePath is the directory of a request path (RFC 6265 5.1.4).
func defaultCookiePath(path string) string {
	i := strings.LastIndexByte(path, '/')
	if path == "" || path[0] != '/' || i == 0 {
		return "/"
	}
	return path[:i]
}

// cookieDomain decides the domain a cookie from host is stored under, and
// whether it is host-only; ok is false for a domain host may not set.
func cookieDomain(host, domain string) (d string, hostOnly, ok bool) {
	if domain == "" {
		return host, true, true
	}
	if strings.ContainsAny(host, ":%") || net.ParseIP(host) != nil {
		return host, true, host == domain // IP hosts: only the address itself
	}
	domain = strings.ToLower(strings.TrimPrefix(domain, "."))
	switch {
	case domain == "" || domain[0] == '.' || domain[len(domain)-1] == '.':
		return "", false, false
	case domain == host:
		return domain, false, true
	case !strings.Contains(domain, "."):
		return "", false, false // a top-level domain
	}
	return domain, false, hasDotSuffix(host, domain)
}

// hasDotSuffix reports whether s ends in "."+suffix.
func hasDotSuffix(s, suffix string) bool {
	return len(s) > len(suffix) && s[len(s)-len(suffix)-1] == '.' && strings.HasSuffix(s, suffix)
}

// sendJar serves one exchange from a jar and remembers the cookies it gave
// for the first request, so Response.Request can show them.
type sendJar struct {
	*cookieJar
	first []*http.Cookie
	asked bool
}

// Cookies implements http.CookieJar.
func (j *sendJar) Cookies(u *url.URL) []*http.Cookie {
	cs := j.cookieJar.Cookies(u)
	if !j.asked {
		j.asked, j.first = true, cs
	}
	return cs
}
