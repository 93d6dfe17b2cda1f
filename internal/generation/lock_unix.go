//go:build unix

package generation

import (
	"errors"
	"os"
	"syscall"
)

// Hold takes a shared lock on a generation folder: while it is held, no
// build removes the generation. A server holds the generation it serves
// until it has moved on to a newer one. Closing the file releases it.
func Hold(gen string) (*os.File, error) {
	f, err := os.Open(gen)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Held reports whether a server holds the generation (a shared lock that
// keeps us from taking an exclusive one). The exclusive lock, when we get
// it, goes with the folder.
func Held(gen string) bool {
	f, err := os.Open(gen)
	if err != nil {
		return false
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return errors.Is(err, syscall.EWOULDBLOCK)
}

// Lock takes an exclusive flock(2) on name (a folder, or a file created
// when create is set), waiting for it. The returned func releases it; so
// does the end of the process, however it ends.
func Lock(name string, create bool) (func(), error) {
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

// TryLock is Lock without waiting: ErrLocked when another process (or
// another open file of this one) holds it.
func TryLock(name string, create bool) (func(), error) {
	f, err := open(name, create)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
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
