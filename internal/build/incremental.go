package build

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"kb/internal/render"
	"kb/internal/source"
)

// What a preview (kb serve --watch) needs beyond Build: publishing a site it
// assembled itself, and updating single files of the current generation in
// place. A normal build never updates in place.

// Publish writes an assembled site as a new generation and swaps it in: what
// Build does after Load. The caller has checked res.Problems. It sets
// res.Files, res.Generation and res.Duration.
func Publish(ctx context.Context, opt Options, res *Result) error {
	start := time.Now()
	if opt.Out == "" {
		opt.Out = filepath.Join(opt.Site, "public")
	}
	res.Renderer.Script = opt.Script
	gens := filepath.Join(filepath.Dir(opt.Out), ".kb")
	if err := checkOut(opt.Out, gens); err != nil {
		return err
	}
	if err := os.MkdirAll(gens, 0o755); err != nil {
		return err
	}
	// The web server's workers run as another user: they must reach the
	// generations whatever the umask.
	if err := os.Chmod(gens, 0o755); err != nil {
		return err
	}
	staging, release, err := newStaging(gens, filepath.Base(opt.Out)+"-tmp-")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(staging)
		}
		release()
	}()
	if opt.PDF {
		// Before the pages: they show each PDF's size and page count.
		if err := makePDFs(ctx, opt, res, gens, filepath.Join(staging, "site")); err != nil {
			return err
		}
	}
	fsys, err := source.SiteFS(opt.Site)
	if err != nil {
		return err
	}
	// The index is built while the pages are written: each alone leaves a
	// core idle at its end (the last language, the last files).
	indexed := make(chan error, 1)
	if opt.NoIndex {
		indexed <- nil
	} else {
		go func() { indexed <- writeIndex(res.Site, filepath.Join(staging, "search")) }()
	}
	n, err := writeSite(ctx, fsys, res.Renderer, filepath.Join(staging, "site"), opt.Out)
	if ierr := <-indexed; err == nil {
		err = ierr
	}
	if err != nil {
		return err
	}
	res.Files = n
	if err := writeMeta(res, staging); err != nil {
		return err
	}
	if err := readable(staging); err != nil {
		return err
	}
	gen, err := swap(opt.Out, gens, staging)
	if err != nil {
		return err
	}
	ok = true
	res.Generation = gen
	res.Duration += time.Since(start)
	return nil
}

// WriteMeta rewrites kb.json and redirects.json of a generation.
func WriteMeta(res *Result, gen string) error { return writeMeta(res, gen) }

// UpdateOutput renders or copies one output under dir, as WriteOutput does,
// but leaves the file untouched (mtime and all) when its bytes are the same,
// and otherwise replaces it by rename, so that a server reading it meanwhile
// gets the old file or the new one, never half of one. It reports whether
// the file changed.
func UpdateOutput(fsys fs.FS, o render.Output, dir string) (bool, error) {
	var data []byte
	var err error
	if o.Copy != "" {
		data, err = fs.ReadFile(fsys, o.Copy)
	} else {
		data, err = o.Render()
	}
	if err != nil {
		return false, err
	}
	dst := OutputFile(dir, o.Path)
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, err
	}
	// The temporary name keeps the extension (writeGzip goes by it) and
	// starts with a dot (the server never serves dot-files).
	tmp := filepath.Join(filepath.Dir(dst), ".kb-tmp-"+filepath.Base(dst))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return false, err
	}
	if o.Copy == "" {
		if err := writeGzip(tmp, dst, data); err != nil {
			os.Remove(tmp)
			return false, err
		}
		if err := os.Rename(tmp+".gz", dst+".gz"); errors.Is(err, fs.ErrNotExist) {
			os.Remove(dst + ".gz")
		} else if err != nil {
			os.Remove(tmp)
			return false, err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}
