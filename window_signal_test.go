package main

import (
	"os"
	"syscall"
	"testing"
)

// TestSignalQuitsTheWindowLikeClosingIt: SIGTERM or SIGINT quits the
// window's app on the UI goroutine (through do), so runWindow's
// shutdown runs as after a close; without a signal, stopping the watch
// quits nothing.
func TestSignalQuitsTheWindowLikeClosingIt(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		signals := make(chan os.Signal, 1)
		quit := make(chan string, 2)
		onUI := false
		stop := quitOnSignal(signals, func(f func()) { onUI = true; f() }, func() { quit <- "quit" })
		signals <- sig
		if got := <-quit; got != "quit" {
			t.Fatalf("%v: %q", sig, got)
		}
		stop() // returns once the watch ended
		if !onUI {
			t.Errorf("%v: the app was quit off the UI goroutine", sig)
		}
		if len(quit) != 0 {
			t.Errorf("%v: quit more than once", sig)
		}
	}

	signals := make(chan os.Signal, 1)
	quitted := false
	stop := quitOnSignal(signals, func(f func()) { f() }, func() { quitted = true })
	stop()
	signals <- syscall.SIGTERM // after the window closed: nobody quits again
	if quitted {
		t.Error("the app was quit without a signal")
	}
}
