// Command hooklab is a webhook catcher and API request composer in one
// window. With no arguments it opens the window; subcommands run
// without one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"hooklab/capture"
	"hooklab/capture/signature"
	"hooklab/requester"
	"hooklab/workspace"
	"hooklab/workspace/forward"
)

// Version is Hooklab's version: FyneApp.toml's, stamped by the Makefile.
var Version = requester.Version

const usage = `Hooklab %s: catch webhooks, compose API calls, see both in one window.

Usage:
  hooklab [flags]                  open the window
  hooklab listen [flags]           catch without a window; one JSON line per capture on stdout
  hooklab export [--format jsonl|har] [--since T] [--endpoint E] [--out FILE] [--data-dir DIR]
                                   write stored captures (oldest first) to stdout or FILE
  hooklab captures clear [--data-dir DIR]
                                   delete every stored capture
  hooklab run PATH [--env NAME] [--var k=v]… [--json] [--data-dir DIR]
                                   send a request file, or every request of a collection
                                   folder in order; exit 1 if any got no response
  hooklab import [--from postman|bru|har|openapi|curl] FILE --into DIR [--name NAME] [--data-dir DIR]
                                   import a Postman collection (v2.0, v2.1) or environment, a
                                   Bruno collection folder or .bru file, a HAR log, an OpenAPI
                                   3.0/3.1 document or a file holding a cURL command into a new
                                   collection at DIR (or a new folder of the collection
                                   holding DIR); prints every warning, exits 1 only when
                                   nothing could be imported
  hooklab import curl 'COMMAND' --into DIR [--name NAME]
                                   write a request file from a cURL command (- reads stdin)
  hooklab timeline --out FILE.png [--since T] [--data-dir DIR] [--theme light|dark]
                 [--width 1400] [--zoom 1.5] [--scale 1]
                                   draw the stored requests, their responses and the
                                   webhooks they caused as a sequence diagram, without
                                   a display; exit 1 when there is nothing to draw
  hooklab export collection DIR --format postman|har [--env NAME] [--out FILE]
                                   write a collection as Postman Collection v2.1, or its
                                   requests (variables filled in) as HAR 1.2
  hooklab export collection DIR --format bru --out NEWDIR [--include-secrets] [--data-dir DIR]
                                   write a collection as a Bruno collection folder (.bru
                                   files) into a new or empty folder; secret values of
                                   environments only with --include-secrets
  hooklab export environment DIR --env NAME --format postman [--out FILE]
                 [--include-secrets] [--data-dir DIR]
                                   write an environment of a collection as a Postman
                                   environment; secret values left empty unless asked
  hooklab export history [--limit N] [--out FILE] [--data-dir DIR]
                                   write the newest N sent requests, with their responses and
                                   timings, as HAR 1.2 (default 1000)
  hooklab version                  print the version
  hooklab help                     show this help

Flags of the window and listen:
  --addr ADDR            the catcher (default 127.0.0.1:8088); an address beyond
                         this computer (0.0.0.0:8088, [::]:8088, a LAN IP) needs --expose
  --expose               let other computers reach the catcher (on 0.0.0.0:8088 unless
                         --addr says where); every sender must then carry the access
                         token (header X-Hooklab-Token or ?hooklab_token=)
  --token TOKEN          the access token when exposed (default: a new random one)
  --sandbox-addr ADDR    the built-in sample API (default 127.0.0.1:8089; loopback only)
  --sandbox-allow-callback HOST
                         let the sandbox send webhooks to HOST (or HOST:PORT) too;
                         by default only to this computer and the catcher (repeatable)
  --data-dir DIR         where captures are stored (default $HOOKLAB_DATA_DIR,
                         else the per-user config directory's Hooklab folder)
  --retain N             keep the newest N captures (default 100000)
  --retain-mb N          keep at most N MiB of bodies (default 1024)
  --max-conns N          catcher connections served at once; beyond, 503 (default 1024)
  --body-budget N        MiB of request bodies held in memory at once; beyond, 503 with
                         Retry-After (default 256)
  --view-cap-mb N        show the first N MiB of a body, the rest on request (window; default 10)
  --respond /EP=STATUS[:delay=2s][:body=TEXT]
                         answer an endpoint with a status, after a delay, with a body
                         (repeatable), e.g. --respond '/github=202'
  --verify /EP=SCHEME[,KEY=VALUE…]:SECRET
                         check the signatures of an endpoint's webhooks for this run
                         (repeatable); SCHEME is stripe, github, shopify, slack,
                         standard (Standard Webhooks) or hmac (keys header, alg,
                         enc, prefix); every scheme takes tolerance=5m|off, e.g.
                         --verify '/stripe=stripe:whsec_…'
                         --verify '/hooks=hmac,header=X-Sig,alg=sha256,enc=hex,prefix=sha256=:KEY'
  --forward /EP=URL      also deliver an endpoint's webhooks, as received, to a URL
                         (repeatable), e.g. --forward '/stripe=http://localhost:3000/hooks';
                         the sender is answered without waiting for it

A busy port falls back to a free one. --since takes RFC 3339 (2026-11-27T08:00:00Z)
or a duration back from now (90m).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		return runWindow(args, stderr)
	case "listen":
		return runListen(args, stdout, stderr)
	case "export":
		if len(args) > 0 && (args[0] == "collection" || args[0] == "environment" || args[0] == "history") {
			return runExportRequests(args, stdout, stderr)
		}
		return runExport(args, stdout, stderr)
	case "captures":
		return runCaptures(args, stdout, stderr)
	case "run":
		return runRun(args, stdout, stderr)
	case "import":
		return runImport(args, stdout, stderr)
	case "timeline":
		return runTimeline(args, stdout, stderr)
	case "version":
		return runVersion(stdout)
	case "help":
		fmt.Fprintf(stdout, usage, Version)
		return 0
	}
	fmt.Fprintf(stderr, "hooklab: unknown command %q\n\n", cmd)
	fmt.Fprintf(stderr, usage, Version)
	return 2
}

// addrFlags are what the window and listen take.
type addrFlags struct {
	addr, sandboxAddr string
	dataDir           string
	retain, retainMB  int
	maxConns          int
	respond           []capture.Rule
	forward           []forward.Rule
	expose            bool
	token             string
	allowCallbacks    []string
	bodyBudgetMB      int
	// noSandbox serves the catcher only (the Sandbox setting off).
	noSandbox bool
	// onPanic is told of a panic recovered in a catcher's handler.
	onPanic func(v any, stack []byte)
	verify  map[string]signature.Config // endpoint → scheme, for this run
	// lineBuffer is listen's bytes of lines held for a stdout not being
	// read; 0 is defaultLineBuffer. Not a flag: tests set it.
	lineBuffer int
}

func newFlagSet(name string, stderr io.Writer) (*flag.FlagSet, *addrFlags) {
	fs := bareFlagSet(name, stderr)
	a := &addrFlags{}
	// "": DefaultAddr, or ExposeAddr with --expose (Serve decides).
	fs.StringVar(&a.addr, "addr", "", "catcher listen address")
	fs.StringVar(&a.sandboxAddr, "sandbox-addr", workspace.DefaultSandboxAddr, "sandbox listen address")
	fs.BoolVar(&a.expose, "expose", false, "let other computers reach the catcher, with an access token")
	fs.StringVar(&a.token, "token", "", "the access token when exposed")
	fs.Func("sandbox-allow-callback", "a host the sandbox may send webhooks to", func(host string) error {
		if strings.TrimSpace(host) == "" {
			return errors.New("empty host")
		}
		a.allowCallbacks = append(a.allowCallbacks, host)
		return nil
	})
	fs.StringVar(&a.dataDir, "data-dir", "", "data directory")
	fs.IntVar(&a.retain, "retain", 100_000, "captures kept")
	fs.IntVar(&a.retainMB, "retain-mb", 1024, "MiB of bodies kept")
	fs.IntVar(&a.maxConns, "max-conns", capture.DefaultMaxConns, "catcher connections served at once")
	fs.IntVar(&a.bodyBudgetMB, "body-budget", capture.DefaultBodyBudget>>20, "MiB of request bodies held in memory at once")
	fs.Func("respond", "response rule /EP=STATUS[:delay=D][:body=B]", func(spec string) error {
		r, err := capture.ParseRespond(spec)
		if err != nil {
			return err
		}
		a.respond = append(a.respond, r)
		return nil
	})
	fs.Func("forward", "deliver /EP's webhooks to URL too: /EP=URL", func(spec string) error {
		r, err := forward.ParseFlag(spec)
		if err != nil {
			return err
		}
		a.forward = append(a.forward, r)
		return nil
	})
	fs.Func("verify", "signature check /EP=SCHEME[,KEY=VALUE…]:SECRET (stripe, github, shopify, slack, standard, hmac)", func(spec string) error {
		ep, c, err := workspace.ParseVerifyFlag(spec)
		if err != nil {
			return err
		}
		if a.verify == nil {
			a.verify = map[string]signature.Config{}
		}
		a.verify[ep] = c
		return nil
	})
	return fs, a
}

func bareFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, usage, Version) }
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "hooklab: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	return -1
}

// openWorkspace opens the workspace for the window or listen, as the
// flags say.
func openWorkspace(a *addrFlags, history bool) (*workspace.Workspace, error) {
	return workspace.Open(workspace.Options{DataDir: a.dataDir, Retain: a.retain, RetainMB: a.retainMB, History: history})
}

// memoryHeadroom is what the Go heap may hold beyond the body budget
// before the garbage collector works harder (see serve).
const memoryHeadroom = 128 << 20

// serve starts the catcher and the sandbox of ws, as the flags say.
//
// Unless GOMEMLIMIT says otherwise, it sets the Go runtime's soft memory
// limit to the body budget plus memoryHeadroom: with the default
// collector pacing, a heap holding 256 MiB of bodies in flight may grow
// to twice that before it is collected.
func serve(ws *workspace.Workspace, a *addrFlags, logger *log.Logger, onCapture func(*capture.Capture), onForward func(*capture.Capture, forward.Result)) (workspace.Serving, error) {
	if a.token != "" && !a.expose {
		return workspace.Serving{}, errors.New("--token is the access token of an exposed catcher: add --expose")
	}
	if os.Getenv("GOMEMLIMIT") == "" && a.bodyBudgetMB > 0 {
		debug.SetMemoryLimit(int64(a.bodyBudgetMB)<<20 + memoryHeadroom)
	}
	return ws.Serve(workspace.ServeOptions{
		Addr: a.addr, SandboxAddr: a.sandboxAddr, Respond: a.respond, Verify: a.verify, OnCapture: onCapture, Logger: logger,
		Conns: capture.ConnLimits{MaxConns: a.maxConns}, BodyBudget: int64(a.bodyBudgetMB) << 20,
		OnPanic: a.onPanic,
		Expose:  a.expose, Token: a.token, SandboxAllowCallbacks: a.allowCallbacks,
		Forward: a.forward, OnForward: onForward, NoSandbox: a.noSandbox,
	})
}

// printExposure tells, on w, where other computers reach an exposed
// catcher and with which token.
func printExposure(w io.Writer, s workspace.Serving) {
	if !s.Exposed {
		return
	}
	fmt.Fprintln(w, "The catcher is reachable from the network. Senders must carry the access token:")
	fmt.Fprintf(w, "  header %s: %s\n", capture.TokenHeader, s.Token)
	if len(s.LANURLs) == 0 {
		fmt.Fprintln(w, "  (it listens on a loopback address: no other computer can reach it)")
	}
	for _, u := range s.LANURLs {
		fmt.Fprintf(w, "  %s\n", workspace.TokenURL(u, s.Token))
	}
}

func runExport(args []string, stdout, stderr io.Writer) int {
	fs := bareFlagSet("export", stderr)
	format := fs.String("format", "jsonl", workspace.ExportFormatNames())
	since := fs.String("since", "", "RFC 3339 time or duration back from now")
	endpoint := fs.String("endpoint", "", "endpoint, e.g. github")
	out := fs.String("out", "", "file to write; default stdout")
	dir := fs.String("data-dir", "", "data directory")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	f := capture.Filter{Endpoint: strings.Trim(*endpoint, "/")}
	if *endpoint == "/" {
		f.Endpoint = "/"
	}
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			fmt.Fprintf(stderr, "hooklab export: --since: %v\n", err)
			return 2
		}
		f.Since = t
	}
	if !workspace.IsExportFormat(*format) {
		fmt.Fprintf(stderr, "hooklab export: --format must be %s, not %q\n", workspace.ExportFormatNames(), *format)
		return 2
	}
	// A reader never changes what it reads: opening a corrupt database
	// would move it aside and start a new one.
	if d, err := workspace.DataDir(*dir); err == nil {
		if err := capture.CheckDatabase(d); err != nil {
			fmt.Fprintf(stderr, "hooklab export: %v\nNothing was exported and the file was left as it is. The window or hooklab listen, when started, move it aside and start a new one.\n", err)
			return 1
		}
	}
	ws, err := openTool(*dir, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab export: %v\n", err)
		return 1
	}
	defer ws.Close()
	w := stdout
	var file *os.File
	if *out != "" {
		if file, err = os.Create(*out); err != nil {
			fmt.Fprintf(stderr, "hooklab export: %v\n", err)
			return 1
		}
		w = file
	}
	n, err := ws.Export(context.Background(), w, *format, f)
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "hooklab export: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "exported %d captures\n", n)
	return 0
}

// parseSince reads an RFC 3339 time, or a duration back from now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time (2026-11-27T08:00:00Z) nor a duration (90m)", s)
}

// openTool opens the workspace for a command line tool, which reads or
// clears what the window stored and never prunes it. A database that
// could not be read was moved aside; stderr says so.
func openTool(flagDir string, stderr io.Writer) (*workspace.Workspace, error) {
	ws, err := workspace.Open(workspace.Options{DataDir: flagDir, Tool: true})
	if err != nil {
		return nil, err
	}
	for _, n := range ws.Notes() {
		fmt.Fprintln(stderr, n)
	}
	return ws, nil
}

func runCaptures(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "clear" {
		fmt.Fprintf(stderr, "hooklab captures: the only action is clear: hooklab captures clear [--data-dir DIR]\n")
		return 2
	}
	fs := bareFlagSet("captures clear", stderr)
	dir := fs.String("data-dir", "", "data directory")
	if code := parseFlags(fs, args[1:]); code >= 0 {
		return code
	}
	ws, err := openTool(*dir, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab captures clear: %v\n", err)
		return 1
	}
	defer ws.Close()
	n, err := ws.ClearCapturesCount()
	if err != nil {
		fmt.Fprintf(stderr, "hooklab captures clear: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "deleted %d captures\n", n)
	return 0
}

func runListen(args []string, stdout, stderr io.Writer) int {
	fs, a := newFlagSet("listen", stderr)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return listen(ctx, a, stdout, stderr)
}

// listen serves until ctx ends, printing each capture as a JSON line.
func listen(ctx context.Context, a *addrFlags, stdout, stderr io.Writer) int {
	logger := log.New(stderr, "", log.LstdFlags)
	ws, err := openWorkspace(a, false)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab: %v\n", err)
		return 1
	}
	lines := newLineQueue(stdout, a.lineBuffer, logger)
	if a.onPanic == nil {
		crashes := capture.NewCrashLog(ws.Dir(), Version, stderr)
		a.onPanic = func(v any, stack []byte) { crashes.Report("catcher", v, stack) }
	}
	forwarded := map[string]bool{}
	for _, r := range a.forward {
		forwarded[r.Endpoint] = true
	}
	s, err := serve(ws, a, logger, func(c *capture.Capture) {
		if !forwarded[capture.Endpoint(c.Path)] {
			lines.add(c) // a forwarded one is printed with how forwarding went
		}
	}, lines.addForwarded)
	if err != nil {
		ws.Close()
		lines.close(0)
		fmt.Fprintf(stderr, "hooklab: %v\n", err)
		return 1
	}
	refused := newRefusalLog(logger)
	ws.OnRefused(refused.report)
	// Handlers still running while the servers shut down may be refused
	// too: Close waits for them, then the count is flushed.
	defer func() { ws.Close(); lines.close(shutdownGrace); refused.flush() }()
	for _, n := range ws.Notes() {
		fmt.Fprintln(stderr, n)
	}
	for _, r := range a.respond {
		fmt.Fprintf(stderr, "Answering /%s with %d\n", strings.TrimPrefix(r.Endpoint, "/"), r.Status)
	}
	for _, r := range a.forward {
		fmt.Fprintf(stderr, "Forwarding /%s to %s\n", strings.TrimPrefix(r.Endpoint, "/"), r.Target)
	}
	for _, ep := range slices.Sorted(maps.Keys(a.verify)) {
		// The scheme only: the secret stays off the terminal.
		fmt.Fprintf(stderr, "Verifying /%s signatures as %s\n", ep, a.verify[ep].Scheme)
	}
	fmt.Fprintf(stderr, "Catching webhooks at %s\nSandbox API at %s\n", s.CatcherURL, s.SandboxURL)
	printExposure(stderr, s)
	fmt.Fprintln(stderr, "Press Ctrl+C to stop.")
	<-ctx.Done()
	return 0
}

// refusalLog reports captures the store refused (their senders were
// answered 503): the first at once, then at most one line every
// refusalLogEvery counting the ones in between, so a full disk under a
// burst does not flood the terminal but no refusal goes uncounted.
type refusalLog struct {
	mu     sync.Mutex
	logger *log.Logger
	now    func() time.Time
	// after runs fn once d has passed (time.AfterFunc; tests fake it).
	after   func(d time.Duration, fn func())
	last    time.Time // when a line was last written
	quiet   int       // refusals since, not yet written
	lastErr error
	pending bool // a flush is scheduled
}

const refusalLogEvery = 5 * time.Second

func newRefusalLog(logger *log.Logger) *refusalLog {
	return &refusalLog{logger: logger, now: time.Now, after: func(d time.Duration, fn func()) { time.AfterFunc(d, fn) }}
}

func (f *refusalLog) report(c *capture.Capture, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if since := now.Sub(f.last); !f.last.IsZero() && since < refusalLogEvery {
		f.quiet++
		f.lastErr = err
		if !f.pending {
			f.pending = true
			f.after(refusalLogEvery-since, f.flush)
		}
		return
	}
	f.flushLocked() // a flush due that has not run yet
	f.logger.Printf("%s %s not stored, its sender was answered 503: %v", c.Method, c.Path, err)
	f.last = now
}

// flush writes how many refusals were counted since the last line.
func (f *refusalLog) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = false
	f.flushLocked()
}

func (f *refusalLog) flushLocked() {
	if f.quiet == 0 {
		return
	}
	what := fmt.Sprintf("%d more captures not stored since %s, their senders were", f.quiet, f.last.Format("15:04:05"))
	if f.quiet == 1 {
		what = fmt.Sprintf("1 more capture not stored since %s, its sender was", f.last.Format("15:04:05"))
	}
	f.logger.Printf("%s answered 503; the last: %v", what, f.lastErr)
	f.last, f.quiet = f.now(), 0
}
