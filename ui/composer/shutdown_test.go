package composer

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklab/requester/collection"
	"hooklab/workspace"
)

// TestShutdownWhileACollectionFileChanges: a collection file open in a
// tab without edits keeps changing on disk while the window shuts down
// in the shell's order (the workspace stops, the composer stops, the
// bridge closes, the tabs are saved, the composer closes), the UI loop
// running queued UI work all the while, as the window's does. Under
// -race this once caught followDisk writing the tab's request while the
// session writer read it: any change the composer applies during the
// shutdown that is not ordered before the save is reported. The tabs
// saved are the tabs as the window last showed them, one whole version
// of the file, and nothing reaches the composer after its Stop.
func TestShutdownWhileACollectionFileChanges(t *testing.T) {
	r, p, _ := workspaceRig(t)
	c := r.c
	root := p.colls[0].Root
	id := p.childIDs(p.collID(0))[0]
	rel := p.byID[id].Path
	disk := *p.byID[id].Request
	p.Tree.Select(id)
	if c.Tabs.current().rel != rel {
		t.Fatalf("not opened: %q", c.Tabs.current().rel)
	}

	// Outside edits, one after the other, until the test is done.
	const prefix = "https://disk.test/v"
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		pace := time.NewTicker(2 * time.Millisecond) // a busy editor, not a timing assertion
		defer pace.Stop()
		for i := 1; ; i++ {
			d := disk
			d.URL = fmt.Sprintf("%s%d", prefix, i)
			if err := collection.SaveRequest(root, rel, d); err != nil {
				t.Error(err)
				return
			}
			select {
			case <-stop:
				return
			case <-pace.C:
			}
		}
	})
	defer func() { close(stop); wg.Wait() }()

	// The tab follows its file, version after version: changes are
	// flowing through the watcher, the bridge and the tab when the
	// shutdown starts.
	var first string
	r.loop.WaitFor(t, "the tab following its file", func() bool {
		first = c.URL.Text
		return strings.HasPrefix(first, prefix)
	})
	r.loop.WaitFor(t, "the tab following a later version", func() bool {
		return strings.HasPrefix(c.URL.Text, prefix) && c.URL.Text != first
	})

	r.quit()
	if r.saveErr != nil {
		t.Fatalf("saving the tabs: %v", r.saveErr)
	}
	tab := c.Tabs.current()
	shown, url := tab.req, c.URL.Text
	if tab.rel != rel || shown.URL != url || !strings.HasPrefix(url, prefix) {
		t.Fatalf("after the shutdown the tab holds %q (file %q), the editor %q", shown.URL, tab.rel, url)
	}

	// A change delivered after Stop is turned away: no load starts, the
	// tab stays as it is.
	loads := p.loads
	c.onUI(c.handle)([]workspace.Event{workspace.CollectionChanged{Root: root, Files: []string{rel}}})
	if p.loads != loads {
		t.Fatal("a change on disk was followed after Stop")
	}
	// What was queued before the bridge closed runs, and is dropped.
	r.loop.Drain()
	if !tab.req.Equal(shown) || c.URL.Text != url || tab.rel != rel {
		t.Fatalf("the tab changed after the shutdown: %q, editor %q", tab.req.URL, c.URL.Text)
	}

	// The tabs saved are the tabs shown: the file's tab holds one whole
	// version of the file, the one in the editor at the end.
	saved, err := workspace.NewSession(r.dir).Load()
	if err != nil {
		t.Fatal(err)
	}
	var got *workspace.SavedTab
	for i := range saved {
		if saved[i].File == rel && saved[i].Coll == root {
			got = &saved[i]
		}
	}
	if got == nil || !got.Current {
		t.Fatalf("the file's tab is not saved as the current tab: %+v", saved)
	}
	want := disk
	want.URL, want.Name = url, got.Title
	if !got.Request.Equal(want) || !got.Request.Equal(shown) {
		t.Fatalf("saved %+v, want the version shown %+v", got.Request, want)
	}
}
