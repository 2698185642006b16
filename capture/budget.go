package capture

import (
	"net/http"
	"strconv"
	"sync"
)

// DefaultBodyBudget is how many bytes of request bodies the catcher holds
// in memory at once, across all its connections (256 MiB).
const DefaultBodyBudget = 256 << 20

// BudgetRetryAfter is the Retry-After, in seconds, of the 503 a sender
// gets while the body budget is spent: bodies in flight are stored and
// let go within a few seconds (or cut off by the minimum body rate).
const BudgetRetryAfter = 5

// BodyBudget bounds the bytes of request bodies held in memory at once.
// A request reserves what its body will take before reading it (its
// Content-Length, up to the body limit, or step by step when the length
// is not declared) and releases it once its capture is stored; a request
// that finds the budget spent is answered 503 with Retry-After and its
// body is not read. Safe for concurrent use.
type BodyBudget struct {
	mu    sync.Mutex
	limit int64
	used  int64
}

// NewBodyBudget returns a budget of limit bytes; 0 or less means
// DefaultBodyBudget.
func NewBodyBudget(limit int64) *BodyBudget {
	if limit <= 0 {
		limit = DefaultBodyBudget
	}
	return &BodyBudget{limit: limit}
}

// Limit is the budget's size in bytes.
func (b *BodyBudget) Limit() int64 { return b.limit }

// InUse is how many bytes are reserved now.
func (b *BodyBudget) InUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// reserve takes n bytes of the budget, or nothing and false when that
// would go past its limit.
func (b *BodyBudget) reserve(n int64) bool {
	if n <= 0 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

func (b *BodyBudget) release(n int64) {
	if n <= 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// writeBudgetSpent answers a request whose body did not fit the budget:
// 503, Retry-After, and the connection closed, since the body was not
// read.
func writeBudgetSpent(w http.ResponseWriter) {
	_, h, b := ackResponse(http.StatusServiceUnavailable, ack{Error: "too many request bodies in flight; try again in " + strconv.Itoa(BudgetRetryAfter) + " seconds"})
	h.Set("Retry-After", strconv.Itoa(BudgetRetryAfter))
	h.Set("Connection", "close")
	writeResponse(w, http.StatusServiceUnavailable, h, b)
}
