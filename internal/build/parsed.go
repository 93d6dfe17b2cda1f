package build

import (
	"io"
	"os"
	"path/filepath"

	"kb/internal/source"
)

// Parsed pages across builds. A build keeps what parsing each page gave
// (source.ParseCache: the frontmatter decoded, where the body starts, the
// problems) in .kb/cache/parsed/pages, so that the next build parses only
// the pages whose bytes changed. As the saved bodies (bodies.go), the file
// is keyed by kb's identity, written whole to a temporary file and renamed
// in place, and ignored when it cannot be read whole: every page is then
// parsed, as in a cold build.

// parsedFile is the file of the state folder gens that keeps the pages.
func parsedFile(gens string) string { return filepath.Join(gens, "cache", "parsed", "pages") }

// loadParsed returns the pages the last build saved in gens, or an empty
// cache; nil when id is nil (no cache).
func loadParsed(gens string, id []byte) *source.ParseCache {
	if id == nil {
		return nil
	}
	f, err := os.Open(parsedFile(gens))
	if err != nil {
		return source.NewParseCache()
	}
	defer f.Close()
	c, _ := source.LoadParseCache(f, id)
	return c
}

// saveParsed writes c to gens for the next build. A failure costs only the
// next build's reuse.
func saveParsed(gens string, id []byte, c *source.ParseCache) error {
	return saveFile(parsedFile(gens), func(w io.Writer) error { return c.Save(w, id) })
}
