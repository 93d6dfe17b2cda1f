//go:build unix

package stats

import (
	"os"
	"syscall"
)

// tryLock takes an exclusive lock on f without waiting; the system drops it
// when the process ends, kill -9 included.
func tryLock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
