package history

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"hooklab/requester"
)

// secretEntry holds a secret in every place one is masked.
func secretEntry() Entry {
	e := fullEntry()
	e.Request.URL = "http://alice:hunter2@api.test/v1/items?api_key=sk_live_123&page=2&token={{tok}}"
	e.Request.Params = []requester.Param{{Name: "api_key", Value: "sk_live_123"}, {Name: "page", Value: "2"}, {Name: "token", Value: "{{tok}}"}}
	e.Request.Headers = []requester.Header{{Name: "X-Api-Key", Value: "xk_999"}, {Name: "Accept", Value: "application/json"}, {Name: "X-Auth-Token", Value: "{{tok}}"}}
	e.Request.Auth = requester.Auth{Kind: requester.AuthBearer, Token: "eyJhbGciOi.secret.jwt"}
	e.Request.Options.Proxy = "http://proxyuser:proxypass@proxy.test:3128"
	e.URL = "http://alice:hunter2@api.test/v1/items?api_key=sk_live_123&page=2&token=tok_expanded"
	e.SentHeader = http.Header{
		"Authorization": {"Bearer eyJhbGciOi.secret.jwt"},
		"X-Api-Key":     {"xk_999"},
		"X-Auth-Token":  {"tok_expanded"},
		"Cookie":        {"session=abc123"},
		"Accept":        {"application/json"},
	}
	return e
}

func TestHistoryMasksSecrets(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	orig := secretEntry()
	id := mustAdd(t, s, orig)
	secrets := []string{"hunter2", "sk_live_123", "xk_999", "eyJhbGciOi.secret.jwt", "proxypass", "tok_expanded", "abc123"}

	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	shown := strings.Join([]string{got.URL, got.Request.URL, got.Request.Auth.Token, got.Request.Options.Proxy,
		got.Request.Params[0].Value, got.Request.Headers[0].Value, strings.Join(flatten(got.SentHeader), "\n")}, "\n")
	for _, sec := range secrets {
		if strings.Contains(shown, sec) {
			t.Errorf("Get shows the secret %q in:\n%s", sec, shown)
		}
	}
	if a := got.SentHeader.Get("Authorization"); a != "Bearer "+Mask {
		t.Errorf("Authorization as sent = %q, want the scheme kept: %q", a, "Bearer "+Mask)
	}
	// Variables are references, not secrets; ordinary values stay.
	if got.Request.Headers[2].Value != "{{tok}}" || got.Request.Params[2].Value != "{{tok}}" || got.Request.Params[1].Value != "2" ||
		got.SentHeader.Get("Accept") != "application/json" || !strings.Contains(got.Request.URL, "token={{tok}}") {
		t.Errorf("masked more than secrets: %+v\n%v", got.Request, got.SentHeader)
	}
	sums, err := s.List("", 0, 10)
	if err != nil || len(sums) != 1 || strings.Contains(sums[0].URL, "sk_live_123") || strings.Contains(sums[0].URL, "hunter2") {
		t.Errorf("List = %+v, %v; want the URL masked", sums, err)
	}
	if n, _ := s.Count("sk_live_123"); n != 0 {
		t.Errorf("a search for a secret found %d entries", n)
	}

	// Sending it again needs the request as edited.
	un, err := s.Unmasked(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(un.Request, orig.Request) {
		t.Errorf("Unmasked request = %+v\nwant %+v", un.Request, orig.Request)
	}
	if strings.Contains(un.SentHeader.Get("Authorization"), "jwt") {
		t.Error("Unmasked unmasked what was sent too")
	}

	// Deleting the entry deletes its secrets.
	if err := s.Delete(id); err != nil {
		t.Fatal(err)
	}
	if n := countSecrets(t, s); n != 0 {
		t.Errorf("%d secrets left after Delete", n)
	}
}

func TestHistoryWithoutSecretsKeepsNoneApart(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	id := mustAdd(t, s, fullEntry()) // its token is {{token}}
	if n := countSecrets(t, s); n != 0 {
		t.Errorf("%d secrets kept for an entry without any", n)
	}
	un, err := s.Unmasked(context.Background(), id)
	if err != nil || un.Request.Auth.Token != "{{token}}" {
		t.Errorf("Unmasked = %+v, %v", un.Request.Auth, err)
	}
}

func TestHistorySecretsPrunedAndCleared(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{Retain: 2})
	for range 4 {
		mustAdd(t, s, secretEntry())
	}
	if n := countSecrets(t, s); n != 2 {
		t.Errorf("%d secrets kept for 2 entries retained", n)
	}
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	if n := countSecrets(t, s); n != 0 {
		t.Errorf("%d secrets left after Clear", n)
	}
}

// TestHistoryVersion1Upgraded: entries kept unmasked by a version 1
// history are masked when it is opened, and still send as they were.
func TestHistoryVersion1Upgraded(t *testing.T) {
	dir := t.TempDir()
	cs := openCapture(t, dir)
	t.Cleanup(func() { cs.Close() })
	s, err := New(sharedDB(cs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	orig := secretEntry()
	id := mustAdd(t, s, orig)
	// Back to what version 1 kept: the entry as edited, unmasked, and no
	// secrets table.
	req := mustJSON(t, orig.Request)
	write(t, s, `UPDATE history SET url = ?, request = ?, sent_header = ? WHERE id = ?`, orig.URL, req, headerJSON(orig.SentHeader), id)
	write(t, s, `DROP TABLE history_secrets`)
	write(t, s, `UPDATE history_meta SET value = '1' WHERE key = 'schema_version'`)
	s.Close()

	s, err = New(sharedDB(cs), Options{})
	if err != nil {
		t.Fatalf("a version 1 history did not open: %v", err)
	}
	defer s.Close()
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got.URL, "sk_live_123") || got.Request.Auth.Token != Mask || strings.Contains(got.SentHeader.Get("Authorization"), "jwt") {
		t.Errorf("the upgraded entry is not masked: %s %+v %v", got.URL, got.Request.Auth, got.SentHeader)
	}
	un, err := s.Unmasked(context.Background(), id)
	if err != nil || !reflect.DeepEqual(un.Request, orig.Request) {
		t.Errorf("Unmasked after the upgrade = %+v, %v", un.Request, err)
	}
}

func countSecrets(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.Read.QueryRow(`SELECT count(*) FROM history_secrets`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func flatten(h http.Header) []string {
	var out []string
	for k, vs := range h {
		for _, v := range vs {
			out = append(out, k+": "+v)
		}
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
