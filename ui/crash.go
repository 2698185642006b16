package ui

import (
	"fmt"
	"log"
	"sync"

	"hooklab/capture"
	"hooklab/ui/widgets"
)

// crashes reports panics recovered in the window or the catcher: to the
// crash log (a file in the data directory, and stderr), and to the user,
// once per run: the window goes on, and more of the same would only
// stack dialogs.
type crashes struct {
	log  *capture.CrashLog // nil: the standard logger
	once sync.Once
	show func(msg string) // on the UI goroutine
}

// report records a panic recovered in where ("window", "catcher"); it
// may run on any goroutine.
func (c *crashes) report(where string, v any, stack []byte) {
	var msg string
	if c.log != nil {
		msg = c.log.Report(where, v, stack)
	} else {
		msg = fmt.Sprintf("hooklab: internal error in the %s, recovered: %v", where, v)
		log.Printf("%s\n%s", msg, stack)
	}
	c.once.Do(func() { widgets.Do(func() { c.show(msg) }) })
}

// ReportPanic records a panic recovered outside the window (the
// catcher's handlers), and shows it to the user unless one was shown
// already. Safe from any goroutine.
func (u *UI) ReportPanic(where string, v any, stack []byte) {
	u.crashes.report(where, v, stack)
}
