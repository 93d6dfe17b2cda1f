package preview

import (
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"

	"kb/internal/site"
	"kb/internal/source"
)

// change says what a rebuild changed.
type change struct {
	site  bool            // the site was assembled again, or its templates read again
	pages int             // bodies rendered again in place (Markdown alone changed)
	files bool            // and the files they publish or the not-available pages they link to changed: the outputs too
	langs map[string]bool // search documents of these languages changed
}

func newChange() *change { return &change{langs: map[string]bool{}} }

// fileChange is a page file before and after (nil: absent).
type fileChange struct {
	path     string
	old, new *source.File
}

// update reads the changed paths (site-relative, slash-separated; a folder
// stands for everything under it) and brings the model up to date.
//
// A change of i18n/ reads everything again; of templates/ or
// content/site.toml, those. Anything in content/ that is not a page file or
// a page's resource reads content/ again (synonyms, new sections, misnamed
// folders: the walk of source.Load is what reports on those). Otherwise
// only the changed files are read. When only Markdown bodies changed, or
// what only the outputs read (lightMeta: a title), the site stays as it is
// and those pages get their file and body again (site.Bodies.Update), in
// place, with mu held; otherwise the site is
// assembled again, with the bodies that are still right taken from the
// cache.
func (m *model) update(paths []string, mu *sync.RWMutex) *change {
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
	ch.site = true
	if langs {
		// The languages decide which files are pages: read everything.
		m.loadAll()
		m.assemble()
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
	resources := false
	if !reread {
		files, resources, reread = m.readChanged(paths)
	}
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
		resources = resources || !maps.EqualFunc(oldRes, m.resources, func(a, b *source.Resource) bool { return a.Path == b.Path })
		if !maps.EqualFunc(oldSyn, m.synonyms, func(a, b source.SynonymFile) bool { return string(a.Data) == string(b.Data) }) {
			for code := range m.codes {
				ch.langs[code] = true
			}
		}
	}
	for _, f := range files {
		_, _, lang := pageOf(f)
		ch.langs[lang] = true
	}
	bodyOnly := !resources && !reread && !settings
	for _, f := range files {
		if !lightMeta(f.old, f.new) {
			bodyOnly = false
		}
	}
	switch {
	case m.res == nil || !bodyOnly:
		m.assemble()
	case len(files) > 0:
		ch.site = tmpl
		ch.pages, ch.files = m.updateBodies(files, mu)
		if tmpl {
			m.retemplate()
		}
	case tmpl:
		m.retemplate()
	default:
		ch.site = false // saved without a change
	}
	return ch
}

// readChanged reads the changed page files and resources. A changed folder
// that exists but cannot be listed sets reread: source.Load then reports it
// as a problem, where reading on would silently miss the pages in it.
func (m *model) readChanged(paths []string) (files []fileChange, resources, reread bool) {
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
		sec, key, _ := strings.Cut(id, "/")
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
		resources = true
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
			entries, err := fs.ReadDir(m.fsys, p)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				reread = true // gone is fine: the known files under it were read again above
			}
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
	return files, resources, reread
}

// updateBodies gives the pages whose Markdown body or light frontmatter
// alone changed their new file and body. Nothing else of the site changes
// but what the body phase
// tracks (site.Bodies.Update): the page's links, the files it publishes,
// its problems and those of the links to its headings. It returns the
// number of pages updated, and whether the files they publish, or the
// not-available pages they link to (which the outputs list), changed.
func (m *model) updateBodies(files []fileChange, mu *sync.RWMutex) (n int, published bool) {
	s := m.res.Site
	mu.Lock()
	defer mu.Unlock()
	for _, f := range files {
		g := s.Group(f.new.Section, f.new.Key)
		if g == nil || g.Pages[f.new.Lang] == nil || g.Pages[f.new.Lang].File != f.old {
			continue // a draft, not in the site
		}
		p := g.Pages[f.new.Lang]
		old, oldMissing := p.Files, missingLinks(s, p)
		m.res.Bodies.Update(p, f.new)
		published = published || !slices.Equal(old, p.Files) || !slices.Equal(oldMissing, missingLinks(s, p))
		n++
	}
	return n, published
}

// missingLinks returns the groups p links to that lack p's language: their
// not-available pages are outputs (render.Renderer.Outputs).
func missingLinks(s *site.Site, p *site.Page) []string {
	var out []string
	for _, id := range p.Links {
		section, key, _ := strings.Cut(id, "/")
		if g := s.Group(section, key); g != nil && g.Pages[p.Lang] == nil {
			out = append(out, id)
		}
	}
	return out
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
