package pdf

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// cache holds printed PDFs as <sha256>.pdf. Entries not used by a build
// are removed at its end, so the folder holds one site's worth.
type cache struct {
	dir string
	env string // the printing environment, part of every key

	mu   sync.Mutex
	used map[string]bool
}

func (c *cache) open() error { return os.MkdirAll(c.dir, 0o755) }

func (c *cache) key(html []byte) string {
	h := sha256.New()
	h.Write([]byte(c.env))
	h.Write([]byte{0})
	h.Write(html)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *cache) path(key string) string { return filepath.Join(c.dir, key+".pdf") }

func (c *cache) lookup(key string) (string, bool) {
	p := c.path(key)
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	c.mark(key)
	return p, true
}

func (c *cache) mark(key string) {
	c.mu.Lock()
	c.used[key+".pdf"] = true
	c.mu.Unlock()
}

// put stores a printed PDF under a temporary name, then renames it: a
// killed build leaves a stray temporary file (removed by a later prune),
// never a truncated entry.
func (c *cache) put(key string, data []byte) (string, error) {
	f, err := os.CreateTemp(c.dir, ".tmp-*.pdf")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	// Served as is (the site links to the entry): readable by the server.
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	if err := os.Rename(f.Name(), c.path(key)); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	c.mark(key)
	return c.path(key), nil
}

// readPDF reads a cached PDF and counts its pages.
func readPDF(src string) ([]byte, int, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, 0, err
	}
	n := PageCount(data)
	if n == 0 {
		return nil, 0, fmt.Errorf("%s: no pages found", src)
	}
	return data, n, nil
}

// install puts a cached PDF at file under out: a hard link (the cache
// entry is never written again, only replaced or removed), or a copy where
// links are not possible. It returns the page count and size.
func (c *cache) install(src, out, file string) (int, int64, error) {
	data, n, err := readPDF(src)
	if err != nil {
		return 0, 0, err
	}
	dst := filepath.Join(out, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, 0, err
	}
	os.Remove(dst)
	if err := os.Link(src, dst); err != nil {
		// The entry is read already: write it rather than copy it again.
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return 0, 0, err
		}
	}
	return n, int64(len(data)), nil
}

// prune removes the entries this build did not use, and temporary files
// of killed builds older than an hour (a younger one may be another
// build's, still writing).
func (c *cache) prune() {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".tmp-") {
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.Remove(filepath.Join(c.dir, name))
			}
			continue
		}
		if strings.HasSuffix(name, ".pdf") && !c.used[name] {
			os.Remove(filepath.Join(c.dir, name))
		}
	}
}

// fingerprint describes what prints besides the HTML: kb's own build, the
// browser binary and the installed fonts (names, sizes, times). A change to
// any of them reprints everything.
func fingerprint(exe string) (string, error) {
	h := sha256.New()
	fmt.Fprintln(h, "kb-pdf 2") // bump when the print options change
	stamped := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintln(h, bi.Main.Path, bi.Main.Version)
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprintln(h, s.Key, s.Value)
				stamped = true
			}
		}
	}
	real, err := filepath.EvalSymlinks(exe)
	if err != nil {
		return "", err
	}
	files := []string{real}
	if !stamped {
		// Built without version control (-buildvcs=false, go run, a
		// source archive): kb's own binary stands for its build.
		if self, err := os.Executable(); err == nil {
			files = append(files, self)
		}
	}
	// Debian's /usr/bin/chromium is a script; the browser is beside it.
	if fi, err := os.Stat("/usr/lib/chromium/chromium"); err == nil && !fi.IsDir() {
		files = append(files, "/usr/lib/chromium/chromium")
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			fmt.Fprintln(h, f, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	for _, dir := range []string{"/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if fi, err := d.Info(); err == nil && !d.IsDir() {
				fmt.Fprintln(h, p, fi.Size(), fi.ModTime().UnixNano())
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
