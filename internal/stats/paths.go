package stats

import (
	"net/http"
	"strings"

	"kb/internal/site"
	"kb/internal/source"
)

// Page is what a path of the site is, for counting.
type Page struct {
	Lang, Kind, Item string
}

// Paths maps the paths of a built site to the pages they show.
type Paths struct {
	pages map[string]Page
	langs map[string]bool
	lists map[string]bool // the list folders under /{lang}/
	site  *site.Site
}

// NewPaths indexes the pages of s.
func NewPaths(s *site.Site) *Paths {
	p := &Paths{pages: map[string]Page{}, langs: map[string]bool{}, lists: map[string]bool{}, site: s}
	for _, f := range site.ListFolders() {
		p.lists[f] = true
	}
	for _, l := range s.Langs.List {
		p.langs[l.Code] = true
	}
	for _, g := range s.Groups {
		id := g.Section + "/" + g.Key
		for code := range p.langs {
			if pg := g.Pages[code]; pg != nil {
				p.pages[pg.URL] = Page{code, g.Section, id}
			} else {
				p.pages[site.MissingURL(code, g)] = Page{code, "missing", id}
			}
		}
	}
	return p
}

// Site returns the site the paths come from.
func (p *Paths) Site() *site.Site { return p.site }

// Classify says how a request is counted: a page visit (ok), or an other
// event (other != ""), or nothing at all (neither: an asset). path is the
// decoded URL path; status the response's.
func (p *Paths) Classify(path string, status int) (pg Page, other string, ok bool) {
	switch {
	case status == http.StatusNotFound:
		return Page{}, NotFound, false
	case status >= 500:
		return Page{}, Error, false
	case status >= 300 && status < 400 && status != http.StatusNotModified:
		return Page{}, Redirect, false
	case status >= 400:
		return Page{}, "", false
	}
	if strings.HasSuffix(path, "/index.html") {
		path = strings.TrimSuffix(path, "index.html")
	}
	if path == "/" {
		return Page{}, Chooser, false
	}
	if pg, ok := p.pages[path]; ok {
		return pg, "", true
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if !p.langs[parts[0]] {
		return Page{}, "", false
	}
	code := parts[0]
	if len(parts) == 2 && parts[1] == "feed.xml" {
		return Page{}, Feed, false
	}
	if !strings.HasSuffix(path, "/") {
		return Page{}, "", false
	}
	switch {
	case len(parts) == 1:
		return Page{code, "home", "home"}, "", true
	case len(parts) == 2 && p.lists[parts[1]]:
		// Only kb's own lists: a path a web server answered by mistake
		// (or a forged log line) names no list.
		return Page{code, "list", parts[1]}, "", true
	case len(parts) == 4 && parts[1] == site.URLSection(source.News) && parts[2] == "page":
		return Page{code, "list", source.News}, "", true
	}
	return Page{}, "", false
}

// All lists every page of the site (every group in every language it
// exists in), for "pages never visited".
func (p *Paths) All() []Page {
	var out []Page
	for _, g := range p.site.Groups {
		for _, l := range p.site.Langs.List {
			if g.Pages[l.Code] != nil {
				out = append(out, Page{l.Code, g.Section, g.Section + "/" + g.Key})
			}
		}
	}
	return out
}
