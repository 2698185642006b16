package curl

import "strings"

// The option names below are curl's (tool_getparam.c, curl 8). curl matches
// long names exactly: "--data=x" is not an option of curl.

// argOptions take an argument.
var argOptions = wordSet(`abstract-unix-socket alt-svc aws-sigv4 cacert capath cert
cert-type ciphers config connect-timeout connect-to continue-at cookie cookie-jar
create-file-mode crlfile curves data data-ascii data-binary data-raw data-urlencode
delegation dns-interface dns-ipv4-addr dns-ipv6-addr dns-servers doh-url dump-header
ech egd-file engine etag-compare etag-save expect100-timeout form form-string
ftp-account ftp-alternative-to-user ftp-method ftp-port ftp-ssl-ccc-mode
happy-eyeballs-timeout-ms haproxy-clientip header hostpubmd5 hostpubsha256 hsts ip-tos
ipfs-gateway json keepalive-cnt keepalive-time key key-type knownhosts krb krb4 libcurl
limit-rate local-port login-options mail-auth mail-from mail-rcpt max-filesize
max-redirs max-time netrc-file noproxy oauth2-bearer output output-dir parallel-max
parallel-max-host pass pinnedpubkey preproxy proto proto-default proto-redir proxy
proxy-cacert proxy-capath proxy-cert proxy-cert-type proxy-ciphers proxy-crlfile
proxy-header proxy-key proxy-key-type proxy-pass proxy-pinnedpubkey proxy-service-name
proxy-tls13-ciphers proxy-tlsauthtype proxy-tlspassword proxy-tlsuser proxy-user
proxy1.0 pubkey quote random-file range rate referer request request-target resolve
retry retry-delay retry-max-time sasl-authzid service-name sigalgs socks4 socks4a
socks5 socks5-gssapi-service socks5-hostname speed-limit speed-time ssl-sessions
stderr telnet-option tftp-blksize time-cond tls-max tls13-ciphers tlsauthtype
tlspassword tlsuser trace trace-ascii trace-config unix-socket upload-file upload-flags
url url-query user user-agent variable vlan-priority write-out`)

// flagOptions take no argument.
var flagOptions = wordSet(`alpn anyauth append basic buffer ca-native cert-status
clobber compressed compressed-ssh create-dirs crlf digest disable disable-eprt
disable-epsv disallow-username-in-url doh-cert-status doh-insecure dump-ca-embed eprt
epsv fail fail-early fail-with-body false-start follow form-escape ftp-create-dirs
ftp-pasv ftp-pret ftp-skip-pasv-ip ftp-ssl ftp-ssl-ccc ftp-ssl-control ftp-ssl-reqd get
globoff haproxy-protocol head help http0.9 http1.0 http1.1 http2 http2-prior-knowledge
http3 http3-only ignore-content-length include insecure ipv4 ipv6 junk-session-cookies
keepalive list-only location location-trusted mail-rcpt-allowfails manual metalink
mptcp negotiate netrc netrc-optional next npn ntlm ntlm-wb out-null parallel
parallel-immediate path-as-is post301 post302 post303 progress-bar progress-meter
proxy-anyauth proxy-basic proxy-ca-native proxy-digest proxy-http2 proxy-insecure
proxy-negotiate proxy-ntlm proxy-ssl-allow-beast proxy-ssl-auto-client-cert
proxy-tlsv1 proxytunnel raw remote-header-name remote-name remote-name-all remote-time
remove-on-error retry-all-errors retry-connrefused sasl-ir sessionid show-error
show-headers silent skip-existing socks5-basic socks5-gssapi socks5-gssapi-nec ssl
ssl-allow-beast ssl-auto-client-cert ssl-no-revoke ssl-reqd ssl-revoke-best-effort
sslv2 sslv3 styled-output suppress-connect-headers tcp-fastopen tcp-nodelay test-event
tftp-no-options tls-earlydata tlsv1 tlsv1.0 tlsv1.1 tlsv1.2 tlsv1.3 tr-encoding
trace-ids trace-time use-ascii verbose version wdebug xattr`)

