package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hooklab/capture/signature"
	"hooklab/workspace/poll"
)

func TestJobAnswers202ThenSendsProgressAndCompletedInOrder(t *testing.T) {
	now := time.Unix(1700000000, 0)
	// The first attempt of each event fails, so every event is retried:
	// the order must hold all the same.
	attempts := map[string]int{}
	rc := newRawReceiverFunc(t, func(in signature.Input) int {
		var ev JobEvent
		_ = json.Unmarshal(in.Body, &ev)
		attempts[ev.ID]++
		if attempts[ev.ID] == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	s, _ := newSandbox(t, Options{Now: func() time.Time { return now }})
	rec := do(t, s, "POST", "/v1/jobs", `{"name":"export","callback_url":"`+rc.URL+`/jobs"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	job := decode[Job](t, rec)
	if !strings.HasPrefix(job.ID, "job_") || job.Status != "queued" || job.Name != "export" || job.Progress != 0 || job.Object != "job" {
		t.Fatalf("job %+v", job)
	}
	poll.Until(t, "eight attempts", func() bool { return len(rc.deliveries()) == 8 })
	var got []string
	for i, in := range rc.deliveries() {
		if i%2 == 0 {
			continue // the failed first attempts
		}
		var ev JobEvent
		if err := json.Unmarshal(in.Body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Data.Object.ID != job.ID || in.Header.Get("X-Hooklab-Event") != ev.Type {
			t.Errorf("event %+v, headers %v", ev, in.Header)
		}
		if r := signature.Verify(s.Signing(), in, now); !r.Valid {
			t.Errorf("%s: %v", ev.Type, r)
		}
		got = append(got, ev.Type+"/"+ev.Data.Object.Status+"/"+itoa(ev.Data.Object.Progress))
	}
	want := "job.progress/running/25 job.progress/running/50 job.progress/running/75 job.completed/completed/100"
	if strings.Join(got, " ") != want {
		t.Errorf("events %q, want %q", got, want)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestScenarioRequestsAreValidated(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	for _, c := range []struct{ path, body, field string }{
		{"/v1/jobs", ``, ""},
		{"/v1/jobs", `[]`, ""},
		{"/v1/jobs", `{}`, "callback_url"},
		{"/v1/jobs", `{"callback_url":"ftp://x/"}`, "callback_url"},
		{"/v1/jobs", `{"callback_url":"http://x/","name":3}`, "name"},
		{"/v1/repos/o/r/push", `{"ref":"main"}`, "callback_url"},
		{"/v1/repos/o/r/push", `{"callback_url":"http://x/","ref":"a b"}`, "ref"},
		{"/v1/repos/o/r/push", `{"callback_url":"http://x/","message":[]}`, "message"},
		{"/v1/repos/o%20o/r/push", `{"callback_url":"http://x/"}`, "owner"},
	} {
		rec := do(t, s, "POST", c.path, c.body)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s %s: status %d", c.path, c.body, rec.Code)
			continue
		}
		e := decode[errorBody](t, rec).Error
		if e.Type != "invalid_request" || e.Field == nil || *e.Field != c.field {
			t.Errorf("%s %s: %+v, want field %q", c.path, c.body, e, c.field)
		}
	}
	if rec := do(t, s, "GET", "/v1/jobs", ""); rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET /v1/jobs: %d %v", rec.Code, rec.Header())
	}
}

func TestPushSendsAGitHubSignedPushWebhook(t *testing.T) {
	rc := newRawReceiver(t)
	s, _ := newSandbox(t, Options{})
	rec := do(t, s, "POST", "/v1/repos/octo/hello.world/push", `{"ref":"feature","message":"Fix the bug","callback_url":"`+rc.URL+`/github"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	acc := decode[pushAccepted](t, rec)
	poll.Until(t, "the push", func() bool { return len(rc.deliveries()) == 1 })
	in := rc.deliveries()[0]
	if in.Header.Get("X-GitHub-Event") != "push" || in.Header.Get("X-GitHub-Delivery") != acc.Delivery || len(acc.Delivery) != 36 {
		t.Errorf("headers %v, answer %+v", in.Header, acc)
	}
	if !strings.HasPrefix(in.Header.Get("X-Hub-Signature-256"), "sha256=") || in.Header.Get("webhook-signature") != "" {
		t.Errorf("signature headers %v", in.Header)
	}
	cfg := s.SigningFor(in.Header)
	if cfg.Scheme != signature.GitHub || cfg.Secret != s.Signing().Secret {
		t.Errorf("SigningFor a push: %+v", cfg)
	}
	if r := signature.Verify(cfg, in, time.Now()); !r.Valid {
		t.Errorf("push signature: %v", r)
	}
	var ev PushEvent
	if err := json.Unmarshal(in.Body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Ref != "refs/heads/feature" || ev.Repository.FullName != "octo/hello.world" || ev.After != acc.After ||
		len(ev.Commits) != 1 || ev.Commits[0].Message != "Fix the bug" || ev.HeadCommit.ID != ev.After || ev.Pusher.Name == "" || len(ev.Before) != 40 {
		t.Errorf("push payload %+v", ev)
	}
	if got := s.SigningFor(http.Header{}); got != s.Signing() {
		t.Errorf("SigningFor another delivery: %+v", got)
	}
	s.Tamper()
	do(t, s, "POST", "/v1/repos/octo/hello/push", `{"callback_url":"`+rc.URL+`/github"}`)
	poll.Until(t, "the second push", func() bool { return len(rc.deliveries()) == 2 })
	if r := signature.Verify(cfg, rc.deliveries()[1], time.Now()); r.Reason != signature.Mismatch {
		t.Errorf("tampered push: %v", r)
	}
}

func TestScenariosRefusedAfterClose(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	s.Close()
	for _, path := range []string{"/v1/jobs", "/v1/repos/o/r/push"} {
		if rec := do(t, s, "POST", path, `{"callback_url":"http://127.0.0.1:1/"}`); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s after Close: %d", path, rec.Code)
		}
	}
}

// newRawReceiverFunc is a rawReceiver that answers with respond's status.
func newRawReceiverFunc(t *testing.T, respond func(signature.Input) int) *rawReceiver {
	rc := &rawReceiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		in := signature.Input{Header: r.Header.Clone(), Body: body}
		rc.mu.Lock()
		rc.got = append(rc.got, in)
		status := respond(in)
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}
