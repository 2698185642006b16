// Package timeline draws the exchange as a sequence diagram: lanes for
// you (Hooklab), the API and your webhook endpoint; an arrow for each
// request, its response and each webhook it caused; captures no call is
// known to have caused on rows of their own. It is drawn with canvas
// lines, text and rectangles, live while events arrive, and exports as
// PNG in the window and without one (`hooklab timeline`).
package timeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hooklab/ui/bridge"
	"hooklab/ui/dialogs"
	"hooklab/ui/widgets"
	"hooklab/workspace"
)

// Config is what the panel draws from and asks with.
type Config struct {
	Workspace *workspace.Workspace
	Bridge    *bridge.Bridge
	Dialogs   dialogs.Dialogs
	// Started is when the window opened: "This session" starts there.
	Started time.Time
	// Now is the clock the other spans count back from (time.Now when nil).
	Now func() time.Time
}

// spans are the choices of the Since picker, and how far back each goes
// (0: since the window opened).
var spans = []struct {
	name string
	back time.Duration
}{
	{"This session", 0},
	{"Last 10 minutes", 10 * time.Minute},
	{"Last hour", time.Hour},
	{"Last 24 hours", 24 * time.Hour},
}

// Panel is the timeline with its toolbar: what it covers, the text
// size, and Export PNG….
type Panel struct {
	Diagram  *Diagram
	Since    *widget.Select
	ZoomOut  *widget.Button
	ZoomIn   *widget.Button
	Export   *widget.Button
	Summary  *widget.Label
	cfg      Config
	content  fyne.CanvasObject
	active   bool
	loading  bool // a read is running (UI goroutine)
	stale    bool // something changed while it ran
	loadedAt int  // reads applied, for tests
}

// New builds the panel and hands its event handler to the bridge; it
// reads nothing until SetActive(true).
func New(cfg Config) *Panel {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := &Panel{cfg: cfg, Diagram: NewDiagram()}
	p.Diagram.Empty = "Nothing to draw yet: send a request (Ctrl+Enter) and its webhooks appear here."
	names := make([]string, len(spans))
	for i, s := range spans {
		names[i] = s.name
	}
	p.Since = widget.NewSelect(names, func(string) { p.Reload() })
	p.Since.SetSelectedIndex(0)
	p.ZoomOut = widgets.LowButton("", theme.ZoomOutIcon(), func() { p.Diagram.SetZoom(p.Diagram.Zoom() - zoomStep); p.syncZoom() })
	p.ZoomIn = widgets.LowButton("", theme.ZoomInIcon(), func() { p.Diagram.SetZoom(p.Diagram.Zoom() + zoomStep); p.syncZoom() })
	p.Export = widget.NewButtonWithIcon("Export PNG…", theme.DocumentSaveIcon(), p.ExportPNG)
	p.Summary = widget.NewLabel("")
	p.Summary.Truncation = fyne.TextTruncateEllipsis
	bar := container.NewBorder(nil, nil,
		container.NewHBox(widget.NewLabelWithStyle("Timeline", fyne.TextAlignLeading, widgets.Bold), p.Since),
		container.NewHBox(p.ZoomOut, p.ZoomIn, p.Export),
		p.Summary)
	p.content = container.NewBorder(container.NewVBox(bar, widget.NewSeparator()), nil, nil, nil, p.Diagram)
	cfg.Bridge.Handle(p.handle)
	p.syncZoom()
	return p
}

// Content is the panel's root object.
func (p *Panel) Content() fyne.CanvasObject { return p.content }

// SetActive starts (reading the timeline at once) or stops following
// the workspace's events: a hidden timeline reads nothing.
func (p *Panel) SetActive(on bool) {
	p.active = on
	if on {
		p.Reload()
	}
}