// quietOptions change what curl prints or how it connects, not the request,
// and are ignored without a warning.
var quietOptions = wordSet(`alpn buffer ca-native clobber create-dirs
create-file-mode disable dump-ca-embed dump-header etag-save fail fail-early
fail-with-body false-start globoff help http1.0 http1.1 http2 http2-prior-knowledge
http3 http3-only include ipv4 ipv6 keepalive keepalive-cnt keepalive-time libcurl
manual npn out-null output output-dir parallel parallel-immediate parallel-max
parallel-max-host progress-bar progress-meter remote-header-name remote-name
remote-name-all remote-time remove-on-error retry retry-all-errors retry-connrefused
retry-delay retry-max-time sessionid show-error show-headers silent skip-existing
ssl-allow-beast ssl-no-revoke ssl-revoke-best-effort stderr styled-output
suppress-connect-headers tcp-fastopen tcp-nodelay tls-max tlsv1 tlsv1.0 tlsv1.1
tlsv1.2 tlsv1.3 trace trace-ascii trace-config trace-ids trace-time verbose version
write-out xattr cookie-jar`)

// shortOptions maps curl's one-letter options to their long names.
var shortOptions = map[byte]string{
	'0': "http1.0", '1': "tlsv1", '2': "sslv2", '3': "sslv3", '4': "ipv4", '6': "ipv6",
	'#': "progress-bar", ':': "next",
	'a': "append", 'A': "user-agent", 'b': "cookie", 'B': "use-ascii", 'c': "cookie-jar",
	'C': "continue-at", 'd': "data", 'D': "dump-header", 'e': "referer", 'E': "cert",
	'f': "fail", 'F': "form", 'g': "globoff", 'G': "get", 'h': "help", 'H': "header",
	'i': "include", 'I': "head", 'j': "junk-session-cookies", 'J': "remote-header-name",
	'k': "insecure", 'K': "config", 'l': "list-only", 'L': "location", 'm': "max-time",
	'M': "manual", 'n': "netrc", 'N': "buffer", 'o': "output", 'O': "remote-name",
	'p': "proxytunnel", 'P': "ftp-port", 'q': "disable", 'Q': "quote", 'r': "range",
	'R': "remote-time", 's': "silent", 'S': "show-error", 't': "telnet-option",
	'T': "upload-file", 'u': "user", 'U': "proxy-user", 'v': "verbose", 'V': "version",
	'w': "write-out", 'x': "proxy", 'X': "request", 'y': "speed-time", 'Y': "speed-limit",
	'z': "time-cond", 'Z': "parallel",
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// opt is one option as found on the command line: its long name, how it
// was written, its argument, and false in on for the --no- form of a flag.
type opt struct {
	name, flag, arg string
	on              bool
}

// handler applies one option.
type handler func(p *parser, o opt) error

// handlers are the options that shape the imported request.
var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"request": (*parser).setMethod, "head": (*parser).setFlag, "get": (*parser).setFlag,
		"location": (*parser).setFlag, "location-trusted": (*parser).setFlag,
		"follow": (*parser).setFlag, "insecure": (*parser).setFlag,
		"globoff": (*parser).setFlag, "compressed": (*parser).setFlag,
		"header": (*parser).addHeader, "user-agent": (*parser).addHeader,
		"referer": (*parser).addHeader, "cookie": (*parser).addCookie,
		"data": (*parser).addData, "data-ascii": (*parser).addData,
		"data-raw": (*parser).addData, "data-binary": (*parser).addData,
		"data-urlencode": (*parser).addData, "json": (*parser).addData,
		"url-query": (*parser).addQuery,
		"form":      (*parser).addForm, "form-string": (*parser).addForm,
		"upload-file": (*parser).setUpload, "url": (*parser).addURL,
		"user": (*parser).setUser, "basic": (*parser).setAuthKind,
		"digest": (*parser).setAuthKind, "oauth2-bearer": (*parser).setBearer,
		"max-redirs": (*parser).setMaxRedirs, "max-time": (*parser).setTimeout,
		"proxy": (*parser).setProxy, "socks5": (*parser).setProxy,
		"socks5-hostname": (*parser).setProxy, "cacert": (*parser).setFile,
		"cert": (*parser).setCert, "key": (*parser).setFile,
		"cert-type": (*parser).setFileType, "key-type": (*parser).setFileType,
		"next": (*parser).stop,
	}
}
