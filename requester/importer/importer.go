// Package importer is the one entry point for bringing other tools' files
// into a Hooklab collection: it recognises the format of a file or folder
// (Detect) and writes what it holds into a collection folder (Import),
// returning what was written and every warning. The window's Import
// dialog and `hooklab import` both call it.
package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hooklab/requester"
	"hooklab/requester/collection"
	"hooklab/requester/curl"
	"hooklab/requester/har"
	"hooklab/requester/openapi"
	"hooklab/requester/postman"
)

// Format is a kind of file Import reads.
type Format string

// The formats. FormatPostmanEnv is a Postman environment file, imported
// into the environments of the target collection.
const (
	FormatPostman    Format = "postman"
	FormatPostmanEnv Format = "postman-env"
	FormatBru        Format = "bru"
	FormatHAR        Format = "har"
	FormatCurl       Format = "curl"
	FormatOpenAPI    Format = "openapi"
)

// Formats are the names --from takes.
var Formats = []Format{FormatPostman, FormatBru, FormatHAR, FormatOpenAPI, FormatCurl}

// MaxSize bounds every file read: larger files are refused before they
// are read.
const MaxSize = 64 << 20

// ErrNothingImported is an import that found no request and no
// environment to write.
var ErrNothingImported = errors.New("nothing could be imported")

// Options are the choices of one import.
type Options struct {
	From Format // empty: Detect
	Name string // the name of the collection or folder made; empty: the file's own, else the file name
	// Secrets receives the values of secret environment variables; nil
	// leaves them out (each listed in the warnings).
	Secrets *collection.SecretStore
}

// Result is what Import wrote.
type Result struct {
	Format       Format
	Root         string   // the collection written into
	Folder       string   // the folder made for the import inside Root ("" for a new collection)
	Requests     []string // request files written, relative to Root
	Folders      int
	Environments []string
	Warnings     []collection.Problem // what was not imported, by item path
}

// Detect says which format the file or folder at path is in: a folder
// with bruno.json or .bru files, a .bru file, a Postman collection (v2.0,
// v2.1) or environment, a HAR log, or a cURL command. The error says why
// none fits.
func Detect(path string) (Format, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		if _, err := os.Stat(filepath.Join(path, "opencollection.yml")); err == nil {
			return "", fmt.Errorf("%s is already a Hooklab (OpenCollection) collection: open it, no import needed", path)
		}
		if _, err := os.Stat(filepath.Join(path, "bruno.json")); err == nil {
			return FormatBru, nil
		}
		if matches, _ := filepath.Glob(filepath.Join(path, "*.bru")); len(matches) > 0 {
			return FormatBru, nil
		}
		return "", fmt.Errorf("%s: a folder is imported only as a Bruno collection (bruno.json or .bru files), and this one has neither", path)
	}
	if strings.HasSuffix(path, ".bru") {
		return FormatBru, nil
	}
	data, err := readBounded(path)
	if err != nil {
		return "", err
	}
	return detectData(data)
}

func detectData(data []byte) (Format, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))
	switch {
	case len(trimmed) == 0:
		return "", errors.New("the file is empty")
	case openapi.Is(trimmed):
		return FormatOpenAPI, nil
	case trimmed[0] == '{' || trimmed[0] == '[':
		if err := json.Unmarshal(trimmed, new(json.RawMessage)); err != nil {
			// Not "no info.schema" when the schema is there but the file
			// was cut short: say where the JSON breaks.
			return "", jsonError(trimmed, err)
		}
		if v := postman.Version(trimmed); v != "" {
			return FormatPostman, nil
		}
		if postman.IsEnvironment(trimmed) {
			return FormatPostmanEnv, nil
		}
		if har.IsHAR(trimmed) {
			return FormatHAR, nil
		}
		return "", errors.New("a JSON file that is neither a Postman collection (no info.schema), a Postman environment (no values) nor a HAR log (no log.entries); say which with --from")
	case bytes.HasPrefix(trimmed, []byte("curl ")) || bytes.HasPrefix(trimmed, []byte("curl.exe ")) || bytes.HasPrefix(trimmed, []byte("$ curl ")):
		return FormatCurl, nil
	}
	return "", errors.New("not a format Hooklab imports (Postman collection or environment, Bruno .bru, HAR, OpenAPI 3, cURL command)")
}

// jsonError says where data stops being JSON, by line.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("invalid JSON at line %d: %v", line, se)
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

// readBounded reads a file of at most MaxSize bytes.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > MaxSize {
		return nil, fmt.Errorf("%s is %d MiB; files of more than %d MiB are not imported", path, fi.Size()>>20, MaxSize>>20)
	}
	// One buffer of the file's size, plus a byte to see it grew since.
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + 1)
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxSize+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s is larger than %d MiB; not imported", path, MaxSize>>20)
	}
	return data, nil
}

// Import is ImportContext without a way to stop it.
func Import(path, into string, opts Options) (*Result, error) {
	return ImportContext(context.Background(), path, into, opts)
}

