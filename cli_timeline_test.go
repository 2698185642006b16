package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklab/sandbox"
	"hooklab/workspace"
	"hooklab/workspace/poll"
)

// demoRoundTrip fills a data directory as the window's demo does: the
// sandbox payment is sent, and its two webhooks arrive and are linked.
func demoRoundTrip(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ws, err := workspace.Open(workspace.Options{DataDir: dir, History: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Serve(workspace.ServeOptions{Addr: "127.0.0.1:0", SandboxAddr: "127.0.0.1:0", Logger: log.New(io.Discard, "", 0),
		Sandbox: sandbox.Options{CreatedDelay: time.Millisecond, SucceededDelay: 2 * time.Millisecond}}); err != nil {
		t.Fatal(err)
	}
	defer ws.Stop()
	resp, err := ws.Send(context.Background(), "t", workspace.ExampleRequest(), ws.Vars(), "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Close()
	poll.Until(t, "two linked webhooks", func() bool {
		tl, err := ws.Timeline(context.Background(), time.Time{}, 0)
		return err == nil && tl.Count(workspace.ArrowWebhook) == 2
	})
	return dir
}

// `hooklab timeline` draws the demo round trip to a PNG without a
// display, in either theme.
func TestTimelineWritesAPNG(t *testing.T) {
	dir := demoRoundTrip(t)
	for _, tc := range []struct {
		theme string
		dark  bool
	}{{"light", false}, {"dark", true}} {
		t.Run(tc.theme, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "timeline.png")
			var stdout, stderr bytes.Buffer
			code := run([]string{"timeline", "--data-dir", dir, "--out", out, "--theme", tc.theme, "--width", "1200"}, &stdout, &stderr)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if !strings.Contains(stdout.String(), "1 request, 2 linked webhooks") {
				t.Errorf("stdout %q", stdout.String())
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			// The title, the participants and four rows, each over 40 pixels.
			if b.Dx() != 1200 || b.Dy() < 4*40+100 || b.Dy() > 1200 {
				t.Errorf("the picture is %v", b.Size())
			}
			if dark := luminance(img, b.Max.X-2, b.Max.Y-2) < 0.5; dark != tc.dark {
				t.Errorf("theme %s: a corner of luminance %.2f", tc.theme, luminance(img, b.Max.X-2, b.Max.Y-2))
			}
		})
	}
}

func luminance(img image.Image, x, y int) float64 {
	r, g, b, _ := img.At(x, y).RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

func TestTimelineRefuses(t *testing.T) {
	dir := demoRoundTrip(t)
	empty := t.TempDir()
	out := filepath.Join(t.TempDir(), "t.png")
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no --out", []string{"--data-dir", dir}, 2, "--out FILE.png is required"},
		{"bad --since", []string{"--data-dir", dir, "--out", out, "--since", "yesterday"}, 2, `--since: "yesterday" is neither`},
		{"bad --theme", []string{"--data-dir", dir, "--out", out, "--theme", "blue"}, 2, `--theme must be light or dark, not "blue"`},
		{"bad --width", []string{"--data-dir", dir, "--out", out, "--width", "10"}, 2, "--width must be between 400 and 8000"},
		{"bad --zoom", []string{"--data-dir", dir, "--out", out, "--zoom", "9"}, 2, "--zoom must be between 1 and 3"},
		{"an argument", []string{"--data-dir", dir, "--out", out, "extra"}, 2, `unexpected argument "extra"`},
		{"an empty data directory", []string{"--data-dir", empty, "--out", out}, 1, "nothing to draw: " + empty + " holds no Hooklab data"},
		{"nothing since", []string{"--data-dir", dir, "--out", out, "--since", future}, 1, "nothing to draw: no requests or captures since"},
		{"an unwritable --out", []string{"--data-dir", dir, "--out", filepath.Join(empty, "no", "such", "t.png")}, 1, "no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"timeline"}, tc.args...), &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tc.code, tc.err)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(empty, "hooklab.db")); err == nil {
		t.Error("drawing an empty folder made a database in it")
	}
	var help bytes.Buffer
	run([]string{"help"}, &help, io.Discard)
	if !strings.Contains(help.String(), "hooklab timeline --out FILE.png [--since T]") {
		t.Error("the usage does not name hooklab timeline")
	}
}
