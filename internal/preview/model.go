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

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/lang"
	"kb/internal/render"
	"kb/internal/site"
	"kb/internal/source"
)

// model is the preview's picture of the site: what was read from the site
// folder, the rendered bodies, the assembled site and its outputs. Only the
// rebuild loop uses it.
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

	bodies bodyCache

	site   *site.Site
	checks []diag.Problem // of assembling: checks across pages
	// Problems of rendering pages (those that have some), by path, and the
	// pages that link to a heading of a group, by group id: their problems
	// change with its headings.
	renderProbs map[string][]diag.Problem
	anchorsTo   map[string]map[*site.Page]bool
	res         *build.Result
	outputs     []render.Output
	byPath      map[string]int // index in outputs
}

func newModel(fsys fs.FS, drafts bool, script string) *model {
	return &model{fsys: fsys, drafts: drafts, script: script, bodies: bodyCache{}}
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

// assemble assembles the site from the files read, reusing the bodies
// rendered before when they are still right. It returns the pages whose
// body was rendered anew.
//
// site.Assemble renders every body, which is what takes the time; so it
// gets copies of the files without their Markdown, and the bodies are
// rendered (or taken from the cache) afterwards, the same way
// site.Assemble would render them.
func (m *model) assemble() []*site.Page {
	real := make(map[*source.File]*source.File, len(m.files))
	files := make([]*source.File, 0, len(m.files))
	for _, f := range m.files {
		stub := *f
		stub.Body = nil
		real[&stub] = f
		files = append(files, &stub)
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
	s := site.Assemble(&source.Content{Settings: m.settings, Files: files, Resources: resources, Synonyms: m.synonyms},
		langs, site.Options{Drafts: m.drafts, NoFileCheck: true}, &probs)
	var pages []*site.Page
	for _, g := range s.Groups {
		for _, p := range g.Pages {
			p.File = real[p.File]
			pages = append(pages, p)
		}
	}
	m.site = s
	fresh := m.bodies.render(s, pages)
	s.UnlinkedFiles(&probs)
	m.checks = probs.Problems()
	m.bodies.prune(m.files)
	m.renderProbs = map[string][]diag.Problem{}
	m.anchorsTo = map[string]map[*site.Page]bool{}
	for _, p := range pages {
		m.linkAnchors(p, true)
		m.pageProblems(p)
	}

	m.makeOutputs()
	return fresh
}

// makeOutputs makes the renderer and the outputs of the site.
func (m *model) makeOutputs() {
	s := m.site
	res := &build.Result{Site: s, Pages: map[string]int{}, Aliases: len(s.Aliases)}
	for _, g := range s.Groups {
		for code := range g.Pages {
			res.Pages[code]++
		}
	}
	res.Renderer = &render.Renderer{Site: s, T: m.tmpl, Script: m.script}
	m.res = res
	m.outputs = res.Renderer.Outputs()
	m.byPath = make(map[string]int, len(m.outputs))
	for i, o := range m.outputs {
		m.byPath[o.Path] = i
	}
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
	for _, ps := range m.renderProbs {
		for _, p := range ps {
			l.Add(p)
		}
	}
	return l.Problems()
}

// pageProblems finds the problems of rendering p again.
func (m *model) pageProblems(p *site.Page) {
	var l diag.List
	m.bodies.problems(m.site, p, &l)
	if probs := l.Problems(); len(probs) > 0 {
		m.renderProbs[p.Path] = probs
	} else {
		delete(m.renderProbs, p.Path)
	}
}

// linkAnchors records (or forgets) the groups whose headings p links to.
func (m *model) linkAnchors(p *site.Page, add bool) {
	b := m.bodies.bodies[p.Path]
	if b == nil {
		return
	}
	for _, id := range b.Anchored() {
		if add {
			if m.anchorsTo[id] == nil {
				m.anchorsTo[id] = map[*site.Page]bool{}
			}
			m.anchorsTo[id][p] = true
		} else {
			delete(m.anchorsTo[id], p)
		}
	}
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

// sameFile reports whether two readings of a page file are the same.
func sameFile(a, b *source.File) bool {
	return sameMeta(a, b) && bytes.Equal(a.Body, b.Body)
}
