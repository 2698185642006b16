package workspace

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/capture/signature"
	"hooklab/sandbox"
	"hooklab/workspace/poll"
)

func signedPost(t *testing.T, url string, c signature.Config, body string) {
	t.Helper()
	h, err := signature.Sign(c, signature.Message{ID: "msg_1", Time: time.Now(), Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

// Schemes set on endpoints judge captures as they arrive; the saved ones
// live in a 0600 file of the data directory, the --verify ones do not.
func TestVerificationPerEndpoint(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir)
	gh := signature.Config{Scheme: signature.GitHub, Secret: "gh-secret"}
	if err := w.SetVerification("/github", &gh); err != nil {
		t.Fatal(err)
	}
	_, flagCfg, err := ParseVerifyFlag("/stripe=stripe:whsec_flag")
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.Serve(ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Logger: quiet,
		Verify: map[string]signature.Config{"stripe": flagCfg}})
	if err != nil {
		t.Fatal(err)
	}
	signedPost(t, s.CatcherURL+"github/push", gh, `{"ref":"main"}`)
	signedPost(t, s.CatcherURL+"github/push", signature.Config{Scheme: signature.GitHub, Secret: "other"}, `{"ref":"main"}`)
	signedPost(t, s.CatcherURL+"stripe", flagCfg, `{"type":"charge.succeeded"}`)
	signedPost(t, s.CatcherURL+"plain", gh, `{}`)

	var list []capture.Summary
	poll.Until(t, "four captures", func() bool { list, _ = w.Store().List(capture.Filter{}, 0, 10); return len(list) == 4 })
	want := []string{"", "valid", "invalid: " + string(signature.Mismatch), "valid"}
	for i, sum := range list {
		if got := sum.Signature.String(); got != want[i] {
			t.Errorf("capture %d (%s): %q, want %q", i, sum.Path, got, want[i])
		}
	}
	if list[1].Event != "charge.succeeded" {
		t.Errorf("event %q", list[1].Event)
	}

	path := filepath.Join(dir, VerifyFileName)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v", path, info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte("gh-secret")) || bytes.Contains(data, []byte("whsec_flag")) {
		t.Errorf("saved file: %s", data)
	}
	if got := w.VerifiedEndpoints(); strings.Join(got, ",") != "github,stripe" {
		t.Errorf("endpoints %v", got)
	}
	if err := w.SetVerification("github", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := w.Verifications()["github"]; ok {
		t.Error("github still verified after removing it")
	}
}

func TestSavedVerificationIsReadBack(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	c := signature.Config{Scheme: signature.HMAC, Secret: "k", Header: "X-Sig", Alg: "sha512", Enc: "base64", Prefix: "p=", Tolerance: -1}
	if err := w.SetVerification("hooks", &c); err != nil {
		t.Fatal(err)
	}
	w.Close()
	w2 := openTest(t, dir)
	if got := w2.Verifications()["hooks"]; got != c {
		t.Fatalf("read back %+v, want %+v", got, c)
	}
}

// The sandbox's deliveries verify on whatever endpoint they reach, with
// the secret of this run; Tamper breaks the next one.
func TestSandboxDeliveriesVerify(t *testing.T) {
	w := openTest(t, t.TempDir())
	s, err := w.Serve(ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Logger: quiet,
		Sandbox: sandbox.Options{CreatedDelay: time.Millisecond, SucceededDelay: 2 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	pay := func() {
		res, err := http.Post(s.SandboxURL+"v1/payments", "application/json",
			strings.NewReader(`{"amount":5,"currency":"usd","callback_url":"`+s.CatcherURL+`payments"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	pay()
	var list []capture.Summary
	poll.Until(t, "two webhooks", func() bool { list, _ = w.Store().List(capture.Filter{}, 0, 10); return len(list) == 2 })
	if err := w.TamperNextWebhook(); err != nil {
		t.Fatal(err)
	}
	pay()
	poll.Until(t, "four webhooks", func() bool { list, _ = w.Store().List(capture.Filter{}, 0, 10); return len(list) == 4 })
	// Newest first: the tampered one is the third from the top.
	for i, sum := range list {
		want := "valid"
		if i == 1 {
			want = "invalid: " + string(signature.Mismatch)
		}
		if sum.Signature.String() != want || sum.Signature.Scheme != string(signature.StandardWebhooks) {
			t.Errorf("webhook %d (%s): %+v, want %s", i, sum.Event, sum.Signature, want)
		}
	}
	if list[3].Event != "payment.created" || list[2].Event != "payment.succeeded" {
		t.Errorf("events %q %q", list[3].Event, list[2].Event)
	}
}

func TestParseVerifyFlag(t *testing.T) {
	ep, c, err := ParseVerifyFlag("/stripe=stripe:whsec_a=b")
	if err != nil || ep != "stripe" || c.Secret != "whsec_a=b" {
		t.Fatalf("%q %+v %v", ep, c, err)
	}
	for _, v := range []string{"stripe", "=stripe:x", "/x=nope:secret1"} {
		_, _, err := ParseVerifyFlag(v)
		if err == nil || strings.Contains(err.Error(), "secret1") {
			t.Errorf("ParseVerifyFlag(%q): %v", v, err)
		}
	}
}

// Judging a capture again later compares its signed timestamp with when
// it arrived, not with now: a day-old capture is not stale for being kept.
func TestVerifyAgainJudgesAsOfArrival(t *testing.T) {
	w := openTest(t, t.TempDir())
	cfg := signature.Config{Scheme: signature.Stripe, Secret: "whsec_x"}
	if err := w.SetVerification("/stripe", &cfg); err != nil {
		t.Fatal(err)
	}
	arrived := time.Now().Add(-24 * time.Hour).Truncate(time.Second)
	body := []byte(`{"type":"charge.succeeded"}`)
	h, err := signature.Sign(cfg, signature.Message{Time: arrived.Add(-7*time.Minute - 12*time.Second), Body: body})
	if err != nil {
		t.Fatal(err)
	}
	c := &capture.Capture{Path: "/stripe", Header: h, Body: body, Time: arrived}
	if got := w.Verify(c).String(); !strings.Contains(got, "signed 7m12s old, tolerance 5m0s") {
		t.Errorf("7m12s before arrival: %q", got)
	}
	h, _ = signature.Sign(cfg, signature.Message{Time: arrived, Body: body})
	c.Header = h
	if got := w.Verify(c).String(); got != "valid" {
		t.Errorf("signed on arrival, judged a day later: %q", got)
	}
}
