package collection

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// shapeError is a file that parsed but does not have the expected shape, or
// did not parse at all, located at a line (0 when unknown).
type shapeError struct {
	Line int
	Msg  string
}

func (e *shapeError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func bad(n *yaml.Node, format string, a ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &shapeError{Line: line, Msg: fmt.Sprintf(format, a...)}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError locates a yaml error. The library reports parser errors (as
// opposed to scanner errors) with a 0-based line, and none at all for the
// first line; both are corrected here.
func syntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = err.Error()[len(m[0]):]
		for _, p := range []string{"did not find expected", "found undefined tag", "found duplicate %", "found incompatible"} {
			if strings.HasPrefix(msg, p) {
				line++
				break
			}
		}
	} else if strings.Contains(msg, "anchor") {
		line = 0
	}
	return &shapeError{Line: line, Msg: "invalid YAML: " + msg}
}

// parseDoc parses one YAML document whose top level must be a mapping.
func parseDoc(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &shapeError{Line: 1, Msg: "the file is empty"}
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, bad(root, "the top level must be a mapping of keys")
	}
	return root, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// field returns the value of key in mapping m, or nil.
func field(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return deref(m.Content[i+1])
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// mapField returns key of m as a mapping; absent or null gives nil.
func mapField(m *yaml.Node, key, where string) (*yaml.Node, error) {
	n := field(m, key)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, bad(n, "%s must be a mapping", where)
	}
	return n, nil
}

// seqField returns the items of key of m; absent or null gives none.
func seqField(m *yaml.Node, key, where string) ([]*yaml.Node, error) {
	n := field(m, key)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, bad(n, "%s must be a list", where)
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, it := range n.Content {
		items[i] = deref(it)
	}
	return items, nil
}

// strField returns key of m as text. Any scalar is accepted, so a
// hand-written `value: 10` reads as "10".
func strField(m *yaml.Node, key, where string) (string, error) {
	n := field(m, key)
	if isNull(n) {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", bad(n, "%s must be text", where)
	}
	return n.Value, nil
}

func boolField(m *yaml.Node, key, where string) (bool, error) {
	n := field(m, key)
	if isNull(n) {
		return false, nil
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		return false, bad(n, "%s must be true or false", where)
	}
	return b, nil
}

func intField(m *yaml.Node, key, where string) (int, error) {
	n := field(m, key)
	if isNull(n) {
		return 0, nil
	}
	var i int
	if n.Kind != yaml.ScalarNode || n.Decode(&i) != nil {
		return 0, bad(n, "%s must be a whole number", where)
	}
	return i, nil
}

// Builders. Nodes are built by hand rather than marshalled from structs so
// the key order is fixed and every string gets a deliberate style.

func newMap() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

func newSeq() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"} }

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

// addStr adds key unless s is empty.
func addStr(m *yaml.Node, key, s string) {
	if s != "" {
		add(m, key, str(s))
	}
}

// addTrue adds key: true when b is set; false is the default and omitted.
func addTrue(m *yaml.Node, key string, b bool) {
	if b {
		add(m, key, boolean(true))
	}
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case strings.Contains(s, "\r"):
		// A block scalar would turn CR LF into LF on reading.
		n.Style = yaml.DoubleQuotedStyle
	case strings.Contains(s, "\n"):
		n.Style = yaml.LiteralStyle // the emitter falls back to quotes if it must
	case needsQuotes(s):
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// block is str in literal block style even for one line, so bodies and
// queries read as written, unless s is empty or holds a CR.
func block(s string) *yaml.Node {
	n := str(s)
	if s != "" && !strings.Contains(s, "\r") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

// needsQuotes reports strings that plain style would misread. The emitter
// would pick single quotes for them; Bruno writes double quotes, so do we.
func needsQuotes(s string) bool {
	if s == "" {
		return false // the encoder quotes empty strings itself
	}
	if strings.ContainsAny(s[:1], "{}[]&*!|>'\"%@`#,") ||
		s[0] == ' ' || s[len(s)-1] == ' ' || s[len(s)-1] == ':' ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.Contains(s, "\t") {
		return true
	}
	if strings.ContainsAny(s[:1], "-?:") && (len(s) == 1 || s[1] == ' ') {
		return true
	}
	return false
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func integer(i int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(i, 10)}
}

// encodeDoc writes m with two-space indents and, when sections is set, a
// blank line between top-level keys as Bruno writes request files.
func encodeDoc(m *yaml.Node, sections bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if !sections {
		return buf.Bytes(), nil
	}
	return spaceSections(buf.Bytes()), nil
}

// spaceSections puts one blank line before each top-level key after the
// first, above the comment lines that head it.
func spaceSections(b []byte) []byte {
	var out []string
	keys, comments := 0, 0 // top-level keys so far; comment lines just seen
	for _, l := range strings.SplitAfter(string(b), "\n") {
		top := l != "" && !strings.ContainsRune(" \n-.", rune(l[0]))
		if top && l[0] == '#' {
			out = append(out, l)
			comments++
			continue
		}
		if top {
			at := len(out) - comments
			if keys > 0 && at > 0 && out[at-1] != "\n" {
				out = append(out[:at], append([]string{"\n"}, out[at:]...)...)
			}
			keys++
		}
		comments = 0
		out = append(out, l)
	}
	return []byte(strings.Join(out, ""))
}

// mergeRule says which keys of a mapping Hooklab writes (owned). When a file
// is saved over an existing one, keys it does not own keep their values and
// places, so scripts, tests and docs written by Bruno survive an edit here.
type mergeRule struct {
	owned  []string
	nested map[string]*mergeRule
	// keep reports whether an owned key that is absent from the new mapping
	// keeps its old value (a default spelled out, or a kind Hooklab cannot
	// read and so did not change).
	keep func(key string, old *yaml.Node) bool
}

func (r *mergeRule) owns(key string) bool {
	for _, k := range r.owned {
		if k == key {
			return true
		}
	}
	return false
}

// keepStyle copies quoting, block style and comments from old to the
// scalars of ours that kept their value at the same place, so saving an
// unchanged file written by hand or by Bruno leaves it as it was.
func keepStyle(ours, old *yaml.Node) {
	old = deref(old)
	if ours == nil || old == nil || ours.Kind != old.Kind {
		return
	}
	switch ours.Kind {
	case yaml.ScalarNode:
		if ours.Value == old.Value && !strings.Contains(ours.Value, "\r") {
			ours.Style = old.Style
			ours.HeadComment, ours.LineComment, ours.FootComment = old.HeadComment, old.LineComment, old.FootComment
		}
	case yaml.SequenceNode:
		for i := 0; i < len(ours.Content) && i < len(old.Content); i++ {
			keepStyle(ours.Content[i], old.Content[i])
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(ours.Content); i += 2 {
			keepStyle(ours.Content[i+1], field(old, ours.Content[i].Value))
		}
	}
}

// merge returns ours laid over old following r. Old key order and comments
// are kept; new keys go after the nearest key that precedes them in ours.
func merge(ours, old *yaml.Node, r *mergeRule) *yaml.Node {
	old = deref(old)
	if old == nil || old.Kind != yaml.MappingNode || r == nil {
		return ours
	}
	out := *old
	out.Content = nil
	out.Style = ours.Style // {} in the old file must not turn what is added into flow style
	placed := map[string]bool{}
	for i := 0; i+1 < len(old.Content); i += 2 {
		k, ov := old.Content[i], old.Content[i+1]
		if !r.owns(k.Value) {
			out.Content = append(out.Content, k, ov)
			continue
		}
		nv := field(ours, k.Value)
		nested := r.nested[k.Value]
		switch {
		case nv != nil && nested != nil:
			nv = merge(nv, ov, nested)
		case nv == nil && nested != nil:
			if rest := merge(newMap(), ov, nested); len(rest.Content) > 0 {
				nv = rest
			}
		case nv == nil && r.keep != nil && r.keep(k.Value, deref(ov)):
			nv = ov
		}
		if nv != nil && !placed[k.Value] {
			out.Content = append(out.Content, k, nv)
			placed[k.Value] = true
		}
	}
	for i := 0; i+1 < len(ours.Content); i += 2 {
		key := ours.Content[i].Value
		if placed[key] {
			continue
		}
		pos := 0
		for j := i - 2; j >= 0; j -= 2 {
			if idx := keyIndex(&out, ours.Content[j].Value); idx >= 0 {
				pos = idx + 2
				break
			}
		}
		pair := []*yaml.Node{ours.Content[i], ours.Content[i+1]}
		out.Content = append(out.Content[:pos], append(pair, out.Content[pos:]...)...)
		placed[key] = true
	}
	return &out
}

func keyIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// set replaces or appends key in mapping m.
func set(m *yaml.Node, key string, v *yaml.Node) {
	if i := keyIndex(m, key); i >= 0 {
		m.Content[i+1] = v
		return
	}
	add(m, key, v)
}
