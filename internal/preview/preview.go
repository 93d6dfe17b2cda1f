package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/render"
	"kb/internal/serve"
	"kb/internal/source"
)

// Preview rebuilds a site when its files change and serves it.
type Preview struct {
	opt    build.Options
	srv    *serve.Server
	stdout io.Writer
	stderr io.Writer
	// Quiet is how long the watcher waits for a burst of events to end.
	Quiet time.Duration

	m      *model
	w      *watcher
	events *events

	// What is on disk: the generation, its outputs, and what changed
	// since they were written (while the build was broken).
	gen      string
	meta     *build.Meta
	live     *render.Renderer // of the site on disk
	disk     []render.Output
	diskPath map[string]int
	pending  *change
	warned   map[string]bool // the warnings printed

	mu     sync.Mutex
	broken *brokenState // not nil while the site has errors

	index indexer
}

// New returns a preview of opt.Site served by srv: it sets srv's Hook and
// ExtraCSP, and opt.Script.
func New(opt build.Options, srv *serve.Server, stdout, stderr io.Writer) *Preview {
	if opt.Out == "" {
		opt.Out = filepath.Join(opt.Site, "public")
	}
	opt.Script = Script
	// Nothing is written yet: the first good state writes everything. The
	// change is made by newChange, so that saves merged into it while the
	// site starts broken have maps to go to.
	pending := newChange()
	pending.full = true
	p := &Preview{opt: opt, srv: srv, stdout: stdout, stderr: stderr, Quiet: 50 * time.Millisecond,
		events: newEvents(), pending: pending}
	p.index.done = make(chan indexResult, 1)
	srv.Hook = p.events
	srv.ExtraCSP = CSP
	return p
}

// Start watches the site's folders and builds the site. A site with errors
// is not an error: the pages show them until they are fixed.
func (p *Preview) Start(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(p.opt.Site, "content")); err != nil {
		return fmt.Errorf("%s is not a kb site (no content/ folder): %w", p.opt.Site, err)
	}
	w, err := newWatcher(p.opt.Site, p.Quiet)
	if err != nil {
		return fmt.Errorf("watching %s: %w", p.opt.Site, err)
	}
	p.w = w
	start := time.Now()
	fsys, err := source.SiteFS(p.opt.Site)
	if err != nil {
		w.fw.Close()
		return err
	}
	p.m = newModel(fsys, p.opt.Drafts, p.opt.Script)
	p.m.loadAll()
	p.m.assemble()
	if err := p.finish(ctx, "", allLangs(p.m), start); err != nil {
		w.fw.Close()
		return err
	}
	return nil
}

// Run rebuilds on every change until ctx ends.
func (p *Preview) Run(ctx context.Context) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go p.w.run(wctx)
	defer p.index.close()
	defer p.events.stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case batch := <-p.w.batches:
			p.rebuild(ctx, batch)
		case err := <-p.w.errs:
			fmt.Fprintln(p.stderr, "kb: watching:", err)
		case r := <-p.index.done:
			p.indexed(r)
		case <-p.index.waiting():
			p.startIndex()
		}
	}
}

// rebuild brings the site up to date with the changed paths.
func (p *Preview) rebuild(ctx context.Context, paths []string) {
	start := time.Now()
	ch := p.m.update(paths)
	p.pending.merge(ch)
	if err := p.finish(ctx, describe(paths), ch.langs, start); err != nil {
		// Try again with the next change.
		fmt.Fprintf(p.stderr, "kb: %s%v\n", prefix(describe(paths)), err)
	}
}

// finish writes what changed, or shows the errors, and says so. It returns
// an error when the site could not be written.
func (p *Preview) finish(ctx context.Context, what string, langs map[string]bool, start time.Time) error {
	p.index.want(langs)
	probs := p.m.problems()
	var errs []string
	warned := map[string]bool{}
	for _, pr := range probs {
		if pr.Level == diag.Error {
			errs = append(errs, pr.String())
			continue
		}
		w := pr.String()
		warned[w] = true
		if !p.warned[w] {
			fmt.Fprintln(p.stderr, "  "+w)
		}
	}
	p.warned = warned
	if len(errs) > 0 {
		changed := p.setBroken(errs)
		fmt.Fprintf(p.stdout, "kb: %s%s in %s; the browser shows them\n", prefix(what), count(len(errs), "error"), since(start))
		if changed {
			for _, e := range errs {
				fmt.Fprintln(p.stderr, "  "+e)
			}
			p.events.publish()
		}
		return nil
	}
	wasBroken := p.setBroken(nil)
	var line string
	var err error
	if p.pending.full {
		line, err = p.publish(ctx)
	} else {
		line, err = p.update()
	}
	if err != nil {
		p.pending.full = true // write it all next time
		return fmt.Errorf("writing the site: %w", err)
	}
	p.pending = newChange()
	if len(warned) > 0 {
		line += ", " + count(len(warned), "warning")
	}
	fmt.Fprintf(p.stdout, "kb: %s%s in %s\n", prefix(what), line, since(start))
	if wasBroken || !strings.HasPrefix(line, "no file") {
		p.events.publish()
	}
	if p.index.current == nil {
		p.startIndex() // the first: search does not work until it is there
	} else {
		p.index.later()
	}
	return nil
}

