package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"hooklab/capture"
	"hooklab/requester/collection"
	"hooklab/workspace/forward"
)

// ForwardRulesFile, in the data directory, keeps the forwarding rules
// set in the window; --forward flags win over them for a run.
const ForwardRulesFile = "forward-rules.json"

// liveForwarding is the forwarder in force while the catcher serves,
// replaced when the rules change: captures already queued on the one
// replaced are still delivered, new ones go by the new rules.
type liveForwarding struct {
	// wmu orders SetForwardRules: file written, then rules swapped. mu
	// is held only for the swap, never over the disk, so a capture
	// queued meanwhile is not held back.
	wmu     sync.Mutex
	mu      sync.RWMutex
	serving bool
	fw      *forward.Forwarder // nil without rules
	opts    forward.Options
	flags   []forward.Rule // --forward: they win
	saved   []forward.Rule // the window's, kept in ForwardRulesFile
	loaded  bool           // saved was read from the file
	// draining are forwarders replaced whose queues are still being
	// delivered; stop cuts them short.
	draining map[*forward.Forwarder]bool
	drains   sync.WaitGroup
}

// rulesFile is the encoding of ForwardRulesFile.
type rulesFile struct {
	Rules []ruleJSON `json:"rules"`
}

type ruleJSON struct {
	Endpoint string `json:"endpoint"`
	URL      string `json:"url"`
}

// enqueue hands c to the forwarder in force; the read lock keeps it from
// being replaced meanwhile, so c lands in a forwarder that delivers it.
func (l *liveForwarding) enqueue(c *capture.Capture) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.fw != nil && l.fw.Enqueue(c)
}

// restartLocked puts a forwarder for the rules in force in place of
// the one there; the old one delivers what it has queued in the
// background.
func (l *liveForwarding) restartLocked() {
	old := l.fw
	l.fw = nil
	if rules := mergeRules(l.saved, l.flags); len(rules) > 0 {
		l.fw = forward.New(rules, l.opts)
	}
	if old == nil {
		return
	}
	if l.draining == nil {
		l.draining = map[*forward.Forwarder]bool{}
	}
	l.draining[old] = true
	l.drains.Go(func() {
		old.Drain()
		l.mu.Lock()
		delete(l.draining, old)
		l.mu.Unlock()
	})
}

// stop ends forwarding: what is queued is not delivered.
func (l *liveForwarding) stop() {
	l.mu.Lock()
	l.serving = false
	cur := l.fw
	l.fw = nil
	var old []*forward.Forwarder
	for f := range l.draining {
		old = append(old, f)
	}
	l.mu.Unlock()
	if cur != nil {
		cur.Close()
	}
	for _, f := range old {
		f.Close()
	}
	l.drains.Wait()
}

// mergeRules is saved with flags over it, by endpoint, sorted.
func mergeRules(saved, flags []forward.Rule) []forward.Rule {
	by := map[string]forward.Rule{}
	for _, r := range saved {
		by[r.Endpoint] = r
	}
	for _, r := range flags {
		by[r.Endpoint] = r
	}
	out := make([]forward.Rule, 0, len(by))
	for _, r := range by {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b forward.Rule) int { return strings.Compare(a.Endpoint, b.Endpoint) })
	return out
}

// loadForwardRules reads ForwardRulesFile once; note says what was
// wrong with it (its rules, or the bad ones, are left out).
func (w *Workspace) loadForwardRules() (note string) {
	l := &w.fwd.live
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.loaded {
		return ""
	}
	l.loaded = true
	if w.dir == "" {
		return ""
	}
	name := filepath.Join(w.dir, ForwardRulesFile)
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		return fmt.Sprintf("Forwarding rules were not loaded: %v", err)
	}
	var f rulesFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Sprintf("Forwarding rules were not loaded: %s is not valid JSON (%v)", name, err)
	}
	var bad []string
	for _, r := range f.Rules {
		rule, err := forward.NewRule(r.Endpoint, r.URL)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		l.saved = append(l.saved, rule)
	}
	l.saved = mergeRules(l.saved, nil)
	if len(bad) > 0 {
		return fmt.Sprintf("Some forwarding rules in %s were left out: %s", name, strings.Join(bad, "; "))
	}
	return ""
}

// ForwardRules are the forwarding rules in force (or that will be once
// the catcher serves): those set in the window, and the --forward flags
// over them.
func (w *Workspace) ForwardRules() []forward.Rule {
	w.loadForwardRules()
	l := &w.fwd.live
	l.mu.RLock()
	defer l.mu.RUnlock()
	return mergeRules(l.saved, l.flags)
}

// SavedForwardRules are the forwarding rules set in the window, kept in
// ForwardRulesFile, whether or not a flag overrides them this run.
func (w *Workspace) SavedForwardRules() []forward.Rule {
	w.loadForwardRules()
	l := &w.fwd.live
	l.mu.RLock()
	defer l.mu.RUnlock()
	return append([]forward.Rule(nil), l.saved...)
}

// ForwardFlag returns the --forward flag's rule for endpoint, which
// wins over any set in the window for this run; false when there is none.
func (w *Workspace) ForwardFlag(endpoint string) (forward.Rule, bool) {
	l := &w.fwd.live
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, r := range l.flags {
		if r.Endpoint == endpoint {
			return r, true
		}
	}
	return forward.Rule{}, false
}

// SetForwardRules replaces the forwarding rules set in the window (the
// flags stay over them) and keeps them in the data directory. While the
// catcher serves, captures from now on go by the new rules; those
// already queued are still delivered by the old ones.
func (w *Workspace) SetForwardRules(rules []forward.Rule) error {
	if !w.life.begin() {
		return ErrStopped
	}
	defer w.life.end()
	seen := map[string]bool{}
	f := rulesFile{Rules: []ruleJSON{}}
	for _, r := range rules {
		if r.Target == nil {
			return fmt.Errorf("forwarding %s: no URL", r.Endpoint)
		}
		checked, err := forward.NewRule(r.Endpoint, r.Target.String())
		if err != nil {
			return err
		}
		if seen[checked.Endpoint] {
			return fmt.Errorf("forwarding: the endpoint /%s has two rules", strings.TrimPrefix(checked.Endpoint, "/"))
		}
		seen[checked.Endpoint] = true
		f.Rules = append(f.Rules, ruleJSON{Endpoint: endpointPath(checked.Endpoint), URL: checked.Target.String()})
	}
	w.loadForwardRules()
	l := &w.fwd.live
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if w.dir != "" {
		data, err := json.MarshalIndent(f, "", "  ")
		if err != nil {
			return err
		}
		if err := collection.WriteAtomic(filepath.Join(w.dir, ForwardRulesFile), append(data, '\n'), 0o600); err != nil {
			return fmt.Errorf("forwarding rules not saved: %w", err)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.saved = mergeRules(rules, nil)
	if l.serving {
		l.restartLocked()
	}
	return nil
}

func endpointPath(ep string) string {
	if ep == "/" {
		return "/"
	}
	return "/" + ep
}

// RetryForward forwards the stored capture id again by its endpoint's
// rule in force; its result comes as a CaptureForwarded event.
func (w *Workspace) RetryForward(id string) error {
	c, err := w.store.Get(id)
	if err != nil {
		return err
	}
	l := &w.fwd.live
	l.mu.RLock()
	serving := l.serving
	l.mu.RUnlock()
	if !serving {
		return errors.New("not forwarded: the catcher is not serving")
	}
	if !l.enqueue(c) {
		return fmt.Errorf("not forwarded: no forwarding rule for %s", endpointPath(capture.Endpoint(c.Path)))
	}
	return nil
}
