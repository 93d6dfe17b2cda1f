package preview

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/generation"
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
	// Write, when set, also writes every state of the site without errors
	// to opt.Out as a new generation, as kb build does (kb serve --watch
	// --write). Otherwise the preview writes nothing.
	Write bool

	m      *model
	w      *watcher
	events *events

	cur    *served         // what the server has; nil until the site first has no errors
	warned map[string]bool // the warnings printed

	// mu is write-held while the rebuild loop changes pages in place, and
	// read-held by every request but /_kb/ (a page renders, a search reads
	// the site).
	mu sync.RWMutex

	bmu    sync.Mutex
	broken *brokenState // not nil while the site has errors

	index indexer
}

// served is a state of the site without errors, as the server has it.
type served struct {
	res            *build.Result
	files, editors *files
	meta           *generation.Meta
}

// New returns a preview of opt.Site served by srv: it sets srv's Hook and
// ExtraCSP, and opt.Script.
func New(opt build.Options, srv *serve.Server, stdout, stderr io.Writer) *Preview {
	if opt.Out == "" {
		opt.Out = filepath.Join(opt.Site, "public")
	}
	opt.Script = Script
	p := &Preview{opt: opt, srv: srv, stdout: stdout, stderr: stderr, Quiet: 50 * time.Millisecond, events: newEvents()}
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
	ch := newChange()
	ch.site, ch.langs = true, allLangs(p.m)
	if err := p.finish(ctx, "", ch, start); err != nil {
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
	ch := p.m.update(paths, &p.mu)
	if err := p.finish(ctx, describe(paths), ch, start); err != nil {
		// Try again with the next change.
		fmt.Fprintf(p.stderr, "kb: %s%v\n", prefix(describe(paths)), err)
	}
}

// finish serves the site as the model has it now, or shows its errors, and
// says so. It returns an error when the site could not be written (Write).
func (p *Preview) finish(ctx context.Context, what string, ch *change, start time.Time) error {
	p.index.want(ch.langs)
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
			p.events.publish(nil)
		}
		return nil
	}
	wasBroken := p.setBroken(nil)
	old := p.cur
	res := p.m.res
	var line string
	switch {
	case old == nil || old.res.Site != res.Site || old.res.Renderer != res.Renderer || ch.files || wasBroken:
		// The outputs may be others.
		if ch.files || wasBroken {
			// Files published or not, by pages changed in place (while
			// broken: by saves before this one).
			res.Outputs = res.Renderer.Outputs()
		}
		outs := slices.Clip(res.Outputs)
		for name, data := range generation.HeaderFiles(res.Renderer.T.CSPStyle) {
			outs = append(outs, render.Output{Path: name, Render: func() ([]byte, error) { return data, nil }})
		}
		p.cur = &served{res: res, meta: build.MetaOf(res),
			files:   newFiles(p.m.fsys, outs, ""),
			editors: newFiles(p.m.fsys, outs, "_editors/")}
		p.cur.files.missing = res.Renderer.NotAvailable
		switch {
		case old == nil || old.res.Site != res.Site:
			line = fmt.Sprintf("assembled %s (%d rendered)", count(total(res.Pages), "page"), res.Bodies.Rendered())
		case ch.pages > 0:
			line = fmt.Sprintf("%s and templates updated", count(ch.pages, "page"))
		default:
			line = "templates updated"
		}
	case ch.pages > 0:
		// The same outputs, some with another body: render them anew.
		p.cur = &served{res: res, meta: old.meta,
			files:   newFiles2(old.files),
			editors: newFiles2(old.editors)}
		line = count(ch.pages, "page") + " updated"
	default:
		line = "no change"
	}
	if what == "" {
		line = fmt.Sprintf("built %s", count(total(res.Pages), "page"))
	}
	p.swap()
	if p.Write {
		opt := p.opt
		opt.NoIndex = true // the preview's is elsewhere
		if err := build.Publish(ctx, opt, res); err != nil {
			return fmt.Errorf("writing the site: %w", err)
		}
		line += fmt.Sprintf(", %d files written to %s", res.Files, p.opt.Out)
	}
	if len(warned) > 0 {
		line += ", " + count(len(warned), "warning")
	}
	// The open pages are told before the line is printed: the time counts
	// rendering them to compare.
	switch {
	case old == nil || wasBroken:
		p.events.publish(nil)
	case p.cur != old:
		p.events.publish(changedPage(old.files, p.cur.files))
	}
	fmt.Fprintf(p.stdout, "kb: %s%s in %s\n", prefix(what), line, since(start))
	if p.index.current == nil {
		p.startIndex() // the first: search does not work until it is there
	} else {
		p.index.later()
	}
	return nil
}

// newFiles2 serves the same outputs as f, rendered anew.
func newFiles2(f *files) *files {
	return &files{site: f.site, outs: f.outs, dirs: f.dirs, missing: f.missing}
}

// changedPage reports whether the page at a URL path is another in cur
// than it was in old, as far as old rendered it: a page open in a browser
// was rendered when it was served.
func changedPage(old, cur *files) func(string) bool {
	return func(urlPath string) bool {
		if urlPath == "" {
			return true
		}
		name, ok := cur.page(urlPath)
		if !ok {
			return true
		}
		before, ok := old.rendered(name)
		if !ok {
			return true
		}
		after, err := cur.read(name)
		return err != nil || !bytes.Equal(before, after)
	}
}

// swap serves the current state with the current index. Every rebuild gets
// a new State: the server caches ETags per State.
func (p *Preview) swap() {
	c := p.cur
	if c == nil {
		return
	}
	p.srv.Swap(&serve.State{Files: c.files, Meta: c.meta, Index: p.index.current, Renderer: c.res.Renderer,
		Langs: c.res.Site.Langs, Editors: c.editors})
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
