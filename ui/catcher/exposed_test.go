package catcher

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

type fakeExposure struct {
	e  workspace.Exposure
	ok bool
}

func (f fakeExposure) Exposure() (workspace.Exposure, bool) { return f.e, f.ok }

func TestExposedBadgeHiddenOnLoopback(t *testing.T) {
	r := newRig(t)
	if r.c.exposed.Visible() {
		t.Fatal("the catcher on 127.0.0.1 shows itself reachable from the network")
	}
}

// Exposed, the badge shows; tapped, it lists the LAN URLs with the
// token and the token, each with a Copy button that copies it whole.
func TestExposedBadgeShowsURLsAndToken(t *testing.T) {
	test.NewTempApp(t)
	d := &dialogstest.Fake{}
	b := newExposedBadge(fakeExposure{workspace.Exposure{URLs: []string{"http://192.168.1.20:8088/"}, Token: "tok123"}, true}, d)
	var copied []string
	b.copy = func(s string) { copied = append(copied, s) }
	var timers []func()
	b.after = func(_ time.Duration, f func()) { timers = append(timers, f) }
	if !b.Visible() || b.Text != "Reachable from the network" {
		t.Fatalf("badge visible %v, text %q", b.Visible(), b.Text)
	}
	test.Tap(b.Button)
	a, ok := d.Last()
	if !ok || a.Kind != dialogstest.Custom || a.Title != "Reachable from the network" {
		t.Fatalf("asked %+v", d.Asked)
	}
	var labels []string
	var copies []*widgets.CopyButton
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *widget.Label:
			labels = append(labels, o.Text)
		case *widgets.CopyButton:
			if o.Text == "Copy" {
				copies = append(copies, o)
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		}
	}
	walk(a.Content)
	all := strings.Join(labels, "\n")
	if !strings.Contains(all, "http://192.168.1.20:8088/?hooklab_token=tok123") || !strings.Contains(all, "tok123") {
		t.Fatalf("dialog says:\n%s", all)
	}
	if len(copies) != 2 {
		t.Fatalf("%d Copy buttons", len(copies))
	}
	for _, c := range copies {
		test.Tap(c)
		if c.Text != "Copied" {
			t.Fatalf("a Copy says %q after its copy", c.Text)
		}
	}
	if strings.Join(copied, " ") != "http://192.168.1.20:8088/?hooklab_token=tok123 tok123" {
		t.Fatalf("copied %q", copied)
	}
	for _, f := range timers {
		f()
	}
	for _, c := range copies {
		if c.Text != "Copy" {
			t.Fatalf("a Copy says %q after its time", c.Text)
		}
	}
}

// The Raw tab shows the head as it arrived: the escaped path, header
// names in their case and order, a byte that is not UTF-8 as \xE9.
func TestRawTabShowsTheHeadAsReceived(t *testing.T) {
	r := newRig(t)
	cat := r.c
	conn, err := net.Dial("tcp", strings.TrimPrefix(r.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "POST /a%2Fb?z=1&a=2 HTTP/1.1\r\nHost: h\r\nx-lower-CASE: caf\xe9\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
	_, _ = io.ReadAll(conn)
	r.loop.WaitFor(t, "capture", func() bool { return cat.pager.total == 1 })
	cat.Select(0)
	r.loop.WaitFor(t, "raw tab", func() bool { return strings.Contains(cat.Raw.Text(), "hi") })
	raw := cat.Raw.Text()
	if !strings.HasPrefix(raw, "POST /a%2Fb?z=1&a=2 HTTP/1.1\nHost: h\nx-lower-CASE: caf\\xE9\nContent-Length: 2\nConnection: close\n") {
		t.Fatalf("raw tab:\n%s", raw)
	}
}
