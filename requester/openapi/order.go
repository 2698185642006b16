package openapi

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// propOrder is the order a document lists the properties of its schemas
// in, which kin-openapi loses (it keeps properties in a map), so examples
// made from a schema list members as the spec does. It is keyed by the
// property names sorted and joined: a schema is found by the names it
// has. Two schemas with the same names in different orders take the
// first one's order.
type propOrder map[string][]string

func orderKey(names []string) string {
	s := slices.Clone(names)
	slices.Sort(s)
	return strings.Join(s, "\x00")
}

func (o propOrder) add(names []string) {
	if k := orderKey(names); len(names) > 1 && o[k] == nil {
		o[k] = names
	}
}

// readOrder reads the order of every "properties" mapping of a JSON or
// YAML document. A document it cannot read gives no order: names are then
// sorted.
func readOrder(data []byte) propOrder {
	o := propOrder{}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		jsonOrder(t, o)
		return o
	}
	var n yaml.Node
	if yaml.Unmarshal(data, &n) == nil {
		yamlOrder(&n, o)
	}
	return o
}

// jsonOrder reads the keys of each "properties": {…} object of a JSON
// document, skipping their values unread, so it costs little besides
// kin-openapi's own decoding. Nested schemas are read again for each
// level; the bytes read in all are bounded (a few times the document)
// so a deeply nested document cannot make it slow: past that, names
// are sorted.
func jsonOrder(data []byte, o propOrder) {
	key := []byte(`"properties"`)
	budget := int64(4*len(data) + 1<<20)
	for i := 0; budget > 0; {
		j := bytes.Index(data[i:], key)
		if j < 0 {
			return
		}
		i += j + len(key)
		rest := bytes.TrimLeft(data[i:], " \t\r\n")
		if len(rest) == 0 || rest[0] != ':' {
			continue // a string, not a key
		}
		dec := json.NewDecoder(bytes.NewReader(rest[1:]))
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			continue
		}
		var names []string
		for dec.More() {
			k, err := dec.Token()
			name, ok := k.(string)
			var skip skipValue
			if err != nil || !ok || dec.Decode(&skip) != nil {
				names = nil
				break
			}
			names = append(names, name)
		}
		o.add(names)
		budget -= dec.InputOffset()
	}
}

// skipValue reads a JSON value without keeping it.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

func yamlOrder(n *yaml.Node, o propOrder) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := n.Content[i+1]; n.Content[i].Value == "properties" && v.Kind == yaml.MappingNode {
				names := make([]string, 0, len(v.Content)/2)
				for j := 0; j+1 < len(v.Content); j += 2 {
					names = append(names, v.Content[j].Value)
				}
				o.add(names)
			}
		}
	}
	for _, c := range n.Content {
		yamlOrder(c, o)
	}
}

// names are the keys of m in the document's order, or sorted.
func (o propOrder) names(keys []string) []string {
	slices.Sort(keys)
	if doc, ok := o[orderKey(keys)]; ok {
		return doc
	}
	return keys
}

// object is an example object whose members keep their order in JSON.
type object struct {
	keys []string
	vals map[string]any
}

func (m *object) set(k string, v any) {
	if m.vals == nil {
		m.vals = map[string]any{}
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

func (m *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(m.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
