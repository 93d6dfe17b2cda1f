package preview

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"kb/internal/build"
	"kb/search"
)

// The search index of the preview is built in the background, one job at a
// time, in a new folder (search-<n>) of a temporary folder of its own,
// removed when the preview stops: the languages whose
// documents changed are indexed again, the others are hard links to the
// current index's files (bleve never changes a finished segment). When the
// job is done the server gets a State with the new index, and the old one
// is closed a little later, once searches that started on it are over.
type indexer struct {
	current *search.Index
	root    string // the temporary folder, made by the first job
	dir     string // folder of current
	dirty   map[string]bool
	running bool
	n       int
	done    chan indexResult
	// wait delays a job while changes keep coming (an editor typing), so
	// that the index does not take the processor from the pages.
	wait *time.Timer
}

// indexDelay is how long the index waits for the changes to stop.
const indexDelay = time.Second

type indexResult struct {
	dir   string
	langs []string
	ix    *search.Index
	err   error
	took  time.Duration
}

// closeAfter is how long an index that was replaced stays open: a search
// takes at most 2 s (serve's searchTimeout).
const closeAfter = 5 * time.Second

func (x *indexer) want(langs map[string]bool) {
	if x.dirty == nil {
		x.dirty = map[string]bool{}
	}
	maps.Copy(x.dirty, langs)
}

// later starts a job once no change came for indexDelay.
func (x *indexer) later() {
	if x.wait == nil {
		x.wait = time.NewTimer(indexDelay)
		return
	}
	x.wait.Reset(indexDelay)
}

// waiting is the channel of the delay, nil when there is none.
func (x *indexer) waiting() <-chan time.Time {
	if x.wait == nil {
		return nil
	}
	return x.wait.C
}

func (x *indexer) close() {
	if x.wait != nil {
		x.wait.Stop()
	}
	if x.running {
		<-x.done // the job writes under root
		x.running = false
	}
	if x.current != nil {
		x.current.Close()
		x.current = nil
	}
	if x.root != "" {
		os.RemoveAll(x.root)
	}
}

// startIndex starts a job for the languages that changed, unless one is
// running.
func (p *Preview) startIndex() {
	x := &p.index
	if p.opt.NoIndex || x.running || len(x.dirty) == 0 || p.cur == nil {
		return
	}
	if x.root == "" {
		root, err := os.MkdirTemp("", "kb-preview-search-")
		if err != nil {
			fmt.Fprintln(p.stderr, "kb: search index:", err)
			return
		}
		x.root = root
	}
	s := p.cur.res.Site
	syn, err := build.Synonyms(s)
	if err != nil {
		fmt.Fprintf(p.stderr, "kb: search index not updated:\n%v\n", err)
		x.dirty = nil
		return
	}
	langs := slices.Sorted(maps.Keys(x.dirty))
	base := x.dir
	if _, err := os.Stat(base); x.current == nil || err != nil {
		// No index to start from (its generation was removed): all of it.
		langs, base = s.Langs.Codes(), ""
	}
	x.dirty = nil
	var docs []search.Doc
	for _, g := range s.Groups {
		for _, code := range langs {
			if pg := g.Pages[code]; pg != nil {
				docs = append(docs, build.Doc(pg))
			}
		}
	}
	x.n++
	dir, all := filepath.Join(x.root, fmt.Sprintf("search-%d", x.n)), s.Langs.Codes()
	x.running = true
	go func() {
		start := time.Now()
		r := indexResult{dir: dir, langs: langs}
		r.err = buildIndex(dir, base, langs, all, docs, syn)
		if r.err == nil {
			r.ix, r.err = search.Open(dir)
		}
		r.took = time.Since(start)
		x.done <- r
	}()
}

// indexed serves a finished index.
func (p *Preview) indexed(r indexResult) {
	x := &p.index
	x.running = false
	switch {
	case r.err != nil:
		fmt.Fprintln(p.stderr, "kb: search index:", r.err)
		os.RemoveAll(r.dir)
	default:
		old, oldDir := x.current, x.dir
		x.current, x.dir = r.ix, r.dir
		p.swap()
		if old == nil {
			fmt.Fprintf(p.stdout, "kb: search index ready (%s) in %s\n", strings.Join(r.langs, ", "), r.took.Round(time.Millisecond))
		}
		if old != nil {
			time.AfterFunc(closeAfter, func() {
				old.Close()
				os.RemoveAll(oldDir)
			})
		}
	}
	if len(x.dirty) > 0 {
		x.later()
	}
}

// buildIndex indexes docs (the documents of langs) in dir, and links the
// indexes of the site's other languages (all) from base.
func buildIndex(dir, base string, langs, all []string, docs []search.Doc, syn search.Synonyms) error {
	if err := search.Build(dir, docs, syn); err != nil {
		return err
	}
	if base == "" {
		return nil
	}
	entries, err := os.ReadDir(base)
	if err != nil {
		return err
	}
	for _, e := range entries {
		code, ok := strings.CutSuffix(e.Name(), ".bleve")
		if !ok || !e.IsDir() || slices.Contains(langs, code) || !slices.Contains(all, code) {
			continue
		}
		if err := build.LinkTree(filepath.Join(base, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
