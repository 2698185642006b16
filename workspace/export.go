package workspace

import (
	"context"
	"fmt"
	"io"
	"strings"

	"hooklab/capture"
	"hooklab/requester"
)

// ExportFormat is a format captures can be exported in.
type ExportFormat struct {
	Name  string // as --format takes it, and the file's extension: "har"
	Label string // as a menu names it: "HAR"
}

// exportFormats are the formats, the command line's default first.
var exportFormats = []ExportFormat{
	{Name: "jsonl", Label: "JSON lines"},
	{Name: "har", Label: "HAR"},
}

// ExportFormats returns the formats Export writes, the command line's
// default first.
func ExportFormats() []ExportFormat { return append([]ExportFormat(nil), exportFormats...) }

// ExportFormatNames returns the names of the formats, joined by " or ":
// "jsonl or har".
func ExportFormatNames() string {
	names := make([]string, len(exportFormats))
	for i, f := range exportFormats {
		names[i] = f.Name
	}
	return strings.Join(names, " or ")
}

// IsExportFormat reports whether Export writes a format of that name.
func IsExportFormat(name string) bool {
	for _, f := range exportFormats {
		if f.Name == name {
			return true
		}
	}
	return false
}

// Export writes the captures matching f to out in the named format,
// oldest first, and returns how many it wrote: "jsonl" is one JSON line
// each (the lines of `hooklab listen`, with "caused_by" for a capture
// linked to the request that caused it and "forward" for one forwarded
// to its endpoint's URL), "har" a HAR 1.2 log. It stops
// between two captures once ctx ends, returning ctx's error.
func (w *Workspace) Export(ctx context.Context, out io.Writer, format string, f capture.Filter) (int, error) {
	s := ctxStore{Store: w.store, ctx: ctx}
	switch format {
	case "jsonl":
		return capture.WriteJSONLWith(out, s, f, w.exportAnnotate(ctx))
	case "har":
		return capture.WriteHAR(out, s, f, requester.Version)
	}
	return 0, fmt.Errorf("export format %q: want %s", format, ExportFormatNames())
}

// ctxStore is a store whose Scan stops once ctx ends.
type ctxStore struct {
	capture.Store
	ctx context.Context
}

func (s ctxStore) Scan(f capture.Filter, fn func(*capture.Capture) error) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	return s.Store.Scan(f, func(c *capture.Capture) error {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		return fn(c)
	})
}

// exportAnnotate completes each JSON line of an export with what caused
// its capture ("caused_by") and how forwarding it went ("forward").
func (w *Workspace) exportAnnotate(ctx context.Context) func(*capture.JSONLine) error {
	cause := w.exportCause(ctx)
	return func(l *capture.JSONLine) (err error) {
		if cause != nil {
			if l.CausedBy, err = cause(l.ID); err != nil {
				return err
			}
		}
		l.Forward, err = w.exportForward(ctx, l.ID)
		return err
	}
}

// exportCause returns what the JSON lines of an export say caused each
// capture; nil when nothing is linked.
func (w *Workspace) exportCause(ctx context.Context) func(string) (*capture.CausedBy, error) {
	if w.links == nil {
		return nil
	}
	return func(id string) (*capture.CausedBy, error) {
		l, ok, err := w.links.CausedBy(ctx, id)
		if err != nil || !ok {
			return nil, err
		}
		return &capture.CausedBy{RequestID: l.Request.ID, Method: l.Request.Method, URL: l.Request.URL, Status: l.Request.Status, SharedID: l.SharedID}, nil
	}
}
