// Package build runs kb's build in phases — load, assemble, render and index,
// swap — and keeps the previous output intact when anything fails.
//
// # Output layout
//
// The output folder (public/ by default) is a symbolic link to the current
// generation, in .kb/ beside it; package generation has the layout. A build
// writes a new generation and then replaces the link with rename(2), which
// is atomic: a reader sees the old site and index or the new ones, never a
// mix, and a failed build leaves the old ones untouched. The previous
// generation is kept (a server may not have looked at the link yet), and so
// is any generation a running server holds (generation.Hold); other old
// ones are removed. A build killed before the swap leaves its staging
// folder (.kb/public-tmp-*); the next build removes it (see staging.go).
//
// # Permissions
//
// Every folder of a generation is 0755 and every file 0644, whatever the
// umask, so that a web server running as another user can read the site and
// a kb serve running as another user the index.
//
// # Determinism
//
// Inputs are sorted and nothing depends on the clock or on map order, so the
// same input gives the same site bytes, search index included
// (search/segments.go); the index is tested on its search results too.
package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/klauspost/compress/gzip"

	"kb/internal/diag"
	"kb/internal/generation"
	"kb/internal/lang"
	"kb/internal/render"
	"kb/internal/site"
	"kb/internal/source"
	"kb/search"
)

// Options say what to build.
type Options struct {
	Site   string // site folder, with content/, templates/, i18n/
	Out    string // output link, default <Site>/public
	Drafts bool
	// NoIndex skips the search index (faster previews and tests of pages only).
	NoIndex bool
	// Script is added to every HTML page (the preview's reload script).
	Script string
	// PDF prints the PDFs of fiches, procedures and folders (also set by
	// pdf = true in site.toml); Chromium names the browser ("": in PATH).
	PDF      bool
	Chromium string

	stamp string // siteStamp before Load: Build's, for the cache of rendered files
	id    []byte // kb's identity, when Build has computed it (cache.go)
	// meanwhile runs beside Publish's last steps, once the site and its
	// index are written (nil: nothing); Publish waits for it.
	meanwhile func()
}

// Result describes a finished (or failed) build.
type Result struct {
	Site   *site.Site
	Bodies *site.Bodies // what the body phase found
	// Outputs are the Renderer's outputs as Assemble listed them (nil
	// after Build, which lists them again as it writes them).
	Outputs    []render.Output
	Renderer   *render.Renderer
	Problems   []diag.Problem // errors and warnings
	Pages      map[string]int // pages per language
	Aliases    int
	Files      int
	Generation string // folder of the new generation
	Duration   time.Duration
	PDFs       int      // PDFs in the site (kb build --pdf)
	Printed    []string // those printed by this build, not from the cache
	Prints     int      // Chromium prints, the folders' contents included

	// Cache says what came from the build cache (cache.go).
	Cache CacheStats
}

// Summary is the one line a build prints.
func (r *Result) Summary() string {
	var parts []string
	total := 0
	for _, l := range r.Site.Langs.List {
		parts = append(parts, fmt.Sprintf("%s %d", l.Code, r.Pages[l.Code]))
		total += r.Pages[l.Code]
	}
	pdfs := ""
	if r.PDFs > 0 {
		pdfs = fmt.Sprintf(", %d PDFs (%d printed)", r.PDFs, len(r.Printed))
	}
	return fmt.Sprintf("built %d pages in %d languages (%s), %d aliases, %d files%s in %s",
		total, len(parts), strings.Join(parts, ", "), r.Aliases, r.Files, pdfs, r.Duration.Round(time.Millisecond))
}

// Load runs the phases that read and check the site, writing nothing: what
// kb build, kb check and kb newsletter start from.
func Load(siteDir string, drafts bool) (*Result, error) {
	return LoadWith(siteDir, drafts, nil)
}

// LoadWith is Load with bodies from cache when they are still right (nil:
// none).
func LoadWith(siteDir string, drafts bool, cache *site.BodyCache) (*Result, error) {
	return load(siteDir, drafts, func() *site.BodyCache { return cache }, nil)
}

