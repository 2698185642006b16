package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// Names in the data directory that the collections workspace uses.
const (
	// CollectionsFolder holds the collections the app creates, one
	// folder each.
	CollectionsFolder = "collections"
	// SecretsFile keeps the values of secret environment variables,
	// outside the collections (see collection.SecretStore).
	SecretsFile = "secrets.json"
)

// Collections is the collections workspace of one data directory: the
// collections in its collections folder and the folders the user
// opened elsewhere (a Git checkout, a Bruno collection), the secret
// values of their environments, and one watcher per loaded collection,
// which publishes a CollectionChanged into the hub when its files
// change on disk. Its methods are safe for concurrent use and touch no
// window: Load may run off the UI goroutine.
//
// It replaces the non-widget parts of ui's collectionsPanel
// (collections.go).
type Collections struct {
	dir string
	hub *Hub
	// WatchInterval is how often a watcher looks for changes made
	// outside the app; zero means collection.DefaultWatchInterval. Set it
	// before the first Load.
	WatchInterval time.Duration

	secrets    *collection.SecretStore
	secretsErr error
	tmpSecrets string // the folder of this session's own secret store, if any

	now    func() time.Time // names set-aside files; tests fix it
	listMu sync.Mutex       // one change of the opened list at a time
	loadMu sync.Mutex       // one Load at a time, so watchers follow the newest

	mu       sync.Mutex // guards what follows
	watchers map[string]*collection.Watcher
	stopped  bool
	notices  []error // opened lists set aside in this session
}

// NewCollections returns the collections workspace of the data
// directory dir, publishing into hub (nil publishes nothing). It opens the secret store
// (secrets.json); when that file cannot be read, secret values are kept
// in a store of this session's own, removed by Stop, and SecretsWarning
// says why. The unreadable file is left for the user to look at.
func NewCollections(dir string, hub *Hub) *Collections {
	c := &Collections{dir: dir, hub: hub, now: time.Now, watchers: map[string]*collection.Watcher{}}
	secrets, err := collection.OpenSecretStore(filepath.Join(dir, SecretsFile))
	if err != nil {
		tmp, terr := os.MkdirTemp("", "hooklab-secrets-")
		if terr == nil {
			c.tmpSecrets = tmp
			secrets, terr = collection.OpenSecretStore(filepath.Join(tmp, SecretsFile))
		}
		if terr != nil {
			secrets = nil
		}
		c.secretsErr = fmt.Errorf("%w; secret values set now are kept only until Hooklab closes", err)
	}
	c.secrets = secrets
	return c
}

// Secrets is the store of secret values that Load fills in and that
// saving an environment writes to. It is nil only when neither
// secrets.json nor a store of this session's own could be opened.
func (c *Collections) Secrets() *collection.SecretStore { return c.secrets }

// SecretsWarning says why secret values are kept only for this session
// (secrets.json could not be read), or is nil.
func (c *Collections) SecretsWarning() error { return c.secretsErr }

// ExampleRequest is what a first start shows: a payment on the built-in
// sandbox whose webhooks come back to the catcher. It replaces ui's
// ExampleRequest (composer.go).
func ExampleRequest() requester.Request {
	return requester.Request{
		Name:    "Create payment",
		Method:  "POST",
		URL:     "{{sandbox_url}}/v1/payments",
		Headers: []requester.Header{{Name: "Content-Type", Value: "application/json"}},
		Body: requester.Body{Kind: requester.BodyJSON, Text: `{
  "amount": 1200,
  "currency": "eur",
  "description": "Hooklab demo payment",
  "callback_url": "{{webhook_url}}payments"
}`},
	}
}

// EnsureFirstRun creates the collections folder with a first
// collection, "My requests", holding ExampleRequest, so a first start
// shows what a collection is. Once the collections folder exists it
// does nothing, even when the user emptied it. It replaces ui's
// collectionsPanel.ensureWorkspace.
func (c *Collections) EnsureFirstRun() error {
	dir := filepath.Join(c.dir, CollectionsFolder)
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	root := filepath.Join(dir, "My requests")
	if _, err := collection.Create(root, "My requests"); err != nil {
		return fmt.Errorf("no collection could be created in %s: %w", dir, err)
	}
	if _, err := collection.NewRequest(root, "", "Create payment", ExampleRequest()); err != nil {
		return fmt.Errorf("the example request could not be written to %s: %w", root, err)
	}
	return nil
}

