//go:build unix

package build

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive flock on name (a folder, or a file created
// when create is set), waiting for it. The returned func releases it.
func lockFile(name string, create bool) (func(), error) {
	f, err := open(name, create)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// tryLock is lockFile without waiting: errLocked when another holds it.
func tryLock(name string) (func(), error) {
	f, err := open(name, false)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}

func open(name string, create bool) (*os.File, error) {
	if create {
		return os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	}
	return os.Open(name)
}
