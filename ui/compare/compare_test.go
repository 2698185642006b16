package compare

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/widgets"
	"hooklab/workspace/diff"
)

func newApp(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(widgets.Theme())
}

func TestPickerGroups(t *testing.T) {
	newApp(t)
	var picked []string
	pick := func(s string) func() { return func() { picked = append(picked, s) } }
	p := NewPicker("Compare x with:",
		Group{Title: "Webhooks this call caused", Choices: []Choice{{Label: "a", Pick: pick("a")}, {Label: "b", Pick: pick("b")}}},
		Group{Title: "Nothing here"},
		Group{Title: "Recent captures", Choices: []Choice{{Label: "c", Pick: pick("c")}}})
	want := []string{"Webhooks this call caused", "a", "b", "Recent captures", "c"}
	if got := p.Rows(); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	for i := range want {
		p.List.Select(i)
	}
	if !reflect.DeepEqual(picked, []string{"a", "b", "c"}) {
		t.Errorf("picked %q", picked)
	}
	// A group without a title: its choices alone.
	p = NewPicker("Compare x with:", Group{Title: "T"}, Group{Choices: []Choice{{Label: "c", Pick: pick("c")}}})
	if got := p.Rows(); !reflect.DeepEqual(got, []string{"c"}) || p.Empty() {
		t.Errorf("rows %q", got)
	}
	if !NewPicker("x", Group{Title: "T"}).Empty() {
		t.Error("a picker of empty groups is not empty")
	}
}

func TestLabels(t *testing.T) {
	at := time.Date(2026, 1, 2, 12, 1, 2, 608e6, time.UTC)
	if got := ResponseLabel(at, "POST", "/v1/payments", "201 Created"); got != "12:01:02.608 POST /v1/payments → 201 Created" {
		t.Errorf("ResponseLabel = %q", got)
	}
	if got := ResponseLabel(time.Time{}, "GET", "/", "200 OK"); got != "GET / → 200 OK" {
		t.Errorf("ResponseLabel without a time = %q", got)
	}
	if got := ResponseLabel(time.Time{}, "", "", "200 OK"); got != "200 OK" {
		t.Errorf("ResponseLabel of an unknown call = %q", got)
	}
}

// A payment response against the event carrying it: the view compares
// the body with data.object first, lists its differences before those
// of the first lines, colours the change, and switches to the whole
// bodies (listed after the first lines, as between two captures) and
// back.
func TestViewNarrowsToTheCarriedObject(t *testing.T) {
	newApp(t)
	resp := diff.Message{Start: "201 Created", Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"id":"pay_1","amount":1200,"status":"pending"}`)}
	hook := diff.Message{Start: "POST /payments", Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"id":"evt_1","type":"payment.succeeded","data":{"object":{"id":"pay_1","amount":1200,"status":"succeeded"}}}`)}
	cmp := Compute("the response", resp, "the webhook", hook)
	if cmp.Within != "$.data.object" {
		t.Fatalf("within %q", cmp.Within)
	}
	v := NewView(cmp)
	narrowed := []string{"Body against $.data.object of the new one, as JSON (1 differ)", `~ $.status: "pending" → "succeeded"`,
		"First line", "~ 201 Created → POST /payments"}
	if got := v.Texts(); !reflect.DeepEqual(got, narrowed) {
		t.Fatalf("rows %q", got)
	}
	row := v.List.CreateItem()
	v.List.UpdateItem(1, row)
	if seg := row.(*widget.RichText).Segments[0].(*widget.TextSegment); seg.Style.ColorName != theme.ColorNameWarning {
		t.Errorf("a changed value is coloured %q", seg.Style.ColorName)
	}
	test.Tap(v.Narrow)
	whole := []string{"First line", "~ 201 Created → POST /payments", "Body, as JSON (5 differ)", `− $.amount: removed 1200`,
		`+ $.data: added {"object":{"amount":1200,"id":"pay_1","status":"succeeded"}}`,
		`~ $.id: "pay_1" → "evt_1"`, `− $.status: removed "pending"`, `+ $.type: added "payment.succeeded"`}
	if got := v.Texts(); !reflect.DeepEqual(got, whole) {
		t.Fatalf("whole bodies %q", got)
	}
	test.Tap(v.Narrow)
	if got := v.Texts(); !reflect.DeepEqual(got, narrowed) {
		t.Errorf("back: %q", got)
	}
}

// Two equal messages: one row says so, and nothing is offered to narrow.
func TestViewSame(t *testing.T) {
	newApp(t)
	m := diff.Message{Start: "POST /a", Body: []byte(`{"a":1,"b":2}`)}
	v := NewView(Compute("a", m, "b", m))
	if got := v.Texts(); !reflect.DeepEqual(got, []string{"No differences: the first lines, headers and bodies are the same."}) || v.Narrow != nil || v.Lines != nil {
		t.Errorf("rows %q, narrow %v", got, v.Narrow)
	}
}
