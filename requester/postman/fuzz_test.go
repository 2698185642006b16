package postman

import (
	"testing"
)

// FuzzImport: any bytes give a collection or an error, never a panic;
// what imports also exports, and the export imports again.
func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"info": {"schema": "` + SchemaV21 + `"}, "item": [{"name": "a", "request": {"url": "http://x/:id", "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "t"}]}}}]}`))
	f.Add([]byte(`{"info": {"schema": "` + SchemaV20 + `"}, "item": [{"name": "f", "item": [{"request": "http://x"}], "auth": {"type": "basic", "basic": {"username": "u"}}}]}`))
	f.Add([]byte(`{"name": "env", "values": [{"key": "k", "value": 1, "type": "secret"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if IsEnvironment(data) {
			if env, err := ImportEnvironment(data); err == nil {
				if _, err := ExportEnvironment(env, true); err != nil {
					t.Fatalf("export of an imported environment: %v", err)
				}
			}
		}
		c, _, err := Import(data)
		if err != nil {
			return
		}
		out, _, err := Export(c)
		if err != nil {
			t.Fatalf("export of an imported collection: %v", err)
		}
		if _, _, err := Import(out); err != nil {
			t.Fatalf("the export does not import: %v\n%s", err, out)
		}
	})
}
