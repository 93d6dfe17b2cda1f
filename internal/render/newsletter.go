package render

import (
	"sort"

	"kb/internal/lang"
	"kb/internal/site"
)

// newsletterList renders /{lang}/newsletter/: the language's sent editions.
func (r *Renderer) newsletterList(l *lang.Language) ([]byte, error) {
	v := &NewsletterView{Base: r.view(l, "newsletter", l.T("newsletter"), "/"+l.Code+"/newsletter/")}
	v.Alternates = r.allLangs(l, "newsletter/")
	v.Crumbs = r.crumbs(l, "")
	v.Items = r.Site.Editions(l.Code)
	return r.exec("newsletter", v)
}

// edition renders an edition's archive page: its intro, then the news it
// gathered, by topic, as the e-mail listed them.
func (r *Renderer) edition(p *site.Page) ([]byte, error) {
	e := r.Site.EditionOf(p)
	v := &NewsletterView{Base: r.pageView(p, "newsletter"), Page: p}
	for _, t := range e.Topics {
		v.Groups = append(v.Groups, ListGroup{Title: t.Title, Pages: t.Items})
	}
	return r.exec("newsletter", v)
}

// feedSize is how many items a language's Atom feed shows.
const feedSize = 20

// FeedPages are the pages whose bodies a language's Atom feed shows: its
// newest news items and editions, newest first. A build that keeps bodies
// out of memory keeps these in.
func FeedPages(s *site.Site, code string) []*site.Page {
	out := append(s.News(code), s.Editions(code)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Meta.Date.After(out[j].Meta.Date) })
	return out[:min(len(out), feedSize)]
}
