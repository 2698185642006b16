package requester

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

// DefaultMaxRedirects is how many redirects are followed when
// Options.MaxRedirects is zero.
const DefaultMaxRedirects = 10

// maxPEMBytes bounds a certificate or key file; a CA bundle is far smaller.
const maxPEMBytes = 4 << 20

// maxTransports bounds the transports a Client keeps, one per distinct set
// of transport options, each with its own connection pool.
const maxTransports = 8

// OptionError reports a request option that cannot be used; nothing was
// sent. Option is "proxy", "CA certificate", "client certificate" or
// "client key".
type OptionError struct {
	Option, Reason string
}

// Error implements error, e.g. `invalid proxy: unsupported scheme "ftp"`.
func (e *OptionError) Error() string { return "invalid " + e.Option + ": " + e.Reason }

// transportSpec is what of Options shapes a transport, with files read.
type transportSpec struct {
	insecure               bool
	proxy                  *url.URL
	caPath                 string
	caPEM, certPEM, keyPEM []byte
}

// transportKey identifies a transport. It holds a hash of the files' contents
// rather than their paths, so an edited certificate takes effect.
type transportKey struct {
	insecure bool
	proxy    string
	files    [sha256.Size]byte
}

// readTransportSpec expands and checks the transport options of o and reads
// their files. Errors are *UnknownVariableError or *OptionError.
func readTransportSpec(o Options, vars Vars) (*transportSpec, error) {
	var v [4]string
	for i, f := range []struct{ value, where string }{
		{o.Proxy, "proxy"}, {o.CACert, "CA certificate"},
		{o.ClientCert, "client certificate"}, {o.ClientKey, "client key"},
	} {
		s, err := expandIn(f.value, vars, f.where)
		if err != nil {
			return nil, err
		}
		v[i] = strings.TrimSpace(s)
	}
	proxyURL, caPath, certPath, keyPath := v[0], v[1], v[2], v[3]
	s := &transportSpec{insecure: o.Insecure, caPath: caPath}
	var err error
	if proxyURL != "" {
		if s.proxy, err = parseProxy(proxyURL); err != nil {
			return nil, err
		}
	}
	if keyPath != "" && certPath == "" {
		return nil, &OptionError{Option: "client key", Reason: "a key file needs a client certificate file"}
	}
	for _, f := range []struct {
		option, path string
		dst          *[]byte
	}{
		{"CA certificate", caPath, &s.caPEM},
		{"client certificate", certPath, &s.certPEM},
		{"client key", keyPath, &s.keyPEM},
	} {
		if f.path == "" {
			continue
		}
		if *f.dst, err = readPEMFile(f.option, f.path); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// parseProxy accepts http, https and socks5 proxy URLs with a host.
func parseProxy(s string) (*url.URL, error) {
	fail := func(reason string) (*url.URL, error) { return nil, &OptionError{Option: "proxy", Reason: reason} }
	if !strings.Contains(s, "://") {
		return fail(fmt.Sprintf("%q: missing scheme; start with http://, https:// or socks5://", s))
	}
	u, err := url.Parse(s)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err
		}
		return fail(fmt.Sprintf("%q: %v", s, err))
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return fail(fmt.Sprintf("%q: unsupported scheme %q; use http, https or socks5", s, u.Scheme))
	}
	if u.Hostname() == "" {
		return fail(fmt.Sprintf("%q: missing host", s))
	}
	return u, nil
}

// readPEMFile reads a certificate or key file of at most maxPEMBytes.
func readPEMFile(option, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &OptionError{Option: option, Reason: err.Error()}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPEMBytes+1))
	if err != nil {
		return nil, &OptionError{Option: option, Reason: err.Error()}
	}
	if len(b) > maxPEMBytes {
		return nil, &OptionError{Option: option, Reason: fmt.Sprintf("%s is larger than %d MiB; not a PEM file?", path, maxPEMBytes>>20)}
	}
	return b, nil
}

func (s *transportSpec) key() transportKey {
	k := transportKey{insecure: s.insecure}
	if s.proxy != nil {
		k.proxy = s.proxy.String()
	}
	if s.caPEM != nil || s.certPEM != nil {
		h := sha256.New()
		for _, b := range [][]byte{s.caPEM, s.certPEM, s.keyPEM} {
			fmt.Fprintf(h, "%d:", len(b))
			h.Write(b)
		}
		h.Sum(k.files[:0])
	}
	return k
}

// build returns a new transport for s. Errors are *OptionError.
func (s *transportSpec) build() (*http.Transport, error) {
	tc := &tls.Config{InsecureSkipVerify: s.insecure}
	if s.caPEM != nil {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(s.caPEM) {
			return nil, &OptionError{Option: "CA certificate", Reason: "no PEM certificate in " + s.caPath}
		}
		tc.RootCAs = pool
	}
	if s.certPEM != nil {
		keyPEM := s.keyPEM
		if keyPEM == nil {
			keyPEM = s.certPEM // the key may follow the certificate in one file
		}
		cert, err := tls.X509KeyPair(s.certPEM, keyPEM)
		if err != nil {
			return nil, &OptionError{Option: "client certificate", Reason: strings.TrimPrefix(err.Error(), "tls: ")}
		}
		// Send it whatever CAs the server says it accepts, as curl does.
		tc.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }
	}
	proxy := http.ProxyFromEnvironment
	if s.proxy != nil {
		proxy = http.ProxyURL(s.proxy)
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 proxy,
		TLSClientConfig:       tc,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   runtime.GOMAXPROCS(0) + 1,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
	// Headers go out as written, in the order written (wire.go).
	wireDialers(tr, dialer, tc)
	return tr, nil
}

// transportCache keeps the maxTransports most recently used transports, so
// requests with the same options share pooled connections.
type transportCache struct {
	mu      sync.Mutex
	entries []cachedTransport // least recently used first
}

type cachedTransport struct {
	key transportKey
	tr  *http.Transport
}

// get returns the transport for s, building it on first use.
func (c *transportCache) get(s *transportSpec) (*http.Transport, error) {
	key := s.key()
	c.mu.Lock()
	tr := c.touch(key)
	c.mu.Unlock()
	if tr != nil {
		return tr, nil
	}
	tr, err := s.build() // outside the lock: loading the system roots takes a while
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if existing := c.touch(key); existing != nil {
		return existing, nil // built concurrently; tr has no connections yet
	}
	c.entries = append(c.entries, cachedTransport{key, tr})
	if len(c.entries) > maxTransports {
		// Connections still in use finish their exchange; once idle they
		// close after IdleConnTimeout.
		c.entries[0].tr.CloseIdleConnections()
		c.entries = append(c.entries[:0], c.entries[1:]...)
	}
	return tr, nil
}

// touch returns the transport for key, marking it most recently used, or nil.
func (c *transportCache) touch(key transportKey) *http.Transport {
	for i, e := range c.entries {
		if e.key == key {
			copy(c.entries[i:], c.entries[i+1:])
			c.entries[len(c.entries)-1] = e
			return e.tr
		}
	}
	return nil
}

// redirectPolicy follows up to o.MaxRedirects redirects, or none.
// net/http copies the headers to each hop, dropping credentials and cookies
// when the host changes.
func redirectPolicy(o Options) func(*http.Request, []*http.Request) error {
	if o.NoRedirects {
		return func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	limit := o.MaxRedirects
	if limit <= 0 {
		limit = DefaultMaxRedirects
	}
	return func(_ *http.Request, via []*http.Request) error {
		if len(via) > limit { // via holds the first request and each redirect so far
			return fmt.Errorf("stopped after %d redirects", limit)
		}
		return nil
	}
}
