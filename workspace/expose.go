package workspace

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"hooklab/capture"
)

// PrefExpose is the preference key (fyne.Preferences, a bool) of the
// Settings switch "Reachable from the network": when true, the window
// starts the catcher with ServeOptions.Expose on ExposeAddr's interfaces.
// PrefExposeToken (a string) keeps the access token between runs; ""
// means a new one each start.
const (
	PrefExpose      = "catcher.expose"
	PrefExposeToken = "catcher.exposeToken"
)

// ExposeAddr is the catcher's address when the user exposes it without
// naming one: every interface, the default port.
const ExposeAddr = "0.0.0.0:8088"

// IsLoopbackAddr reports whether addr (host:port) listens on this
// computer only: a loopback IP or "localhost". An empty host (":8088")
// means every interface, so it does not.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// beyondLoopback reports whether addr is a host:port other computers
// could reach; an addr that is no host:port is left for the listener to
// refuse with its own message.
func beyondLoopback(addr string) bool {
	_, _, err := net.SplitHostPort(addr)
	return err == nil && !IsLoopbackAddr(addr)
}

// notExposedError is Serve's refusal of a catcher address beyond
// loopback without ServeOptions.Expose.
func notExposedError(addr string) error {
	return fmt.Errorf("catcher: %s is reachable from other computers; start with --expose to allow that "+
		"(senders then need the access token printed at start), or listen on 127.0.0.1", addr)
}

// lanURLs returns the URLs other computers reach a listener at addr
// (the address it is bound to) on: each interface address for an
// unspecified IP (IPv4 only for 0.0.0.0), else addr itself.
// Loopback and link-local addresses are left out: they do not leave
// this computer or need a zone no sender would know.
func lanURLs(addr net.Addr, ifaceAddrs func() ([]net.Addr, error)) []string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return nil
	}
	port := strconv.Itoa(tcp.Port)
	bound, _ := netip.AddrFromSlice(tcp.IP)
	bound = bound.Unmap()
	if !bound.IsUnspecified() {
		return []string{"http://" + net.JoinHostPort(bound.String(), port) + "/"}
	}
	addrs, err := ifaceAddrs()
	if err != nil {
		return nil
	}
	var v4, v6 []string
	for _, a := range addrs {
		var ip net.IP
		switch a := a.(type) {
		case *net.IPNet:
			ip = a.IP
		case *net.IPAddr:
			ip = a.IP
		}
		ipa, ok := netip.AddrFromSlice(ip)
		if !ok {
			continue
		}
		ipa = ipa.Unmap()
		if ipa.IsLoopback() || ipa.IsLinkLocalUnicast() || ipa.IsUnspecified() {
			continue
		}
		u := "http://" + net.JoinHostPort(ipa.String(), port) + "/"
		if ipa.Is4() {
			v4 = append(v4, u)
		} else if bound.Is6() {
			v6 = append(v6, u)
		}
	}
	return append(v4, v6...)
}

// localURL is the URL this computer reaches a listener at addr on,
// asked for as requested: a loopback one when it is bound to every
// interface (http://[::]:P/ is no address to send to): ::1 when
// requested was an IPv6 host, else 127.0.0.1 (Go reports a listener
// asked for on 0.0.0.0 as [::] where it listens on both).
func localURL(addr net.Addr, requested string) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String() + "/"
	}
	if tcp.IP.IsUnspecified() {
		host := "127.0.0.1"
		if h, _, err := net.SplitHostPort(requested); err == nil && strings.Contains(h, ":") {
			host = "::1"
		}
		return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port)) + "/"
	}
	return "http://" + tcp.String() + "/"
}

// TokenURL returns u with the access token as its query, the form a
// sender that cannot set headers uses.
func TokenURL(u, token string) string {
	return u + "?" + capture.TokenParam + "=" + url.QueryEscape(token)
}

// Exposure is how the catcher can be reached from other computers.
type Exposure struct {
	// URLs are the catcher's addresses on this computer's network
	// interfaces (none when it is exposed on a loopback address).
	URLs []string
	// Token is the access token every sender must carry.
	Token string
}

// Exposure returns how the catcher is exposed, and false when it is
// not (it listens on loopback only, or does not listen yet).
func (w *Workspace) Exposure() (Exposure, bool) {
	s := w.services()
	if s == nil || !s.urls.Exposed {
		return Exposure{}, false
	}
	return Exposure{URLs: append([]string(nil), s.urls.LANURLs...), Token: s.urls.Token}, true
}
