package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/workspace"
)

// parseInterleaved parses flags that may come before, between or after
// positional arguments (hooklab run PATH --env dev), and returns the
// positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// kvFlag collects repeated k=v flags.
type kvFlag map[string]string

func (k kvFlag) String() string { return "" }

func (k kvFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want name=value, got %q", s)
	}
	k[strings.TrimSpace(name)] = value
	return nil
}

// runRun sends one request file, or every request of a folder, and
// exits non-zero when any got no response.
func runRun(args []string, stdout, stderr io.Writer) int {
	fs := bareFlagSet("hooklab run", stderr)
	env := fs.String("env", "", "environment of the collection to use")
	asJSON := fs.Bool("json", false, "one JSON line per request")
	dir := fs.String("data-dir", "", "data directory (secret values of environments)")
	vars := kvFlag{}
	fs.Var(vars, "var", "set a variable, name=value (repeatable)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "hooklab run: give one request file or folder: hooklab run PATH [--env NAME] [--var k=v]… [--json]")
		return 2
	}
	data, err := workspace.DataDir(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab run: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	sum, err := collection.Run(ctx, requester.NewClient(), collection.RunOptions{
		Path: pos[0], Env: *env, Vars: vars, JSON: *asJSON,
		Builtins:    workspace.DefaultVars(),
		SecretsPath: filepath.Join(data, "secrets.json"),
	}, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab run: %v\n", err)
		return 1
	}
	if sum.Failed > 0 {
		return 1
	}
	return 0
}

// collectionFor finds the collection holding dir, or makes dir one.
func collectionFor(dir string) (root, folder string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	if root, ok := collection.FindRoot(abs); ok {
		folder, err := filepath.Rel(root, abs)
		if err != nil {
			return "", "", err
		}
		if folder == "." {
			folder = ""
		}
		return root, filepath.ToSlash(folder), nil
	}
	if _, err := collection.Create(abs, filepath.Base(abs)); err != nil {
		return "", "", err
	}
	return abs, "", nil
}

// defaultName names an imported request by its method and path.
func defaultName(r requester.Request) string {
	m := r.Method
	if m == "" {
		m = "GET"
	}
	if u, err := url.Parse(r.URL); err == nil && u.Path != "" && u.Path != "/" {
		return m + " " + u.Path
	}
	return m + " " + r.URL
}
