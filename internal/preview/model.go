package preview

import (
	"bytes"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/lang"
	"kb/internal/render"
	"kb/internal/site"
	"kb/internal/source"
)

// model is the preview's picture of the site: what was read from the site
// folder, and the site assembled from it by the build's own phases
// (build.Assemble), with the bodies kept in a cache between rebuilds. Only
// the rebuild loop uses it.
type model struct {
	fsys   fs.FS
	drafts bool
	script string

	langs     *lang.Set
	codes     map[string]bool
	tmpl      *render.Templates
	langProbs []diag.Problem // of i18n/
	tmplProbs []diag.Problem // of templates/

	settings  source.Settings
	synonyms  map[string]source.SynonymFile
	files     map[string]*source.File     // parsed pages, by path
	resources map[string]*source.Resource // by path
	loadProbs map[string][]diag.Problem   // problems of reading each page file
	shape     []diag.Problem              // the other problems of content/: settings, folders, synonyms

	cache  *site.BodyCache
	res    *build.Result  // the assembled site; res.Bodies has the body problems
	checks []diag.Problem // of assembling: checks across pages, collisions
}

func newModel(fsys fs.FS, drafts bool, script string) *model {
	return &model{fsys: fsys, drafts: drafts, script: script, cache: site.NewBodyCache()}
}

// loadAll reads everything: languages, templates and content.
func (m *model) loadAll() {
	var lp diag.List
	m.langs = lang.Load(m.fsys, "i18n", &lp)
	m.langProbs = lp.Problems()
	m.codes = map[string]bool{}
	for _, l := range m.langs.List {
		m.codes[l.Code] = true
	}
	m.loadTemplates()
	m.loadContent()
}

func (m *model) loadTemplates() {
	var tp diag.List
	m.tmpl = render.LoadTemplates(m.fsys, &tp)
	m.tmplProbs = tp.Problems()
}

// loadSettings reads content/site.toml alone (source.Load of a file system
// that holds it alone).
func (m *model) loadSettings() {
	data, err := fs.ReadFile(m.fsys, source.SettingsPath)
	mfs := fstest.MapFS{}
	if err == nil {
		mfs[source.SettingsPath] = &fstest.MapFile{Data: data}
	}
	var probs diag.List
	c := source.Load(mfs, m.codes, &probs)
	m.settings = c.Settings
	shape := m.shape[:0:0]
	for _, p := range m.shape {
		if p.Path != source.SettingsPath {
			shape = append(shape, p)
		}
	}
	for _, p := range probs.Problems() {
		if p.Path == source.SettingsPath {
			shape = append(shape, p)
		}
	}
	m.shape = shape
}

// loadContent reads the whole of content/.
func (m *model) loadContent() {
	var probs diag.List
	c := source.Load(m.fsys, m.codes, &probs)
	m.settings, m.synonyms = c.Settings, c.Synonyms
	m.files = map[string]*source.File{}
	for _, f := range c.Files {
		m.files[f.Path] = f
	}
	m.resources = map[string]*source.Resource{}
	for _, r := range c.Resources {
		m.resources[r.Path] = r
	}
	m.loadProbs = map[string][]diag.Problem{}
	m.shape = nil
	for _, p := range probs.Problems() {
		if k, _, _ := classify(p.Path); k == kindPage {
			m.loadProbs[p.Path] = append(m.loadProbs[p.Path], p)
		} else {
			m.shape = append(m.shape, p)
		}
	}
}

// loadFile reads one page file as source.Load would, with the same checks
// and messages: it runs source.Load on a file system that holds that file
// alone, and keeps the problems about the file.
func (m *model) loadFile(p string) (*source.File, []diag.Problem) {
	data, err := fs.ReadFile(m.fsys, p)
	if err != nil {
		return nil, nil
	}
	var probs diag.List
	c := source.Load(fstest.MapFS{p: {Data: data}}, m.codes, &probs)
	var own []diag.Problem
	for _, pr := range probs.Problems() {
		if pr.Path == p {
			own = append(own, pr)
		}
	}
	if len(c.Files) == 1 {
		return c.Files[0], own
	}
	return nil, own
}