// ImportContext reads the file or folder at path and writes what it holds
// into into: a new collection there, or, when into is inside a collection,
// a new folder in it (see collection.WriteContext). A Postman environment
// goes into the environments of the collection at into (made if needed).
// Nothing is written when nothing could be read; ErrNothingImported (with
// the warnings in Result) when the file held no request. When ctx is done
// before the import is complete (Ctrl+C), or a write fails, what it wrote
// is removed again and the error says why.
func ImportContext(ctx context.Context, path, into string, opts Options) (*Result, error) {
	format := opts.From
	if format == "" {
		var err error
		if format, err = Detect(path); err != nil {
			return nil, err
		}
	}
	res := &Result{Format: format}
	if format == FormatPostmanEnv {
		return res, importEnvironment(ctx, path, into, opts, res)
	}
	c, warnings, err := read(format, path)
	if err != nil {
		return nil, err
	}
	res.Warnings = warnings
	switch {
	case opts.Name != "":
		c.Name = opts.Name
	case c.Name == "" || format == FormatHAR || format == FormatCurl:
		c.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	n := 0
	collection.Walk(c.Items, func(it *collection.Item) {
		if it.Request != nil {
			n++
		}
	})
	if n == 0 && len(c.Environments) == 0 {
		return res, fmt.Errorf("%s: %w", path, ErrNothingImported)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	wr, lost, err := collection.WriteContext(ctx, c, into, opts.Secrets)
	res.Root, res.Folder, res.Requests, res.Folders, res.Environments = wr.Root, wr.Folder, wr.Requests, wr.Folders, wr.Envs
	for _, l := range lost {
		res.Warnings = append(res.Warnings, collection.Problem{Path: "environments", Msg: fmt.Sprintf("secret value of %s not kept: no secret store; set it in the window", l)})
	}
	return res, err
}

// read turns the file at path into a collection in memory.
func read(format Format, path string) (*collection.Collection, []collection.Problem, error) {
	switch format {
	case FormatBru:
		return readBru(path)
	case FormatPostman, FormatHAR, FormatCurl, FormatOpenAPI:
	default:
		return nil, nil, fmt.Errorf("unknown format %q (want one of postman, bru, har, openapi, curl)", format)
	}
	data, err := readBounded(path)
	if err != nil {
		return nil, nil, err
	}
	switch format {
	case FormatPostman:
		return postman.Import(data)
	case FormatHAR:
		return har.Import(data)
	case FormatOpenAPI:
		return openapi.Read(data)
	}
	r, ws, err := curl.Parse(string(data))
	if err != nil {
		return nil, nil, fmt.Errorf("cURL command: %w", err)
	}
	var warnings []collection.Problem
	for _, w := range ws {
		warnings = append(warnings, collection.Problem{Path: "command", Msg: w})
	}
	if r.Name == "" {
		r.Name = defaultName(r)
	}
	return &collection.Collection{Items: []*collection.Item{{Name: r.Name, Request: &r}}}, warnings, nil
}

// defaultName names a request by its method and URL.
func defaultName(r requester.Request) string {
	m := r.Method
	if m == "" {
		m = "GET"
	}
	return m + " " + r.URL
}

// readBru reads a Bruno collection folder, a folder of .bru files, or one
// .bru file. Relative file paths of bodies are made absolute against the
// Bruno collection, which the import leaves behind.
func readBru(path string) (*collection.Collection, []collection.Problem, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	var c *collection.Collection
	switch {
	case !fi.IsDir() && !strings.HasSuffix(path, ".bru"):
		return nil, nil, fmt.Errorf("%s is not a .bru file: the bru format is a Bruno collection folder or a .bru file", filepath.Base(path))
	case !fi.IsDir():
		// Only the file is read, not the folder it is in (which may be
		// a Downloads folder of any size).
		if c, err = collection.LoadFile(path); err != nil {
			return nil, nil, err
		}
	default:
		load := collection.LoadDir
		if _, serr := os.Stat(filepath.Join(path, "bruno.json")); serr == nil {
			load = collection.Load
		}
		if c, err = load(path); err != nil {
			return nil, nil, err
		}
	}
	var warnings []collection.Problem
	for _, p := range c.Problems { // files that could not be read
		warnings = append(warnings, collection.Problem{Path: p.Path, Line: p.Line, Msg: "not imported: " + p.Msg})
	}
	warnings = append(warnings, c.Warnings...)
	collection.Walk(c.Items, func(it *collection.Item) {
		if it.Request != nil {
			r := collection.ResolvePaths(*it.Request, c.Root)
			it.Request = &r
		}
	})
	return c, warnings, nil
}

// importEnvironment writes a Postman environment file into the collection
// at into.
func importEnvironment(ctx context.Context, path, into string, opts Options, res *Result) (err error) {
	data, err := readBounded(path)
	if err != nil {
		return err
	}
	env, err := postman.ImportEnvironment(data)
	if err != nil {
		return err
	}
	if opts.Name != "" {
		env.Name = opts.Name
	}
	root, ok := collection.FindRoot(into)
	if ok {
		env.Name = collection.FreeEnvironmentName(root, env.Name)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !ok {
		if _, serr := os.Stat(into); serr != nil {
			// A failed import leaves no collection of its own making.
			defer func() {
				if err != nil {
					_ = os.RemoveAll(into)
				}
			}()
		}
		if err := os.MkdirAll(into, 0o755); err != nil {
			return err
		}
		if _, err := collection.Create(into, ""); err != nil {
			return err
		}
		root = into
	}
	res.Root = root
	if opts.Secrets == nil {
		for i, v := range env.Vars {
			if v.Secret && v.Value != "" {
				env.Vars[i].Value = ""
				res.Warnings = append(res.Warnings, collection.Problem{Path: "environments", Msg: fmt.Sprintf("secret value of %s.%s not kept: no secret store; set it in the window", env.Name, v.Name)})
			}
		}
	}
	if err := collection.SaveEnvironment(root, env, opts.Secrets); err != nil {
		return err
	}
	res.Environments = []string{env.Name}
	return nil
}
