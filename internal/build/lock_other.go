//go:build !unix

package build

import "os"

// HoldGeneration opens the generation; without flock(2) it does not keep a
// build from removing it (a build keeps the previous generation anyway).
func HoldGeneration(gen string) (*os.File, error) { return os.Open(gen) }

func held(string) bool { return false }

// Without flock, no staging folder is known to be stale: none is swept.

func lockFile(name string, create bool) (func(), error) { return func() {}, nil }

func tryLock(name string) (func(), error) { return nil, errLocked }
