// Command emptywindow opens an empty Fyne window of the size Hooklab's
// window opens at, and waits. It is the baseline `make bench` compares
// the idle app's resident memory with (.ci/idle-memory).
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

func main() {
	a := app.NewWithID("io.hooklab.emptywindow")
	w := a.NewWindow("Empty")
	w.Resize(fyne.NewSize(1400, 900))
	w.ShowAndRun()
}
