package workspace

import (
	"errors"
	"sync"

	"hooklab/capture"
)

// ruleQueue holds the rule edits not applied yet, in the order they
// were asked for. One goroutine at a time applies them, so a burst of
// edits of one endpoint ends in the last; a goroutine per edit could
// land them in any order.
type ruleQueue struct {
	mu      sync.Mutex
	pending []ruleEdit
	running bool // a goroutine is applying edits
}

type ruleEdit struct {
	apply func() error
	done  chan error
}

// SetRule stores r as the rule of its endpoint, then makes the catcher
// answer by it. It returns at once, so the window can call it from its
// UI goroutine: edits (SetRule and DeleteRule) are applied one at a
// time in the order of the calls, each batch followed by one reload of
// the catcher's rules and one RulesChanged. The channel receives the
// edit's outcome (a rule that fails Validate is refused with its
// *capture.RuleError); it is buffered and may be ignored. After Stop
// began, the outcome is ErrStopped.
func (w *Workspace) SetRule(r capture.Rule) <-chan error {
	return w.editRules(func() error { return w.rules.SetRule(r) })
}

// DeleteRule removes the rule of endpoint, as SetRule stores one: in
// order with the other edits, then reloading the catcher.
func (w *Workspace) DeleteRule(endpoint string) <-chan error {
	return w.editRules(func() error { return w.rules.DeleteRule(endpoint) })
}

func (w *Workspace) editRules(apply func() error) <-chan error {
	done := make(chan error, 1)
	if !w.life.begin() {
		done <- ErrStopped
		return done
	}
	q := &w.edits
	q.mu.Lock()
	q.pending = append(q.pending, ruleEdit{apply: apply, done: done})
	start := !q.running
	q.running = true
	q.mu.Unlock()
	if start {
		go w.applyRuleEdits()
	}
	return done
}

// applyRuleEdits applies the queued edits until none are left.
func (w *Workspace) applyRuleEdits() {
	q := &w.edits
	for {
		q.mu.Lock()
		batch := q.pending
		q.pending = nil
		if len(batch) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		errs := make([]error, len(batch))
		for i, e := range batch {
			errs[i] = e.apply()
		}
		reloadErr := w.reloadRules()
		rules, readErr := w.rules.Rules()
		w.hub.Publish(RulesChanged{Rules: rules, Err: errors.Join(append(errs, reloadErr, readErr)...)})
		for i, e := range batch {
			if errs[i] == nil {
				errs[i] = reloadErr
			}
			e.done <- errs[i]
			w.life.end()
		}
	}
}
