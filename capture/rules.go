package capture

import (
	"net/http"
	"time"
)

// Rule is how the catcher answers on one endpoint, so a user can test
// how a sender handles a 500 or a slow answer.
type Rule struct {
	Endpoint string // as Endpoint returns: "github", or "/" for the root path
	Status   int
	Header   http.Header
	// Body may hold {{capture.id}} and {{request.header.X-Name}}.
	Body  string
	Delay time.Duration // 0–30 s
}

// RuleStore keeps response rules, one per endpoint.
type RuleStore interface {
	Rules() ([]Rule, error) // sorted by endpoint
	SetRule(r Rule) error   // adds or replaces the rule of r.Endpoint
	DeleteRule(endpoint string) error
}
