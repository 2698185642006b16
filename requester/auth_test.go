package requester

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSendAuth(t *testing.T) {
	srv, got := recorder(t, nil)
	c := NewClient()
	vars := Vars{"user": "ada", "pass": "p:ss wörd", "tok": "t0k", "key": "X-Api-Key", "secret": "s&c=t"}
	userRow := []Header{{Name: "Authorization", Value: "Bearer from-row"}, {Name: "X-Api-Key", Value: "row"}}
	tests := []struct {
		name    string
		url     string
		auth    Auth
		headers []Header
		uri     string
		want    http.Header // the headers of interest, nil values meaning absent
	}{
		{"basic", "/", Auth{Kind: AuthBasic, Username: "{{user}}", Password: "{{pass}}"}, nil, "/",
			http.Header{"Authorization": {"Basic YWRhOnA6c3Mgd8O2cmQ="}}},
		{"bearer", "/", Auth{Kind: AuthBearer, Token: "{{tok}}"}, nil, "/",
			http.Header{"Authorization": {"Bearer t0k"}}},
		{"empty bearer sends nothing", "/", Auth{Kind: AuthBearer}, nil, "/",
			http.Header{"Authorization": nil}},
		{"api key header", "/", Auth{Kind: AuthAPIKey, Key: "{{key}}", Value: "{{secret}}"}, nil, "/",
			http.Header{"X-Api-Key": {"s&c=t"}}},
		{"api key in query", "/p?b=2&a=1", Auth{Kind: AuthAPIKey, Key: "api key", Value: "{{secret}}", InQuery: true}, nil, "/p?b=2&a=1&api+key=s%26c%3Dt",
			http.Header{"X-Api-Key": nil}},
		{"api key in empty query", "/p", Auth{Kind: AuthAPIKey, Key: "k", Value: "v", InQuery: true}, nil, "/p?k=v", nil},
		{"blank api key name sends nothing", "/", Auth{Kind: AuthAPIKey, Key: " ", Value: "v"}, nil, "/", nil},
		{"auth tab wins over header rows", "/", Auth{Kind: AuthBasic, Username: "u", Password: "p"}, userRow, "/",
			http.Header{"Authorization": {"Basic dTpw"}, "X-Api-Key": {"row"}}},
		{"api key replaces its row", "/", Auth{Kind: AuthAPIKey, Key: "x-api-key", Value: "tab"}, userRow, "/",
			http.Header{"Authorization": {"Bearer from-row"}, "X-Api-Key": {"tab"}}},
		{"no auth keeps rows", "/", Auth{}, userRow, "/",
			http.Header{"Authorization": {"Bearer from-row"}, "X-Api-Key": {"row"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, c, Request{URL: srv.URL + tt.url, Auth: tt.auth, Headers: tt.headers}, vars)
			g := <-got
			if g.uri != tt.uri {
				t.Errorf("server saw %s; want %s", g.uri, tt.uri)
			}
			for k, v := range tt.want {
				if strings.Join(g.header[k], ",") != strings.Join(v, ",") || strings.Join(resp.Request.Header[k], ",") != strings.Join(v, ",") {
					t.Errorf("%s: server saw %q, Request shows %q; want %q", k, g.header[k], resp.Request.Header[k], v)
				}
			}
		})
	}
}

func TestPrepareAuthVariableError(t *testing.T) {
	_, err := Prepare(Request{URL: "http://h/", Auth: Auth{Kind: AuthBearer, Token: "{{nope}}"}}, nil)
	var uv *UnknownVariableError
	if !errors.As(err, &uv) || uv.Where != "auth" {
		t.Fatalf("err = %v; want unknown variable in auth", err)
	}
	// Fields the kind does not use are not expanded.
	if _, err := Prepare(Request{URL: "http://h/", Auth: Auth{Kind: AuthBearer, Token: "t", Username: "{{nope}}"}}, nil); err != nil {
		t.Fatalf("err = %v", err)
	}
}

// digestServer answers 401 with a Digest challenge (RFC 7616, MD5, qop=auth)
// until a request proves it knows user and pass; then it echoes the body
// with X-Digest: ok. authz gets each Authorization header it sees.
func digestServer(t *testing.T, user, pass string) (*httptest.Server, <-chan string) {
	t.Helper()
	const realm, nonce = "hooklab", "dcd98b7102dd2f0e8b11d0f600bfb0c093"
	h := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	authz := make(chan string, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		auth := r.Header.Get("Authorization")
		authz <- auth
		f := map[string]string{}
		if rest, ok := strings.CutPrefix(auth, "Digest "); ok {
			for kv := range strings.SplitSeq(rest, ", ") {
				k, v, _ := strings.Cut(kv, "=")
				f[k] = strings.Trim(v, `"`)
			}
		}
		ha1 := h(user + ":" + realm + ":" + pass)
		ha2 := h(r.Method + ":" + r.RequestURI)
		want := h(strings.Join([]string{ha1, nonce, f["nc"], f["cnonce"], "auth", ha2}, ":"))
		if f["username"] != user || f["uri"] != r.RequestURI || f["qop"] != "auth" || f["response"] != want {
			w.Header().Set("WWW-Authenticate", `Digest realm="`+realm+`", qop="auth", algorithm=MD5, nonce="`+nonce+`", opaque="5ccc069c"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("X-Digest", "ok")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, authz
}

func TestSendDigestAuth(t *testing.T) {
	srv, authz := digestServer(t, "Mufasa", "Circle Of Life")
	c := NewClient()
	tests := []struct {
		name, pass string
		status     int
	}{
		{"right password", "{{pass}}", 200},
		{"wrong password", "nope", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, c, Request{
				Method:  "POST",
				URL:     srv.URL + "/dir/index.html?a=1&b=2",
				Headers: []Header{{Name: "Authorization", Value: "Bearer from-row"}},
				Auth:    Auth{Kind: AuthDigest, Username: "{{user}}", Password: tt.pass},
				Body:    Body{Kind: BodyText, Text: "payload"},
			}, Vars{"user": "Mufasa", "pass": "Circle Of Life"})
			if resp.Status != tt.status {
				t.Fatalf("status %d; want %d", resp.Status, tt.status)
			}
			if first := <-authz; first != "" {
				t.Errorf("first request had Authorization %q; the digest auth replaces the row", first)
			}
			if second := <-authz; !strings.HasPrefix(second, `Digest username="Mufasa"`) {
				t.Errorf("second request had Authorization %q", second)
			}
			if tt.status == 200 && (resp.Header.Get("X-Digest") != "ok" || string(resp.Body) != "payload") {
				t.Errorf("response %v %q; want X-Digest ok and the body echoed", resp.Header, resp.Body)
			}
		})
	}
	// The digest transport belongs to one exchange: a later plain request
	// through the same client gets the challenge again.
	if resp := send(t, c, Request{URL: srv.URL}, nil); resp.Status != 401 || <-authz != "" {
		t.Errorf("plain request: status %d; want 401 without credentials", resp.Status)
	}
}
