package render

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/unicode/norm"

	"kb/internal/lang"
	"kb/internal/site"
	"kb/internal/source"
	"kb/internal/status"
)

// Output is one file of the built site.
type Output struct {
	Path string // slash-separated, relative to the output folder
	// Deps names what the file depends on: group ids ("fiches/x"), or
	// "list:<lang>" for a list of that language, or "list:*".
	Deps   []string
	Render func() ([]byte, error) // nil for a copied resource
	Copy   string                 // site path of a resource to copy
	// Src and Line name what asked for the file, when an editor did (an
	// alias, a file of a page folder), for messages.
	Src  string
	Line int
	// Page is the page whose view the file is (the view's .Page), if any:
	// the only page whose body it may show (Templates.OwnBodies).
	Page *site.Page
}

// Renderer makes the outputs of a site.
type Renderer struct {
	Site *site.Site
	T    *Templates
	// Script is added at the end of every HTML page (the preview's reload).
	Script string
	// PDFs are the downloads (kb build --pdf), by the URL path of the page
	// that links to them: a fiche or procedure, a home page, a status page.
	PDFs map[string]*PDFFile
}

// PDFFile is a printed PDF as a page links to it.
type PDFFile struct {
	URL   string // site path of the file
	Label string // i18n key of the link text
	Pages int
	Bytes int64
}

// KB is the file's size in kilobytes, rounded up.
func (f *PDFFile) KB() int64 { return (f.Bytes + 1023) / 1024 }

