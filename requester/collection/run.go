package collection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"hooklab/requester"
)

// RunOptions are the arguments of `hooklab run`.
type RunOptions struct {
	Path        string            // a request file, or a folder to run everything in
	Env         string            // environment to use; empty for none
	Vars        map[string]string // --var k=v, overriding every other variable
	JSON        bool              // one JSON object per line per request, no summary
	Builtins    requester.Vars    // lowest-precedence variables such as webhook_url
	SecretsPath string            // SecretStore file for secret values; empty for none
}

// RunSummary counts the requests of a run. Sent got a response, whatever
// its status; Failed did not (send error, unknown variable, bad URL, or a
// file that could not be read).
type RunSummary struct {
	Sent, Failed int
}

// runJob is one request file to run.
type runJob struct {
	name, file string // display name; path relative to the collection (or the run's folder)
	item       *Item
	err        error // the file could not be read
}

// Run sends the request file at opts.Path, or every request in the folder
// at opts.Path and its sub-folders (depth-first, in tree order; files that
// could not be read come last), and writes one line per request to out.
// Variables come from the collection holding the path (found by walking up
// to opencollection.yml; a file or folder outside any collection still
// runs), as Resolve orders them. Bruno .bru files and collections
// (bruno.json) run the same way. The error is for a run that cannot start
// (missing path, unknown environment, no request to send) or was
// cancelled.
func Run(ctx context.Context, client *requester.Client, opts RunOptions, out io.Writer) (RunSummary, error) {
	var sum RunSummary
	target, err := filepath.Abs(opts.Path)
	if err != nil {
		return sum, err
	}
	fi, err := os.Stat(target)
	if err != nil {
		return sum, err
	}
	var coll *Collection
	base := target // what relative paths in files and output are relative to
	if !fi.IsDir() {
		base = filepath.Dir(target)
	}
	if root, ok := FindRoot(target); ok {
		if coll, err = Load(root); err != nil {
			return sum, err
		}
		base = coll.Root
	}
	if err := useEnvironment(coll, opts); err != nil {
		return sum, err
	}
	vars := Resolve(coll, opts.Env, nil, opts.Builtins)
	jobs, warnings, err := runJobs(coll, target, base, fi.IsDir())
	if err != nil {
		return sum, err
	}
	if len(jobs) == 0 {
		return sum, fmt.Errorf("nothing to run: no request files (.yml or .bru) in %s", opts.Path)
	}
	if coll != nil {
		warnings = relevantWarnings(coll.Warnings, jobs)
	}
	if !opts.JSON {
		for _, w := range warnings {
			fmt.Fprintf(out, "WARN %s\n", w.Error())
		}
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		rec := runOne(ctx, client, coll, j, jobVars(vars, j, coll, opts.Vars), base)
		if rec.Error != nil {
			sum.Failed++
		} else {
			sum.Sent++
		}
		if opts.JSON {
			if err := enc.Encode(rec); err != nil {
				return sum, err
			}
		} else if _, err := io.WriteString(out, rec.text()); err != nil {
			return sum, err
		}
	}
	if !opts.JSON {
		fmt.Fprintf(out, "%d sent, %d failed\n", sum.Sent, sum.Failed)
	}
	return sum, nil
}

// jobVars layers the variables the folders and the file of j add over
// base, then the --var overrides over them.
func jobVars(base requester.Vars, j runJob, coll *Collection, overrides map[string]string) requester.Vars {
	out := make(requester.Vars, len(base)+len(overrides))
	for k, v := range base {
		out[k] = v
	}
	if j.item != nil && j.item.Request != nil {
		_, extra, _ := Sendable(coll, j.item)
		for _, v := range extra {
			if !v.Disabled && v.Name != "" {
				out[v.Name] = v.Value
			}
		}
	}
	for k, v := range overrides {
		out[k] = v
	}
	return out
}

