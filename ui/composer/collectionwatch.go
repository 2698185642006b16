package composer

import (
	"context"
	"fmt"
	"time"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/ui/widgets"
)

// watchInterval is how often collection folders are checked for changes
// made outside the app (a git pull, an editor).
var watchInterval = time.Second

// watch keeps one watcher per collection folder shown, started once.
func (p *collectionsPanel) watch() {
	if p.watched == nil {
		p.watched = map[string]context.CancelFunc{}
	}
	shown := map[string]bool{}
	for _, coll := range p.colls {
		root := coll.Root
		shown[root] = true
		if p.watched[root] != nil {
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		p.watched[root] = cancel
		err := collection.Watch(ctx, root, watchInterval, func(changed []string) {
			// Read the folders here, off the UI goroutine, then show.
			l := p.load()
			widgets.Do(func() {
				if ctx.Err() == nil {
					p.apply(l)
					p.followDisk(root, changed)
				}
			})
		})
		if err != nil {
			p.say(fmt.Sprintf("%s is not watched for outside changes: %v", coll.Name, err))
		}
	}
	for root, cancel := range p.watched {
		if !shown[root] {
			cancel()
			delete(p.watched, root)
		}
	}
}

// followDisk brings the open tabs of root's changed files up to date.
func (p *collectionsPanel) followDisk(root string, changed []string) {
	coll := p.collByRoot(root)
	if coll == nil {
		return
	}
	p.c.filesChanged(root, changed, func(rel string) *requester.Request {
		if it := collection.Lookup(coll.Items, rel); it != nil {
			return it.Request
		}
		return nil
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
