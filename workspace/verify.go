package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hooklab/capture"
	"hooklab/capture/signature"
	"hooklab/requester/collection"
	"hooklab/sandbox"
)

// Signature verification per endpoint.
//
// A capture's verdict is worked out once, as it arrives, under the
// endpoint's scheme at that moment, and stored with it: the list shows
// it without reading bodies, and it says what was true when the webhook
// came. A scheme set or changed later applies to captures that arrive
// after; Verify judges any capture again under the scheme set now, for a
// detail view that wants the current answer.

// VerifyFileName is the file in the data directory that keeps the
// endpoints' schemes and secrets, apart from the captures (so no export
// or copy of the database carries a secret), readable by the user only.
const VerifyFileName = "signing-secrets.json"

// VerificationChanged: the signature scheme of Endpoint was set or
// removed (Workspace.SetVerification).
type VerificationChanged struct{ Endpoint string }

func (VerificationChanged) isEvent() {}

// verifier holds the schemes in force: the saved ones, under the ones
// set for this run only (--verify, the sandbox's).
type verifier struct {
	once    sync.Once
	loadErr error
	mu      sync.Mutex // one change at a time
	saved   map[string]signature.Config
	session map[string]signature.Config
	live    atomic.Pointer[map[string]signature.Config]
}

type verifyFile struct {
	Version   int                      `json:"version"`
	Endpoints map[string]verifyFileRow `json:"endpoints"`
}

type verifyFileRow struct {
	Scheme    signature.Scheme `json:"scheme"`
	Secret    string           `json:"secret"`
	Tolerance string           `json:"tolerance,omitempty"`
	Header    string           `json:"header,omitempty"`
	Alg       string           `json:"alg,omitempty"`
	Enc       string           `json:"enc,omitempty"`
	Prefix    string           `json:"prefix,omitempty"`
}

func (w *Workspace) verifyPath() string {
	if w.dir == "" {
		return ""
	}
	return filepath.Join(w.dir, VerifyFileName)
}

// verifications loads the saved schemes on first use.
func (w *Workspace) verifications() *verifier {
	v := &w.verify
	v.once.Do(func() {
		v.saved, v.loadErr = readVerifyFile(w.verifyPath())
		v.session = map[string]signature.Config{}
		v.publish()
	})
	return v
}

func readVerifyFile(path string) (map[string]signature.Config, error) {
	out := map[string]signature.Config{}
	if path == "" {
		return out, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	var f verifyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return out, fmt.Errorf("%s: %w", path, err)
	}
	for ep, r := range f.Endpoints {
		c := signature.Config{Scheme: r.Scheme, Secret: r.Secret, Header: r.Header, Alg: r.Alg, Enc: r.Enc, Prefix: r.Prefix}
		if r.Tolerance == "off" {
			c.Tolerance = -1
		} else if r.Tolerance != "" {
			if c.Tolerance, err = time.ParseDuration(r.Tolerance); err != nil {
				return out, fmt.Errorf("%s: endpoint %s: tolerance %q", path, ep, r.Tolerance)
			}
		}
		out[ep] = c
	}
	return out, nil
}

func (v *verifier) publish() {
	m := maps.Clone(v.saved)
	maps.Copy(m, v.session)
	v.live.Store(&m)
}

