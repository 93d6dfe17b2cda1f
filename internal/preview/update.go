package preview

import (
	"io/fs"
	"maps"
	"slices"
	"strings"

	"kb/internal/site"
	"kb/internal/source"
)

// change says what a rebuild changed: which outputs may differ, and which
// languages' search documents.
type change struct {
	full  bool            // everything: templates, languages or settings changed
	deps  map[string]bool // outputs with one of these in Deps may differ
	paths map[string]bool // and these outputs
	langs map[string]bool // search documents of these languages changed
}

func newChange() *change {
	return &change{deps: map[string]bool{}, paths: map[string]bool{}, langs: map[string]bool{}}
}

func (c *change) merge(d *change) {
	c.full = c.full || d.full
	maps.Copy(c.deps, d.deps)
	maps.Copy(c.paths, d.paths)
	maps.Copy(c.langs, d.langs)
}

func (c *change) empty() bool {
	return !c.full && len(c.deps) == 0 && len(c.paths) == 0
}

// fileChange is a page file before and after (nil: absent).
type fileChange struct {
	path     string
	old, new *source.File
}

// update reads the changed paths (site-relative, slash-separated; a folder
// stands for everything under it) and brings the model up to date.
//
// A change of i18n/ reads everything again; of templates/ or
// content/site.toml, those (and the site is written as a new generation).
// Anything in content/ that is not a page file or a page's resource
// reads content/ again (synonyms, new sections, misnamed folders: the walk
// of source.Load is what reports on those). Otherwise only the changed
// files are read. When only Markdown bodies changed, the site stays as it
// is and only those pages are rendered again; otherwise the site is
// assembled again, with the bodies that are still right taken from the
// cache.
func (m *model) update(paths []string) *change {
	ch := newChange()
	var langs, tmpl, settings, reread bool
	for _, p := range paths {
		switch k, _, _ := classify(p); k {
		case kindFull:
			switch {
			case strings.HasPrefix(p, "i18n"):
				langs = true
			case strings.HasPrefix(p, "templates"):
				tmpl = true
			default:
				settings = true
			}
		case kindOther:
			reread = true
		case kindResource:
			if fi, err := fs.Stat(m.fsys, p); err == nil && fi.IsDir() {
				reread = true // a folder in a page's folder: source.Load says what is wrong
			}
		}
		for _, pr := range m.shape {
			if pr.Path == p || strings.HasPrefix(pr.Path, p+"/") {
				reread = true // a problem of the walk may be gone
			}
		}
	}
	if langs {
		// The languages decide which files are pages: read everything.
		m.loadAll()
		m.assemble()
		ch.full = true
		for code := range m.codes {
			ch.langs[code] = true
		}
		return ch
	}
	if tmpl {
		m.loadTemplates()
	}
	if settings {
		m.loadSettings()
	}

	var files []fileChange
	resources := map[string]bool{} // groups whose resources changed
	if reread {
		old := m.files
		oldRes := m.resources
		oldSyn := m.synonyms
		m.loadContent()
		for p, f := range m.files {
			if !sameFile(old[p], f) {
				files = append(files, fileChange{p, old[p], f})
			}
		}
		for p, f := range old {
			if m.files[p] == nil {
				files = append(files, fileChange{p, f, nil})
			}
		}
		for p, r := range m.resources {
			if oldRes[p] == nil {
				resources[r.Section+"/"+r.Key] = true
			}
		}
		for p, r := range oldRes {
			if m.resources[p] == nil {
				resources[r.Section+"/"+r.Key] = true
			}
		}
		if !maps.EqualFunc(oldSyn, m.synonyms, func(a, b source.SynonymFile) bool { return string(a.Data) == string(b.Data) }) {
			for code := range m.codes {
				ch.langs[code] = true
			}
		}
		// A resource whose bytes changed keeps its path: copy it again.
		for _, p := range paths {
			if k, id, _ := classify(p); k == kindResource {
				resources[id] = true
			}
		}
	} else {
		files = m.readChanged(paths, resources)
	}

	if tmpl || settings {
		// Everything is written again, as a new generation; the site stays
		// as it is when only templates changed.
		ch.full = true
		for _, f := range files {
			_, _, lang := pageOf(f)
			ch.langs[lang] = true
		}
		if settings || reread || len(files) > 0 || len(resources) > 0 {
			m.assemble()
		} else {
			m.makeOutputs()
		}
		return ch
	}
	// After reading content/ again, every file is a new value: assemble.
	bodyOnly := len(resources) == 0 && !reread
	for _, f := range files {
		if !sameMeta(f.old, f.new) {
			bodyOnly = false
		}
	}
	if bodyOnly && m.site != nil {
		m.updateBodies(files, ch)
		return ch
	}
	fresh := m.assemble()
	for _, f := range files {
		sec, key, lang := pageOf(f)
		ch.deps[sec+"/"+key] = true
		ch.deps["list:"+lang] = true
		ch.langs[lang] = true
		ch.deps["list:*"] = true
	}
	for id := range resources {
		ch.deps[id] = true
	}
	for _, p := range fresh {
		ch.paths[ownOutput(p)] = true
	}
	return ch
}

