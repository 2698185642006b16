package workspace

import (
	"errors"
	"io"
	"log"
	"net/http"
	"strings"
	"testing"

	"hooklab/capture"
)

var quiet = log.New(io.Discard, "", 0)

// serveTest serves the workspace on free ports.
func serveTest(t *testing.T, w *Workspace, o ServeOptions) Serving {
	t.Helper()
	o.Addr, o.SandboxAddr, o.Logger = "127.0.0.1:0", "127.0.0.1:0", quiet
	s, err := w.Serve(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// post sends a request to url and returns the status it got.
func post(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Post(url, "text/plain", strings.NewReader("hi"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestRapidRuleEditsEndInTheLast is the regression test for rule edits
// that landed out of order: many edits of one endpoint, made without
// waiting, leave the last one stored and answering.
func TestRapidRuleEditsEndInTheLast(t *testing.T) {
	w := openTest(t, t.TempDir())
	s := serveTest(t, w, ServeOptions{})
	ev := subscribe(t, w)
	var results []<-chan error
	for i := range 100 {
		results = append(results, w.SetRule(capture.Rule{Endpoint: "github", Status: 200 + i}))
	}
	for i, r := range results {
		if err := <-r; err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
	}
	rules, err := w.Rules().Rules()
	if err != nil || len(rules) != 1 || rules[0].Status != 299 {
		t.Fatalf("rules %+v, %v; want github answering 299", rules, err)
	}
	if got := post(t, s.CatcherURL+"github/push"); got != 299 {
		t.Fatalf("the catcher answered %d, want the last edit's 299", got)
	}
	// The rules as the last RulesChanged says they are.
	lastRules := func(l []Event) []capture.Rule {
		var rules []capture.Rule
		for _, e := range l {
			if rc, ok := e.(RulesChanged); ok {
				rules = rc.Rules
			}
		}
		return rules
	}
	got := ev.until("the last RulesChanged", func(l []Event) bool {
		r := lastRules(l)
		return len(r) == 1 && r[0].Status == 299
	})
	prev := 0
	for _, e := range got {
		rc, ok := e.(RulesChanged)
		if !ok {
			continue
		}
		if rc.Err != nil || len(rc.Rules) != 1 || rc.Rules[0].Status <= prev {
			t.Fatalf("RulesChanged %+v after one with status %d: want edits applied in order", rc, prev)
		}
		prev = rc.Rules[0].Status
	}

	if err := <-w.DeleteRule("github"); err != nil {
		t.Fatal(err)
	}
	if got := post(t, s.CatcherURL+"github/push"); got != 200 {
		t.Fatalf("after the delete the catcher answered %d, want the default 200", got)
	}
}

func TestRuleEditErrors(t *testing.T) {
	w := openTest(t, t.TempDir())
	var re *capture.RuleError
	if err := <-w.SetRule(capture.Rule{Endpoint: "a/b", Status: 200}); !errors.As(err, &re) || re.Field != "Endpoint" {
		t.Fatalf("an invalid rule: %v, want a RuleError on Endpoint", err)
	}
	w.Stop()
	if err := <-w.SetRule(capture.Rule{Endpoint: "ok", Status: 200}); !errors.Is(err, ErrStopped) {
		t.Fatalf("SetRule after Stop = %v, want ErrStopped", err)
	}
	if rules, _ := w.Rules().Rules(); len(rules) != 0 {
		t.Fatalf("rules %+v stored after Stop", rules)
	}
}