// load is LoadWith with the bodies' cache asked for only once content/ is
// read (Build reads the saved bodies meanwhile), and the pages parsed
// through parsed (nil: none).
func load(siteDir string, drafts bool, bodies func() *site.BodyCache, parsed *source.ParseCache) (*Result, error) {
	start := time.Now()
	var problems diag.List
	fsys, err := source.SiteFS(siteDir)
	if err != nil {
		return nil, err
	}
	langs := lang.Load(fsys, "i18n", &problems)
	codes := map[string]bool{}
	for _, l := range langs.List {
		codes[l.Code] = true
	}
	content := source.LoadCached(fsys, codes, &problems, parsed)
	tmpl := render.LoadTemplates(fsys, &problems)
	cache := bodies()
	if cache != nil && !tmpl.OwnBodies() {
		cache.KeepBodies() // a template shows other pages' bodies
	}
	res := Assemble(content, langs, tmpl, drafts, cache, &problems)
	res.Bodies.Problems(&problems)
	res.Problems = problems.Problems()
	res.Duration = time.Since(start)
	return res, problems.Err()
}

// Assemble runs the phases after reading, in this order, for kb build, kb
// check and the preview alike: the site's structure (site.Assemble), the
// bodies (site.RenderBodies, from cache when still right; nil: none), and
// the check that no two outputs collide. The problems of the bodies stay in
// res.Bodies (a preview updates them page by page): the caller adds them,
// and sets res.Problems.
func Assemble(content *source.Content, langs *lang.Set, tmpl *render.Templates, drafts bool, cache *site.BodyCache, problems *diag.List) *Result {
	s := site.Assemble(content, langs, site.Options{Drafts: drafts}, problems)
	bodies := s.RenderBodies(cache)
	res := &Result{Site: s, Bodies: bodies, Pages: map[string]int{}, Aliases: len(s.Aliases)}
	for _, g := range s.Groups {
		for code := range g.Pages {
			res.Pages[code]++
		}
	}
	res.Renderer = &render.Renderer{Site: s, T: tmpl}
	res.Outputs = res.Renderer.Outputs()
	for _, p := range render.Collisions(res.Outputs) {
		problems.Add(p)
	}
	return res
}

// Build builds the site and swaps it in.
func Build(ctx context.Context, opt Options) (*Result, error) {
	if opt.Out == "" {
		opt.Out = filepath.Join(opt.Site, "public")
	}
	gens := filepath.Join(filepath.Dir(opt.Out), ".kb")
	// The reads that start a build each keep one core busy: they overlap.
	// kb's identity (nil: no cache; bodies.go, cache.go) is hashed while
	// the site is stamped (before reading: see cache.go), and the saved
	// bodies are read while content/ is.
	idc := make(chan []byte, 1)
	go func() {
		id, _ := identity()
		idc <- id
	}()
	opt.stamp, _ = siteStamp(opt.Site)
	opt.id = <-idc
	type saved struct {
		bodies *site.BodyCache
		n      int
		spill  *os.File
	}
	loaded := make(chan saved, 1)
	go func() {
		b := saved{bodies: loadBodies(gens, opt.id)}
		b.n = b.bodies.Len()
		if b.spill = openSpill(opt.Out, gens); b.spill != nil {
			// The Atom feeds show the bodies of their items: they stay.
			b.bodies.Spill(b.spill, func(s *site.Site) []*site.Page {
				var keep []*site.Page
				for _, l := range s.Langs.List {
					keep = append(keep, render.FeedPages(s, l.Code)...)
				}
				return keep
			})
		}
		loaded <- b
	}()
	bodies := sync.OnceValue(func() saved { return <-loaded })
	defer func() {
		if f := bodies().spill; f != nil {
			f.Close()
		}
	}()
	parsed := loadParsed(gens, opt.id)
	res, err := load(opt.Site, opt.Drafts, func() *site.BodyCache { return bodies().bodies }, parsed)
	if err != nil {
		return res, err
	}
	opt.PDF = opt.PDF || res.Site.Settings.PDF
	// The caches of bodies and pages are saved while the build ends
	// (Publish's last steps use one core): they depend on content/ alone.
	opt.meanwhile = func() {
		b := bodies()
		if opt.id != nil && (res.Bodies.Rendered() > 0 || b.bodies.Len() != b.n) {
			saveBodies(gens, opt.id, b.bodies) // a failure costs only reuse
		}
		if parsed != nil && parsed.Changed() {
			saveParsed(gens, opt.id, parsed)
		}
	}
	// Checked for collisions: writeSite lists the outputs again, and two
	// lists of a large site are a tenth of what it holds.
	res.Outputs = nil
	if err := Publish(ctx, opt, res); err != nil {
		return res, err
	}
	total := 0
	for _, n := range res.Pages {
		total += n
	}
	res.Cache.BodyMisses = res.Bodies.Rendered()
	res.Cache.BodyHits = total - res.Cache.BodyMisses
	if parsed != nil {
		res.Cache.PageHits, res.Cache.PageMisses = parsed.Hits(), parsed.Misses()
	}
	return res, nil
}