// useEnvironment checks that opts.Env exists and fills in its secrets.
func useEnvironment(coll *Collection, opts RunOptions) error {
	if opts.Env == "" {
		return nil
	}
	if coll == nil {
		return fmt.Errorf("environment %q: %s is not in a collection", opts.Env, opts.Path)
	}
	if _, ok := coll.Environment(opts.Env); ok {
		if opts.SecretsPath != "" {
			store, err := OpenSecretStore(opts.SecretsPath)
			if err != nil {
				return err
			}
			store.Fill(coll)
		}
		return nil
	}
	var names []string
	for i, e := range coll.Environments {
		n := e.Name
		if i < len(coll.envFiles) && coll.envFiles[i] != e.Name {
			n += " (file " + coll.envFiles[i] + ")"
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return fmt.Errorf("environment %q not found: the collection has no environments", opts.Env)
	}
	return fmt.Errorf("environment %q not found; there are: %s", opts.Env, strings.Join(names, ", "))
}

// relevantWarnings keeps the warnings of the files the jobs are read from:
// their own, and those of the collection and folder files above them.
// Running one request of a collection does not list what other requests
// hold.
func relevantWarnings(ws []Problem, jobs []runJob) []Problem {
	var out []Problem
	for _, w := range ws {
		dir, base := path.Split(w.Path)
		defaults := base == collectionFile || base == folderFile || base == bruCollectionFile ||
			base == bruFolderFile || base == brunoConfig
		for _, j := range jobs {
			if w.Path == j.file || defaults && strings.HasPrefix(j.file, dir) {
				out = append(out, w)
				break
			}
		}
	}
	return out
}

// runJobs lists the requests to send, and the load warnings of a folder
// outside any collection.
func runJobs(coll *Collection, target, base string, folder bool) ([]runJob, []Problem, error) {
	if !folder {
		rel := relOf(base, target)
		if it := Lookup(collItems(coll), rel); it != nil && it.Request != nil {
			return []runJob{{name: it.Name, file: rel, item: it}}, nil, nil
		}
		lone, err := LoadFile(target)
		if err != nil {
			name := strings.TrimSuffix(filepath.Base(target), filepath.Ext(target))
			return []runJob{{name: name, file: rel, err: err}}, nil, nil
		}
		it := lone.Items[0]
		return []runJob{{name: it.Name, file: it.Path, item: it}}, lone.Warnings, nil
	}
	var items []*Item
	var problems, warnings []Problem
	rel := relOf(base, target)
	switch {
	case coll == nil:
		items = loadTree(target, target, &problems, &warnings)
		rel = "."
	case rel == ".":
		items, problems = coll.Items, coll.Problems
	default:
		it := Lookup(coll.Items, rel)
		if it == nil || !it.Folder {
			return nil, nil, fmt.Errorf("%s is not a folder of the collection %s", target, coll.Root)
		}
		items, problems = it.Children, coll.Problems
	}
	var jobs []runJob
	Walk(items, func(it *Item) {
		if it.Request != nil {
			jobs = append(jobs, runJob{name: it.Name, file: it.Path, item: it})
		}
	})
	for _, p := range problems {
		// Only request files count: not opencollection.yml, folder.yml or
		// environments.
		if rel != "." && !strings.HasPrefix(p.Path, rel+"/") || p.Path == collectionFile ||
			strings.HasPrefix(p.Path, envDir+"/") || path.Base(p.Path) == folderFile {
			continue
		}
		name := strings.TrimSuffix(path.Base(p.Path), path.Ext(p.Path))
		jobs = append(jobs, runJob{name: name, file: p.Path, err: p})
	}
	return jobs, warnings, nil
}

// runRecord is one line of `hooklab run --json`.
type runRecord struct {
	Name       string      `json:"name"`
	File       string      `json:"file"`
	Method     string      `json:"method"`
	URL        string      `json:"url"`
	Status     int         `json:"status"`
	StatusText string      `json:"status_text"` // "Created", without the code
	TimeMS     float64     `json:"time_ms"`
	Size       int64       `json:"size"`
	Timings    *runTimings `json:"timings"` // null when there was no response
	Error      *string     `json:"error"`   // null when there was a response

	statusLine string
}

// runTimings are the phases in milliseconds; null for a phase that did not
// happen (DNS and connect on a reused connection, TLS over http).
type runTimings struct {
	DNS      *float64 `json:"dns_ms"`
	Connect  *float64 `json:"connect_ms"`
	TLS      *float64 `json:"tls_ms"`
	Server   *float64 `json:"server_ms"`
	Download *float64 `json:"download_ms"`
}

func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Microsecond)) / 1000
}

