package history

import (
	"context"
	"net/http"
	"testing"

	"hooklab/requester"
)

// TestMaskHead: the head as sent is masked as the header map and URL
// are, every other byte kept: names in their case and order, spacing,
// line ends.
func TestMaskHead(t *testing.T) {
	const M = Mask
	for _, tc := range []struct {
		name, head, apiKey, queryKey, want string
	}{
		{"credentials",
			"POST /v1/x?api_key=sk_1&page=2&token=t_2 HTTP/1.1\r\nHost: api.test\r\nauthorization: Bearer eyJ.jwt\r\nx-api-key: xk_9\r\nOpenAI-Beta: assistants=v2\r\nCookie: session=abc; theme=dark\r\nProxy-Authorization: Basic cHg6cHc=\r\nAccept: */*\r\n\r\n",
			"", "",
			"POST /v1/x?api_key=" + M + "&page=2&token=" + M + " HTTP/1.1\r\nHost: api.test\r\nauthorization: Bearer " + M + "\r\nx-api-key: " + M + "\r\nOpenAI-Beta: assistants=v2\r\nCookie: " + M + "\r\nProxy-Authorization: Basic " + M + "\r\nAccept: */*\r\n\r\n"},
		{"api key auth under its own name, in the header and the query",
			"GET /q?k=v1&q=x HTTP/1.1\r\nHost: h\r\nX-Custom: kkk\r\nX-Plain: p\r\n\r\n",
			"X-Custom", "k",
			"GET /q?k=" + M + "&q=x HTTP/1.1\r\nHost: h\r\nX-Custom: " + M + "\r\nX-Plain: p\r\n\r\n"},
		{"through a proxy: absolute form with a password",
			"GET http://u:pw@api.test/a?secret=s HTTP/1.1\r\nHost: api.test\r\n\r\n",
			"", "",
			"GET http://u:" + M + "@api.test/a?secret=" + M + " HTTP/1.1\r\nHost: api.test\r\n\r\n"},
		{"a folded credential",
			"GET / HTTP/1.1\r\nAuthorization: Digest a=1,\r\n\tresponse=abc\r\nX-N: 1\r\n\r\n",
			"", "",
			"GET / HTTP/1.1\r\nAuthorization: Digest " + M + "\r\n\t" + M + "\r\nX-N: 1\r\n\r\n"},
		{"nothing secret", "GET /a?b=c HTTP/1.1\r\nHost: h\r\nX-Trace:t1\r\n\r\n", "", "",
			"GET /a?b=c HTTP/1.1\r\nHost: h\r\nX-Trace:t1\r\n\r\n"},
		{"no head", "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := maskHead(tc.head, http.CanonicalHeaderKey(tc.apiKey), tc.queryKey); got != tc.want {
				t.Errorf("maskHead\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestHeadSecretKeptApart: a head holding a secret that the request as
// edited does not (its token is a variable) is masked in what the
// history shows and comes back as sent when reopened; a head without a
// secret keeps nothing apart.
func TestHeadSecretKeptApart(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	e := fullEntry() // its token is {{token}}
	e.SentHead = "POST /v1/payments HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer tok_expanded_1\r\nIdempotency-Key: 42\r\n\r\n"
	id := mustAdd(t, s, e)
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if want := "POST /v1/payments HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer " + Mask + "\r\nIdempotency-Key: 42\r\n\r\n"; got.SentHead != want {
		t.Errorf("Get's head = %q\nwant %q", got.SentHead, want)
	}
	un, err := s.Unmasked(context.Background(), id)
	if err != nil || un.SentHead != e.SentHead || un.Request.Auth.Token != "{{token}}" {
		t.Errorf("Unmasked: head %q, token %q, %v", un.SentHead, un.Request.Auth.Token, err)
	}
	if n := countSecrets(t, s); n != 1 {
		t.Errorf("%d secrets kept; want the head's", n)
	}

	plain := fullEntry()
	plain.SentHead = "GET / HTTP/1.1\r\nHost: sandbox\r\n\r\n"
	pid := mustAdd(t, s, plain)
	if n := countSecrets(t, s); n != 1 {
		t.Errorf("%d secrets kept after an entry without any", n)
	}
	if un, err := s.Unmasked(context.Background(), pid); err != nil || un.SentHead != plain.SentHead {
		t.Errorf("Unmasked plain head = %q, %v", un.SentHead, err)
	}
}

// TestHeadMaskedWithTheAPIKeyAuth: the header an API key auth names is
// masked in the head as in the header map.
func TestHeadMaskedWithTheAPIKeyAuth(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	e := fullEntry()
	e.Request.Auth = requester.Auth{Kind: requester.AuthAPIKey, Key: "x-tenant", Value: "{{tenant_key}}"}
	e.SentHeader = http.Header{"X-Tenant": {"tk_live_5"}}
	e.SentHead = "GET / HTTP/1.1\r\nHost: h\r\nx-tenant: tk_live_5\r\n\r\n"
	got, err := s.Get(mustAdd(t, s, e))
	if err != nil {
		t.Fatal(err)
	}
	if got.SentHead != "GET / HTTP/1.1\r\nHost: h\r\nx-tenant: "+Mask+"\r\n\r\n" || got.SentHeader.Get("X-Tenant") != Mask {
		t.Errorf("head %q, header %v", got.SentHead, got.SentHeader)
	}
}
