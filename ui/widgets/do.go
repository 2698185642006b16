// Package widgets holds the small widgets, layouts and styles the
// panels of Hooklab's window share: column and fixed-size layouts, the
// name/value pairs table, the warning bar, muted text, the colours of
// methods and status classes, and Do, the one way onto the UI goroutine.
package widgets

import "fyne.io/fyne/v2"

// Do runs fn on the UI goroutine; every ui package goes through it.
// Tests replace it with a queue they drain on the test goroutine, so
// widget access stays single-threaded there as it is in the app.
var Do = fyne.Do
