package requester

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSendRedirectOptions(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		if n > 0 {
			http.Redirect(w, r, "/r/"+strconv.Itoa(n-1), http.StatusFound)
			return
		}
		io.WriteString(w, "done")
	}))
	defer srv.Close()
	c := NewClient()
	tests := []struct {
		name      string
		redirects int
		opts      Options
		status    int
		location  string
		err       string
	}{
		{"followed by default", 3, Options{}, 200, "", ""},
		{"default allows 10", 10, Options{}, 200, "", ""},
		{"default stops at 11", 11, Options{}, 0, "", "stopped after 10 redirects"},
		{"off", 3, Options{NoRedirects: true}, 302, "/r/2", ""},
		{"max reached exactly", 3, Options{MaxRedirects: 3}, 200, "", ""},
		{"max exceeded", 3, Options{MaxRedirects: 2}, 0, "", "stopped after 2 redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Request{URL: fmt.Sprintf("%s/r/%d", srv.URL, tt.redirects), Options: tt.opts}
			resp, err := c.Send(context.Background(), r, nil)
			if tt.err != "" {
				var se *SendError
				if !errors.As(err, &se) || se.Kind != "other" || !strings.Contains(se.Msg, tt.err) {
					t.Fatalf("err = %v; want a SendError about %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tt.status || resp.Header.Get("Location") != tt.location {
				t.Fatalf("status %d, Location %q; want %d, %q", resp.Status, resp.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}
}

// testCA is a certificate authority made up for a test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issueClient returns a client certificate and its key, both PEM.
func (ca *testCA) issueClient(t *testing.T, name string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// tlsServer starts an HTTPS server that answers with the client
// certificate's common name, if any; cfg may ask for client certificates.
func tlsServer(t *testing.T, cfg *tls.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) > 0 {
			io.WriteString(w, r.TLS.PeerCertificates[0].Subject.CommonName)
		}
	}))
	srv.TLS = cfg
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestSendTLSVerification(t *testing.T) {
	srv := tlsServer(t, nil)
	dir := t.TempDir()
	otherCA := writeFile(t, dir, "other.pem", newTestCA(t, "other").pem)
	tests := []struct {
		name string
		opts Options
		err  string // "" means success
	}{
		{"untrusted without CA", Options{}, "TLS certificate not trusted: certificate signed by unknown authority"},
		{"CA file", Options{CACert: caFile(t, srv)}, ""},
		{"CA file via variable", Options{CACert: "{{ca}}"}, ""},
		{"wrong CA file", Options{CACert: otherCA}, "TLS certificate not trusted: certificate signed by unknown authority"},
		{"insecure", Options{Insecure: true}, ""},
		{"insecure wins over a wrong CA", Options{Insecure: true, CACert: otherCA}, ""},
	}
	c := NewClient()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Send(context.Background(), Request{URL: srv.URL, Options: tt.opts}, Vars{"ca": caFile(t, srv)})
			if tt.err == "" {
				if err != nil || resp.Status != 200 {
					t.Fatalf("err = %v; want success", err)
				}
				return
			}
			var se *SendError
			if !errors.As(err, &se) || se.Kind != "tls" || se.Msg != tt.err {
				t.Fatalf("err = %v; want tls %q", err, tt.err)
			}
		})
	}
}