// Outputs lists every file of the site, sorted by path. It reads the
// pages' links (site.Page.Links): call it after the body phase.
func (r *Renderer) Outputs() []Output {
	s := r.Site
	var out []Output
	add := func(p string, deps []string, f func() ([]byte, error)) {
		out = append(out, Output{Path: p, Deps: deps, Render: f})
	}
	def := s.Langs.Get(s.Settings.DefaultLanguage)
	if def == nil && len(s.Langs.List) > 0 {
		def = s.Langs.List[0]
	}
	all := []string{"list:*"}
	if def != nil {
		add("index.html", all, func() ([]byte, error) { return r.chooser(def) })
		add("404.html", all, func() ([]byte, error) { return r.notFound(def) })
	}
	for _, l := range s.Langs.List {
		list := []string{"list:" + l.Code}
		add(l.Code+"/index.html", list, func() ([]byte, error) { return r.home(l) })
		add(l.Code+"/404.html", list, func() ([]byte, error) { return r.notFound(l) })
		add(l.Code+"/a-z/index.html", list, func() ([]byte, error) { return r.az(l) })
		add(l.Code+"/search/index.html", list, func() ([]byte, error) { return r.SearchPage(l, nil, "") })
		add(l.Code+"/feed.xml", list, func() ([]byte, error) { return r.feed(l) })
		add(l.Code+"/newsletter/index.html", list, func() ([]byte, error) { return r.newsletterList(l) })
		for _, sec := range source.Names(func(s source.Section) bool { return s.Index }) {
			add(l.Code+"/"+sec+"/index.html", list, func() ([]byte, error) { return r.sectionIndex(l, sec) })
		}
		news := s.News(l.Code)
		pages := (len(news) + s.Settings.NewsPerPage - 1) / s.Settings.NewsPerPage
		for n := 1; n <= max(pages, 1); n++ {
			add(newsPagePath(l.Code, n)+"index.html", list, func() ([]byte, error) { return r.newsList(l, n, max(pages, 1)) })
		}
	}
	linked := r.linkedMissing()
	for _, g := range s.Groups {
		deps := []string{g.Section + "/" + g.Key}
		for _, l := range s.Langs.List {
			if p := g.Pages[l.Code]; p != nil {
				// A page shows its translations, the topics and statuses it is
				// in, and links to other groups: a change to any of them counts.
				pdeps := append(append([]string(nil), deps...), p.Links...)
				for _, k := range p.Meta.Topics {
					pdeps = append(pdeps, "topics/"+k)
				}
				for _, k := range p.Meta.Residence {
					pdeps = append(pdeps, "residence/"+k)
				}
				switch sec := source.Sec(g.Section); {
				case sec.Taxonomy:
					// It lists the pages of its topic or status in its language.
					pdeps = append(pdeps, "list:"+l.Code)
					add(strings.TrimPrefix(p.URL, "/")+"index.html", pdeps, func() ([]byte, error) { return r.memberList(p) })
					out[len(out)-1].Src, out[len(out)-1].Page = p.Path, p
				case sec.Name == source.Newsletters:
					// It lists the news of its period in its language.
					pdeps = append(pdeps, "list:"+l.Code)
					add(strings.TrimPrefix(p.URL, "/")+"index.html", pdeps, func() ([]byte, error) { return r.edition(p) })
					out[len(out)-1].Src, out[len(out)-1].Page = p.Path, p
				default:
					add(strings.TrimPrefix(p.URL, "/")+"index.html", pdeps, func() ([]byte, error) { return r.page(p) })
					out[len(out)-1].Src, out[len(out)-1].Page = p.Path, p
				}
				if p.Slug != g.Key {
					// The key URL stays valid in every language.
					add(strings.TrimPrefix(site.MissingURL(l.Code, g), "/")+"index.html", deps, func() ([]byte, error) { return r.redirect(p, p.URL) })
					out[len(out)-1].Page = p
				}
			} else if linked[missingKey{l.Code, g}] {
				out = append(out, r.notAvailableOutput(g, l))
			}
		}
		for _, res := range g.Published() {
			out = append(out, Output{Path: site.ResourceFile(res), Deps: deps, Copy: res.Path, Src: res.Path})
		}
	}
	for _, a := range s.Aliases {
		if strings.Contains(a.From, "?") {
			continue // only a server can answer a query string: see Redirects
		}
		deps := []string{a.To.Section + "/" + a.To.Key}
		add(AliasFile(a.From), deps, func() ([]byte, error) { return r.redirect(a.To, a.To.URL) })
		out[len(out)-1].Src, out[len(out)-1].Line, out[len(out)-1].Page = a.To.Path, a.Line, a.To
	}
	// For editors: not linked, not in the sitemap or search, noindex.
	add("_editors/translations.html", all, func() ([]byte, error) { return status.Page(s) })
	add("sitemap.xml", all, r.sitemap)
	add("robots.txt", all, r.robots)
	add("_redirects", all, r.netlifyRedirects)
	add("redirects.map", all, r.nginxRedirects)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// AliasFile is the file a static alias stub is written to.
func AliasFile(from string) string {
	p := strings.TrimPrefix(from, "/")
	switch {
	case p == "" || strings.HasSuffix(p, "/"):
		return p + "index.html"
	case path.Ext(p) != "":
		return p
	default:
		return p + "/index.html"
	}
}

func newsPagePath(code string, n int) string {
	if n == 1 {
		return code + "/news/"
	}
	return fmt.Sprintf("%s/news/page/%d/", code, n)
}

// view fills what every page kind has.
func (r *Renderer) view(l *lang.Language, kind, title, urlPath string) Base {
	s := r.Site
	v := Base{Site: s, L: l, Kind: kind, Title: title, Path: urlPath, CSS: r.T.CSS}
	v.Canonical = s.Settings.BaseURL + urlPath
	v.PrintURL = v.Canonical
	for _, e := range s.Settings.Emergency {
		v.Emergency = append(v.Emergency, Emergency{Number: e.Number, Label: l.T(e.Label)})
	}
	if r.Script != "" {
		v.Script = htmlScript(r.Script)
	}
	return v
}

func (r *Renderer) alt(l *lang.Language, urlPath, title string, current bool) Alt {
	return Alt{Code: l.Code, Tag: l.TagString(), Dir: l.Dir, Name: l.Name, URL: urlPath,
		Abs: r.Site.Settings.BaseURL + urlPath, Title: title, Current: current}
}

// allLangs gives a list page's alternates: the same list in every language.
func (r *Renderer) allLangs(cur *lang.Language, suffix string) []Alt {
	var out []Alt
	for _, l := range r.Site.Langs.List {
		out = append(out, r.alt(l, "/"+l.Code+"/"+suffix, l.Name, l == cur))
	}
	return out
}

func (r *Renderer) groupAlts(g *site.Group, cur string) []Alt {
	var out []Alt
	for _, l := range r.Site.GroupLangs(g) {
		p := g.Pages[l.Code]
		out = append(out, r.alt(l, p.URL, p.Meta.Title, l.Code == cur))
	}
	return out
}

func (r *Renderer) crumbs(l *lang.Language, section string) []Link {
	c := []Link{{Title: l.T("home"), URL: "/" + l.Code + "/"}}
	if section != "" {
		c = append(c, Link{Title: sectionTitle(l, section), URL: "/" + l.Code + "/" + site.URLSection(section) + "/"})
	}
	return c
}

func sectionTitle(l *lang.Language, section string) string {
	return l.T(source.Sec(section).Title)
}

func (r *Renderer) exec(kind string, v page) ([]byte, error) {
	b, err := r.T.Execute(kind, v)
	if err != nil {
		return nil, &TemplateError{Path: "templates/" + kind + ".html", Err: err}
	}
	return b, nil
}

func (r *Renderer) chooser(def *lang.Language) ([]byte, error) {
	v := &ChooserView{r.view(def, "chooser", def.T("choose_language"), "/")}
	v.Alternates = r.allLangs(nil, "")
	// The chooser lists every language itself; the footer switcher would repeat it.
	b, err := r.exec("chooser", v)
	return b, err
}

func (r *Renderer) notFound(l *lang.Language) ([]byte, error) {
	v := &NotFoundView{r.view(l, "404", l.T("not_found_title"), "/"+l.Code+"/404.html")}
	v.Canonical, v.PrintURL, v.NoIndex = "", "", true
	return r.exec("404", v)
}

func (r *Renderer) home(l *lang.Language) ([]byte, error) {
	s := r.Site
	v := &HomeView{Base: r.view(l, "home", l.T("site_name"), "/"+l.Code+"/")}
	v.PDF = r.PDFs[v.Path]
	v.Description = l.T("site_tagline")
	v.Alternates = r.allLangs(l, "")
	v.Topics = s.Pages(l.Code, source.Topics)
	v.Residence = s.Pages(l.Code, source.Residence)
	v.Fiches = s.Pages(l.Code, source.Fiches)
	v.Procedures = s.Pages(l.Code, source.Procedures)
	news := s.News(l.Code)
	v.News = news[:min(5, len(news))]
	return r.exec("home", v)
}

func (r *Renderer) sectionIndex(l *lang.Language, section string) ([]byte, error) {
	v := &ListView{Base: r.view(l, "list", sectionTitle(l, section), "/"+l.Code+"/"+section+"/")}
	v.Alternates = r.allLangs(l, section+"/")
	v.Crumbs = r.crumbs(l, "")
	v.Items = r.Site.Pages(l.Code, section)
	if section == source.Residence {
		v.Intro = l.T("residence_intro")
	}
	return r.exec("list", v)
}

func (r *Renderer) newsList(l *lang.Language, n, pages int) ([]byte, error) {
	per := r.Site.Settings.NewsPerPage
	news := r.Site.News(l.Code)
	urlPath := "/" + newsPagePath(l.Code, n)
	title := l.T("news")
	if n > 1 {
		title += " — " + l.T("page_of", "page", n, "pages", pages)
	}
	v := &NewsView{Base: r.view(l, "news", title, urlPath)}
	v.Alternates = r.allLangs(l, strings.TrimPrefix(urlPath, "/"+l.Code+"/"))
	if n > 1 {
		v.Alternates = nil // other languages have other page counts
	}
	v.Crumbs = r.crumbs(l, "")
	v.Items = news[min((n-1)*per, len(news)):min(n*per, len(news))]
	if pages > 1 {
		v.Pager = &Pager{Page: n, Pages: pages}
		if n > 1 {
			v.Pager.Newer = "/" + newsPagePath(l.Code, n-1)
		}
		if n < pages {
			v.Pager.Older = "/" + newsPagePath(l.Code, n+1)
		}
	}
	return r.exec("news", v)
}

// pageView is the base of a view that shows page p: its title, summary,
// translations and place in its section.
func (r *Renderer) pageView(p *site.Page, kind string) Base {
	v := r.view(p.Language, kind, p.Meta.Title, p.URL)
	v.Description = p.Meta.Summary
	v.Alternates = r.groupAlts(p.Group, p.Language.Code)
	v.Crumbs = r.crumbs(p.Language, p.Section)
	return v
}

func (r *Renderer) page(p *site.Page) ([]byte, error) {
	l := p.Language
	v := &PageView{Base: r.pageView(p, "page"), Page: p, PDF: r.PDFs[p.URL]}
	v.TopicLinks = r.links(l, source.Topics, p.Meta.Topics)
	v.ResidenceLinks = r.links(l, source.Residence, p.Meta.Residence)
	return r.exec("page", v)
}

// links gives the titles and URLs of topic or residence keys in language l.
func (r *Renderer) links(l *lang.Language, section string, keys []string) []Link {
	var out []Link
	for _, k := range keys {
		g := r.Site.Group(section, k)
		if g == nil {
			continue
		}
		if p := g.Pages[l.Code]; p != nil {
			out = append(out, Link{Title: p.Meta.Title, URL: p.URL})
		} else {
			out = append(out, Link{Title: k, URL: site.MissingURL(l.Code, g)})
		}
	}
	return out
}

// memberList renders a topic or residence page: its text, then its pages.
func (r *Renderer) memberList(p *site.Page) ([]byte, error) {
	l := p.Language
	v := &ListView{Base: r.pageView(p, "list"), Page: p, PDF: r.PDFs[p.URL]}
	var people, pros []*site.Page
	for _, q := range r.Site.Pages(l.Code, "") {
		if !source.Sec(q.Section).Listed {
			continue
		}
		keys := q.Meta.Topics
		if p.Section == source.Residence {
			keys = q.Meta.Residence
		}
		if !slices.Contains(keys, p.Key) {
			continue
		}
		if q.Meta.Audience == "professionals" {
			pros = append(pros, q)
		} else {
			people = append(people, q)
		}
	}
	v.Groups = []ListGroup{{Title: l.T("for_people"), Pages: people}, {Title: l.T("for_professionals"), Pages: pros}}
	return r.exec("list", v)
}

func (r *Renderer) notAvailable(g *site.Group, l *lang.Language) ([]byte, error) {
	urlPath := site.MissingURL(l.Code, g)
	v := &NotAvailableView{r.view(l, "notavailable", l.T("not_available_title"), urlPath)}
	v.Canonical, v.NoIndex = "", true
	v.Alternates = r.groupAlts(g, "")
	v.Crumbs = r.crumbs(l, g.Section)
	return r.exec("notavailable", v)
}

func (r *Renderer) az(l *lang.Language) ([]byte, error) {
	v := &AZView{Base: r.view(l, "az", l.T("a_z_title"), "/"+l.Code+"/a-z/")}
	v.Alternates = r.allLangs(l, "a-z/")
	v.Crumbs = r.crumbs(l, "")
	pages := r.Site.Pages(l.Code, "")
	col := l.Collator()
	sort.SliceStable(pages, func(i, j int) bool {
		if c := col.CompareString(pages[i].Meta.Title, pages[j].Meta.Title); c != 0 {
			return c < 0
		}
		return pages[i].URL < pages[j].URL
	})
	v.Letters = letters(l, pages)
	return r.exec("az", v)
}

// letters groups sorted pages under the first letter of their titles; two
// letters that differ only by accent or case (É, e) share a heading.
func letters(l *lang.Language, pages []*site.Page) []Letter {
	loose := collate.New(l.Tag, collate.Loose)
	var out []Letter
	for _, p := range pages {
		first := firstLetter(p.Meta.Title)
		if n := len(out); n > 0 && loose.CompareString(out[n-1].Letter, first) == 0 {
			out[n-1].Pages = append(out[n-1].Pages, p)
			continue
		}
		out = append(out, Letter{Letter: first, Pages: []*site.Page{p}})
	}
	return out
}

func firstLetter(title string) string {
	t := strings.TrimLeftFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if t == "" {
		return "#"
	}
	// The first character with its combining marks.
	var it norm.Iter
	it.InitString(norm.NFC, t)
	return strings.ToUpper(string(it.Next()))
}

func (r *Renderer) redirect(p *site.Page, target string) ([]byte, error) {
	v := &RedirectView{Base: r.view(p.Language, "redirect", p.Meta.Title, target), Page: p, Target: target}
	var b strings.Builder
	err := r.T.redirect.Execute(&b, v)
	if err != nil {
		return nil, fmt.Errorf("templates/redirect.html: %w", err)
	}
	return []byte(b.String()), nil
}

// SearchPage renders /{lang}/search/ with results (nil: the empty form).
func (r *Renderer) SearchPage(l *lang.Language, data *SearchData, rawQuery string) ([]byte, error) {
	return r.exec("search", r.searchView(l, data))
}

// searchView is the data of the search page (SearchPage, SearchShell).
func (r *Renderer) searchView(l *lang.Language, data *SearchData) *SearchView {
	v := &SearchView{Base: r.view(l, "search", l.T("search"), "/"+l.Code+"/search/")}
	v.Alternates = r.allLangs(l, "search/")
	v.Crumbs = r.crumbs(l, "")
	v.NoIndex = true
	if data != nil {
		v.Search = data
		v.Query = data.Query
		if data.Query != "" {
			v.Title = l.T("search") + ": " + data.Query
		}
	}
	return v
}

// ErrorPage renders the preview's page listing build problems.
func (r *Renderer) ErrorPage(l *lang.Language, problems []string) ([]byte, error) {
	v := &ErrorsView{Base: r.view(l, "errors", "Build errors", "/")}
	v.Problems = problems
	v.NoIndex = true
	return r.exec("errors", v)
}
