package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// notifyBurst is how long a burst of webhooks is gathered after its
// first one before its one notification goes out.
const notifyBurst = 2 * time.Second

// notifier sends one desktop notification per burst of webhooks that
// arrive while the window is in the background: "3 webhooks:
// payment.succeeded, payment.created". It runs on the UI goroutine.
type notifier struct {
	u    *UI
	send func(*fyne.Notification)
	// after runs fn once d has passed (time.AfterFunc; tests fake it)
	// and returns a function that cancels it.
	after func(d time.Duration, fn func()) (cancel func())
	// background: the window does not have the focus.
	background bool
	count      int
	events     []string // distinct event types of the burst, in order
	paths      []string // distinct paths, for webhooks without a type
	cancel     func()   // the burst's timer; nil between bursts
}

func newNotifier(u *UI, send func(*fyne.Notification)) *notifier {
	n := &notifier{u: u, send: send, after: func(d time.Duration, fn func()) func() {
		t := time.AfterFunc(d, fn)
		return func() { t.Stop() }
	}}
	if n.send == nil {
		n.send = u.app.SendNotification
	}
	lc := u.app.Lifecycle()
	lc.SetOnExitedForeground(func() { n.background = true })
	lc.SetOnEnteredForeground(func() {
		n.background = false
		n.reset() // they are on screen now
	})
	return n
}

// handle counts the webhooks of a delivery of events toward the burst.
func (n *notifier) handle(evs []workspace.Event) {
	if !n.background || !n.u.settings.Notify {
		return
	}
	for _, ev := range evs {
		added, ok := ev.(workspace.CapturesAdded)
		if !ok {
			continue
		}
		for _, s := range added.Summaries {
			n.count++
			if s.Event != "" {
				n.events = addDistinct(n.events, s.Event)
			} else {
				n.paths = addDistinct(n.paths, s.Method+" "+s.Path)
			}
		}
	}
	if n.count > 0 && n.cancel == nil {
		n.cancel = n.after(notifyBurst, func() { widgets.Do(n.flush) })
	}
}

func addDistinct(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// flush sends the burst's notification.
func (n *notifier) flush() {
	if n.cancel == nil {
		return // reset meanwhile
	}
	if n.count > 0 && n.background && n.u.settings.Notify {
		n.send(fyne.NewNotification("Hooklab", burstSummary(n.count, append(n.events, n.paths...))))
	}
	n.reset()
}

// reset forgets the burst.
func (n *notifier) reset() {
	if n.cancel != nil {
		n.cancel()
	}
	n.cancel, n.count, n.events, n.paths = nil, 0, nil, nil
}

// stop cancels a burst not sent yet (the window closes).
func (n *notifier) stop() { n.reset() }

// burstSummary is "3 webhooks: payment.succeeded, payment.created",
// naming at most three kinds.
func burstSummary(count int, kinds []string) string {
	what := "1 webhook"
	if count != 1 {
		what = fmt.Sprintf("%d webhooks", count)
	}
	if len(kinds) == 0 {
		return what
	}
	more := ""
	if len(kinds) > 3 {
		kinds, more = kinds[:3], fmt.Sprintf(" and %d more kinds", len(kinds)-3)
	}
	return what + ": " + strings.Join(kinds, ", ") + more
}