// assemble runs the build's phases on the files read (build.Assemble):
// the structure, then the bodies, those still right taken from the cache.
func (m *model) assemble() {
	files := make([]*source.File, 0, len(m.files))
	for _, f := range m.files {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	resources := make([]*source.Resource, 0, len(m.resources))
	for _, r := range m.resources {
		resources = append(resources, r)
	}
	sort.Slice(resources, func(i, j int) bool { return resources[i].Path < resources[j].Path })
	// Assemble orders the language list in place; the server reads the
	// current one meanwhile, so each assembly gets its own copy.
	langs := m.langs.Clone()
	var probs diag.List
	m.res = build.Assemble(&source.Content{Settings: m.settings, Files: files, Resources: resources, Synonyms: m.synonyms},
		langs, m.tmpl, m.drafts, m.cache, &probs)
	m.res.Renderer.Script = m.script
	m.checks = probs.Problems()
}

// retemplate gives the site the templates read again.
func (m *model) retemplate() {
	r := *m.res.Renderer
	r.T = m.tmpl
	res := *m.res
	res.Renderer = &r
	res.Outputs = r.Outputs()
	m.res = &res
}

// problems returns every problem of the site, sorted, as build.Load would.
func (m *model) problems() []diag.Problem {
	var l diag.List
	for _, ps := range [][]diag.Problem{m.langProbs, m.tmplProbs, m.shape, m.checks} {
		for _, p := range ps {
			l.Add(p)
		}
	}
	for _, ps := range m.loadProbs {
		for _, p := range ps {
			l.Add(p)
		}
	}
	if m.res != nil {
		m.res.Bodies.Problems(&l)
	}
	return l.Problems()
}

// Kinds of path, by what a change to them means.
type kind int

const (
	kindOther    kind = iota // in content/, but not a page or resource: read content/ again
	kindFull                 // templates, languages, settings: rebuild everything
	kindPage                 // content/<section>/<key>/<lang>.md
	kindResource             // another file in a page's folder
	kindGroup                // a page's folder
	kindIgnore               // outside what the site is made of
)

// classify says what a site-relative, slash-separated path is, and for
// pages and resources their group id.
func classify(p string) (k kind, id, name string) {
	parts := strings.Split(p, "/")
	switch parts[0] {
	case "templates", "i18n":
		return kindFull, "", ""
	case "content":
	default:
		return kindIgnore, "", ""
	}
	if p == source.SettingsPath {
		return kindFull, "", ""
	}
	if len(parts) < 3 || !slices.Contains(source.Sections, parts[1]) || !source.ValidKey(parts[1], parts[2]) {
		return kindOther, "", ""
	}
	id = parts[1] + "/" + parts[2]
	switch {
	case len(parts) == 3:
		return kindGroup, id, ""
	case len(parts) > 4:
		return kindOther, "", ""
	case path.Ext(parts[3]) == ".md":
		return kindPage, id, parts[3]
	default:
		return kindResource, id, parts[3]
	}
}

// sameMeta reports whether two readings of a page file differ only in the
// Markdown body.
func sameMeta(a, b *source.File) bool {
	return a != nil && b != nil && a.BodyLine == b.BodyLine && reflect.DeepEqual(a.Meta, b.Meta)
}

// lightMeta reports whether two readings of a page file differ, besides
// the Markdown body, only in what the outputs read when they are rendered
// (title, summary, review and update dates, weight, audience), with every
// key on the same line: the structure of the site and its problems stay
// the same. Not so in the glossary, whose titles are the terms marked in
// other pages' bodies, nor in newsletters.
func lightMeta(a, b *source.File) bool {
	if a == nil || b == nil || a.BodyLine != b.BodyLine || a.Section == "glossary" || a.Section == "newsletters" {
		return false
	}
	x, y := a.Meta, b.Meta
	for _, m := range []*source.Meta{&x, &y} {
		m.Title, m.Summary, m.Audience, m.Weight = "", "", "", 0
		m.Reviewed, m.Updated = time.Time{}, time.Time{}
	}
	return reflect.DeepEqual(x, y)
}

// sameFile reports whether two readings of a page file are the same.
func sameFile(a, b *source.File) bool {
	return sameMeta(a, b) && bytes.Equal(a.Body, b.Body)
}