// checkOut refuses to replace an output that kb did not make.
func checkOut(out, gens string) error {
	fi, err := os.Lstat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return fmt.Errorf("%s exists and is not a kb build (kb makes it a link into %s): move it away or choose another --out", out, gens)
	}
	return nil
}

// writeSite renders every output into dir, in parallel; out is the output
// folder, for messages (dir is a staging folder the user never sees).
func writeSite(ctx context.Context, fsys fs.FS, r *render.Renderer, bodies *site.Bodies, dir, out string, c *cache) (int, error) {
	outs := r.Outputs()
	var problems diag.List
	work := make(chan render.Output)
	var wg sync.WaitGroup
	// A full disk fails every file after the first: say it once and stop.
	var full sync.Once
	stop := make(chan struct{})
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range work {
				err := writeOutput(fsys, o, dir, c, bodies)
				switch {
				case err == nil:
				case diskFull(err):
					full.Do(func() {
						var pe *fs.PathError
						if errors.As(err, &pe) {
							err = pe.Err // the staging path means nothing to the user
						}
						problems.Add(diag.Problem{Path: out, Msg: "the disk is full: " + err.Error(), Hint: "free some space and build again; the previous site is untouched"})
						close(stop)
					})
				default:
					problems.Add(outputProblem(o, err))
				}
			}
		}()
	}
send:
	for _, o := range outs {
		if ctx.Err() != nil {
			break
		}
		select {
		case work <- o:
		case <-stop:
			break send
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return len(outs), problems.Err()
}

// diskFull reports whether err means no more can be written there.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EFBIG)
}

func outputProblem(o render.Output, err error) diag.Problem {
	if te, ok := errors.AsType[*render.TemplateError](err); ok {
		return diag.Problem{Path: te.Path, Msg: "rendering " + o.Path + ": " + te.Err.Error()}
	}
	return diag.Problem{Path: "public/" + o.Path, Msg: err.Error()}
}

// OutputFile is where an output goes, dir being the generation's site
// folder: there, except the pages for editors (_editors/), which go beside
// it in the generation's editors/ folder, out of what is published. Only the
// preview serves them.
func OutputFile(dir, p string) string {
	if rest, ok := strings.CutPrefix(p, "_editors/"); ok {
		return filepath.Join(filepath.Dir(dir), generation.EditorsDir, filepath.FromSlash(rest))
	}
	return filepath.Join(dir, filepath.FromSlash(p))
}

// WriteOutput renders or copies one output under dir.
func WriteOutput(fsys fs.FS, o render.Output, dir string) error {
	return writeOutput(fsys, o, dir, nil, nil)
}

