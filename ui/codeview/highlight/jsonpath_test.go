package highlight

import "testing"

func TestPathAt(t *testing.T) {
	body := `{"id":"evt_1","data":{"object":{"id":"pay_1","items":[{"sku":"a"},{"sku":"b"}],"odd key":1}},"tags":["x","y"]}`
	res := Render("application/json", []byte(body), true)
	want := map[int]string{
		0:  "$",
		1:  "$.id",
		2:  "$.data",
		3:  "$.data.object",
		4:  "$.data.object.id",
		5:  "$.data.object.items",
		6:  "$.data.object.items[0]",
		7:  "$.data.object.items[0].sku",
		8:  "$.data.object.items[0]",
		9:  "$.data.object.items[1]",
		10: "$.data.object.items[1].sku",
		12: "$.data.object.items",
		13: `$.data.object["odd key"]`,
		16: "$.tags",
		17: "$.tags[0]",
		18: "$.tags[1]",
	}
	for row, w := range want {
		if got, ok := PathAt(res.Lines, row); !ok || got != w {
			t.Errorf("row %d %q: got %q, want %q", row, text(res.Lines[row]), got, w)
		}
	}
	if _, ok := PathAt(res.Lines, len(res.Lines)); ok {
		t.Error("a row past the end has a path")
	}
}