// publish writes a new generation and serves it.
func (p *Preview) publish(ctx context.Context) (string, error) {
	opt := p.opt
	opt.NoIndex = true // built in the background
	res := p.m.res
	if err := build.Publish(ctx, opt, res); err != nil {
		return "", err
	}
	meta, err := build.ReadMeta(res.Generation)
	if err != nil {
		return "", err
	}
	p.gen, p.meta, p.live = res.Generation, meta, res.Renderer
	p.setDisk(p.m.outputs)
	p.swap()
	return fmt.Sprintf("built %s, %d files", count(total(res.Pages), "page"), res.Files), nil
}

// update writes, in place, the outputs that may have changed, and removes
// those that are gone.
func (p *Preview) update() (string, error) {
	m, ch := p.m, p.pending
	var todo []render.Output
	var gone []string
	sameList := len(p.disk) == len(m.outputs) && (len(m.outputs) == 0 || &p.disk[0] == &m.outputs[0])
	if sameList && len(ch.deps) == 0 {
		for path := range ch.paths {
			if i, ok := m.byPath[path]; ok {
				todo = append(todo, m.outputs[i])
			}
		}
	} else {
		for _, o := range m.outputs {
			i, had := p.diskPath[o.Path]
			if !had || ch.paths[o.Path] || touches(o.Deps, ch.deps) || touches(p.disk[i].Deps, ch.deps) {
				todo = append(todo, o)
			}
		}
		for _, o := range p.disk {
			if _, ok := m.byPath[o.Path]; !ok {
				gone = append(gone, o.Path)
			}
		}
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].Path < todo[j].Path })
	dir := filepath.Join(p.gen, "site")
	written, err := writeOutputs(p.m.fsys, todo, dir)
	if err != nil {
		return "", err
	}
	for _, path := range gone {
		removeOutput(dir, path)
	}
	if !sameList {
		// Aliases may have changed: the server reads redirects.json.
		if err := build.WriteMeta(m.res, p.gen); err != nil {
			return "", err
		}
		if p.meta, err = build.ReadMeta(p.gen); err != nil {
			return "", err
		}
	}
	p.live = m.res.Renderer
	p.setDisk(m.outputs)
	p.swap()
	if written == 0 && len(gone) == 0 {
		return fmt.Sprintf("no file changed (%d rendered)", len(todo)), nil
	}
	line := fmt.Sprintf("%s written (%d rendered)", count(written, "file"), len(todo))
	if len(gone) > 0 {
		line += fmt.Sprintf(", %d removed", len(gone))
	}
	return line, nil
}

func (p *Preview) setDisk(outs []render.Output) {
	if len(outs) > 0 && len(p.disk) == len(outs) && &p.disk[0] == &outs[0] {
		return
	}
	p.disk = outs
	p.diskPath = make(map[string]int, len(outs))
	for i, o := range outs {
		p.diskPath[o.Path] = i
	}
}

// swap serves the generation with the current renderer and index. Every
// rebuild gets a new State: the server caches ETags per State.
func (p *Preview) swap() {
	if p.gen == "" {
		return
	}
	p.srv.Swap(&serve.State{Gen: p.gen, Files: os.DirFS(filepath.Join(p.gen, "site")), Meta: p.meta,
		Index: p.index.current, Renderer: p.live, Langs: p.live.Site.Langs,
		Editors: os.DirFS(filepath.Join(p.gen, "editors"))})
}

func touches(deps []string, changed map[string]bool) bool {
	for _, d := range deps {
		if changed[d] {
			return true
		}
	}
	return false
}

// writeOutputs renders outputs and writes those whose bytes changed, in
// parallel when there are many.
func writeOutputs(fsys fs.FS, outs []render.Output, dir string) (int, error) {
	var mu sync.Mutex
	written := 0
	var errs []error
	one := func(o render.Output) {
		changed, err := build.UpdateOutput(fsys, o, dir)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Path, err))
		} else if changed {
			written++
		}
	}
	if len(outs) < 8 {
		for _, o := range outs {
			one(o)
		}
		return written, errors.Join(errs...)
	}
	work := make(chan render.Output)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for o := range work {
				one(o)
			}
		})
	}
	for _, o := range outs {
		work <- o
	}
	close(work)
	wg.Wait()
	return written, errors.Join(errs...)
}

// removeOutput removes a file that is no longer part of the site, its .gz,
// and the folders it leaves empty.
func removeOutput(dir, p string) {
	dst := filepath.Join(dir, filepath.FromSlash(p))
	os.Remove(dst)
	os.Remove(dst + ".gz")
	for d := filepath.Dir(dst); d != dir && strings.HasPrefix(d, dir); d = filepath.Dir(d) {
		if os.Remove(d) != nil {
			break
		}
	}
}

func allLangs(m *model) map[string]bool {
	out := map[string]bool{}
	for code := range m.codes {
		out[code] = true
	}
	return out
}

func total(pages map[string]int) int {
	n := 0
	for _, c := range pages {
		n += c
	}
	return n
}

// describe names the changed paths for the log line.
func describe(paths []string) string {
	switch len(paths) {
	case 0:
		return ""
	case 1:
		return paths[0]
	case 2:
		return paths[0] + " and " + paths[1]
	}
	return fmt.Sprintf("%s and %d more", paths[0], len(paths)-1)
}

func prefix(what string) string {
	if what == "" {
		return ""
	}
	return what + ": "
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func since(t time.Time) string {
	d := time.Since(t)
	if d < 10*time.Millisecond {
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}
