package collection

import (
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
)

// Hooklab's own per-request settings (skip TLS verification, CA and client
// certificate files, proxy) have no place in an OpenCollection request file:
// the schema closes every object of a request (additionalProperties: false)
// and allows extensions only at the root of opencollection.yml, as a
// free-form object (Bruno keeps extensions.bruno there). So they live in
// opencollection.yml, by request file:
//
//	extensions:
//	  hooklab:
//	    requests:
//	      Payments/Create payment.yml:
//	        insecure: true
//	        proxy: http://127.0.0.1:8888
//
// They are still read from a request's settings, where earlier versions
// wrote them; an entry under extensions wins, and saving the request moves
// them there.

// hooklabOptionsNode holds the Hooklab-only options of o; it is empty when
// they are all at their defaults.
func hooklabOptionsNode(o requester.Options) *yaml.Node {
	m := newMap()
	addTrue(m, "insecure", o.Insecure)
	addStr(m, "caCertificateFilePath", o.CACert)
	addStr(m, "certificateFilePath", o.ClientCert)
	addStr(m, "privateKeyFilePath", o.ClientKey)
	addStr(m, "proxy", o.Proxy)
	return m
}

// decodeHooklabOptions reads the Hooklab-only options in m (an entry under
// extensions, or a request's settings) into o; where names m in messages.
func decodeHooklabOptions(m *yaml.Node, where string, o *requester.Options) error {
	if m == nil {
		return nil
	}
	var err error
	if f := field(m, "insecure"); f != nil {
		if o.Insecure, err = boolField(m, "insecure", where+".insecure"); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"caCertificateFilePath", &o.CACert}, {"certificateFilePath", &o.ClientCert}, {"privateKeyFilePath", &o.ClientKey}, {"proxy", &o.Proxy}} {
		if field(m, f.key) == nil {
			continue
		}
		if *f.dst, err = strField(m, f.key, where+"."+f.key); err != nil {
			return err
		}
	}
	return nil
}

// extRequests returns extensions.hooklab.requests of doc, or nil.
func extRequests(doc *yaml.Node) *yaml.Node {
	n := field(field(field(doc, "extensions"), "hooklab"), "requests")
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// applyExtensionOptions sets the options that extensions.hooklab.requests
// of doc holds on the requests of items.
func applyExtensionOptions(doc *yaml.Node, items []*Item, problems *[]Problem) {
	reqs := extRequests(doc)
	if reqs == nil {
		return
	}
	for i := 0; i+1 < len(reqs.Content); i += 2 {
		rel, entry := reqs.Content[i].Value, deref(reqs.Content[i+1])
		it := Lookup(items, rel)
		if it == nil || it.Request == nil || entry.Kind != yaml.MappingNode {
			continue // a file edited away outside Hooklab; the entry is harmless
		}
		if err := decodeHooklabOptions(entry, "extensions.hooklab.requests."+rel, &it.Request.Options); err != nil {
			*problems = append(*problems, problemOf(collectionFile, err))
		}
	}
}

// updateExtensions rewrites extensions.hooklab.requests of the collection
// at root with edit, which changes the entries (request path → options
// node) in place. opencollection.yml is written only if an entry changed.
func updateExtensions(root string, edit func(entries map[string]*yaml.Node) bool) error {
	p := filepath.Join(root, collectionFile)
	doc := readDoc(p)
	if doc == nil {
		return nil // no header to keep them in; the options stay unsaved
	}
	entries := map[string]*yaml.Node{}
	if reqs := extRequests(doc); reqs != nil {
		for i := 0; i+1 < len(reqs.Content); i += 2 {
			entries[reqs.Content[i].Value] = reqs.Content[i+1]
		}
	}
	if !edit(entries) {
		return nil
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	reqs := newMap()
	for _, k := range keys {
		add(reqs, k, entries[k])
	}
	ext := field(doc, "extensions")
	if ext == nil || ext.Kind != yaml.MappingNode {
		ext = newMap()
		set(doc, "extensions", ext)
	}
	hl := field(ext, "hooklab")
	if hl == nil || hl.Kind != yaml.MappingNode {
		hl = newMap()
		set(ext, "hooklab", hl)
	}
	if len(keys) == 0 {
		del(hl, "requests")
		if len(hl.Content) == 0 {
			del(ext, "hooklab")
		}
		if len(ext.Content) == 0 {
			del(doc, "extensions")
		}
	} else {
		set(hl, "requests", reqs)
	}
	data, err := encodeDoc(doc, true)
	if err != nil {
		return err
	}
	return writeFileAtomic(p, data, 0o644)
}

// saveExtensionOptions records the Hooklab-only options of the request at
// rel, removing its entry when they are all defaults.
func saveExtensionOptions(root, rel string, o requester.Options) error {
	n := hooklabOptionsNode(o)
	return updateExtensions(root, func(entries map[string]*yaml.Node) bool {
		old, had := entries[rel]
		if len(n.Content) == 0 {
			delete(entries, rel)
			return had
		}
		if had && sameNode(old, n) {
			return false
		}
		entries[rel] = n
		return true
	})
}

// saveAllExtensionOptions is saveExtensionOptions for many requests at
// once, opencollection.yml read and written once.
func saveAllExtensionOptions(root string, opts map[string]requester.Options) error {
	return updateExtensions(root, func(entries map[string]*yaml.Node) bool {
		changed := false
		for rel, o := range opts {
			if n := hooklabOptionsNode(o); len(n.Content) > 0 {
				entries[rel] = n
				changed = true
			}
		}
		return changed
	})
}

// moveExtensionOptions follows a request or folder from rel to newRel: the
// entries of rel and of the requests under it move, or with keep are
// copied (a duplicate); newRel "" deletes them.
func moveExtensionOptions(root, rel, newRel string, keep bool) error {
	return updateExtensions(root, func(entries map[string]*yaml.Node) bool {
		changed := false
		for k, v := range entries {
			var to string
			switch {
			case k == rel:
				to = newRel
			case strings.HasPrefix(k, rel+"/"):
				if newRel != "" {
					to = newRel + k[len(rel):]
				}
			default:
				continue
			}
			if !keep {
				delete(entries, k)
			}
			if to != "" {
				entries[to] = v
			}
			changed = true
		}
		return changed
	})
}

// sameNode reports whether two flat mappings of scalars hold the same pairs.
func sameNode(a, b *yaml.Node) bool {
	a, b = deref(a), deref(b)
	if a == nil || b == nil || a.Kind != yaml.MappingNode || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if deref(a.Content[i]).Value != deref(b.Content[i]).Value {
			return false
		}
	}
	return true
}

// del removes key from mapping m.
func del(m *yaml.Node, key string) {
	if i := keyIndex(m, key); i >= 0 {
		m.Content = append(m.Content[:i], m.Content[i+2:]...)
	}
}
