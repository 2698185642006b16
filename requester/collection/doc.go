// Package collection stores requests as a folder of plain YAML files in the
// layout of Bruno's OpenCollection format, so a collection diffs well in Git
// and opens in Bruno too.
//
// Layout:
//
//	opencollection.yml        opencollection: 1.0.0, info.name, request.variables
//	environments/<name>.yml   name, variables
//	<request name>.yml        one request
//	<folder>/folder.yml       optional: info {name, type: folder, seq}
//	<folder>/<request>.yml
//
// A request file:
//
//	info:
//	  name: Create payment
//	  type: http            # graphql for a GraphQL body, with a graphql: section
//	  seq: 1
//
//	http:
//	  method: POST
//	  url: "{{base_url}}/v1/payments?expand=customer"
//	  params:
//	    - name: expand
//	      value: customer
//	      type: query
//	  headers:
//	    - name: Idempotency-Key
//	      value: abc
//	      disabled: true
//	  body:
//	    type: json          # xml, text, form-urlencoded, multipart-form, file
//	    data: |-
//	      {"amount": 1200}
//	  auth:
//	    type: bearer        # basic, digest (username, password), apikey (key, value, placement)
//	    token: "{{token}}"
//
//	settings:
//	  timeout: 5000         # milliseconds
//	  followRedirects: false
//	  maxRedirects: 3
//
// Only fields that differ from their defaults are written, in a fixed order
// with a blank line between sections, so changing one value changes one
// line. Only the body of the selected kind is saved. Relative file paths are
// relative to the collection root.
//
// Hooklab's own settings (skip TLS verification, CA and client certificate
// files, proxy) are kept per request under extensions.hooklab.requests of
// opencollection.yml, the one place the schema allows extensions (see
// extensions.go); they are still read from a request's settings, where
// earlier versions wrote them. A file body is written with its contentType.
//
// Collection and folder defaults: the request: section of opencollection.yml
// and of each folder.yml (auth, headers, variables) applies to the requests
// under it; Sendable puts them together as Bruno sends them (auth: inherit
// takes the nearest folder's auth, else the collection's; inner headers
// replace outer ones of the same name; path params go into the URL; folder
// and runtime.variables override the environment). Load leaves out YAML
// that is not a request (no info or protocol section, such as a
// pnpm-lock.yaml) and what extensions.bruno.ignore lists. A request file
// with no auth sends none.
//
// Differences from Bruno: auth and body types Hooklab lacks (oauth1, oauth2,
// awsv4, sparql, ...) load as none in the model, but each is a Warning, and
// Sendable refuses such a request rather than send it without its auth or
// its body. Saving over a file keeps them, path params, and every
// key Hooklab does not write (runtime scripts and tests, docs, examples,
// tags), where they were. Scripts and assertions are not run.
// Missing maxRedirects means 10 here, 5 in Bruno. A multipart field listing
// several files loads as one part per file. An empty method is saved as GET.
//
// Bruno's .bru collections load too (bru.go): a folder with bruno.json
// (its ignore list), collection.bru and folder.bru (request defaults),
// .bru request files and environments/*.bru; LoadFile reads one request
// file alone (its warnings with it), LoadDir reads a folder of
// loose request files. They run and show as YAML collections do; Hooklab
// writes .yml files only.
//
// Write saves a collection built in memory (by an importer) as a new
// collection or a new folder of one, with its folder defaults, auth types
// (inherit, or one Hooklab cannot send), path params, runtime variables
// and scripts (runtime.scripts, kept as text, never run).
//
// Secret environment variables are written as secret: true without a value;
// their values live in a SecretStore outside the collection.
//
// Items are ordered folders first, then requests, each by seq then name,
// those without a seq last; new and moved items get the next seq in their
// folder.
package collection
