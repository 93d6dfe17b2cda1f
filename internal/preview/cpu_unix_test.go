//go:build unix

package preview

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process used so far, user and system:
// on a shared machine it says more than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
