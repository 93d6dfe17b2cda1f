package build

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"time"

	"kb/internal/site"
)

// Rendered bodies across builds. A build keeps every page's rendered body
// (site.BodyCache) in .kb/cache/bodies/bodies, so that the next build
// renders again only the pages whose body is no longer right (site.Body
// says when). The file is keyed by kb's identity, as every cache entry; a
// build writes it whole to a temporary file and renames it in place, so a
// killed build leaves the old file or the new one. A file that cannot be
// read whole (torn, another kb, another format) is ignored: every body is
// rendered, as in a cold build.

// bodiesFile is the file of the state folder gens that keeps the bodies.
func bodiesFile(gens string) string { return filepath.Join(gens, "cache", "bodies", "bodies") }

// loadBodies returns the bodies the last build saved in gens, or an empty
// cache. id is kb's identity (nil: none, and no cache is read).
func loadBodies(gens string, id []byte) *site.BodyCache {
	if id == nil {
		return site.NewBodyCache()
	}
	f, err := os.Open(bodiesFile(gens))
	if err != nil {
		return site.NewBodyCache()
	}
	defer f.Close()
	c, _ := site.LoadBodyCache(bufio.NewReaderSize(f, 1<<16), id)
	return c
}

// saveBodies writes c to gens for the next build. A failure costs only the
// next build's reuse.
func saveBodies(gens string, id []byte, c *site.BodyCache) error {
	return saveFile(bodiesFile(gens), func(w io.Writer) error { return c.Save(w, id) })
}

// staleAfter is how old a temporary file of saveFile must be to be taken
// for a killed build's: a save takes seconds, even at 100,000 pages.
const staleAfter = time.Hour

// saveFile writes name by a temporary file beside it and a rename, so that
// a reader sees the old file or the new one, never part of one. It first
// removes the temporary files that builds killed while saving left there:
// the bodies' is as large as the site's HTML.
func saveFile(name string, write func(io.Writer) error) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if old, err := filepath.Glob(filepath.Join(dir, "tmp-*")); err == nil {
		for _, o := range old {
			if fi, err := os.Lstat(o); err == nil && time.Since(fi.ModTime()) > staleAfter {
				os.Remove(o)
			}
		}
	}
	f, err := os.CreateTemp(dir, "tmp-")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	err = f.Chmod(0o644) // as the cache's other files, whatever CreateTemp made
	if err == nil {
		err = write(w)
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// openSpill opens the file a build keeps rendered HTML in until the pages
// are written (site.BodyCache.Spill), in the state folder gens beside the
// output out, on the disk, not in memory. The file is unlinked at once:
// nothing is left of it when the build ends, however it ends. nil: no
// file could be made (or out is not kb's, which Publish refuses), and
// every body stays in memory.
func openSpill(out, gens string) *os.File {
	if checkOut(out, gens) != nil || os.MkdirAll(gens, 0o755) != nil {
		return nil
	}
	f, err := os.CreateTemp(gens, "spill-")
	if err != nil {
		return nil
	}
	os.Remove(f.Name())
	return f
}
