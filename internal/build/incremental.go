package build

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"kb/internal/generation"
	"kb/internal/source"
)

// What a preview (kb serve --watch --write) needs beyond Build: publishing
// a site it assembled itself.

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
		// The PDFs print every page's body: all come back from the spill
		// (bodies.go), for the rest of the build.
		for _, g := range res.Site.Groups {
			for _, p := range g.Pages {
				if err := res.Bodies.Hold(p); err != nil {
					return err
				}
			}
		}
		// Before the pages: they show each PDF's size and page count.
		if err := makePDFs(ctx, opt, res, gens, filepath.Join(staging, "site")); err != nil {
			return err
		}
	}
	fsys, err := source.SiteFS(opt.Site)
	if err != nil {
		return err
	}
	c := openCache(gens, staging, opt.id)
	if err := c.outputs(opt, res, opt.stamp); err != nil {
		return err
	}
	res.Bodies.DropSources() // hashed: nothing reads the Markdown again
	// The index is built while the pages are written: each alone leaves a
	// core idle at its end (the last language, the last files).
	indexed := make(chan error, 1)
	if opt.NoIndex {
		indexed <- nil
	} else {
		go func() { indexed <- writeIndex(res.Site, res.Bodies, filepath.Join(staging, "search"), c) }()
	}
	n, err := writeSite(ctx, fsys, res.Renderer, res.Bodies, filepath.Join(staging, "site"), opt.Out, c)
	if ierr := <-indexed; err == nil {
		err = ierr
	}
	if err != nil {
		return err
	}
	if opt.meanwhile != nil {
		done := make(chan struct{})
		go func() {
			defer close(done)
			opt.meanwhile()
		}()
		defer func() { <-done }()
	}
	res.Files = n
	if err := writeMeta(res, staging); err != nil {
		return err
	}
	if err := generation.WriteRender(staging, fsys, res.Site); err != nil {
		return err
	}
	// The PDFs come from their own cache, of its own modes.
	skip := ""
	if !opt.PDF && umaskKeeps(staging) {
		skip = filepath.Join(staging, "site")
	}
	if err := readable(staging, skip); err != nil {
		return err
	}
	sweep, _ := c.prune() // a failure costs only some reuse
	res.Cache = c.Stats()
	gen, old, err := swap(opt.Out, gens, staging)
	if err != nil {
		return err
	}
	// The site is out; what is left is tidying, on both cores: the old
	// generations, and the cache (what it holds is checked on use, and
	// confirm and sweep only remove entries).
	var tidy sync.WaitGroup
	tidy.Go(func() { removeAll(old) })
	tidy.Go(func() { c.confirm(opt.Site) })
	sweep()
	tidy.Wait()
	ok = true
	res.Generation = gen
	res.Duration += time.Since(start)
	return nil
}
