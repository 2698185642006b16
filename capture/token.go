package capture

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// An exposed catcher (one reachable from other computers) asks every
// sender for its access token, in a header or a query parameter.
const (
	TokenHeader = "X-Hooklab-Token"
	TokenParam  = "hooklab_token"
)

// NewToken returns a random access token: 128 bits, URL-safe base64.
func NewToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// tokenOK reports whether r carries token in its TokenHeader or its
// TokenParam query parameter.
func tokenOK(r *http.Request, token string) bool {
	if v := r.Header.Get(TokenHeader); v != "" && subtle.ConstantTimeCompare([]byte(v), []byte(token)) == 1 {
		return true
	}
	for _, part := range strings.Split(r.URL.RawQuery, "&") {
		name, value, _ := strings.Cut(part, "=")
		if isTokenParam(name) {
			if v, err := url.QueryUnescape(value); err == nil && subtle.ConstantTimeCompare([]byte(v), []byte(token)) == 1 {
				return true
			}
		}
	}
	return false
}

func isTokenParam(name string) bool {
	if name == TokenParam {
		return true
	}
	n, err := url.QueryUnescape(name)
	return err == nil && n == TokenParam
}

// withoutTokenParam returns a raw query without its TokenParam
// parameters, the others in their order and bytes.
func withoutTokenParam(rawQuery string) string {
	if !strings.Contains(rawQuery, "hooklab") && !strings.Contains(rawQuery, "%") {
		return rawQuery
	}
	parts := strings.Split(rawQuery, "&")
	kept := parts[:0]
	for _, part := range parts {
		name, _, _ := strings.Cut(part, "=")
		if !isTokenParam(name) {
			kept = append(kept, part)
		}
	}
	return strings.Join(kept, "&")
}

// withoutToken returns head without the token: its TokenHeader lines
// and the TokenParam parameters of its request line's query.
func withoutToken(head []byte) []byte {
	if head == nil {
		return nil
	}
	var out []byte
	for i, line := range bytes.SplitAfter(head, []byte("\n")) {
		if i == 0 {
			method, rest, ok1 := bytes.Cut(line, []byte(" "))
			target, proto, ok2 := bytes.Cut(rest, []byte(" "))
			if ok1 && ok2 {
				if p, q, ok := bytes.Cut(target, []byte("?")); ok {
					target = []byte(string(p) + "?" + withoutTokenParam(string(q)))
					if len(q) > 0 && bytes.HasSuffix(target, []byte("?")) {
						target = p // the token was the whole query
					}
				}
				line = []byte(string(method) + " " + string(target) + " " + string(proto))
			}
			out = append(out, line...)
			continue
		}
		name, _, _ := bytes.Cut(line, []byte(":"))
		if bytes.EqualFold(bytes.TrimSpace(name), []byte(TokenHeader)) {
			continue
		}
		out = append(out, line...)
	}
	return out
}

// checkToken answers r 401 and returns false when s asks for a token
// and r, from another computer, does not carry it; otherwise it takes
// the token out of what is stored of r (header, query, head) and
// returns true. A request from this computer (a loopback peer: the
// sandbox, the composer, a replay) needs none: the token guards what
// exposing the catcher opened, the network.
func (s *Server) checkToken(w http.ResponseWriter, r *http.Request, c *Capture) bool {
	if s.Token == "" {
		return true
	}
	if !fromThisComputer(r) && !tokenOK(r, s.Token) {
		_, h, b := ackResponse(http.StatusUnauthorized, ack{Error: "this Hooklab catcher is reachable from the network and needs its access token: " +
			"send it in the " + TokenHeader + " header or the ?" + TokenParam + "= query parameter"})
		writeResponse(w, http.StatusUnauthorized, h, b)
		return false
	}
	c.Header.Del(TokenHeader)
	c.RawQuery = withoutTokenParam(c.RawQuery)
	c.Head = withoutToken(c.Head)
	return true
}

// fromThisComputer reports whether r came from this computer: from a
// loopback address, or from the very address it arrived at (what a
// connection from this computer to one of its own network addresses
// looks like; no other computer's packets carry it).
func fromThisComputer(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	remote := ap.Addr().Unmap()
	if remote.IsLoopback() {
		return true
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	if !ok {
		return false
	}
	l, ok := netip.AddrFromSlice(local.IP)
	return ok && l.Unmap() == remote
}
