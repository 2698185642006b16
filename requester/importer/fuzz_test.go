package importer

import "testing"

// FuzzDetect: any bytes are recognised as one format or refused with a
// message, never a panic.
func FuzzDetect(f *testing.F) {
	f.Add([]byte(`{"info": {"schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}, "item": []}`))
	f.Add([]byte(`{"log": {"version": "1.2", "entries": []}}`))
	f.Add([]byte(`{"name": "e", "values": []}`))
	f.Add([]byte("curl -X POST http://x -d a=1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		format, err := detectData(data)
		if (format == "") == (err == nil) {
			t.Fatalf("format %q with error %v", format, err)
		}
	})
}
