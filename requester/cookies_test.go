package requester

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSendCookieJars(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/login":
			w.Header().Add("Set-Cookie", "sid=abc; Path=/; HttpOnly")
			w.Header().Add("Set-Cookie", "pref=dark; Path=/app; Max-Age=3600; Secure; SameSite=Lax")
		case "/logout":
			w.Header().Add("Set-Cookie", "sid=; Path=/; Max-Age=0")
		case "/redir":
			w.Header().Add("Set-Cookie", "step=1; Path=/")
			http.Redirect(w, r, "/app/echo", http.StatusFound)
		case "/app/echo":
			io.WriteString(w, r.Header.Get("Cookie"))
		}
	}))
	defer srv.Close()
	c := NewClient()
	ctx := context.Background()
	echo := func(jar string, headers ...Header) (*Response, string) {
		t.Helper()
		resp, err := c.SendIn(ctx, jar, Request{URL: srv.URL + "/app/echo", Headers: headers}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(resp.Body)
	}

	login, err := c.SendIn(ctx, "dev", Request{URL: srv.URL + "/login"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(login.Cookies) != 2 || login.Cookies[0].Name != "sid" || !login.Cookies[0].HttpOnly ||
		login.Cookies[1].Name != "pref" || login.Cookies[1].MaxAge != 3600 {
		t.Errorf("Response.Cookies = %v", login.Cookies)
	}

	// Sent on later requests in the same jar, after the user's own Cookie
	// row, longest path first; a Secure cookie goes to a loopback host.
	resp, seen := echo("dev", Header{Name: "Cookie", Value: "manual=1"})
	if want := "manual=1; pref=dark; sid=abc"; seen != want || resp.Request.Header.Get("Cookie") != want {
		t.Errorf("server saw Cookie %q, Request shows %q; want %q", seen, resp.Request.Header.Get("Cookie"), want)
	}
	if _, seen := echo("prod"); seen != "" || len(c.Cookies("prod")) != 0 {
		t.Errorf("another jar sent %q", seen)
	}

	// Listed with their attributes.
	listed := c.Cookies("dev")
	host := "127.0.0.1"
	if len(listed) != 2 {
		t.Fatalf("Cookies(dev) = %v", listed)
	}
	sid, pref := listed[0], listed[1]
	if sid.Name != "sid" || sid.Value != "abc" || sid.Domain != host || sid.Path != "/" || !sid.Expires.IsZero() || !sid.HttpOnly {
		t.Errorf("sid listed as %+v", sid)
	}
	if d := time.Until(pref.Expires); pref.Name != "pref" || pref.Domain != host || pref.Path != "/app" ||
		!pref.Secure || pref.SameSite != http.SameSiteLaxMode || d < 59*time.Minute || d > time.Hour {
		t.Errorf("pref listed as %+v", pref)
	}

	// A cookie set on a redirect goes with the next hop; Response.Request
	// shows the first hop, which had none.
	resp, err = c.Send(ctx, Request{URL: srv.URL + "/redir"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "step=1" || resp.Request.Header.Get("Cookie") != "" {
		t.Errorf("after redirect server saw %q, Request shows %q", resp.Body, resp.Request.Header.Get("Cookie"))
	}
	if got := c.Cookies(""); len(got) != 1 || got[0].Name != "step" {
		t.Errorf(`Cookies("") = %v`, got)
	}

	// Deleted by the server, then cleared by the user.
	if _, err := c.SendIn(ctx, "dev", Request{URL: srv.URL + "/logout"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, seen := echo("dev"); seen != "pref=dark" {
		t.Errorf("after logout server saw %q", seen)
	}
	c.ClearCookies("dev")
	if _, seen := echo("dev"); seen != "" || c.Cookies("dev") != nil {
		t.Errorf("after ClearCookies server saw %q, jar lists %v", seen, c.Cookies("dev"))
	}
	if got := c.Cookies(""); len(got) != 1 {
		t.Errorf("clearing dev touched the default jar: %v", got)
	}
}

func TestCookieJarRules(t *testing.T) {
	type set struct{ url, cookie string }
	tests := []struct {
		name string
		sets []set
		get  string
		want string
	}{
		{"host-only to same host", []set{{"http://example.com/", "a=1"}}, "http://example.com/x", "a=1"},
		{"host-only not to subdomain", []set{{"http://example.com/", "a=1"}}, "http://www.example.com/", ""},
		{"domain cookie to subdomain", []set{{"http://example.com/", "a=1; Domain=example.com"}}, "http://www.example.com/", "a=1"},
		{"leading dot ignored", []set{{"http://example.com/", "a=1; Domain=.EXAMPLE.com"}}, "http://api.example.com/", "a=1"},
		{"subdomain sets parent", []set{{"http://www.example.com/", "a=1; Domain=example.com"}}, "http://api.example.com/", "a=1"},
		{"foreign domain refused", []set{{"http://example.com/", "a=1; Domain=other.com"}}, "http://other.com/", ""},
		{"top-level domain refused", []set{{"http://example.com/", "a=1; Domain=com"}}, "http://other.com/", ""},
		{"localhost may name itself", []set{{"http://localhost/", "a=1; Domain=localhost"}}, "http://localhost/", "a=1"},
		{"IP domain must be the host", []set{{"http://127.0.0.1/", "a=1; Domain=127.0.0.2"}, {"http://127.0.0.1/", "b=2; Domain=127.0.0.1"}}, "http://127.0.0.1/", "b=2"},
		{"port ignored", []set{{"http://h.test:8080/", "a=1"}}, "http://h.test:9090/", "a=1"},
		{"default path", []set{{"http://h.test/a/b", "a=1"}}, "http://h.test/a/x", "a=1"},
		{"default path not a prefix of a longer name", []set{{"http://h.test/a/b", "a=1"}}, "http://h.test/ab", ""},
		{"path of a directory", []set{{"http://h.test/", "a=1; Path=/docs/"}}, "http://h.test/docs/x", "a=1"},
		{"secure needs https", []set{{"https://h.test/", "s=1; Secure"}}, "http://h.test/", ""},
		{"secure over https", []set{{"https://h.test/", "s=1; Secure"}}, "https://h.test/", "s=1"},
		{"secure to localhost", []set{{"http://localhost/", "s=1; Secure"}}, "http://localhost/", "s=1"},
		{"expired on arrival", []set{{"http://h.test/", "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}}, "http://h.test/", ""},
		{"Max-Age=0 deletes", []set{{"http://h.test/", "a=1"}, {"http://h.test/", "a=; Max-Age=0"}}, "http://h.test/", ""},
		{"longest path first", []set{{"http://h.test/", "a=1; Path=/"}, {"http://h.test/", "b=2; Path=/x"}}, "http://h.test/x/y", "b=2; a=1"},
		{"replaced cookie keeps its place", []set{{"http://h.test/", "a=1"}, {"http://h.test/", "b=2"}, {"http://h.test/", "a=3"}}, "http://h.test/", "a=3; b=2"},
		{"not http", []set{{"ftp://h.test/", "a=1"}}, "http://h.test/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &cookieJar{entries: make(map[string]*jarEntry)}
			for _, s := range tt.sets {
				c, err := http.ParseSetCookie(s.cookie)
				if err != nil {
					t.Fatal(err)
				}
				u, _ := url.Parse(s.url)
				j.SetCookies(u, []*http.Cookie{c})
			}
			u, _ := url.Parse(tt.get)
			var got []string
			for _, c := range j.Cookies(u) {
				got = append(got, c.Name+"="+c.Value)
			}
			if g := strings.Join(got, "; "); g != tt.want {
				t.Fatalf("Cookies(%s) = %q; want %q", tt.get, g, tt.want)
			}
		})
	}
}

func TestCookieJarBounded(t *testing.T) {
	j := &cookieJar{entries: make(map[string]*jarEntry)}
	u, _ := url.Parse("http://h.test/")
	for i := range maxCookies + 5 {
		j.SetCookies(u, []*http.Cookie{{Name: fmt.Sprintf("c%d", i), Value: "v"}})
	}
	list := j.list()
	if len(list) != maxCookies {
		t.Fatalf("%d cookies kept; want %d", len(list), maxCookies)
	}
	for _, c := range list {
		if c.Name == "c0" || c.Name == "c4" {
			t.Fatalf("oldest cookie %s kept", c.Name)
		}
	}
}
