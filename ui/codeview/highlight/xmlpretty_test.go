package highlight

import (
	"strings"
	"testing"
)

func TestPrettyXML(t *testing.T) {
	in := `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><n:Paid id="7" note="a&amp;b"><n:Amount>12.00</n:Amount><!-- c --><n:Empty></n:Empty></n:Paid></soap:Body></soap:Envelope>`
	want := `<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <n:Paid id="7" note="a&amp;b">
      <n:Amount>12.00</n:Amount>
      <!-- c -->
      <n:Empty></n:Empty>
    </n:Paid>
  </soap:Body>
</soap:Envelope>`
	got, err := PrettyXML([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for _, bad := range []string{"<a><b></a>", "<a>", "<a></b>"} {
		if _, err := PrettyXML([]byte(bad)); err == nil {
			t.Errorf("%q: malformed XML gave no error", bad)
		}
	}
}

func TestRenderPrettyXML(t *testing.T) {
	res := Render("application/xml", []byte(`<a><b>t</b></a>`), true)
	if !res.Pretty || len(res.Lines) != 3 {
		t.Fatalf("pretty XML: %+v", res)
	}
	res = Render("application/xml", []byte(`<a><b>t</b></a>`), false)
	if res.Pretty || len(res.Lines) != 1 {
		t.Fatalf("raw XML: %+v", res)
	}
	// Malformed XML is shown as it came, still highlighted as XML.
	res = Render("application/xml", []byte(`<a><b>t</a>`), true)
	if res.Pretty || res.Language != XML || !strings.Contains(res.Note, "malformed XML") {
		t.Fatalf("malformed XML: %+v", res)
	}
	if !Render("text/xml", []byte(`<a/>`), true).CanPretty || Render("text/plain", []byte("x"), true).CanPretty ||
		Render("application/json", []byte(`{"a":`), true).CanPretty || !Render("application/json", []byte(`{}`), false).CanPretty {
		t.Fatal("CanPretty")
	}
}

func FuzzPrettyXML(f *testing.F) {
	f.Add([]byte(`<a x="1"><b>t</b><!--c--></a>`))
	f.Add([]byte(`<?xml version="1.0"?><a/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = PrettyXML(b) // must not panic
	})
}
