package workspace

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"hooklab/capture"
)

// TestOptionsStarIsCaptured: "OPTIONS *", which net/http answers by
// itself by default, is captured like any other request.
func TestOptionsStarIsCaptured(t *testing.T) {
	w := openTest(t, t.TempDir())
	s := serveTest(t, w, ServeOptions{})
	c, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(s.CatcherURL, "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	list, err := w.Store().List(capture.Filter{}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Method != "OPTIONS" || list[0].Path != "*" {
		t.Fatalf("stored %+v (answered %d)", list, res.StatusCode)
	}
}
