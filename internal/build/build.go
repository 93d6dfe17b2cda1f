// Package build runs kb's build in phases — load, assemble, render and index,
// swap — and keeps the previous output intact when anything fails.
//
// # Output layout
//
// The output folder (public/ by default) is a symbolic link to the current
// generation, beside it in .kb/:
//
//	public -> .kb/public-<n>/site
//	.kb/public-<n>/site/         the static site, served as plain files
//	.kb/public-<n>/search/       the bleve indexes (not served to browsers)
//	.kb/public-<n>/redirects.json  every alias, query-string ones included
//	.kb/public-<n>/kb.json       what the server needs: languages, CSP
//	.kb/public-<n>/editors/      pages for editors (translation status), not
//	                             published; the preview serves them
//
// A build writes a new generation and then replaces the link with rename(2),
// which is atomic: a reader sees the old site and index or the new ones,
// never a mix, and a failed build leaves the old ones untouched. The previous
// generation is kept (a server may not have looked at the link yet), and so
// is any generation a running server holds (HoldGeneration, a shared
// flock(2) on its folder); other old ones are removed. A build killed before the swap leaves its staging
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
// same input gives the same site bytes. bleve's files are not reproducible;
// the index is tested on its search results.
package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
}

// Result describes a finished (or failed) build.
type Result struct {
	Site       *site.Site
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

// Load runs the phases that read and check the site, writing nothing.
func Load(siteDir string, drafts bool) (*Result, *render.Templates, error) {
	start := time.Now()
	var problems diag.List
	fsys, err := source.SiteFS(siteDir)
	if err != nil {
		return nil, nil, err
	}
	langs := lang.Load(fsys, "i18n", &problems)
	codes := map[string]bool{}
	for _, l := range langs.List {
		codes[l.Code] = true
	}
	content := source.Load(fsys, codes, &problems)
	s := site.Assemble(content, langs, site.Options{Drafts: drafts}, &problems)
	tmpl := render.LoadTemplates(fsys, &problems)
	res := &Result{Site: s, Pages: map[string]int{}, Aliases: len(s.Aliases)}
	for _, g := range s.Groups {
		for code := range g.Pages {
			res.Pages[code]++
		}
	}
	res.Renderer = &render.Renderer{Site: s, T: tmpl}
	for _, p := range render.Collisions(res.Renderer.Outputs()) {
		problems.Add(p)
	}
	res.Problems = problems.Problems()
	res.Duration = time.Since(start)
	return res, tmpl, problems.Err()
}

// Build builds the site and swaps it in.
func Build(ctx context.Context, opt Options) (*Result, error) {
	if opt.Out == "" {
		opt.Out = filepath.Join(opt.Site, "public")
	}
	res, _, err := Load(opt.Site, opt.Drafts)
	if err != nil {
		return res, err
	}
	opt.PDF = opt.PDF || res.Site.Settings.PDF
	return res, Publish(ctx, opt, res)
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
func writeSite(ctx context.Context, fsys fs.FS, r *render.Renderer, dir, out string) (int, error) {
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
				err := WriteOutput(fsys, o, dir)
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
	msg := err.Error()
	if p, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(p, "templates/") {
		return diag.Problem{Path: p, Msg: "rendering " + o.Path + ": " + rest}
	}
	return diag.Problem{Path: "public/" + o.Path, Msg: msg}
}

// OutputFile is where an output goes, dir being the generation's site
// folder: there, except the pages for editors (_editors/), which go beside
// it in the generation's editors/ folder, out of what is published. Only the
// preview serves them.
func OutputFile(dir, p string) string {
	if rest, ok := strings.CutPrefix(p, "_editors/"); ok {
		return filepath.Join(filepath.Dir(dir), "editors", filepath.FromSlash(rest))
	}
	return filepath.Join(dir, filepath.FromSlash(p))
}

// WriteOutput renders or copies one output under dir.
func WriteOutput(fsys fs.FS, o render.Output, dir string) error {
	dst := OutputFile(dir, o.Path)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
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
	data, err := o.Render()
	if err != nil {
		return err
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return err
	}
	return writeGzip(dst, dst, data)
}

// writeGzip writes dst.gz beside a text file, for servers that send
// precompressed files (kb serve, nginx gzip_static). Small files are left:
// their headers would cost more than they save. name is the file's final
// name, which says whether it is text (dst may be a temporary name).
func writeGzip(dst, name string, data []byte) error {
	switch filepath.Ext(name) {
	case ".html", ".xml", ".txt", ".css", ".json", ".svg", ".map", "":
	default:
		return nil
	}
	if len(data) < 512 {
		os.Remove(dst + ".gz")
		return nil
	}
	var buf bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(zw)
	zw.Reset(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(dst+".gz", buf.Bytes(), 0o644)
}

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
func Doc(p *site.Page) search.Doc {
	var heads []string
	for _, h := range p.Headings {
		heads = append(heads, h.Text)
	}
	d := search.Doc{
		ID: p.Lang + ":" + p.Section + "/" + p.Key, Lang: p.Lang, URL: p.URL, Section: p.Section,
		Title: p.Meta.Title, Summary: p.Meta.Summary, Headings: strings.Join(heads, "\n"), Body: p.Text,
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
		groups, err := search.ParseSynonyms(strings.NewReader(string(f.Data)))
		if err != nil {
			line := 0
			msg := err.Error()
			if rest, ok := strings.CutPrefix(msg, "line "); ok {
				if i := strings.Index(rest, ":"); i > 0 {
					line, _ = strconv.Atoi(rest[:i])
					msg = strings.TrimSpace(rest[i+1:])
				}
			}
			problems.Errorf(f.Path, line, "%s", msg)
			continue
		}
		syn[code] = groups
	}
	return syn, problems.Err()
}

func writeIndex(s *site.Site, dir string) error {
	syn, err := Synonyms(s)
	if err != nil {
		return err
	}
	if err := search.Build(dir, Docs(s), syn); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// Meta is what kb.json holds: what the server needs to know of a build.
type Meta struct {
	DefaultLanguage string            `json:"default_language"`
	Languages       []MetaLang        `json:"languages"`
	CSPStyle        string            `json:"csp_style"`
	Redirects       map[string]string `json:"-"`
}

// MetaLang is a language as the server sees it.
type MetaLang struct {
	Code string `json:"code"`
	Tag  string `json:"tag"`
}

func writeMeta(res *Result, dir string) error {
	m := Meta{DefaultLanguage: res.Site.Settings.DefaultLanguage, CSPStyle: res.Renderer.T.CSPStyle}
	for _, l := range res.Site.Langs.List {
		m.Languages = append(m.Languages, MetaLang{Code: l.Code, Tag: l.TagString()})
	}
	if err := writeJSON(filepath.Join(dir, "kb.json"), m); err != nil {
		return err
	}
	if err := writeHeaders(m.CSPStyle, filepath.Join(dir, "site")); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, "redirects.json"), res.Renderer.Redirects())
}

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
// redirects.
func readable(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Chmod(p, 0o755)
		case d.Type().IsRegular():
			return os.Chmod(p, 0o644)
		}
		return nil
	})
}

