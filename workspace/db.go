package workspace

import (
	"context"
	"fmt"
	"math"
	"time"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/requester/history"
	"hooklab/workspace/link"
)

// Options say where the workspace keeps its data, how much, and what
// for.
type Options struct {
	// DataDir is the data directory (--data-dir); "" means DataDir's
	// choice.
	DataDir string
	// Retain is how many captures are kept, the newest (--retain);
	// RetainMB how many MiB of their bodies (--retain-mb). 0 means the
	// capture store's defaults.
	Retain, RetainMB int
	// History opens the request history too, in the same database: the
	// window keeps one; listen and the tools do not.
	History bool
	// Tool opens the workspace for a command line tool that reads or
	// clears what the window stored (export, captures clear). It never
	// prunes: the window may keep more than the limits a tool knows of.
	// A database that cannot be opened is an error, not a fallback to
	// memory.
	Tool bool
}

// DataDir returns the data directory: flagValue (--data-dir) when set,
// else $HOOKLAB_DATA_DIR, else the per-user default (capture.DataDir).
func DataDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	return capture.DataDir()
}

// Open opens the workspace: the capture database in the data directory
// (moving an unreadable one aside), its response rules, and the request
// history when asked for, all on one database. Outside Tool mode it
// always succeeds: a data directory that cannot be used leaves the
// captures in memory, without history, and Notes says so.
func Open(o Options) (*Workspace, error) {
	w := &Workspace{client: requester.NewClient(), hub: NewHub(), now: time.Now}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	dir, dirErr := DataDir(o.DataDir)
	openErr := dirErr
	if dirErr == nil {
		openErr = w.openCaptures(dir, o)
	}
	if openErr != nil {
		if o.Tool {
			w.cancel()
			return nil, openErr
		}
		mem := capture.NewMemoryStore(0, 0)
		w.store, w.rules = mem, &capture.MemoryRules{}
		w.storeNotes = append(w.storeNotes, fmt.Sprintf("Captures are kept in memory only and will be lost on exit: %v", openErr))
	}
	if w.sqlite != nil {
		w.links = link.New(w.linkDB())
		if !o.Tool {
			w.startLinker()
		}
	}
	w.unwatch = w.store.OnChange(w.relay)
	if !o.History {
		if dirErr == nil {
			w.dir = dir
		}
		return w, nil
	}
	switch {
	case dirErr != nil:
		w.historyNotes = append(w.historyNotes, "Requests are not kept in history and no collections are available: "+dirErr.Error())
	case w.sqlite == nil:
		w.dir = dir
		w.historyNotes = append(w.historyNotes, "Requests are not kept in history: "+openErr.Error())
	default:
		w.dir = dir
		hist, err := history.New(sharedDB(w.sqlite), history.Options{})
		if err != nil {
			w.historyNotes = append(w.historyNotes, "Requests are not kept in history: "+err.Error())
		} else {
			w.hist = hist
		}
	}
	return w, nil
}

// openCaptures opens the capture database in dir. A database that was
// unreadable was moved aside by OpenSQLite; that becomes a note.
func (w *Workspace) openCaptures(dir string, o Options) error {
	opts := capture.SQLiteOptions{MaxCaptures: o.Retain, MaxBodyBytes: int64(o.RetainMB) << 20}
	if o.Tool {
		opts = capture.SQLiteOptions{MaxCaptures: math.MaxInt, MaxBodyBytes: math.MaxInt64}
	}
	db, rec, err := capture.OpenSQLite(dir, opts)
	if err != nil {
		return err
	}
	w.store, w.rules, w.sqlite = db, db, db
	if rec != nil {
		note := fmt.Sprintf("The capture database could not be read (%s). It was moved to %s and a new one was started.", rec.Reason, rec.MovedTo)
		if o.Tool {
			note = fmt.Sprintf("the capture database could not be read (%s); it was moved to %s", rec.Reason, rec.MovedTo)
		}
		w.storeNotes = append(w.storeNotes, note)
	}
	return nil
}

// sharedDB is the capture database as the history uses it: reads on the
// capture store's pool, writes through its writer.
func sharedDB(s *capture.SQLiteStore) history.DB {
	return history.DB{
		Name: s.Path(),
		Read: s.ReadDB(),
		Write: func(ctx context.Context, fn func(context.Context, history.Tx) error) error {
			return s.WriteTx(ctx, func(ctx context.Context, tx capture.Tx) error { return fn(ctx, tx) })
		},
	}
}

// relay publishes a change of the capture store as its event.
func (w *Workspace) relay(c capture.Change) {
	switch {
	case c.Added != nil:
		w.hub.Publish(CapturesAdded{Summaries: c.Added})
		w.queueLinks(c.Added)
	case c.Pruned > 0:
		w.hub.Publish(CapturesPruned{N: c.Pruned})
		w.queuePrune()
	case c.Deleted != "":
		w.fwd.forget(c.Deleted)
		w.hub.Publish(CaptureDeleted{ID: c.Deleted})
	case c.Cleared:
		w.fwd.forget("")
		w.hub.Publish(CapturesCleared{})
	case c.External:
		w.hub.Publish(CapturesChanged{})
	}
}