func phaseMS(p requester.Phase) *float64 {
	if p.NA {
		return nil
	}
	v := ms(p.Duration)
	return &v
}

func runOne(ctx context.Context, client *requester.Client, coll *Collection, j runJob, vars requester.Vars, base string) runRecord {
	rec := runRecord{Name: j.name, File: j.file}
	if j.err != nil {
		msg := "file: " + j.err.Error()
		var p Problem
		if errors.As(j.err, &p) {
			msg = "file: " + (&shapeError{Line: p.Line, Msg: p.Msg}).Error()
		}
		rec.Error = &msg
		return rec
	}
	sr, _, err := Sendable(coll, j.item)
	if err != nil {
		rec.Method, rec.URL = sr.Method, sr.URL
		msg := "auth: " + err.Error()
		var be *UnsupportedBodyError
		if errors.As(err, &be) {
			msg = "body: " + err.Error()
		}
		rec.Error = &msg
		return rec
	}
	r := ResolvePaths(sr, base)
	rec.Method = r.Method
	if rec.Method == "" {
		rec.Method = http.MethodGet
	}
	rec.URL = r.URL
	if u, err := requester.ExpandURL(r.URL, vars); err == nil {
		rec.URL = u
	}
	start := time.Now()
	resp, err := client.Send(ctx, r, vars)
	if err != nil {
		rec.TimeMS = ms(time.Since(start))
		msg := describe(err)
		rec.Error = &msg
		return rec
	}
	rec.URL = resp.Request.URL
	rec.Status = resp.Status
	rec.statusLine = resp.StatusText
	rec.StatusText = strings.TrimPrefix(resp.StatusText, strconv.Itoa(resp.Status)+" ")
	rec.TimeMS = ms(resp.Timings.Total)
	rec.Size = resp.Size
	t := resp.Timings
	rec.Timings = &runTimings{phaseMS(t.DNS), phaseMS(t.Connect), phaseMS(t.TLS), phaseMS(t.ServerWait), phaseMS(t.Download)}
	return rec
}

// describe is "kind: message" for a failed send.
func describe(err error) string {
	var (
		se *requester.SendError
		uv *requester.UnknownVariableError
		ue *requester.URLError
	)
	switch {
	case errors.As(err, &se):
		return se.Kind + ": " + se.Msg
	case errors.As(err, &uv):
		return "variable: " + uv.Error()
	case errors.As(err, &ue):
		return "url: " + ue.Error()
	}
	return "error: " + err.Error()
}

// text is the line of the text output, e.g.
// "201 Created   14 ms  Create payment  (payments/create.yml)".
func (r runRecord) text() string {
	if r.Error != nil {
		return fmt.Sprintf("ERR  %s  %s  (%s)\n", *r.Error, r.Name, r.File)
	}
	status := r.statusLine
	if status == "" {
		status = strconv.Itoa(r.Status)
	}
	elapsed := fmt.Sprintf("%d ms", int64(math.Round(r.TimeMS)))
	return fmt.Sprintf("%-12s %6s  %s  (%s)\n", status, elapsed, r.Name, r.File)
}

// ResolvePaths returns r with its relative file paths (body file, multipart
// files, certificates) made absolute against base, the collection root, as
// Bruno resolves them. Paths holding {{variables}} are left alone.
func ResolvePaths(r requester.Request, base string) requester.Request {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) || strings.Contains(p, "{{") {
			return p
		}
		return filepath.Join(base, filepath.FromSlash(p))
	}
	r.Body.File = abs(r.Body.File)
	if len(r.Body.Parts) > 0 {
		parts := make([]requester.Part, len(r.Body.Parts))
		copy(parts, r.Body.Parts)
		for i := range parts {
			parts[i].File = abs(parts[i].File)
		}
		r.Body.Parts = parts
	}
	r.Options.CACert = abs(r.Options.CACert)
	r.Options.ClientCert = abs(r.Options.ClientCert)
	r.Options.ClientKey = abs(r.Options.ClientKey)
	return r
}

func collItems(c *Collection) []*Item {
	if c == nil {
		return nil
	}
	return c.Items
}