// CreateCollection creates an empty collection named name in the
// collections folder and returns its folder. A name that is taken, or
// that is not one folder name, is refused. It replaces the file part of
// ui's collectionsPanel.newCollection.
func (c *Collections) CreateCollection(name string) (string, error) {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("a collection cannot be named %q: it must be one folder name", name)
	}
	root := filepath.Join(c.dir, CollectionsFolder, name)
	if _, err := os.Stat(root); err == nil {
		return "", fmt.Errorf("a collection named %s exists already", name)
	}
	if _, err := collection.Create(root, name); err != nil {
		return "", err
	}
	return root, nil
}

// Roots lists the folders of the collections shown: those in the
// collections folder (sorted, hidden ones skipped), then the opened
// folders in the order they were opened. When the opened list cannot
// be read, the error says why and the collections folder's own are
// still listed. It replaces ui's collectionsPanel.roots.
func (c *Collections) Roots() ([]string, error) {
	var roots []string
	dir := filepath.Join(c.dir, CollectionsFolder)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			roots = append(roots, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(roots)
	opened, err := c.Opened()
	return append(roots, opened...), err
}

// Loaded is what reading the collections gave.
type Loaded struct {
	Collections []*collection.Collection // in the order of Roots
	// Problems are what the window should say: files that could not be
	// read, each naming its collection and file, an opened list that is
	// malformed or was set aside, folders that are not watched.
	Problems []error
}

// Load reads every collection of Roots, fills in their secret values,
// and keeps one watcher per loaded collection (started for new ones,
// stopped for those gone); after Stop it starts none. A collection
// that cannot be read is left out and named in Problems; a broken file
// inside one is skipped and named there too. It replaces ui's
// collectionsPanel.load and watch.
func (c *Collections) Load() Loaded {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	var l Loaded
	roots, err := c.Roots()
	if err != nil {
		l.Problems = append(l.Problems, err)
	}
	c.mu.Lock()
	l.Problems = append(l.Problems, c.notices...)
	c.mu.Unlock()
	for _, root := range roots {
		coll, err := collection.Load(root)
		if err != nil {
			l.Problems = append(l.Problems, fmt.Errorf("%s: %w", root, err))
			continue
		}
		c.secrets.Fill(coll)
		for _, pr := range coll.Problems {
			l.Problems = append(l.Problems, fmt.Errorf("%s/%w", coll.Name, pr))
		}
		l.Collections = append(l.Collections, coll)
	}
	l.Problems = append(l.Problems, c.watch(l.Collections)...)
	return l
}

// watch keeps one watcher per collection of colls and stops the others.
func (c *Collections) watch(colls []*collection.Collection) []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	var problems []error
	shown := map[string]bool{}
	for _, coll := range colls {
		root := coll.Root
		shown[root] = true
		if c.watchers[root] != nil {
			continue
		}
		w, err := collection.NewWatcher(root, c.WatchInterval, func(changed []string) {
			if c.hub != nil {
				c.hub.Publish(CollectionChanged{Root: root, Files: changed})
			}
		})
		if err != nil {
			problems = append(problems, fmt.Errorf("%s is not watched for outside changes: %w", coll.Name, err))
			continue
		}
		c.watchers[root] = w
	}
	for root, w := range c.watchers {
		if !shown[root] {
			w.Stop()
			delete(c.watchers, root)
		}
	}
	return problems
}

// Stop stops every watcher and returns once none can publish any more;
// later Loads start none. It also removes this session's own secret
// store, if secrets.json could not be read. Call it at shutdown, before
// the open tabs are saved. It replaces ui's collectionsPanel.close.
func (c *Collections) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	for root, w := range c.watchers {
		w.Stop()
		delete(c.watchers, root)
	}
	if c.tmpSecrets != "" {
		os.RemoveAll(c.tmpSecrets)
		c.tmpSecrets = ""
	}
}

// Collection is the loaded collection whose folder is root, or nil. It
// replaces ui's collectionsPanel.collByRoot.
func (l Loaded) Collection(root string) *collection.Collection {
	for _, coll := range l.Collections {
		if coll.Root == root {
			return coll
		}
	}
	return nil
}

// FileRequest is the request the file rel of the collection in root
// held when loaded, or nil when there is no such collection or request
// (gone, or broken). It replaces ui's collectionsPanel.fileRequest
// (session.go).
func (l Loaded) FileRequest(root, rel string) *requester.Request {
	coll := l.Collection(root)
	if coll == nil {
		return nil
	}
	if it := collection.Lookup(coll.Items, rel); it != nil && it.Request != nil {
		r := *it.Request
		return &r
	}
	return nil
}
