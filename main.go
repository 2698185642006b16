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
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"hooklab/assets"
	"hooklab/capture"
	"hooklab/requester"
	"hooklab/sandbox"
	"hooklab/ui"
)

// Version is Hooklab's version; FyneApp.toml carries the same.
const Version = requester.Version

const usage = `Hooklab %s: catch webhooks, compose API calls, see both in one window.

Usage:
  hooklab [--addr ADDR] [--sandbox-addr ADDR]   open the window
  hooklab listen [--addr ADDR] [--sandbox-addr ADDR]
                                                 catch without a window; one JSON line per capture on stdout
  hooklab version                                print the version
  hooklab help                                   show this help

Defaults: --addr 127.0.0.1:8088 (the catcher), --sandbox-addr 127.0.0.1:8089
(the built-in sample API). A busy port falls back to a free one.
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
	case "version":
		fmt.Fprintf(stdout, "hooklab %s\n", Version)
		return 0
	case "help":
		fmt.Fprintf(stdout, usage, Version)
		return 0
	}
	fmt.Fprintf(stderr, "hooklab: unknown command %q\n\n", cmd)
	fmt.Fprintf(stderr, usage, Version)
	return 2
}

// addrFlags are the listen addresses every mode takes.
type addrFlags struct{ addr, sandboxAddr string }

func newFlagSet(name string, stderr io.Writer) (*flag.FlagSet, *addrFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, usage, Version) }
	a := &addrFlags{}
	fs.StringVar(&a.addr, "addr", "127.0.0.1:8088", "catcher listen address")
	fs.StringVar(&a.sandboxAddr, "sandbox-addr", "127.0.0.1:8089", "sandbox listen address")
	return fs, a
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

// services are the catcher and the sandbox, listening.
type services struct {
	store      capture.Store
	catcher    *capture.Server
	sandbox    *sandbox.Server
	catcherURL string
	sandboxURL string
	notes      []string
	servers    []*http.Server
	listeners  []net.Listener
}

// startServices starts the catcher and the sandbox; onCapture, when set,
// sees each capture once it is stored.
func startServices(a *addrFlags, logger *log.Logger, onCapture func(*capture.Capture)) (*services, error) {
	s := &services{store: capture.NewMemoryStore(0, 0)}
	s.catcher = capture.NewServer(s.store)
	s.catcher.OnCapture = onCapture
	s.sandbox = sandbox.New(sandbox.Options{Logf: logger.Printf})
	for _, svc := range []struct {
		name, addr string
		h          http.Handler
		url        *string
	}{
		{"catcher", a.addr, s.catcher, &s.catcherURL},
		{"sandbox", a.sandboxAddr, s.sandbox, &s.sandboxURL},
	} {
		ln, fellBack, err := capture.Listen(svc.addr)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("%s: %w", svc.name, err)
		}
		*svc.url = capture.URLFor(ln)
		if fellBack {
			s.notes = append(s.notes, fmt.Sprintf("The %s's port %s was busy, so it listens on %s instead.", svc.name, svc.addr, ln.Addr()))
		}
		srv := &http.Server{Handler: svc.h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: logger}
		s.servers = append(s.servers, srv)
		s.listeners = append(s.listeners, ln)
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Printf("%s stopped: %v", svc.name, err)
			}
		}()
	}
	return s, nil
}

func (s *services) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, srv := range s.servers {
		_ = srv.Shutdown(ctx)
	}
	for _, ln := range s.listeners {
		_ = ln.Close()
	}
	if s.sandbox != nil {
		s.sandbox.Close()
	}
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
	var mu sync.Mutex
	s, err := startServices(a, logger, func(c *capture.Capture) {
		line, err := c.MarshalJSONLine()
		if err != nil {
			logger.Printf("capture %s: %v", c.ID, err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		// One write per line: stdout is unbuffered, so a pipe sees it now.
		if _, err := stdout.Write(append(line, '\n')); err != nil {
			logger.Printf("stdout: %v", err)
		}
	})
	if err != nil {
		fmt.Fprintf(stderr, "hooklab: %v\n", err)
		return 1
	}
	defer s.close()
	for _, n := range s.notes {
		fmt.Fprintln(stderr, n)
	}
	fmt.Fprintf(stderr, "Catching webhooks at %s\nSandbox API at %s\nPress Ctrl+C to stop.\n", s.catcherURL, s.sandboxURL)
	<-ctx.Done()
	return 0
}

func runWindow(args []string, stderr io.Writer) int {
	fs, a := newFlagSet("hooklab", stderr)
	demo := fs.Bool("demo", false, "send the example request on start and show its webhook (for screenshots)")
	dark := fs.String("theme", "", "force the theme: light or dark")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *dark != "" {
		os.Setenv("FYNE_THEME", *dark)
	}
	logger := log.New(stderr, "", log.LstdFlags)
	s, err := startServices(a, logger, nil)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab: %v\n", err)
		return 1
	}
	defer s.close()

	fyneApp := app.NewWithID("io.hooklab.app")
	fyneApp.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	fyneApp.Settings().SetTheme(ui.Theme())
	win := fyneApp.NewWindow("Hooklab")
	u := ui.New(fyneApp, win, ui.Deps{
		Store:      s.store,
		Client:     requester.NewClient(),
		CatcherURL: s.catcherURL,
		SandboxURL: s.sandboxURL,
		Notes:      s.notes,
	})
	defer u.Close()
	win.SetContent(u.Content)
	win.Resize(fyne.NewSize(1400, 900))
	win.SetMaster()
	if *demo {
		u.Demo()
	}
	win.ShowAndRun()
	return 0
}
