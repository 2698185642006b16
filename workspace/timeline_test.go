package workspace

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/capture/signature"
	"hooklab/requester/history"
	"hooklab/workspace/link"
	"hooklab/workspace/poll"
)

// describe is an arrow as a line a test can compare.
func describe(a Arrow) string {
	switch a.Kind {
	case ArrowRequest:
		return fmt.Sprintf("request %s %s", a.Call.Method, a.Call.Path())
	case ArrowResponse:
		if a.Call.Status == 0 {
			return "no response: " + a.Call.Err
		}
		return fmt.Sprintf("response %d %v", a.Call.Status, a.Call.Duration)
	case ArrowWebhook:
		return fmt.Sprintf("webhook %s %s +%v by %d", a.Capture.Event, a.Capture.Signature, a.Capture.Delay, a.Call.ID)
	}
	return fmt.Sprintf("unlinked %s %s %s", a.Capture.Method, a.Capture.Path, a.Capture.Event)
}

func TestBuildTimeline(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 12, 1, 2, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	pay := history.Summary{ID: 1, Time: at(0), Method: "POST", URL: "http://127.0.0.1:8089/v1/payments", Status: 201, Duration: 14 * time.Millisecond}
	failed := history.Summary{ID: 2, Time: at(500), Method: "GET", URL: "http://127.0.0.1:1/x?a=1", Err: "connection refused", Duration: 3 * time.Millisecond}
	valid := &capture.Verdict{Scheme: "stripe", Valid: true}
	invalid := &capture.Verdict{Scheme: "stripe", Reason: "signature mismatch"}
	unsigned := &capture.Verdict{Scheme: "stripe", Reason: string(signature.NoSignature)}
	created := capture.Summary{ID: "c1", Time: at(20), Method: "POST", Path: "/payments", Event: "payment.created", Signature: valid}
	succeeded := capture.Summary{ID: "c2", Time: at(1200), Method: "POST", Path: "/payments", Event: "payment.succeeded", Signature: invalid}
	stray := capture.Summary{ID: "c3", Time: at(600), Method: "POST", Path: "/github", Event: "push", Signature: unsigned}
	early := capture.Summary{ID: "c4", Time: at(5), Method: "POST", Path: "/payments", Event: "payment.created"}
	cause := func(c capture.Summary, h history.Summary) link.Link {
		return link.Link{CaptureID: c.ID, CaptureTime: c.Time, SharedID: "pay_1ot74sNcYXO7yJ",
			Request: link.Request{ID: h.ID, Time: h.Time, Method: h.Method, URL: h.URL, Status: h.Status}}
	}
	oldCall := history.Summary{ID: 9, Time: t0.Add(-time.Hour), Method: "POST", URL: "http://api.example/v1/payments", Status: 201}

	tests := []struct {
		name    string
		calls   []history.Summary
		caps    []capture.Summary
		causes  map[string]link.Link
		limit   int
		want    []string
		earlier bool
	}{
		{name: "nothing"},
		{
			name:   "the demo round trip",
			calls:  []history.Summary{pay},
			caps:   []capture.Summary{succeeded, created}, // newest first, as the store lists them
			causes: map[string]link.Link{"c1": cause(created, pay), "c2": cause(succeeded, pay)},
			want: []string{
				"request POST /v1/payments",
				"response 201 14ms",
				"webhook payment.created valid +20ms by 1",
				"webhook payment.succeeded invalid +1.2s by 1",
			},
		},
		{
			name:   "a webhook before its response is drawn before it",
			calls:  []history.Summary{pay},
			caps:   []capture.Summary{early},
			causes: map[string]link.Link{"c4": cause(early, pay)},
			want:   []string{"request POST /v1/payments", "webhook payment.created  +5ms by 1", "response 201 14ms"},
		},
		{
			name:   "unlinked captures and a failed call",
			calls:  []history.Summary{failed, pay},
			caps:   []capture.Summary{stray, created},
			causes: map[string]link.Link{"c1": cause(created, pay)},
			want: []string{
				"request POST /v1/payments",
				"response 201 14ms",
				"webhook payment.created valid +20ms by 1",
				"request GET /x?a=1",
				"no response: connection refused",
				"unlinked POST /github push",
			},
		},
		{
			name:   "a cause older than the timeline",
			caps:   []capture.Summary{created},
			causes: map[string]link.Link{"c1": cause(created, oldCall)},
			want:   []string{"webhook payment.created valid +1h0m0.02s by 9"},
		},
		{
			name:    "the newest arrows up to the limit",
			calls:   []history.Summary{pay},
			caps:    []capture.Summary{succeeded, created},
			causes:  map[string]link.Link{"c1": cause(created, pay), "c2": cause(succeeded, pay)},
			limit:   2,
			want:    []string{"webhook payment.created valid +20ms by 1", "webhook payment.succeeded invalid +1.2s by 1"},
			earlier: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := BuildTimeline(t0, tt.calls, tt.caps, tt.causes, tt.limit)
			var got []string
			for _, a := range tl.Arrows {
				got = append(got, describe(a))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("arrows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tl.Earlier != tt.earlier || tl.Empty() != (len(tt.want) == 0) {
				t.Errorf("earlier %v, empty %v", tl.Earlier, tl.Empty())
			}
		})
	}
}