// writeOutput is WriteOutput through the build cache c (nil: none), with
// the body of the output's page taken from bodies while it is rendered
// (site.BodyCache.Spill; nil: every body is in memory).
func writeOutput(fsys fs.FS, o render.Output, dir string, c *cache, bodies *site.Bodies) error {
	dst := OutputFile(dir, o.Path)
	if err := c.mkdirAll(filepath.Dir(dst)); err != nil {
		return err
	}
	if o.Copy != "" {
		src, err := fsys.Open(o.Copy)
		if err != nil {
			return err
		}
		defer src.Close()
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, src); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	key, ok := c.reuse(o, dst)
	if ok {
		return nil
	}
	if o.Page != nil {
		if err := bodies.Hold(o.Page); err != nil {
			return err
		}
		defer bodies.Release(o.Page)
	}
	data, err := o.Render()
	if err != nil {
		return err
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return err
	}
	zipped, err := c.writeGzip(dst, dst, data)
	if err != nil {
		return err
	}
	c.keep(o, dst, key, zipped)
	return nil
}

// writeGzip writes dst.gz beside a text file, for servers that send
// precompressed files (kb serve, nginx gzip_static), and says whether it
// did. Small files are left: their headers would cost more than they save.
// name is the file's final name, which says whether it is text (dst may be
// a temporary name).
func writeGzip(dst, name string, data []byte) (bool, error) {
	switch filepath.Ext(name) {
	case ".html", ".xml", ".txt", ".css", ".json", ".svg", ".map", "":
	default:
		return false, nil
	}
	if len(data) < 512 {
		os.Remove(dst + ".gz")
		return false, nil
	}
	buf := gzipBufs.Get().(*bytes.Buffer)
	defer gzipBufs.Put(buf)
	buf.Reset()
	zw := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(zw)
	zw.Reset(buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return false, err
	}
	return true, os.WriteFile(dst+".gz", buf.Bytes(), 0o644)
}

// gzipBufs keeps the buffers writeGzip compresses into: a page's grew from
// nothing each time.
var gzipBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// gzipLevel is klauspost/compress's level 7: files within half a percent
// of the standard library's best compression, in about half its time (see
// BENCHMARKS.md). Its output depends only on the input and the level, so
// builds stay reproducible.
const gzipLevel = 7

// gzipPool keeps writers: a new one allocates about a megabyte.
var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzipLevel)
	return zw
}}

// Docs makes the search documents of a site.
func Docs(s *site.Site) []search.Doc {
	var docs []search.Doc
	for _, g := range s.Groups {
		for _, l := range s.GroupLangs(g) {
			docs = append(docs, Doc(g.Pages[l.Code]))
		}
	}
	return docs
}

// Doc makes the search document of a page.
func Doc(p *site.Page) search.Doc { return docOf(p, p.Text) }

// docOf is p's search document with the plain text text.
func docOf(p *site.Page, text string) search.Doc {
	var heads []string
	for _, h := range p.Headings {
		heads = append(heads, h.Text)
	}
	d := search.Doc{
		ID: docID(p), Lang: p.Lang, URL: p.URL, Section: p.Section,
		Title: p.Meta.Title, Summary: p.Meta.Summary, Headings: strings.Join(heads, "\n"), Body: text,
		Topics: p.Meta.Topics, Residence: p.Meta.Residence, Audience: p.Meta.Audience,
	}
	if !p.Meta.Reviewed.IsZero() {
		d.Reviewed = p.Meta.Reviewed.Format("2006-01-02")
	}
	if !p.Meta.Date.IsZero() {
		d.Date = p.Meta.Date.Format("2006-01-02")
	}
	return d
}

func docID(p *site.Page) string { return p.Lang + ":" + p.Section + "/" + p.Key }

// langDocs are the search documents of one language, made one at a time:
// a build that spills its bodies reads each page's plain text back
// (site.Bodies.Text) only while its document is hashed or indexed, so no
// language's text is ever in memory whole.
type langDocs struct {
	lang   string
	ids    []string     // sorted
	pages  []*site.Page // pages[i] has ids[i]
	size   int64        // bytes of text, roughly
	bodies *site.Bodies // nil: the text is in the pages
}