func TestCACertAddsToSystemPool(t *testing.T) {
	sys, err := x509.SystemCertPool()
	if err != nil {
		t.Skipf("no system pool: %v", err)
	}
	ca := newTestCA(t, "extra")
	spec, err := readTransportSpec(Options{CACert: writeFile(t, t.TempDir(), "ca.pem", ca.pem)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := spec.build()
	if err != nil {
		t.Fatal(err)
	}
	sys.AddCert(ca.cert)
	if !tr.TLSClientConfig.RootCAs.Equal(sys) {
		t.Error("RootCAs is not the system pool plus the CA file")
	}
}

func TestSendClientCertificate(t *testing.T) {
	ca := newTestCA(t, "client CA")
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	srv := tlsServer(t, &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool})

	dir := t.TempDir()
	certPEM, keyPEM := ca.issueClient(t, "hooklab-client")
	certFile := writeFile(t, dir, "client.crt", certPEM)
	keyFile := writeFile(t, dir, "client.key", keyPEM)
	bothFile := writeFile(t, dir, "client.pem", append(append([]byte{}, certPEM...), keyPEM...))
	strangerCert, strangerKey := newTestCA(t, "stranger").issueClient(t, "stranger")
	strangerFile := writeFile(t, dir, "stranger.pem", append(strangerCert, strangerKey...))
	ca1 := caFile(t, srv)

	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{"no certificate", Options{CACert: ca1}, false},
		{"certificate and key files", Options{CACert: ca1, ClientCert: certFile, ClientKey: keyFile}, true},
		{"key in the certificate file", Options{CACert: ca1, ClientCert: bothFile}, true},
		{"certificate of another CA", Options{CACert: ca1, ClientCert: strangerFile}, false},
	}
	c := NewClient()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Send(context.Background(), Request{URL: srv.URL, Options: tt.opts}, nil)
			if tt.ok {
				if err != nil || string(resp.Body) != "hooklab-client" {
					t.Fatalf("err = %v; want the server to see hooklab-client", err)
				}
				return
			}
			var se *SendError
			if !errors.As(err, &se) || se.Kind != "tls" {
				t.Fatalf("err = %v; want a TLS failure", err)
			}
		})
	}
}

func TestSendHTTPProxy(t *testing.T) {
	type seen struct{ uri, host, auth string }
	got := make(chan seen, 4)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.RequestURI, r.Host, r.Header.Get("Proxy-Authorization")}
		io.WriteString(w, "via proxy")
	}))
	defer proxy.Close()
	withUser := strings.Replace(proxy.URL, "http://", "http://ann:pw@", 1)
	tests := []struct{ name, proxy, auth string }{
		{"plain", "{{proxy}}", ""},
		{"with credentials", withUser, "Basic YW5uOnB3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, NewClient(), Request{URL: "http://api.example.invalid/v1/x?b=2&a=1", Options: Options{Proxy: tt.proxy}}, Vars{"proxy": proxy.URL})
			g := <-got
			if g.uri != "http://api.example.invalid/v1/x?b=2&a=1" || g.host != "api.example.invalid" || g.auth != tt.auth {
				t.Errorf("proxy saw %+v; want the absolute-form request", g)
			}
			if string(resp.Body) != "via proxy" {
				t.Errorf("body %q", resp.Body)
			}
		})
	}
}

func TestSendSOCKS5Proxy(t *testing.T) {
	srv, got := recorder(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	targets := make(chan string, 1)
	go serveSOCKS5(ln, targets)
	send(t, NewClient(), Request{URL: srv.URL + "/via?socks=1", Options: Options{Proxy: "socks5://" + ln.Addr().String()}}, nil)
	if target, g := <-targets, <-got; target != srv.Listener.Addr().String() || g.uri != "/via?socks=1" {
		t.Errorf("SOCKS target %s, server saw %s", target, g.uri)
	}
}

// serveSOCKS5 is a minimal SOCKS5 server (no authentication, CONNECT only)
// for one connection; it reports the address it connected to.
func serveSOCKS5(ln net.Listener, targets chan<- string) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	buf := make([]byte, 262)
	// Greeting: version, method count, methods; choose "no authentication".
	if _, err := io.ReadFull(conn, buf[:2]); err != nil {
		return
	}
	if _, err := io.ReadFull(conn, buf[:buf[1]]); err != nil {
		return
	}
	conn.Write([]byte{5, 0})
	// Request: version, CONNECT, reserved, address type, address, port.
	if _, err := io.ReadFull(conn, buf[:4]); err != nil {
		return
	}
	var host string
	switch buf[3] {
	case 1:
		io.ReadFull(conn, buf[:4])
		host = net.IP(buf[:4]).String()
	case 3:
		io.ReadFull(conn, buf[:1])
		n := int(buf[0])
		io.ReadFull(conn, buf[:n])
		host = string(buf[:n])
	default:
		return
	}
	io.ReadFull(conn, buf[:2])
	target := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(buf[:2]))))
	up, err := net.Dial("tcp", target)
	if err != nil {
		conn.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	defer up.Close()
	targets <- target
	conn.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	go io.Copy(up, conn)
	io.Copy(conn, up)
}

func TestOptionErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := writeFile(t, dir, "notes.txt", []byte("hello"))
	certPEM, _ := newTestCA(t, "ca").issueClient(t, "c")
	certOnly := writeFile(t, dir, "cert.pem", certPEM)
	missing := dir + "/missing.pem"
	tests := []struct {
		name   string
		opts   Options
		option string
		reason string
	}{
		{"proxy without scheme", Options{Proxy: "localhost:8080"}, "proxy", `"localhost:8080": missing scheme; start with http://, https:// or socks5://`},
		{"proxy bad scheme", Options{Proxy: "ftp://h:21"}, "proxy", `"ftp://h:21": unsupported scheme "ftp"; use http, https or socks5`},
		{"proxy unparsable", Options{Proxy: "http://[::1"}, "proxy", `"http://[::1": missing ']' in host`},
		{"proxy without host", Options{Proxy: "socks5://"}, "proxy", `"socks5://": missing host`},
		{"CA file missing", Options{CACert: missing}, "CA certificate", "open " + missing + ": no such file or directory"},
		{"CA file without certificates", Options{CACert: notPEM}, "CA certificate", "no PEM certificate in " + notPEM},
		{"client certificate missing", Options{ClientCert: missing}, "client certificate", "open " + missing + ": no such file or directory"},
		{"client certificate without key", Options{ClientCert: certOnly}, "client certificate", "found a certificate rather than a key in the PEM for the private key"},
		{"client key missing", Options{ClientCert: certOnly, ClientKey: missing}, "client key", "open " + missing + ": no such file or directory"},
		{"client key alone", Options{ClientKey: certOnly}, "client key", "a key file needs a client certificate file"},
	}
	srv, got := recorder(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient().Send(context.Background(), Request{URL: srv.URL, Options: tt.opts}, nil)
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option != tt.option || oe.Reason != tt.reason {
				t.Fatalf("err = %#v (%v); want %s: %s", err, err, tt.option, tt.reason)
			}
			if want := "invalid " + tt.option + ": " + tt.reason; err.Error() != want {
				t.Errorf("Error() = %q; want %q", err, want)
			}
		})
	}
	_, err := NewClient().Send(context.Background(), Request{URL: srv.URL, Options: Options{Proxy: "{{nope}}"}}, nil)
	var uv *UnknownVariableError
	if !errors.As(err, &uv) || uv.Where != "proxy" {
		t.Errorf("err = %v; want unknown variable in proxy", err)
	}
	select {
	case c := <-got:
		t.Fatalf("server got %s %s", c.method, c.uri)
	default:
	}
}

func TestTransportCache(t *testing.T) {
	var cache transportCache
	get := func(port int) *http.Transport {
		t.Helper()
		spec, err := readTransportSpec(Options{Proxy: fmt.Sprintf("http://127.0.0.1:%d", port)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := cache.get(spec)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	first := make(map[int]*http.Transport)
	for port := 1; port <= maxTransports; port++ {
		first[port] = get(port)
	}
	if get(1) != first[1] {
		t.Fatal("same options gave a new transport")
	}
	get(maxTransports + 1) // evicts 2, the least recently used
	if len(cache.entries) != maxTransports {
		t.Fatalf("%d transports kept; want %d", len(cache.entries), maxTransports)
	}
	if get(1) != first[1] || get(3) != first[3] {
		t.Error("a recently used transport was evicted")
	}
	if get(2) == first[2] {
		t.Error("the least recently used transport was kept")
	}

	// A certificate file edited in place makes a new transport.
	path := writeFile(t, t.TempDir(), "ca.pem", newTestCA(t, "one").pem)
	spec1, _ := readTransportSpec(Options{CACert: path}, nil)
	writeFile(t, filepath.Dir(path), "ca.pem", newTestCA(t, "two").pem)
	spec2, _ := readTransportSpec(Options{CACert: path}, nil)
	if spec1.key() == spec2.key() || spec1.key() == (transportKey{}) {
		t.Error("the transport key does not follow the file's contents")
	}
}
