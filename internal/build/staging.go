package build

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"kb/internal/generation"
)

// Staging folders. A build writes into .kb/<out>-tmp-*, then renames it to
// the next generation. A build killed meanwhile (SIGKILL, a crash, power)
// leaves its staging folder behind, 100 MB or more each; so every build
// first removes the staging folders of builds that are gone.
//
// A live build holds an exclusive flock(2) on its staging folder until it
// returns; the kernel drops it when the process dies, however it dies. A
// folder whose lock can be taken is therefore stale. Creating a folder and
// locking it happen under .kb/staging.lock, as does the sweep, so the sweep
// never sees a new folder before its lock.

// newStaging removes stale staging folders and makes a new one, locked.
// release unlocks it; call it once the folder is renamed or removed.
func newStaging(gens, prefix string) (dir string, release func(), err error) {
	unlock, err := generation.Lock(filepath.Join(gens, "staging.lock"), true)
	if err != nil {
		return "", nil, err
	}
	defer unlock()
	sweepStaging(gens, prefix)
	dir, err = os.MkdirTemp(gens, prefix)
	if err != nil {
		return "", nil, err
	}
	release, err = generation.Lock(dir, false)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, release, nil
}

// sweepStaging removes the staging folders no live build holds.
func sweepStaging(gens, prefix string) {
	// Sweeping is tidying: a folder that cannot be listed now is swept by a
	// later build, and the build itself goes on.
	entries, _ := os.ReadDir(gens)
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		dir := filepath.Join(gens, e.Name())
		unlock, err := generation.TryLock(dir, false)
		if errors.Is(err, generation.ErrLocked) {
			continue // a live build writes it
		}
		if err == nil {
			os.RemoveAll(dir)
			unlock()
		}
	}
}
