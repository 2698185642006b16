package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"sort"
	"strconv"
)

// MaxValues bounds the differences JSON reports; past it, it says how
// many more there were.
const MaxValues = 2000

// maxShown bounds one value as shown in a difference.
const maxShown = 200

// parseJSON decodes b as one JSON value (numbers kept as written);
// false when b is empty, not JSON, or followed by more than space.
func parseJSON(b []byte) (any, bool) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

// JSON compares two decoded JSON values structurally: object keys in
// any order, arrays index by index, numbers by value (1200 and 1.2e3
// are equal). The differences come in document order by path, at most
// MaxValues of them; note says how many more there were.
func JSON(a, b any) (values []Value, note string) {
	d := jsonDiff{}
	d.walk("$", a, b)
	if d.more > 0 {
		note = fmt.Sprintf("%d more differences not listed", d.more)
	}
	return d.out, note
}

type jsonDiff struct {
	out  []Value
	more int
}

func (d *jsonDiff) add(v Value) {
	if len(d.out) >= MaxValues {
		d.more++
		return
	}
	d.out = append(d.out, v)
}

func (d *jsonDiff) walk(path string, a, b any) {
	switch x := a.(type) {
	case map[string]any:
		if y, ok := b.(map[string]any); ok {
			d.objects(path, x, y)
			return
		}
	case []any:
		if y, ok := b.([]any); ok {
			n := max(len(x), len(y))
			for i := 0; i < n; i++ {
				p := path + "[" + strconv.Itoa(i) + "]"
				switch {
				case i >= len(y):
					d.add(Value{Kind: Removed, Path: p, Old: shown(x[i])})
				case i >= len(x):
					d.add(Value{Kind: Added, Path: p, New: shown(y[i])})
				default:
					d.walk(p, x[i], y[i])
				}
			}
			return
		}
	}
	if !scalarEqual(a, b) {
		d.add(Value{Kind: Changed, Path: path, Old: shown(a), New: shown(b)})
	}
}

func (d *jsonDiff) objects(path string, x, y map[string]any) {
	keys := make([]string, 0, len(x)+len(y))
	for k := range x {
		keys = append(keys, k)
	}
	for k := range y {
		if _, ok := x[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := path + keyPath(k)
		va, inA := x[k]
		vb, inB := y[k]
		switch {
		case !inB:
			d.add(Value{Kind: Removed, Path: p, Old: shown(va)})
		case !inA:
			d.add(Value{Kind: Added, Path: p, New: shown(vb)})
		default:
			d.walk(p, va, vb)
		}
	}
}

var plainKey = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// keyPath is ".key", or `["odd key"]` for a key that is not a name.
func keyPath(k string) string {
	if plainKey.MatchString(k) {
		return "." + k
	}
	q, _ := json.Marshal(k)
	return "[" + string(q) + "]"
}

// scalarEqual compares two values that are not both objects nor both
// arrays.
func scalarEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		return numberEqual(string(x), string(y))
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	return false // an object or an array against something else
}

// numberEqual compares two JSON numbers written differently: integers
// exactly (ids beyond 2^53 stay apart), others as float64 when both
// are in range.
func numberEqual(x, y string) bool {
	ix, okx := new(big.Int).SetString(x, 10)
	iy, oky := new(big.Int).SetString(y, 10)
	if okx && oky {
		return ix.Cmp(iy) == 0
	}
	fx, errx := strconv.ParseFloat(x, 64)
	fy, erry := strconv.ParseFloat(y, 64)
	return errx == nil && erry == nil && fx == fy
}

// shown is v as compact JSON, cut to maxShown bytes with "…".
func shown(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > maxShown {
		cut := maxShown
		for cut > 0 && b[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		return string(b[:cut]) + "…"
	}
	return string(b)
}
