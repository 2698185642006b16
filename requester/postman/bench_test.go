package postman

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkImport reads a collection of 1,000 requests in 50 folders,
// each with headers, a JSON body and inherited auth.
func BenchmarkImport(b *testing.B) {
	var items []string
	for f := 0; f < 50; f++ {
		var reqs []string
		for r := 0; r < 20; r++ {
			reqs = append(reqs, fmt.Sprintf(`{"name": "req %d", "request": {"method": "POST", "header": [{"key": "Accept", "value": "application/json"}, {"key": "X-Trace", "value": "{{trace}}", "disabled": true}],
				"url": {"raw": "{{base}}/v1/things/:id?page=%d", "variable": [{"key": "id", "value": "%d"}], "query": [{"key": "page", "value": "%d"}]},
				"body": {"mode": "raw", "raw": "{\"n\": %d, \"text\": \"%s\"}", "options": {"raw": {"language": "json"}}}}}`, r, r, r, r, r, strings.Repeat("x", 200)))
		}
		items = append(items, fmt.Sprintf(`{"name": "folder %d", "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}"}]}, "item": [%s]}`, f, strings.Join(reqs, ",")))
	}
	data := []byte(`{"info": {"name": "big", "schema": "` + SchemaV21 + `"}, "item": [` + strings.Join(items, ",") + `]}`)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		c, _, err := Import(data)
		if err != nil || len(c.Items) != 50 {
			b.Fatal(err)
		}
	}
}
