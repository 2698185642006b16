package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Where webhooks may go. A sandbox anyone could reach would otherwise
// make this computer send requests wherever it is told (a cloud's
// metadata address, a router's admin page), so by default callbacks go
// only to this computer's loopback addresses and to the catcher's own
// URLs; Options.AllowCallbacks and AllowCallbacksTo add more.

// callbackAllow is what callbacks may reach besides loopback.
type callbackAllow struct {
	hosts     map[string]bool         // lower-case hosts allowed on any port
	hostPorts map[string]bool         // lower-case "host:port" allowed
	ips       map[netip.Addr]bool     // literal IPs among them, for the dialer
	ports     map[netip.AddrPort]bool // literal IP:port among them
	anyName   bool                    // a host name was allowed: the dialer cannot tell its IPs
}

// AllowCallbacksTo lets webhooks go to each of targets: a URL
// ("http://192.168.1.20:8088/", its host and port), a host:port, or a
// host (any port). The workspace calls it with the catcher's URLs.
func (s *Server) AllowCallbacksTo(targets ...string) {
	s.allowMu.Lock()
	defer s.allowMu.Unlock()
	a := &s.allow
	if a.hosts == nil {
		a.hosts, a.hostPorts, a.ips, a.ports = map[string]bool{}, map[string]bool{}, map[netip.Addr]bool{}, map[netip.AddrPort]bool{}
	}
	for _, t := range targets {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if u, err := url.Parse(t); err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
			t = u.Host
			if u.Port() == "" {
				t = u.Hostname()
			}
		}
		if host, port, err := net.SplitHostPort(t); err == nil {
			a.hostPorts[strings.ToLower(net.JoinHostPort(host, port))] = true
			if ap, err := netip.ParseAddrPort(t); err == nil {
				a.ports[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = true
			} else {
				a.anyName = true
			}
			continue
		}
		host := strings.Trim(t, "[]")
		a.hosts[strings.ToLower(host)] = true
		if ip, err := netip.ParseAddr(host); err == nil {
			a.ips[ip.Unmap()] = true
		} else {
			a.anyName = true
		}
	}
}

// checkCallback returns the invalid_request error for a callback URL
// this sandbox may not send to, nil for one it may.
func (s *Server) checkCallback(callback string) *apiError {
	u, err := url.Parse(callback)
	if err != nil {
		return nil // callbackField said so already
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if isLoopbackHost(host) {
		return nil
	}
	s.allowMu.Lock()
	ok := s.allow.hosts[host] || s.allow.hostPorts[net.JoinHostPort(host, port)]
	s.allowMu.Unlock()
	if ok {
		return nil
	}
	e := invalidRequest("callback_url", fmt.Sprintf("callback_url host %s is not allowed: the sandbox sends webhooks only to this computer (localhost, 127.0.0.1, ::1) "+
		"and to Hooklab's catcher; to allow another host, start Hooklab with --sandbox-allow-callback %s", u.Hostname(), u.Hostname()))
	return &e
}

func isLoopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// errCallbackAddr is the dialer's refusal of an address not allowed.
var errCallbackAddr = errors.New("the sandbox sends webhooks only to loopback addresses and the catcher")

// controlDial refuses a connection to an IP that is neither loopback
// nor allowed: a name checked by checkCallback (localhost) might still
// resolve elsewhere.
func (s *Server) controlDial(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return errCallbackAddr
	}
	ip := ap.Addr().Unmap()
	if ip.IsLoopback() {
		return nil
	}
	s.allowMu.Lock()
	defer s.allowMu.Unlock()
	if s.allow.anyName || s.allow.ips[ip] || s.allow.ports[netip.AddrPortFrom(ip, ap.Port())] {
		return nil
	}
	return fmt.Errorf("%s: %w", ip, errCallbackAddr)
}

// defaultClient is the deliveries' client when Options.Client is nil:
// a 10 s timeout, no redirects followed (like real webhook senders, a
// 3xx counts as a failed delivery), no proxy, and a dialer that keeps
// to the addresses allowed.
func (s *Server) defaultClient() *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: s.controlDial}
	return &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			},
			MaxIdleConnsPerHost: 4,
			IdleConnTimeout:     90 * time.Second,
		},
	}
}
