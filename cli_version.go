package main

import (
	"fmt"
	"io"

	"hooklab/requester"
	// Makes a C.UTF-8 locale read as English before Fyne's lang package
	// reads it in its init, so no command prints Fyne's locale error.
	_ "hooklab/workspace/locale"
)

// runVersion prints the version and the commit it was built from.
func runVersion(stdout io.Writer) int {
	fmt.Fprintf(stdout, "hooklab %s (commit %s)\n", requester.Version, requester.Commit)
	return 0
}