func (v *verifier) write(path string) error {
	if path == "" {
		return nil
	}
	f := verifyFile{Version: 1, Endpoints: map[string]verifyFileRow{}}
	for ep, c := range v.saved {
		r := verifyFileRow{Scheme: c.Scheme, Secret: c.Secret, Header: c.Header, Alg: c.Alg, Enc: c.Enc, Prefix: c.Prefix}
		switch {
		case c.Tolerance < 0:
			r.Tolerance = "off"
		case c.Tolerance > 0:
			r.Tolerance = c.Tolerance.String()
		}
		f.Endpoints[ep] = r
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return collection.WriteAtomic(path, append(data, '\n'), 0o600)
}

// verifyEndpoint turns "/stripe", "stripe/" or "stripe" into the
// endpoint a capture.Filter names.
func verifyEndpoint(endpoint string) string {
	return capture.Endpoint("/" + strings.TrimPrefix(endpoint, "/"))
}

// SetVerification sets the signature scheme of endpoint ("stripe" or
// "/stripe"), or removes it when c is nil, and saves the schemes in the
// data directory (0600). It applies to captures arriving from now on.
func (w *Workspace) SetVerification(endpoint string, c *signature.Config) error {
	ep := verifyEndpoint(endpoint)
	v := w.verifications()
	v.mu.Lock()
	defer v.mu.Unlock()
	// Reread, so schemes another process saved for other endpoints stay.
	if saved, err := readVerifyFile(w.verifyPath()); err == nil {
		v.saved = saved
	}
	if c == nil {
		delete(v.saved, ep)
	} else {
		v.saved[ep] = *c
	}
	// A saved choice replaces this run's for the endpoint.
	delete(v.session, ep)
	v.publish()
	err := v.write(w.verifyPath())
	w.hub.Publish(VerificationChanged{Endpoint: ep})
	return err
}

// setSessionVerification sets endpoint's scheme for this run only,
// unless one was saved for it: --verify flags and the sandbox's own.
func (w *Workspace) setSessionVerification(endpoint string, c signature.Config, overSaved bool) {
	ep := verifyEndpoint(endpoint)
	v := w.verifications()
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.saved[ep]; ok && !overSaved {
		return
	}
	v.session[ep] = c
	v.publish()
}

// Verifications returns the schemes in force, by endpoint, with their
// secrets: for the settings dialog, which masks them.
func (w *Workspace) Verifications() map[string]signature.Config {
	return maps.Clone(*w.verifications().live.Load())
}

// VerifiedEndpoints lists the endpoints that have a scheme, sorted.
func (w *Workspace) VerifiedEndpoints() []string {
	eps := make([]string, 0)
	for ep := range *w.verifications().live.Load() {
		eps = append(eps, ep)
	}
	sort.Strings(eps)
	return eps
}

// Verify judges c's signature under its endpoint's scheme as set now;
// nil when the endpoint has none. The catcher calls it as each capture
// arrives. A signed timestamp is compared with the capture's arrival
// (c.Time, now when unset), so judging an old capture again does not
// call it stale for having been kept.
//
// A delivery of this workspace's own sandbox (its User-Agent) on an
// endpoint without a scheme is checked with the sandbox's secret and the
// scheme of that delivery (GitHub's for a push, the sandbox's Signing
// for the others: sandbox.Server.SigningFor), so the demo shows "valid"
// wherever its callback_url points. The headers only pick the scheme
// and secret: "valid" still takes the HMAC.
func (w *Workspace) Verify(c *capture.Capture) *capture.Verdict {
	cfg, ok := (*w.verifications().live.Load())[capture.Endpoint(c.Path)]
	if !ok {
		s := w.services()
		if s == nil || c.Header.Get("User-Agent") != sandbox.UserAgent {
			return nil
		}
		cfg = s.sandbox.SigningFor(c.Header)
	}
	at := c.Time
	if at.IsZero() {
		at = w.now()
	}
	r := signature.Verify(cfg, signature.Input{Header: c.Header, Body: c.Body, Truncated: c.Truncated}, at)
	return capture.VerdictOf(r)
}

// ParseVerifyFlag reads a --verify value, ENDPOINT=SPEC such as
// "/stripe=stripe:whsec_…" (signature.ParseSpec reads SPEC).
func ParseVerifyFlag(v string) (endpoint string, c signature.Config, err error) {
	ep, spec, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(ep) == "" {
		return "", c, fmt.Errorf("--verify %q: want /ENDPOINT=SCHEME:SECRET", redactFlag(v))
	}
	c, err = signature.ParseSpec(spec)
	if err != nil {
		return "", c, fmt.Errorf("--verify %s: %w", ep, err)
	}
	return verifyEndpoint(ep), c, nil
}

func redactFlag(v string) string {
	ep, _, _ := strings.Cut(v, "=")
	if ep == v {
		return "…"
	}
	return ep + "=…"
}
