package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/requester/curl"
	"hooklab/requester/har"
	"hooklab/requester/history"
	"hooklab/requester/importer"
	"hooklab/requester/postman"
	"hooklab/workspace"
)

// importContext is the context of one import, done on Ctrl+C or SIGTERM;
// tests replace it to stop an import at a chosen step.
var importContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// runImport writes requests from another tool's file into a collection:
// hooklab import --from postman|bru|har|openapi|curl FILE --into DIR, or the
// cURL command itself: hooklab import curl 'COMMAND' --into DIR. It prints
// what was written and every warning, and exits non-zero only when nothing
// could be imported. Interrupted (Ctrl+C), it removes what it wrote and
// exits 130.
func runImport(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "curl" {
		return runImportCurl(args, stdout, stderr)
	}
	fs := bareFlagSet("hooklab import", stderr)
	from := fs.String("from", "", "the file's format: postman, bru, har, openapi or curl (default: recognised from the file)")
	into := fs.String("into", "", "folder to import into: a new collection there, or a new folder of the collection holding it")
	name := fs.String("name", "", "name of the collection or folder made (default: the file's own)")
	dir := fs.String("data-dir", "", "data directory (keeps secret values of imported environments)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if len(pos) != 1 || *into == "" {
		fmt.Fprintln(stderr, "hooklab import: give one file (or Bruno folder) and --into DIR: hooklab import [--from postman|bru|har|openapi|curl] FILE --into DIR [--name NAME]")
		return 2
	}
	format := importer.Format(*from)
	if format != "" && !slices.Contains(importer.Formats, format) {
		fmt.Fprintf(stderr, "hooklab import: --from must be postman, bru, har, openapi or curl, not %q\n", *from)
		return 2
	}
	if format == importer.FormatPostman {
		// A Postman environment file is imported with --from postman too.
		if f, err := importer.Detect(pos[0]); err == nil && f == importer.FormatPostmanEnv {
			format = f
		}
	}
	opts := importer.Options{From: format, Name: *name}
	if data, err := workspace.DataDir(*dir); err == nil {
		if store, err := collection.OpenSecretStore(filepath.Join(data, "secrets.json")); err == nil {
			opts.Secrets = store
		} else {
			fmt.Fprintf(stderr, "warning: secret values of environments will not be kept: %v\n", err)
		}
	}
	ctx, stop := importContext()
	defer stop()
	go func() {
		// After the first Ctrl+C the import stops and cleans up; a
		// second one kills it as usual.
		<-ctx.Done()
		stop()
	}()
	res, err := importer.ImportContext(ctx, pos[0], *into, opts)
	if res != nil {
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w.Error())
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "hooklab import: interrupted; nothing was written to %s\n", *into)
			return 130
		}
		if errors.Is(err, importer.ErrNothingImported) {
			fmt.Fprintf(stderr, "hooklab import: %v\n", err)
		} else {
			fmt.Fprintf(stderr, "hooklab import: %s: %v\n", pos[0], err)
		}
		return 1
	}
	where := res.Root
	if res.Folder != "" {
		where = filepath.Join(res.Root, filepath.FromSlash(res.Folder))
	}
	fmt.Fprintf(stdout, "imported %s: %d request(s), %d folder(s), %d environment(s) into %s\n",
		res.Format, len(res.Requests), res.Folders, len(res.Environments), where)
	for _, r := range res.Requests {
		fmt.Fprintf(stdout, "  %s\n", r)
	}
	for _, e := range res.Environments {
		fmt.Fprintf(stdout, "  environment %s\n", e)
	}
	if len(res.Warnings) > 0 {
		fmt.Fprintf(stdout, "%d warning(s): see above\n", len(res.Warnings))
	}
	return 0
}

// runImportCurl writes a request file from a cURL command given on the
// command line (hooklab import curl 'COMMAND' --into DIR).
func runImportCurl(args []string, stdout, stderr io.Writer) int {
	fs := bareFlagSet("hooklab import curl", stderr)
	into := fs.String("into", "", "folder to write the request file into (a collection or one of its folders)")
	name := fs.String("name", "", "name of the request (default: method and path)")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if len(pos) != 1 || *into == "" {
		fmt.Fprintln(stderr, "hooklab import curl: give the command (or - to read it from stdin) and --into DIR")
		return 2
	}
	cmd := pos[0]
	if cmd == "-" {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			fmt.Fprintf(stderr, "hooklab import curl: reading stdin: %v\n", err)
			return 1
		}
		cmd = string(b)
	}
	r, warnings, err := curl.Parse(cmd)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab import curl: %v\n", err)
		return 1
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if *name == "" {
		*name = defaultName(r)
	}
	r.Name = *name
	if wd, err := os.Getwd(); err == nil {
		// Files named in the command are relative to where it was run;
		// a collection resolves relative paths against its own folder.
		r = collection.ResolvePaths(r, wd)
	}
	root, folder, err := collectionFor(*into)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab import curl: %v\n", err)
		return 1
	}
	rel, err := collection.NewRequest(root, folder, r.Name, r)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab import curl: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, filepath.Join(root, filepath.FromSlash(rel)))
	return 0
}

