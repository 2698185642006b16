package ui

import (
	"time"

	"hooklab/ui/catcher"
	"hooklab/ui/widgets"
)

// refreshInterval spaces list refreshes, so a burst of a thousand
// webhooks costs about 30 refreshes a second, not a thousand.
const refreshInterval = 33 * time.Millisecond

// changeLoop is the one place where captures cross into the UI: it waits for
// the store's change signal, reads what changed off the UI goroutine and
// applies it in a single fyne.Do.
type changeLoop struct {
	changed <-chan struct{}
	query   func() catcher.Reload
	apply   func(catcher.Reload)
	stop    chan struct{}
	done    chan struct{}
}

func startChangeLoop(changed <-chan struct{}, query func() catcher.Reload, apply func(catcher.Reload)) *changeLoop {
	b := &changeLoop{changed: changed, query: query, apply: apply, stop: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

func (b *changeLoop) run() {
	defer close(b.done)
	b.push() // what the store already holds
	for {
		select {
		case <-b.stop:
			return
		case <-b.changed:
		}
		b.push()
		select {
		case <-b.stop:
			return
		case <-time.After(refreshInterval):
		}
	}
}

func (b *changeLoop) push() {
	r := b.query()
	widgets.Do(func() { b.apply(r) })
}

// close stops the changeLoop and waits for it.
func (b *changeLoop) close() {
	close(b.stop)
	<-b.done
}