func TestSignatureStateOf(t *testing.T) {
	for _, tt := range []struct {
		v    *capture.Verdict
		want string
	}{
		{nil, ""},
		{&capture.Verdict{Scheme: "github", Valid: true}, "valid"},
		{&capture.Verdict{Scheme: "github", Reason: "signature mismatch"}, "invalid"},
		{&capture.Verdict{Scheme: "github", Reason: string(signature.NoSignature)}, "unsigned"},
	} {
		if got := SignatureStateOf(tt.v).String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestCallPath(t *testing.T) {
	for url, want := range map[string]string{
		"http://127.0.0.1:8089/v1/payments": "/v1/payments",
		"https://api.example/v1/x?limit=2":  "/v1/x?limit=2",
		"https://api.example":               "/",
		"{{sandbox_url}}/v1/payments":       "{{sandbox_url}}/v1/payments",
		"http://[::1]:80/a%20b":             "/a%20b",
	} {
		if got := (TimelineCall{URL: url}).Path(); got != want {
			t.Errorf("%s: %q, want %q", url, got, want)
		}
	}
}

// The demo round trip, read back: one request, its response, the two
// webhooks it caused with their delays; a capture sent by someone else
// is drawn on its own, and --since leaves older arrows out.
func TestTimelineOfTheDemoRoundTrip(t *testing.T) {
	w := openTest(t, t.TempDir())
	s := serveTest(t, w, ServeOptions{Sandbox: fastSandbox})
	resp, err := w.Send(context.Background(), "t", ExampleRequest(), w.Vars(), "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	var tl Timeline
	poll.Until(t, "the timeline of one payment", func() bool {
		tl, err = w.Timeline(context.Background(), time.Time{}, 0)
		return err == nil && tl.Count(ArrowWebhook) == 2
	}, func() string { return fmt.Sprintf("%+v %v", tl, err) })
	if tl.Count(ArrowRequest) != 1 || tl.Count(ArrowResponse) != 1 || tl.Count(ArrowUnlinked) != 0 || len(tl.Arrows) != 4 {
		t.Fatalf("arrows %+v", tl.Arrows)
	}
	if a := tl.Arrows[0]; a.Kind != ArrowRequest || a.Call.Method != "POST" || a.Call.Path() != "/v1/payments" {
		t.Errorf("first arrow %+v", a)
	}
	events := map[string]bool{}
	for _, a := range tl.Arrows {
		switch a.Kind {
		case ArrowResponse:
			if a.Call.Status != 201 || a.Call.Duration <= 0 {
				t.Errorf("response %+v", a.Call)
			}
		case ArrowWebhook:
			events[a.Capture.Event] = true
			if a.Capture.Signature != SignatureValid || a.Capture.Delay <= 0 || a.Call.ID != tl.Arrows[0].Call.ID || a.Capture.SharedID == "" {
				t.Errorf("webhook %+v caused by %+v", a.Capture, a.Call)
			}
		}
	}
	if !events["payment.created"] || !events["payment.succeeded"] {
		t.Errorf("webhooks %v", events)
	}

	post(t, s.CatcherURL+"elsewhere")
	poll.Until(t, "an unlinked capture", func() bool {
		tl, err = w.Timeline(context.Background(), time.Time{}, 0)
		return err == nil && tl.Count(ArrowUnlinked) == 1
	})
	if a := tl.Arrows[len(tl.Arrows)-1]; a.Kind != ArrowUnlinked || a.Capture.Path != "/elsewhere" {
		t.Errorf("last arrow %+v", a)
	}
	later, err := w.Timeline(context.Background(), tl.Arrows[len(tl.Arrows)-1].Time, 0)
	if err != nil || len(later.Arrows) != 1 || later.Arrows[0].Kind != ArrowUnlinked {
		t.Errorf("since the last capture: %+v, %v", later, err)
	}
	few, err := w.Timeline(context.Background(), time.Time{}, 2)
	if err != nil || len(few.Arrows) != 2 || !few.Earlier {
		t.Errorf("limited to 2: %+v, %v", few, err)
	}
}

// BenchmarkTimeline: reading the timeline of 2,000 captures and 1,000
// requests (each capture's cause looked up by its id), as the window
// does on a change.
func BenchmarkTimeline(b *testing.B) {
	w, err := Open(Options{DataDir: b.TempDir(), History: true})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	t0 := time.Now().Add(-time.Hour)
	for i := range 1000 {
		if _, err := w.History().Add(history.Entry{Time: t0.Add(time.Duration(i) * time.Second), Method: "POST", URL: "http://127.0.0.1:8089/v1/payments", Status: 201}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 2000 {
		at := t0.Add(time.Duration(i) * time.Second)
		c := &capture.Capture{ID: capture.NewID(at), Time: at, Method: "POST", Path: "/payments", Status: 200, Body: []byte(`{}`), BodySize: 2}
		if err := w.Store().Add(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		tl, err := w.Timeline(context.Background(), time.Time{}, 0)
		if err != nil || len(tl.Arrows) != 4000 {
			b.Fatalf("%d arrows, %v", len(tl.Arrows), err)
		}
	}
}