// AddKeys gives canvas c (the timeline's window) its keys: the arrows,
// Page Up/Down, Home and End scroll; Ctrl+= and Ctrl+- zoom (Cmd on
// macOS), Ctrl+0 goes back to the default size.
func (p *Panel) AddKeys(c fyne.Canvas) {
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) { p.Diagram.TypedKey(ev.Name) })
	zoom := func(key fyne.KeyName, to func() float32) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			p.Diagram.SetZoom(to())
			p.syncZoom()
		})
	}
	zoom(fyne.KeyEqual, func() float32 { return p.Diagram.Zoom() + zoomStep })
	zoom(fyne.KeyPlus, func() float32 { return p.Diagram.Zoom() + zoomStep })
	zoom(fyne.KeyMinus, func() float32 { return p.Diagram.Zoom() - zoomStep })
	zoom(fyne.Key0, func() float32 { return DefaultZoom })
}

// Active reports whether the panel follows the workspace's events.
func (p *Panel) Active() bool { return p.active }

// Loaded is how many reads were applied so far.
func (p *Panel) Loaded() int { return p.loadedAt }

func (p *Panel) syncZoom() {
	z := p.Diagram.Zoom()
	if z <= MinZoom {
		p.ZoomOut.Disable()
	} else {
		p.ZoomOut.Enable()
	}
	if z >= MaxZoom {
		p.ZoomIn.Disable()
	} else {
		p.ZoomIn.Enable()
	}
}

// handle reads the timeline again when what it draws changed.
func (p *Panel) handle(events []workspace.Event) {
	if !p.active {
		return
	}
	for _, e := range events {
		switch e.(type) {
		case workspace.CapturesAdded, workspace.CaptureDeleted, workspace.CapturesCleared,
			workspace.CapturesPruned, workspace.CapturesChanged, workspace.CaptureLinked,
			workspace.HistoryAdded, workspace.HistoryChanged:
			p.Reload()
			return
		}
	}
}

// since is where the picked span starts.
func (p *Panel) since() time.Time {
	s := spans[max(p.Since.SelectedIndex(), 0)]
	if s.back == 0 {
		return p.cfg.Started
	}
	return p.cfg.Now().Add(-s.back)
}

// Reload reads the timeline through the bridge and draws it. One read
// runs at a time: a change seen meanwhile reads once more when it ends,
// so a burst of webhooks costs a few reads, each of them finished.
func (p *Panel) Reload() {
	if !p.active {
		return
	}
	if p.loading {
		p.stale = true
		return
	}
	p.loading = true
	since := p.since()
	ws := p.cfg.Workspace
	p.cfg.Bridge.Load("timeline", func(ctx context.Context) func() {
		tl, err := ws.Timeline(ctx, since, 0)
		return func() {
			p.loading = false
			if err == nil {
				p.Diagram.Empty = fmt.Sprintf("Nothing since %s: send a request (Ctrl+Enter) and it, its response and its webhooks appear here.",
					since.Local().Format("15:04:05"))
				p.Diagram.SetTimeline(tl)
				p.Summary.SetText(Title(tl))
			} else {
				p.Summary.SetText("The timeline could not be read: " + err.Error())
			}
			p.loadedAt++
			if p.stale {
				p.stale = false
				p.Reload()
			}
		}
	})
}

// exportWait bounds how long a save waits for the picture being drawn
// (the window may close meanwhile).
const exportWait = time.Minute

// ExportPNG asks where to save what the diagram shows now, as a PNG.
// The picture is laid out at once and drawn in short steps on the UI
// goroutine while the user picks a file; it is encoded and written off
// the UI goroutine.
func (p *Panel) ExportPNG() {
	ready := make(chan image.Image, 1)
	p.Diagram.Snapshot(widgets.Do, func(img image.Image) { ready <- img })
	name := "hooklab-timeline-" + p.cfg.Now().Format("20060102-150405") + ".png"
	dialogs.SaveStream(p.cfg.Dialogs, name, func() (io.ReadCloser, error) {
		var img image.Image
		select {
		case img = <-ready:
		case <-time.After(exportWait):
			return nil, errors.New("the picture of the timeline was not drawn in time")
		}
		b, err := EncodePNG(img)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	})
}
