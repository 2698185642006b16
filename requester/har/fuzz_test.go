package har

import "testing"

// FuzzImport: any bytes give a collection or an error, never a panic.
func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"log": {"version": "1.2", "entries": [{"request": {"method": "POST", "url": "http://a.test/x?y=1", "headers": [{"name": ":path", "value": "/"}], "postData": {"mimeType": "multipart/form-data", "params": [{"name": "f", "fileName": "a.txt"}]}}}]}}`))
	f.Add([]byte(`{"log": {"entries": [{"request": {"url": "https://[::1]:8/"}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _, err := Import(data)
		if err != nil {
			return
		}
		for _, folder := range c.Items {
			for _, it := range folder.Children {
				if it.Request == nil || it.Request.URL == "" {
					t.Fatalf("empty request imported: %+v", it)
				}
			}
		}
	})
}
