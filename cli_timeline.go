package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"hooklab/capture"
	"hooklab/ui"
	"hooklab/ui/timeline"
	"hooklab/workspace"
)

// runTimeline draws the exchange stored in the data directory as a
// sequence diagram in a PNG, without a display: Fyne's test app and its
// software renderer draw what the window's timeline draws. Nothing to
// draw is an error (exit 1) and writes no file, so a script making
// slides notices an empty or wrong data directory.
func runTimeline(args []string, stdout, stderr io.Writer) int {
	fs := bareFlagSet("timeline", stderr)
	since := fs.String("since", "", "RFC 3339 time or duration back from now; default everything kept")
	dir := fs.String("data-dir", "", "data directory")
	out := fs.String("out", "", "PNG file to write")
	variant := fs.String("theme", "light", "light or dark")
	width := fs.Int("width", 1400, "width of the picture")
	zoom := fs.Float64("zoom", timeline.DefaultZoom, "size of the labels, times the normal text size (1–3)")
	scale := fs.Float64("scale", 1, "pixels per point, e.g. 2 for a sharp slide (1–4)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "hooklab timeline: "+format+"\n", a...)
		return code
	}
	if *out == "" {
		return fail(2, "--out FILE.png is required")
	}
	var from time.Time
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			return fail(2, "--since: %v", err)
		}
		from = t
	}
	var v = theme.VariantLight
	switch *variant {
	case "light":
	case "dark":
		v = theme.VariantDark
	default:
		return fail(2, "--theme must be light or dark, not %q", *variant)
	}
	if *width < 400 || *width > 8000 {
		return fail(2, "--width must be between 400 and 8000, not %d", *width)
	}
	if *zoom < timeline.MinZoom || *zoom > timeline.MaxZoom {
		return fail(2, "--zoom must be between %g and %g, not %g", timeline.MinZoom, timeline.MaxZoom, *zoom)
	}
	if *scale < 1 || *scale > 4 {
		return fail(2, "--scale must be between 1 and 4, not %g", *scale)
	}
	data, err := workspace.DataDir(*dir)
	if err != nil {
		return fail(1, "%v", err)
	}
	// A tool opening an empty folder would make a database there; a
	// folder without one has nothing to draw.
	if _, err := os.Stat(filepath.Join(data, capture.DBFileName)); errors.Is(err, iofs.ErrNotExist) {
		return fail(1, "nothing to draw: %s holds no Hooklab data (no %s)", data, capture.DBFileName)
	}
	ws, err := workspace.Open(workspace.Options{DataDir: data, Tool: true, History: true})
	if err != nil {
		return fail(1, "%v", err)
	}
	defer ws.Close()
	for _, n := range ws.Notes() {
		fmt.Fprintln(stderr, n)
	}
	tl, err := ws.Timeline(context.Background(), from, timeline.MaxPictureArrows)
	if err != nil {
		return fail(1, "%v", err)
	}
	if tl.Empty() {
		if from.IsZero() {
			return fail(1, "nothing to draw: no requests or captures in %s", data)
		}
		return fail(1, "nothing to draw: no requests or captures since %s in %s", from.Local().Format(time.RFC3339), data)
	}
	app := test.NewApp()
	defer app.Quit()
	app.Settings().SetTheme(timeline.InVariant(ui.Theme(), v))
	img := timeline.Render(tl, timeline.Options{Width: float32(*width), Zoom: float32(*zoom), Scale: float32(*scale)})
	b, err := timeline.EncodePNG(img)
	if err != nil {
		return fail(1, "%v", err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fail(1, "%v", err)
	}
	fmt.Fprintf(stdout, "wrote %s (%d×%d): %s\n", *out, img.Bounds().Dx(), img.Bounds().Dy(), timeline.Title(tl))
	return 0
}
