package main

import (
	"fmt"
	"io"
	"path/filepath"

	"hooklab/requester/bru/bruexport"
	"hooklab/requester/collection"
	"hooklab/requester/postman"
	"hooklab/workspace"
)

// runExportBru writes the collection at src as a Bruno collection folder
// at out, which must be new or empty:
// hooklab export collection DIR --format bru --out DIR2.
func runExportBru(src, out, dataDir string, includeSecrets bool, stdout, stderr io.Writer) int {
	if out == "" {
		fmt.Fprintln(stderr, "hooklab export collection: --format bru writes a folder: give it with --out DIR (a new or empty folder)")
		return 2
	}
	c, err := collection.Load(src)
	if err != nil {
		fmt.Fprintf(stderr, "hooklab export collection: %v\n", err)
		return 1
	}
	if includeSecrets {
		fillSecrets(c, dataDir, stderr)
	}
	warnings, err := bruexport.Write(c, out, bruexport.Options{IncludeSecrets: includeSecrets})
	for _, w := range append(c.Problems, warnings...) {
		fmt.Fprintf(stderr, "warning: %s\n", w.Error())
	}
	if err != nil {
		fmt.Fprintf(stderr, "hooklab export collection: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "exported %s as a Bruno collection into %s\n", c.Name, out)
	return 0
}

// fillSecrets puts the secret values kept in the data directory into the
// environments of c.
func fillSecrets(c *collection.Collection, dataDir string, stderr io.Writer) {
	data, err := workspace.DataDir(dataDir)
	if err == nil {
		var store *collection.SecretStore
		if store, err = collection.OpenSecretStore(filepath.Join(data, "secrets.json")); err == nil {
			store.Fill(c)
			return
		}
	}
	fmt.Fprintf(stderr, "warning: secret values not found, written empty: %v\n", err)
}

// exportEnvironment writes the environment name of the collection at src
// as a Postman environment; secret values only when includeSecrets.
func exportEnvironment(src, name, dataDir string, includeSecrets bool, stderr io.Writer) ([]byte, error) {
	c, err := collection.Load(src)
	if err != nil {
		return nil, err
	}
	if includeSecrets {
		fillSecrets(c, dataDir, stderr)
	}
	env, ok := c.Environment(name)
	if !ok {
		var names []string
		for _, e := range c.Environments {
			names = append(names, e.Name)
		}
		return nil, fmt.Errorf("environment %q not found in %s (it has: %v)", name, c.Root, names)
	}
	return postman.ExportEnvironment(env, includeSecrets)
}