// indexDocs gives the languages of s's search documents, in site order.
func indexDocs(s *site.Site, bodies *site.Bodies) []*langDocs {
	byLang := map[string]*langDocs{}
	var langs []*langDocs
	for _, l := range s.Langs.List {
		byLang[l.Code] = &langDocs{lang: l.Code, bodies: bodies}
	}
	for _, g := range s.Groups {
		for _, l := range s.GroupLangs(g) {
			p, ld := g.Pages[l.Code], byLang[l.Code]
			ld.pages = append(ld.pages, p)
			ld.size += int64(bodies.TextLen(p) + len(p.Meta.Title) + len(p.Meta.Summary))
		}
	}
	for _, l := range s.Langs.List {
		ld := byLang[l.Code]
		if len(ld.pages) == 0 {
			continue
		}
		ld.ids = make([]string, len(ld.pages))
		for i, p := range ld.pages {
			ld.ids[i] = docID(p)
		}
		sort.Sort(byID{ld})
		langs = append(langs, ld)
	}
	return langs
}

type byID struct{ *langDocs }

func (b byID) Len() int           { return len(b.ids) }
func (b byID) Less(i, j int) bool { return b.ids[i] < b.ids[j] }
func (b byID) Swap(i, j int) {
	b.ids[i], b.ids[j] = b.ids[j], b.ids[i]
	b.pages[i], b.pages[j] = b.pages[j], b.pages[i]
}

// doc is the document of ids[i].
func (l *langDocs) doc(i int) (search.Doc, error) {
	text, err := l.bodies.Text(l.pages[i])
	if err != nil {
		return search.Doc{}, fmt.Errorf("search index: %s: reading back its text: %w", l.pages[i].Path, err)
	}
	return docOf(l.pages[i], text), nil
}