// readChanged reads the changed page files and resources.
func (m *model) readChanged(paths []string, resources map[string]bool) []fileChange {
	var files []fileChange
	seen := map[string]bool{}
	page := func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		old := m.files[p]
		f, probs := m.loadFile(p)
		if sameFile(old, f) {
			f = old // saved without a change: keep the value the site has
		}
		if f != nil {
			m.files[p] = f
		} else {
			delete(m.files, p)
		}
		if len(probs) > 0 {
			m.loadProbs[p] = probs
		} else {
			delete(m.loadProbs, p)
		}
		if (old != nil || f != nil) && old != f {
			files = append(files, fileChange{p, old, f})
		}
	}
	resource := func(p, id, name string) {
		sec, key := splitID(id)
		fi, err := fs.Stat(m.fsys, p)
		switch {
		case err == nil && !fi.IsDir():
			if m.resources[p] == nil {
				m.resources[p] = &source.Resource{Path: p, Section: sec, Key: key, Name: name}
			}
		case m.resources[p] == nil:
			return // came and went
		default:
			delete(m.resources, p)
		}
		resources[id] = true
	}
	for _, p := range paths {
		k, id, name := classify(p)
		switch k {
		case kindPage:
			page(p)
		case kindResource:
			resource(p, id, name)
		case kindGroup:
			// A folder: what is known under it, and what is in it now.
			prefix := p + "/"
			for _, f := range slices.Sorted(maps.Keys(m.files)) {
				if strings.HasPrefix(f, prefix) {
					page(f)
				}
			}
			for _, r := range slices.Sorted(maps.Keys(m.resources)) {
				if strings.HasPrefix(r, prefix) {
					resource(r, id, m.resources[r].Name)
				}
			}
			for _, p := range slices.Sorted(maps.Keys(m.loadProbs)) {
				if strings.HasPrefix(p, prefix) {
					page(p)
				}
			}
			entries, _ := fs.ReadDir(m.fsys, p)
			for _, e := range entries {
				q := prefix + e.Name()
				if ignored(q) {
					continue
				}
				switch k, id, name := classify(q); k {
				case kindPage:
					page(q)
				case kindResource:
					resource(q, id, name)
				}
			}
		}
	}
	return files
}

// updateBodies renders again the pages whose Markdown body alone changed.
// Nothing else of the site changes: a body is seen only on its own page and,
// for news and newsletter editions, in the language's feed (render's Outputs and templates). The
// links of the page may change: its outputs then also depend on the new
// targets.
func (m *model) updateBodies(files []fileChange, ch *change) {
	for _, f := range files {
		g := m.site.Group(f.new.Section, f.new.Key)
		if g == nil || g.Pages[f.new.Lang] == nil || g.Pages[f.new.Lang].File != f.old {
			continue // a draft, not in the site
		}
		p := g.Pages[f.new.Lang]
		p.File = f.new
		old := p.Links
		m.linkAnchors(p, false)
		m.bodies.update(m.site, p)
		m.linkAnchors(p, true)
		m.pageProblems(p)
		for q := range m.anchorsTo[p.Section+"/"+p.Key] {
			m.pageProblems(q) // its links to p's headings
		}
		own := ownOutput(p)
		if !slices.Equal(old, p.Links) {
			if i, ok := m.byPath[own]; ok {
				deps := slices.Clone(m.outputs[i].Deps)
				for _, id := range p.Links {
					if !slices.Contains(deps, id) {
						deps = append(deps, id)
					}
				}
				m.outputs[i].Deps = deps
			}
		}
		ch.paths[own] = true
		if source.Sec(p.Section).Dated {
			ch.paths[p.Lang+"/feed.xml"] = true // the feed carries the body
		}
		ch.langs[p.Lang] = true
	}
}

// ownOutput is the file of a page (render.Outputs writes it there).
func ownOutput(p *site.Page) string {
	return strings.TrimPrefix(p.URL, "/") + "index.html"
}

func pageOf(f fileChange) (section, key, lang string) {
	x := f.new
	if x == nil {
		x = f.old
	}
	if x != nil {
		return x.Section, x.Key, x.Lang
	}
	return "", "", ""
}
