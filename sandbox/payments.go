package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	maxBodyBytes = 1 << 20
	maxStored    = 10_000
	// maxStoredBytes bounds the bytes of the payments kept (their
	// descriptions, metadata and callback URLs): 500 payments of 1 MiB
	// would otherwise stay in memory.
	maxStoredBytes = 32 << 20
	maxListed      = 100

	statusPending   = "pending"
	statusSucceeded = "succeeded"
)

// Payment is a payment as the API returns it and as events carry it.
type Payment struct {
	ID          string            `json:"id"`
	Object      string            `json:"object"`
	Amount      int64             `json:"amount"`
	Currency    string            `json:"currency"`
	Status      string            `json:"status"`
	CallbackURL string            `json:"callback_url"`
	Created     int64             `json:"created"`
	Description string            `json:"description,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	p, apiErr := parsePayment(body)
	if apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	p.ID = newID("pay_")
	p.Object = "payment"
	p.Status = statusPending
	p.Created = s.opts.Now().Unix()

	start := time.Now()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, apiError{Type: "unavailable", Message: "the sandbox is shutting down"})
		return
	}
	if apiErr := s.checkCallback(p.CallbackURL); apiErr != nil {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	held := p.size()
	if s.pending > 0 && s.pending+held > s.opts.PendingBytes {
		// Deliveries still retrying hold their payments: a dead callback
		// and a steady stream of payments must not grow without bound.
		s.mu.Unlock()
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, apiError{Type: "busy", Message: fmt.Sprintf(
			"the sandbox holds %d MiB of webhooks not delivered yet (a callback that does not answer?); try again later", s.pending>>20)})
		return
	}
	s.pending += held
	s.payments.add(p)
	created := *p
	// Registering the goroutine under mu, after the closed check, keeps
	// Close's Wait from racing with a late Add.
	s.wg.Go(func() { s.deliverEvents(created, start, held) })
	s.mu.Unlock()

	w.Header().Set("Location", "/v1/payments/"+created.ID)
	writeJSON(w, http.StatusCreated, created)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	p, ok := s.payments.get(id)
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, apiError{Type: "not_found", Message: "no payment " + id})
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	data := s.payments.newest(maxListed)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		Object string    `json:"object"`
		Data   []Payment `json:"data"`
	}{"list", data})
}

// markSucceeded sets the stored payment's status and returns it as it now
// is. A payment evicted from the store still succeeds, so its webhook goes
// out (without its description and metadata, which went with it).
func (s *Server) markSucceeded(p Payment) Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.payments.byID[p.ID]; ok {
		stored.Status = statusSucceeded
		return *stored
	}
	p.Status = statusSucceeded
	return p
}

// parsePayment validates a create request body and returns the payment it
// describes, or the invalid_request error naming the first bad field.
func parsePayment(body []byte) (*Payment, *apiError) {
	fail := func(field, format string, args ...any) (*Payment, *apiError) {
		e := invalidRequest(field, fmt.Sprintf(format, args...))
		return nil, &e
	}
	fields, apiErr := parseObject(body, "amount, currency and callback_url")
	if apiErr != nil {
		return nil, apiErr
	}
	p := &Payment{}

	raw, ok := present(fields, "amount")
	if !ok {
		return fail("amount", "amount is required: an integer in minor units, e.g. 1200 for 12.00")
	}
	if k := kindOf(raw); k != "a number" {
		return fail("amount", "amount must be an integer in minor units, got %s", k)
	}
	amount, err := strconv.ParseInt(string(raw), 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return fail("amount", "amount %s is out of range", raw)
	case err != nil:
		return fail("amount", "amount must be a whole number of minor units (e.g. 1200 for 12.00), got %s", raw)
	case amount <= 0:
		return fail("amount", "amount must be greater than 0, got %d", amount)
	}
	p.Amount = amount

	currency, apiErr := stringField(fields, "currency")
	switch {
	case apiErr != nil:
		return nil, apiErr
	case currency == "":
		return fail("currency", "currency is required: a 3-letter ISO 4217 code such as \"eur\"")
	case !isThreeLetters(currency):
		return fail("currency", "currency must be a 3-letter ISO 4217 code such as \"eur\", got %q", currency)
	}
	p.Currency = strings.ToLower(currency)

	callback, apiErr := callbackField(fields)
	if apiErr != nil {
		return nil, apiErr
	}
	p.CallbackURL = callback

	if p.Description, apiErr = stringField(fields, "description"); apiErr != nil {
		return nil, apiErr
	}

	if raw, ok := present(fields, "metadata"); ok {
		var values map[string]json.RawMessage
		if err := json.Unmarshal(raw, &values); err != nil {
			return fail("metadata", "metadata must be an object of strings, got %s", kindOf(raw))
		}
		for key, v := range values {
			var value string
			if err := json.Unmarshal(v, &value); err != nil {
				return fail("metadata", "metadata value %q must be a string, got %s", key, kindOf(v))
			}
			if p.Metadata == nil {
				p.Metadata = make(map[string]string, len(values))
			}
			p.Metadata[key] = value
		}
	}
	return p, nil
}

// readBody reads a request body of at most maxBodyBytes, answering the
// error itself when it cannot.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, apiError{
				Type:    "request_too_large",
				Message: "request body is larger than the 1 MiB limit",
			})
			return nil, false
		}
		writeError(w, http.StatusBadRequest, invalidRequest("", "could not read the request body: "+err.Error()))
		return nil, false
	}
	return body, true
}

// parseObject decodes a request body that must be a JSON object; wants
// names its fields for the message on an empty body.
func parseObject(body []byte, wants string) (map[string]json.RawMessage, *apiError) {
	fail := func(format string, args ...any) (map[string]json.RawMessage, *apiError) {
		e := invalidRequest("", fmt.Sprintf(format, args...))
		return nil, &e
	}
	trimmed := bytes.Trim(body, " \t\r\n")
	if len(trimmed) == 0 {
		return fail("request body is empty; send a JSON object with %s", wants)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return fail("request body is not valid JSON: %v (at byte %d)", err, syntax.Offset)
		}
		return fail("request body must be a JSON object, got %s", kindOf(trimmed))
	}
	if fields == nil {
		return fail("request body must be a JSON object, got null")
	}
	return fields, nil
}

// callbackField returns the required callback_url, an absolute http or
// https URL with a host.
func callbackField(fields map[string]json.RawMessage) (string, *apiError) {
	fail := func(format string, args ...any) (string, *apiError) {
		e := invalidRequest("callback_url", fmt.Sprintf(format, args...))
		return "", &e
	}
	callback, apiErr := stringField(fields, "callback_url")
	if apiErr != nil {
		return "", apiErr
	}
	if callback == "" {
		return fail("callback_url is required: the http or https URL that receives the webhooks")
	}
	u, err := url.Parse(callback)
	switch {
	case err != nil:
		return fail("callback_url %q is not a valid URL: %v", callback, errors.Unwrap(err))
	case u.Scheme == "":
		return fail("callback_url %q must be an absolute http or https URL", callback)
	case u.Scheme != "http" && u.Scheme != "https":
		return fail("callback_url must use http or https, not %s", u.Scheme)
	case u.Hostname() == "":
		return fail("callback_url %q has no host", callback)
	}
	return callback, nil
}

// present returns a field's raw value, treating an explicit null as absent.
func present(fields map[string]json.RawMessage, name string) (json.RawMessage, bool) {
	raw, ok := fields[name]
	if !ok || string(raw) == "null" {
		return nil, false
	}
	return raw, true
}

// stringField returns an optional string field, "" when absent or null.
func stringField(fields map[string]json.RawMessage, name string) (string, *apiError) {
	raw, ok := present(fields, name)
	if !ok {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		e := invalidRequest(name, fmt.Sprintf("%s must be a string, got %s", name, kindOf(raw)))
		return "", &e
	}
	return s, nil
}

// kindOf names the type of a JSON value for error messages.
func kindOf(raw []byte) string {
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func isThreeLetters(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns prefix followed by 14 random base62 characters.
func newID(prefix string) string {
	id := make([]byte, 0, len(prefix)+14)
	id = append(id, prefix...)
	var buf [32]byte
	for len(id) < cap(id) {
		rand.Read(buf[:]) // never fails since Go 1.24
		for _, b := range buf {
			// Rejecting bytes ≥ 248 (4×62) keeps every character equally likely.
			if b < 248 && len(id) < cap(id) {
				id = append(id, base62[b%62])
			}
		}
	}
	return string(id)
}

// store keeps the newest payments in memory, at most limit of them and
// limitBytes of their sizes; the Server's mu guards it.
type store struct {
	limit      int
	limitBytes int
	bytes      int
	byID       map[string]*Payment
	order      []string // IDs, oldest first
}

func newStore(limit, limitBytes int) *store {
	return &store{limit: limit, limitBytes: limitBytes, byID: make(map[string]*Payment)}
}

// add stores p, dropping the oldest payments once a limit is passed (but
// never p itself).
func (st *store) add(p *Payment) {
	st.byID[p.ID] = p
	st.order = append(st.order, p.ID)
	st.bytes += p.size()
	for len(st.order) > 1 && (len(st.order) > st.limit || st.bytes > st.limitBytes) {
		old := st.byID[st.order[0]]
		st.bytes -= old.size()
		delete(st.byID, old.ID)
		st.order[0] = ""
		st.order = st.order[1:]
	}
}

// size is about what p holds in memory.
func (p *Payment) size() int {
	n := 256 + len(p.ID) + len(p.Currency) + len(p.Status) + len(p.CallbackURL) + len(p.Description)
	for k, v := range p.Metadata {
		n += len(k) + len(v) + 16
	}
	return n
}

// withoutBody is p without its description and metadata.
func (p Payment) withoutBody() Payment {
	p.Description, p.Metadata = "", nil
	return p
}

func (st *store) get(id string) (Payment, bool) {
	p, ok := st.byID[id]
	if !ok {
		return Payment{}, false
	}
	return *p, true
}

// newest returns copies of at most n payments, newest first.
func (st *store) newest(n int) []Payment {
	list := make([]Payment, 0, min(n, len(st.order)))
	for i := len(st.order) - 1; i >= 0 && len(list) < n; i-- {
		list = append(list, *st.byID[st.order[i]])
	}
	return list
}
