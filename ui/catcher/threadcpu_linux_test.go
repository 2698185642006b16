package catcher

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time the calling OS thread has used (Linux:
// RUSAGE_THREAD), so a callback's cost can be told from the time other
// processes took the core meanwhile.
func threadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
