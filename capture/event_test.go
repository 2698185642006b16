package capture

import (
	"net/http"
	"strings"
	"testing"
)

func TestEventType(t *testing.T) {
	js := "application/json"
	cases := []struct {
		name   string
		header http.Header
		body   string
		want   string
	}{
		{"github header", http.Header{"X-Github-Event": {"push"}, "Content-Type": {js}}, `{"action":"opened"}`, "push"},
		{"shopify header", http.Header{"X-Shopify-Topic": {"orders/create"}}, `{"type":"x"}`, "orders/create"},
		{"stripe body", http.Header{"Stripe-Signature": {"t=1,v1=00"}, "Content-Type": {js}}, `{"object":"event","type":"payment_intent.succeeded","data":{"object":{"type":"card"}}}`, "payment_intent.succeeded"},
		{"standard webhooks body", http.Header{"Webhook-Signature": {"v1,AA"}}, `{"type":"invoice.paid","event":{"type":"no"}}`, "invoice.paid"},
		{"slack event callback", http.Header{"Content-Type": {js}}, `{"type":"event_callback","event":{"type":"app_mention","text":"hi"}}`, "app_mention"},
		{"slack command", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "token=x&command=%2Fdeploy&text=now", "/deploy"},
		{"form without command", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "type=x", ""},
		{"generic type", nil, ` {"type":"user.created"}`, "user.created"},
		{"generic event", nil, `{"event":"order.shipped","type":12}`, "order.shipped"},
		{"generic action", nil, `{"action":"closed"}`, "closed"},
		{"nothing", nil, `{"id":1}`, ""},
		{"array", nil, `[{"type":"x"}]`, ""},
		{"not json", nil, `type=x`, ""},
		{"broken json", nil, `{"type":"x"`, ""},
		{"long value clipped", nil, `{"type":"` + strings.Repeat("é", 150) + `"}`, strings.Repeat("é", 100)},
		{"clipped inside a rune", nil, `{"type":"a` + strings.Repeat("€", 80) + `"}`, "a" + strings.Repeat("€", 66)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			if got := EventType(&Capture{Header: h, Body: []byte(tc.body)}); got != tc.want {
				t.Fatalf("EventType = %q, want %q", got, tc.want)
			}
		})
	}
	big := `{"type":"x","pad":"` + strings.Repeat("a", maxEventBody) + `"}`
	if got := EventType(&Capture{Header: http.Header{}, Body: []byte(big)}); got != "" {
		t.Errorf("a body over 1 MiB gave %q", got)
	}
}
