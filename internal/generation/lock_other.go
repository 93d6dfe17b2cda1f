//go:build !unix

package generation

import "os"

// Hold opens the generation; without flock(2) it does not keep a build
// from removing it (a build keeps the previous generation anyway).
func Hold(gen string) (*os.File, error) { return os.Open(gen) }

// Held is false: without flock, no hold is known.
func Held(string) bool { return false }

// Lock does not lock without flock(2).
func Lock(name string, create bool) (func(), error) { return func() {}, nil }

// TryLock reports every name as locked, so that nothing is taken for a
// stale staging folder.
func TryLock(name string, create bool) (func(), error) { return nil, ErrLocked }
