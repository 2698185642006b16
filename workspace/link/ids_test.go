package link

import (
	"net/http"
	"slices"
	"testing"
)

func TestIdentifiers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header http.Header
		body   string
		want   []string
	}{
		{name: "sandbox payment", body: `{"id":"pay_1ot74sNcYXO7yJ","object":"payment","amount":1200,"currency":"eur","status":"pending",
			"callback_url":"http://127.0.0.1:8088/payments?x=abc12345678","created":1765071025}`,
			want: []string{"pay_1ot74sNcYXO7yJ"}},
		{name: "nested event", body: `{"id":"evt_9a8b7c6d5e","type":"payment.succeeded","data":{"object":{"id":"pay_1ot74sNcYXO7yJ","amount":"12.50"}}}`,
			want: []string{"evt_9a8b7c6d5e", "pay_1ot74sNcYXO7yJ"}},
		{name: "keyed ids without a digit", body: `{"id":"pay_QzZXORSTiGmmmC","job_id":"jobXyzAbcQrs","a_id":"Defaults","b_id":"succeeded","c_id":"payment_method_x"}`,
			want: []string{"pay_QzZXORSTiGmmmC", "jobXyzAbcQrs", "payment_method_x"}},
		{name: "keys ending in _id, Id and ID", body: `{"payment_id":"p12345","jobId":"j-99999","userID":"u:123456","Id":"short1"}`,
			want: []string{"p12345", "j-99999", "u:123456", "short1"}},
		{name: "keyed values that are not ids", body: `{"id":"default","order_id":"12.50","ts_id":"1765071025","ms_id":"1765071025123",
			"x_id":"2026-12-07T01:29:25Z","y_id":"http://a/b1234567","n_id":12345678,"z_id":"12345","w_id":"has space 1"}`},
		{name: "uuid anywhere", body: `{"ref":"see 3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f please"}`,
			want: []string{"3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f"}},
		{name: "ids in arrays", body: `{"items":[{"id":"item_00000001"},{"id":"item_00000002"}]}`,
			want: []string{"item_00000001", "item_00000002"}},
		{name: "timestamps", body: `{"a":"2026-12-07T01:29:25Z","b":"2026-12-07T01:29:25.123+01:00","c":"2026-12-07","d":1765071025,"e":"1765071025123","f":"2026-12-07 01:29:25"}`},
		{name: "words, amounts, urls, emails", body: `{"note":"Description of a payment, amount 1200.00 EUR, see https://example.com/v1/payments/pay_abc12345 or /v1/jobs/job_12345678 mail alice1234@example.com",
			"algo":"HMAC-SHA256","charset":"ISO-8859-1","ua":"Mozilla/5.0 (X11; Linux x86_64)"}`},
		{name: "text body", body: "payment_id=pay_12345678&amount=1200&status=ok",
			want: []string{"pay_12345678"}},
		{name: "not JSON after all", body: "{job_abcdef12 broken",
			want: []string{"job_abcdef12"}},
		{name: "headers", header: http.Header{
			"X-Request-Id":       {"req_7Hs62kLq0"},
			"X-Hooklab-Delivery": {"msg_2kd93jf83"},
			"Stripe-Signature":   {"t=1765071025,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"},
			"Cookie":             {"session=sess_abc12345678"},
			"Authorization":      {"Bearer tok_12345678abc"},
			"Date":               {"Mon, 07 Dec 2026 01:29:25 GMT"},
			"Location":           {"/v1/payments/pay_1ot74sNcYXO7yJ"},
			"User-Agent":         {"Hooklab-Sandbox/1.0 go1.26"},
			"X-Timestamp":        {"1765071025"},
		}, want: []string{"req_7Hs62kLq0", "msg_2kd93jf83"}},
		{name: "edges of tokens", body: "_abc12345 abc12345- abcdefgh 12345678 a1234567 a123456",
			want: []string{"a1234567"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Identifiers(tc.header, []byte(tc.body))
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Identifiers:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestIdentifiersBounded(t *testing.T) {
	var b []byte
	b = append(b, '[')
	for i := range 500 {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, []byte(`{"id":"item_`+string(rune('a'+i%26))+itoa(i)+`x0"}`)...)
	}
	b = append(b, ']')
	if got := FromBody(b); len(got) != MaxIDs {
		t.Fatalf("%d identifiers, want MaxIDs (%d)", len(got), MaxIDs)
	}
}

func itoa(i int) string {
	s := ""
	for {
		s = string(rune('0'+i%10)) + s
		if i /= 10; i == 0 {
			return s
		}
	}
}

func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{
		`{"id":"pay_1ot74sNcYXO7yJ","data":{"object":{"payment_id":"p12345"}}}`,
		"2026-12-07T01:29:25Z job_12345678 https://x/y a@b.c",
		"[1,2,{\"jobId\":\"j-99999\"}]",
		"\xff\xfe{",
	} {
		f.Add(s, "req_7Hs62kLq0")
	}
	f.Fuzz(func(t *testing.T, body, header string) {
		ids := Identifiers(http.Header{"X-Request-Id": {header}}, []byte(body))
		if len(ids) > MaxIDs {
			t.Fatalf("%d identifiers", len(ids))
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("%q twice", id)
			}
			seen[id] = true
			if len(id) < minKeyed || len(id) > maxLen || timestamp(id) {
				t.Fatalf("%q is not an identifier", id)
			}
		}
	})
}
