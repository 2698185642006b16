package capture

import (
	"encoding/binary"
	"errors"
	"net/http"
)

// Headers are stored as BLOBs in a length-prefixed form rather than as
// JSON: JSON turns bytes that are not UTF-8 (which HTTP allows in header
// values) into U+FFFD, so a header would not come back as it arrived,
// and encoding/json's reflection is a good part of an Add's cost.
//
// The form: uvarint(number of names), then per name uvarint(len), the
// name, uvarint(number of values), and per value uvarint(len), the value.
// A nil Header is stored as NULL, so nil and empty stay apart.

var errBadHeaderBlob = errors.New("stored header is malformed")

func encodeHeader(h http.Header) []byte {
	if h == nil {
		return nil
	}
	size := binary.MaxVarintLen64
	for name, values := range h {
		size += 2*binary.MaxVarintLen64 + len(name)
		for _, v := range values {
			size += binary.MaxVarintLen64 + len(v)
		}
	}
	b := make([]byte, 0, size)
	b = binary.AppendUvarint(b, uint64(len(h)))
	for name, values := range h {
		b = binary.AppendUvarint(b, uint64(len(name)))
		b = append(b, name...)
		b = binary.AppendUvarint(b, uint64(len(values)))
		for _, v := range values {
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		}
	}
	return b
}

func decodeHeader(b []byte) (http.Header, error) {
	if b == nil {
		return nil, nil
	}
	// Every count and length is checked against what is left, so a
	// damaged blob cannot make us allocate more than it holds.
	next := func() (int, bool) {
		n, size := binary.Uvarint(b)
		if size <= 0 || n > uint64(len(b)-size) {
			return 0, false
		}
		b = b[size:]
		return int(n), true
	}
	str := func() (string, bool) {
		n, ok := next()
		if !ok || n > len(b) {
			return "", false
		}
		s := string(b[:n])
		b = b[n:]
		return s, true
	}
	names, ok := next()
	if !ok {
		return nil, errBadHeaderBlob
	}
	h := make(http.Header, names)
	for range names {
		name, ok := str()
		if !ok {
			return nil, errBadHeaderBlob
		}
		n, ok := next()
		if !ok {
			return nil, errBadHeaderBlob
		}
		values := make([]string, 0, n)
		for range n {
			v, ok := str()
			if !ok {
				return nil, errBadHeaderBlob
			}
			values = append(values, v)
		}
		h[name] = values
	}
	if len(b) != 0 {
		return nil, errBadHeaderBlob
	}
	return h, nil
}