// runExportRequests writes a collection as Postman v2.1, HAR or a Bruno
// folder, an environment as a Postman environment, or the history of sent
// requests as HAR:
//
//	hooklab export collection DIR --format postman|har [--env NAME] [--out FILE]
//	hooklab export collection DIR --format bru --out DIR2 [--include-secrets]
//	hooklab export environment DIR --env NAME --format postman [--out FILE] [--include-secrets]
//	hooklab export history [--limit N] [--out FILE] [--data-dir DIR]
func runExportRequests(args []string, stdout, stderr io.Writer) int {
	what := args[0]
	fs := bareFlagSet("hooklab export "+what, stderr)
	format := fs.String("format", "", "postman, har or bru (collection); postman (environment); har (history)")
	out := fs.String("out", "", "file to write, default stdout; the folder to make for --format bru")
	env := fs.String("env", "", "environment whose variables fill the requests (collection --format har); the environment exported (environment)")
	limit := fs.Int("limit", 1000, "the newest N history entries (history)")
	dir := fs.String("data-dir", "", "data directory")
	secrets := fs.Bool("include-secrets", false, "write the values of secret variables (environment, collection --format bru)")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	var data []byte
	var warnings []collection.Problem
	switch {
	case what == "collection" && len(pos) == 1 && *format == "bru":
		return runExportBru(pos[0], *out, *dir, *secrets, stdout, stderr)
	case what == "environment" && len(pos) == 1 && *format == "postman" && *env != "":
		if data, err = exportEnvironment(pos[0], *env, *dir, *secrets, stderr); err != nil {
			fmt.Fprintf(stderr, "hooklab export environment: %v\n", err)
			return 1
		}
	case what == "collection" && len(pos) == 1 && (*format == "postman" || *format == "har"):
		c, err := collection.Load(pos[0])
		if err != nil {
			fmt.Fprintf(stderr, "hooklab export collection: %v\n", err)
			return 1
		}
		warnings = append(warnings, c.Problems...)
		if *format == "postman" {
			data, warnings, err = exportPostman(c, warnings)
		} else {
			data, warnings, err = exportCollectionHAR(c, *env, *dir, warnings)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hooklab export collection: %v\n", err)
			return 1
		}
	case what == "history" && len(pos) == 0 && (*format == "" || *format == "har"):
		ws, err := openTool(*dir, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "hooklab export history: %v\n", err)
			return 1
		}
		defer ws.Close()
		if data, err = exportHistory(ws.History(), *limit); err != nil {
			fmt.Fprintf(stderr, "hooklab export history: %v\n", err)
			return 1
		}
	default:
		fmt.Fprintln(stderr, "hooklab export: hooklab export collection DIR --format postman|har [--env NAME] [--out FILE],\n"+
			"  hooklab export collection DIR --format bru --out NEWDIR [--include-secrets],\n"+
			"  hooklab export environment DIR --env NAME --format postman [--out FILE] [--include-secrets],\n"+
			"  or hooklab export history [--format har] [--limit N] [--out FILE]")
		return 2
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w.Error())
	}
	if *out == "" {
		_, err = stdout.Write(data)
	} else {
		err = collection.WriteAtomic(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hooklab export %s: %v\n", what, err)
		return 1
	}
	return 0
}

func exportPostman(c *collection.Collection, warnings []collection.Problem) ([]byte, []collection.Problem, error) {
	data, ws, err := postman.Export(c)
	return data, append(warnings, ws...), err
}

func exportCollectionHAR(c *collection.Collection, env, dir string, warnings []collection.Problem) ([]byte, []collection.Problem, error) {
	if env != "" {
		if _, ok := c.Environment(env); !ok {
			return nil, warnings, fmt.Errorf("environment %q not found", env)
		}
		if data, err := workspace.DataDir(dir); err == nil {
			if store, err := collection.OpenSecretStore(filepath.Join(data, "secrets.json")); err == nil {
				store.Fill(c)
			}
		}
	}
	vars := collection.Resolve(c, env, nil, workspace.DefaultVars())
	data, ws, err := har.ExportRequests(c, vars, requester.Version)
	return data, append(warnings, ws...), err
}

// exportHistory writes the newest limit history entries, oldest first.
func exportHistory(h *history.Store, limit int) ([]byte, error) {
	sums, err := h.List("", 0, limit)
	if err != nil {
		return nil, err
	}
	entries := make([]history.Entry, 0, len(sums))
	for i := len(sums) - 1; i >= 0; i-- {
		e, err := h.Get(sums[i].ID)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return har.ExportHistory(entries, requester.Version)
}