// all yields the documents in ID order.
func (l *langDocs) all() iter.Seq2[search.Doc, error] {
	return func(yield func(search.Doc, error) bool) {
		for i := range l.ids {
			d, err := l.doc(i)
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

func (l *langDocs) search() search.LangDocs {
	return search.LangDocs{Lang: l.lang, Size: l.size, Docs: l.all()}
}

// Synonyms parses the synonym files; problems carry their file and line.
func Synonyms(s *site.Site) (search.Synonyms, error) {
	syn := search.Synonyms{}
	var problems diag.List
	codes := make([]string, 0, len(s.Synonyms))
	for c := range s.Synonyms {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, code := range codes {
		f := s.Synonyms[code]
		groups, err := search.ParseSynonyms(bytes.NewReader(f.Data))
		if err != nil {
			var errs search.SynonymErrors
			if !errors.As(err, &errs) {
				problems.Errorf(f.Path, 0, "%v", err)
				continue
			}
			for _, e := range errs {
				problems.Errorf(f.Path, e.Line, "%s", e.Msg)
			}
			continue
		}
		syn[code] = groups
	}
	return syn, problems.Err()
}

func writeIndex(s *site.Site, bodies *site.Bodies, dir string, c *cache) error {
	syn, err := Synonyms(s)
	if err != nil {
		return err
	}
	if err := c.buildIndex(dir, indexDocs(s, bodies), syn); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// MetaOf is what kb.json and redirects.json say of an assembled site.
func MetaOf(res *Result) *generation.Meta {
	m := &generation.Meta{DefaultLanguage: res.Site.Settings.DefaultLanguage, CSPStyle: res.Renderer.T.CSPStyle, Redirects: res.Renderer.Redirects()}
	for _, l := range res.Site.Langs.List {
		m.Languages = append(m.Languages, generation.MetaLang{Code: l.Code, Tag: l.TagString()})
	}
	return m
}

func writeMeta(res *Result, dir string) error { return generation.WriteMeta(dir, MetaOf(res)) }

func writeJSON(p string, v any) error {
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(p, append(data, '\n'), 0o644)
}

// readable makes a generation readable by every user: folders 0755, files
// 0644, whatever the umask. os.MkdirTemp makes the staging folder 0700 and
// bleve writes 0700 folders and 0600 files, but nginx's workers and a kb
// serve running as another user must read them. Nothing in a generation is
// secret: it is what the site publishes, plus its search index and
// redirects. skip names a folder of dir whose modes are right already (""
// none): the site folder, when the build made every file there itself or
// linked it from the cache, under a umask that keeps the modes (cache.go,
// "Modes"); walking its tens of thousands of files cost a tenth of a build
// with nothing changed.
func readable(dir, skip string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir() && p == skip:
			return fs.SkipDir
		case d.IsDir():
			return os.Chmod(p, 0o755)
		case d.Type().IsRegular():
			return os.Chmod(p, 0o644)
		}
		return nil
	})
}

// umaskKeeps reports whether a file made 0644 and a folder made 0755 in
// dir get those modes (the umask takes nothing from them).
func umaskKeeps(dir string) bool {
	f, err := os.CreateTemp(dir, "mode-")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	p := f.Name()
	fok := os.WriteFile(p, nil, 0o644) == nil
	if fi, err := os.Stat(p); fok && (err != nil || fi.Mode().Perm() != 0o644) {
		fok = false
	}
	os.Remove(p)
	dok := os.Mkdir(p, 0o755) == nil
	if fi, err := os.Stat(p); dok && (err != nil || fi.Mode().Perm() != 0o755) {
		dok = false
	}
	os.Remove(p)
	return fok && dok
}

// swap makes staging the next generation and points out at it. It returns
// the generations to remove, for the caller to remove (removeAll) beside
// its last steps.
func swap(out, gens, staging string) (string, []string, error) {
	base := filepath.Base(out)
	next := 1
	// Without the list, the next number could name a generation that
	// exists: stop rather than guess.
	entries, err := os.ReadDir(gens)
	if err != nil {
		return "", nil, err
	}
	var old []int
	for _, e := range entries {
		if n, err := strconv.Atoi(strings.TrimPrefix(e.Name(), base+"-")); err == nil && strings.HasPrefix(e.Name(), base+"-") {
			old = append(old, n)
			next = max(next, n+1)
		}
	}
	gen := filepath.Join(gens, fmt.Sprintf("%s-%d", base, next))
	if err := os.Rename(staging, gen); err != nil {
		return "", nil, err
	}
	target, err := filepath.Rel(filepath.Dir(out), filepath.Join(gen, "site"))
	if err != nil {
		return "", nil, err
	}
	tmpLink := out + ".kb-new"
	os.Remove(tmpLink)
	if err := os.Symlink(target, tmpLink); err != nil {
		return "", nil, err
	}
	if err := os.Rename(tmpLink, out); err != nil {
		os.Remove(tmpLink)
		return "", nil, err
	}
	// Keep the generation just replaced (a server may not have looked at the
	// link since) and every generation a server holds (generation.Hold): it
	// goes at a later build, once its servers have moved on.
	sort.Ints(old)
	var remove []string
	for i, n := range old {
		dir := filepath.Join(gens, fmt.Sprintf("%s-%d", base, n))
		if i < len(old)-1 && !generation.Held(dir) {
			remove = append(remove, dir)
		}
	}
	return gen, remove, nil
}

// removeAll removes the folders dirs, on every core: a generation is tens
// of thousands of files, and removing them one by one was a tenth of a
// build with nothing changed.
func removeAll(dirs []string) {
	// Two levels down (a generation's site/<lang>/), for work to share.
	var subs []string
	for _, d := range dirs {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			p := filepath.Join(d, e.Name())
			inner, err := os.ReadDir(p)
			if !e.IsDir() || err != nil {
				subs = append(subs, p)
				continue
			}
			for _, e := range inner {
				subs = append(subs, filepath.Join(p, e.Name()))
			}
		}
	}
	work := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range work {
				os.RemoveAll(p)
			}
		})
	}
	for _, p := range subs {
		work <- p
	}
	close(work)
	wg.Wait()
	for _, d := range dirs {
		os.RemoveAll(d)
	}
}
