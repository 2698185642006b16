package openapi

import (
	"fmt"
	"slices"
	"testing"
)

// FuzzReadOrder: the property order read from any bytes never panics, and
// each order it records is an order of the names it is found by.
func FuzzReadOrder(f *testing.F) {
	f.Add([]byte(`{"components": {"schemas": {"A": {"properties": {"z": {}, "a": {"properties": {"y": 1, "b": 2}}}}}}}`))
	f.Add([]byte("openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      properties:\n        z: {}\n        a: {}\n"))
	f.Add([]byte(`{"description": "\"properties\": {", "properties": {"b": 1, "a": [1, {"properties": {"d": 1, "c": 2}}]}}`))
	f.Add([]byte(`{"properties": {"a": 1, "a": 2}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for key, names := range readOrder(data) {
			if orderKey(names) != key {
				t.Fatalf("order %q under key %q", names, key)
			}
			if got := readOrder(data).names(slices.Clone(names)); !slices.Equal(got, names) {
				t.Fatalf("names(%q) = %q", names, got)
			}
		}
	})
}

// Deeply nested properties are read again at each level; the bytes read in
// all are bounded, so a hostile document costs a few times its size, not
// its size times its depth. Past the bound names are sorted.
func TestReadOrderBounded(t *testing.T) {
	const depth = 3000
	var b []byte
	for i := range depth {
		b = fmt.Appendf(b, `{"properties": {"z%d": 1, "a%d": `, i, i)
	}
	b = append(b, "1"...)
	for range depth {
		b = append(b, "}}"...)
	}
	o := propOrder{}
	jsonOrder(b, o)
	if len(o) == 0 || len(o) >= depth/2 {
		t.Errorf("%d orders read from %d nested levels (%d bytes): the bound did not hold", len(o), depth, len(b))
	}
}