// swap makes staging the next generation and points out at it.
func swap(out, gens, staging string) (string, error) {
	base := filepath.Base(out)
	next := 1
	entries, _ := os.ReadDir(gens)
	var old []int
	for _, e := range entries {
		if n, err := strconv.Atoi(strings.TrimPrefix(e.Name(), base+"-")); err == nil && strings.HasPrefix(e.Name(), base+"-") {
			old = append(old, n)
			next = max(next, n+1)
		}
	}
	gen := filepath.Join(gens, fmt.Sprintf("%s-%d", base, next))
	if err := os.Rename(staging, gen); err != nil {
		return "", err
	}
	target, err := filepath.Rel(filepath.Dir(out), filepath.Join(gen, "site"))
	if err != nil {
		return "", err
	}
	tmpLink := out + ".kb-new"
	os.Remove(tmpLink)
	if err := os.Symlink(target, tmpLink); err != nil {
		return "", err
	}
	if err := os.Rename(tmpLink, out); err != nil {
		os.Remove(tmpLink)
		return "", err
	}
	// Keep the generation just replaced (a server may not have looked at the
	// link since) and every generation a server holds (HoldGeneration): it
	// goes at a later build, once its servers have moved on.
	sort.Ints(old)
	for i, n := range old {
		dir := filepath.Join(gens, fmt.Sprintf("%s-%d", base, n))
		if i < len(old)-1 && !held(dir) {
			os.RemoveAll(dir)
		}
	}
	return gen, nil
}

// Generation returns the generation folder the output link points to.
func Generation(out string) (string, error) {
	site, err := filepath.EvalSymlinks(out)
	if err != nil {
		return "", err
	}
	return filepath.Dir(site), nil
}

// ReadMeta reads kb.json and redirects.json of a generation.
func ReadMeta(gen string) (*Meta, error) {
	var m Meta
	data, err := os.ReadFile(filepath.Join(gen, "kb.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(gen, "kb.json"), err)
	}
	data, err = os.ReadFile(filepath.Join(gen, "redirects.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &m.Redirects); err != nil {
		return nil, err
	}
	return &m, nil
}
